"""Indexes in the lists' default orders. The placement list's covers its order: a PK's or
a Bapas's placements are sorted (waiting bookings first, newest booking first) from the
index, without reading each placement's row: (client_id, status, booked_at) replaces
(client_id, status). A Bapas's slot list reads each agreement's newest changed slots in
order, ties by id: (agreement_id, updated_at, id, status) replaces (agreement_id,
updated_at, status).

Revision ID: 20261203_pl
Revises: 20261202_hd
Create Date: 2026-12-03
"""

from alembic import op

revision = "20261203_pl"
down_revision = "20261202_hd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_placement_client_id_status_booked_at", "placement", ["client_id", "status", "booked_at"]
    )
    op.drop_index("ix_placement_client_id_status", table_name="placement")
    op.create_index(
        "ix_slot_agreement_id_updated_at_id", "slot", ["agreement_id", "updated_at", "id", "status"]
    )
    op.drop_index("ix_slot_agreement_id_updated_at", table_name="slot")


def downgrade():
    op.create_index(
        "ix_slot_agreement_id_updated_at", "slot", ["agreement_id", "updated_at", "status"]
    )
    op.drop_index("ix_slot_agreement_id_updated_at_id", table_name="slot")
    op.create_index("ix_placement_client_id_status", "placement", ["client_id", "status"])
    op.drop_index("ix_placement_client_id_status_booked_at", table_name="placement")
