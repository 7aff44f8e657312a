"""A PK's count of sessions from the index of his clients' placements.

The sessions list counts a PK's sessions as the sum of his placements' kept counts; the
index of a client's placements by (status, booking) now holds ``session_count`` too, so
the sum reads the index, not each placement's row.

Revision ID: 20261206_sc
Revises: 20261205_at
Create Date: 2026-12-06
"""

from alembic import op

revision = "20261206_sc"
down_revision = "20261205_at"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_placement_client_id_status_booked_at_sessions",
        "placement",
        ["client_id", "status", "booked_at", "session_count"],
    )
    op.drop_index("ix_placement_client_id_status_booked_at", table_name="placement")


def downgrade():
    op.create_index(
        "ix_placement_client_id_status_booked_at", "placement", ["client_id", "status", "booked_at"]
    )
    op.drop_index("ix_placement_client_id_status_booked_at_sessions", table_name="placement")
