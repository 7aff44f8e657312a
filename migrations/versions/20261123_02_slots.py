"""OPD work slots.

Revision ID: 20261123_02
Revises: 20261123_01
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_02"
down_revision = "20261123_01"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place_type", sa.String(length=40), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("supervisor_name", sa.String(length=160), nullable=False),
        sa.Column("supervisor_position", sa.String(length=160), nullable=False),
        sa.Column("supervisor_phone", sa.String(length=40), nullable=False),
        sa.Column("supervisor_user_id", sa.Integer(), nullable=True),
        sa.Column("facilities", sa.JSON(), nullable=False),
        sa.Column("risks", sa.JSON(), nullable=False),
        sa.Column("physical_risk_skill", sa.String(length=300), nullable=False),
        sa.Column("unpaid_confirmed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_slot_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_slot_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_slot_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["supervisor_user_id"],
            ["user_account.id"],
            name=op.f("fk_slot_supervisor_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot")),
    )
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slot_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_slot_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_slot_opd_id"), ["opd_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_slot_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slot_status"))
        batch_op.drop_index(batch_op.f("ix_slot_opd_id"))
        batch_op.drop_index(batch_op.f("ix_slot_category"))
        batch_op.drop_index(batch_op.f("ix_slot_agreement_id"))
    op.drop_table("slot")
