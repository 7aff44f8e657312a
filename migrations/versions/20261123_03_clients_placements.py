"""Clients, summons and placements.

Revision ID: 20261123_03
Revises: 20261123_02
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_03"
down_revision = "20261123_02"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bapas_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("pk_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=160), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("birth_place", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("religion", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("home_lat", sa.Float(), nullable=True),
        sa.Column("home_lng", sa.Float(), nullable=True),
        sa.Column("father_name", sa.String(length=160), nullable=False),
        sa.Column("mother_name", sa.String(length=160), nullable=False),
        sa.Column("physical_marks", sa.String(length=300), nullable=False),
        sa.Column("fingerprints_taken", sa.Boolean(), nullable=False),
        sa.Column("is_child", sa.Boolean(), nullable=False),
        sa.Column("decision_number", sa.String(length=120), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("court", sa.String(length=160), nullable=False),
        sa.Column("execution_order_number", sa.String(length=120), nullable=False),
        sa.Column("execution_order_date", sa.Date(), nullable=True),
        sa.Column("hours_ordered", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("document_checks", sa.JSON(), nullable=False),
        sa.Column("appointment_number", sa.String(length=120), nullable=False),
        sa.Column("appointed_on", sa.Date(), nullable=True),
        sa.Column("appointed_by_id", sa.Integer(), nullable=True),
        sa.Column("occupation", sa.String(length=160), nullable=False),
        sa.Column("profession_sector", sa.String(length=40), nullable=False),
        sa.Column("offence", sa.String(length=300), nullable=False),
        sa.Column("offence_via_profession", sa.Boolean(), nullable=False),
        sa.Column("victim_places", sa.JSON(), nullable=False),
        sa.Column("max_travel_km", sa.Float(), nullable=True),
        sa.Column("dependants", sa.Integer(), nullable=False),
        sa.Column("special_needs", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("interests", sa.Text(), nullable=False),
        sa.Column("available", sa.JSON(), nullable=False),
        sa.Column("health_cleared", sa.Boolean(), nullable=False),
        sa.Column("physical_risk_skill", sa.String(length=300), nullable=False),
        sa.Column("vulnerable_contact_exception", sa.Boolean(), nullable=False),
        sa.Column("vulnerable_contact_reason", sa.Text(), nullable=False),
        sa.Column("vulnerable_contact_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("summons_violation", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointed_by_id"],
            ["user_account.id"],
            name=op.f("fk_client_appointed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["bapas_id"], ["bapas.id"], name=op.f("fk_client_bapas_id_bapas")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_client_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["pk_id"], ["user_account.id"], name=op.f("fk_client_pk_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["vulnerable_contact_by_id"],
            ["user_account.id"],
            name=op.f("fk_client_vulnerable_contact_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("code", name=op.f("uq_client_code")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_bapas_id"), ["bapas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_pk_id"), ["pk_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_status"), ["status"], unique=False)
    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("hours_planned", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by_id"],
            ["user_account.id"],
            name=op.f("fk_placement_booked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_placement_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_placement_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["slot_id"], ["slot.id"], name=op.f("fk_placement_slot_id_slot")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_slot_id"), ["slot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_status"), ["status"], unique=False)
    op.create_table(
        "summons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_summons_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summons")),
    )
    with op.batch_alter_table("summons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_summons_client_id"), ["client_id"], unique=False)


def downgrade():
    with op.batch_alter_table("summons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_summons_client_id"))
    op.drop_table("summons")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_status"))
        batch_op.drop_index(batch_op.f("ix_placement_slot_id"))
        batch_op.drop_index(batch_op.f("ix_placement_client_id"))
    op.drop_table("placement")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_status"))
        batch_op.drop_index(batch_op.f("ix_client_pk_id"))
        batch_op.drop_index(batch_op.f("ix_client_bapas_id"))
    op.drop_table("client")
