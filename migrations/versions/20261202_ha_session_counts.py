"""Sessions counted on each placement; indexes for today's attendance and a PJ's sites.

Each placement keeps its number of work sessions (``placement.session_count``), filled
here from the sessions: the sessions list adds them up instead of counting every session.
Attendance by (placement, date): a placement's record of today found without reading
everyone's. Slots by their PJ: his placements found without reading every slot.

Revision ID: 20261202_ha
Revises: 20261201_13c
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "20261202_ha"
down_revision = "20261201_13c"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "placement",
        sa.Column("session_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE placement SET session_count ="
        " (SELECT count(*) FROM work_session WHERE work_session.placement_id = placement.id)"
    )
    op.create_index(
        "ix_attendance_placement_id_work_date", "attendance", ["placement_id", "work_date"]
    )
    op.create_index("ix_slot_supervisor_user_id", "slot", ["supervisor_user_id"])


def downgrade():
    op.drop_index("ix_attendance_placement_id_work_date", table_name="attendance")
    op.drop_index("ix_slot_supervisor_user_id", table_name="slot")
    with op.batch_alter_table("placement") as batch:
        batch.drop_column("session_count")
