"""The placement list's index covers its default order: a PK's or a Bapas's placements are
sorted (waiting bookings first, newest booking first) from the index, without reading
each placement's row. (client_id, status, booked_at) replaces (client_id, status).

Revision ID: 20261203_pl
Revises: 20261202_hb
Create Date: 2026-12-03
"""

from alembic import op

revision = "20261203_pl"
down_revision = "20261202_hb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_placement_client_id_status_booked_at", "placement", ["client_id", "status", "booked_at"]
    )
    op.drop_index("ix_placement_client_id_status", table_name="placement")


def downgrade():
    op.create_index("ix_placement_client_id_status", "placement", ["client_id", "status"])
    op.drop_index("ix_placement_client_id_status_booked_at", table_name="placement")
