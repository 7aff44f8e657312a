"""Each placement names its Bapas and OPD; a Bapas's and an OPD's placements on an index.

``placement.bapas_id`` (the client's Bapas) and ``opd_id`` (the slot's OPD), filled here
from the clients and slots. A Kepala Bapas's or an OPD admin's placement list, its count
and the sum of their sessions then read the index of the office's placements in booking
order, not every placement of the province joined to its client or slot.

Revision ID: 20261205_pb
Revises: 20261204_pk
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "20261205_pb"
down_revision = "20261204_pk"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("placement", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.add_column(sa.Column("bapas_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("opd_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_placement_bapas_id_bapas", "bapas", ["bapas_id"], ["id"])
        batch.create_foreign_key("fk_placement_opd_id_opd", "opd", ["opd_id"], ["id"])
    op.execute(
        "UPDATE placement SET"
        " bapas_id = (SELECT client.bapas_id FROM client WHERE client.id = placement.client_id),"
        " opd_id = (SELECT slot.opd_id FROM slot WHERE slot.id = placement.slot_id)"
    )
    op.create_index(
        "ix_placement_bapas_id_booked_at",
        "placement",
        ["bapas_id", "booked_at", "id", "status", "session_count"],
    )
    op.create_index(
        "ix_placement_opd_id_booked_at", "placement", ["opd_id", "booked_at", "id", "status"]
    )


def downgrade():
    op.drop_index("ix_placement_opd_id_booked_at", table_name="placement")
    op.drop_index("ix_placement_bapas_id_booked_at", table_name="placement")
    with op.batch_alter_table("placement", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_constraint("fk_placement_opd_id_opd", type_="foreignkey")
        batch.drop_constraint("fk_placement_bapas_id_bapas", type_="foreignkey")
        batch.drop_column("opd_id")
        batch.drop_column("bapas_id")
