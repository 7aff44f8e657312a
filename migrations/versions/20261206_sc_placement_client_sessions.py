"""A PK's count of sessions, and his clients' deadlines, from indexes.

The sessions list counts a PK's sessions as the sum of his placements' kept counts; the
index of a client's placements by (status, booking) now holds ``session_count`` too, so
the sum reads the index, not each placement's row. The index of a PK's clients holds
their deadline: today's attendance keeps a card only while the client's term runs. The
index of a slot's placements holds what today's attendance reads of them: PostgreSQL
finds a PJ's placements slot by slot from it (a narrower index of every placement would
otherwise be read whole).

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
    op.create_index(
        "ix_client_pk_id_bapas_id_status_deadline",
        "client",
        ["pk_id", "bapas_id", "status", "deadline"],
    )
    op.drop_index("ix_client_pk_id_bapas_id_status", table_name="client")
    op.create_index(
        "ix_placement_slot_id_today",
        "placement",
        ["slot_id", "client_id", "status", "weekdays", "start_date", "deadline"],
    )
    op.drop_index("ix_placement_slot_id", table_name="placement")


def downgrade():
    op.create_index("ix_placement_slot_id", "placement", ["slot_id"])
    op.drop_index("ix_placement_slot_id_today", table_name="placement")
    op.create_index("ix_client_pk_id_bapas_id_status", "client", ["pk_id", "bapas_id", "status"])
    op.drop_index("ix_client_pk_id_bapas_id_status_deadline", table_name="client")
    op.create_index(
        "ix_placement_client_id_status_booked_at", "placement", ["client_id", "status", "booked_at"]
    )
    op.drop_index("ix_placement_client_id_status_booked_at_sessions", table_name="placement")
