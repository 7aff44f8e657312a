"""Each work session names its Bapas and OPD; the records to verify counted on an index.

``work_session.bapas_id`` (the client's Bapas) and ``opd_id`` (the slot's OPD), filled
here from the placements: the sessions list reads a Bapas's or an OPD's newest sessions
off an index in its own order, not every Bapas's sessions of the last days. The index of
attendance by (placement, verified) also holds the columns the records still to verify
are counted and sorted by. On PostgreSQL, statistics of a client's PK and Bapas together
(a PK's clients are all of one Bapas): without them the planner takes a PK's clients for
a tenth of what they are and starts parallel workers to find his newest sessions.

Revision ID: 20261202_hd
Revises: 20261202_hb
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "20261202_hd"
down_revision = "20261202_hb"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_session", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.add_column(sa.Column("bapas_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("opd_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_work_session_bapas_id_bapas", "bapas", ["bapas_id"], ["id"])
        batch.create_foreign_key("fk_work_session_opd_id_opd", "opd", ["opd_id"], ["id"])
    op.execute(
        "UPDATE work_session SET"
        " bapas_id = (SELECT client.bapas_id FROM placement JOIN client"
        " ON client.id = placement.client_id WHERE placement.id = work_session.placement_id),"
        " opd_id = (SELECT slot.opd_id FROM placement JOIN slot"
        " ON slot.id = placement.slot_id WHERE placement.id = work_session.placement_id)"
    )
    for key in ("bapas_id", "opd_id"):
        op.create_index(
            f"ix_work_session_{key}_session_date",
            "work_session",
            [key, "session_date", "start", "id", "placement_id"],
        )
    op.create_index(
        "ix_attendance_placement_id_waiting",
        "attendance",
        ["placement_id", "verified", "superseded_by_id", "work_date", "time_in"],
    )
    op.drop_index("ix_attendance_placement_id_verified", table_name="attendance")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS st_client_pk_id_bapas_id (dependencies) ON pk_id, bapas_id FROM client"
        )
        op.execute("ANALYZE client")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_client_pk_id_bapas_id")
    op.create_index(
        "ix_attendance_placement_id_verified", "attendance", ["placement_id", "verified"]
    )
    op.drop_index("ix_attendance_placement_id_waiting", table_name="attendance")
    for key in ("bapas_id", "opd_id"):
        op.drop_index(f"ix_work_session_{key}_session_date", table_name="work_session")
    with op.batch_alter_table("work_session", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_constraint("fk_work_session_opd_id_opd", type_="foreignkey")
        batch.drop_constraint("fk_work_session_bapas_id_bapas", type_="foreignkey")
        batch.drop_column("opd_id")
        batch.drop_column("bapas_id")
