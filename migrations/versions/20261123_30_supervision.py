"""Supervision and closing: attitude assessments, conduct cases, closures.

Revision ID: 20261123_30
Revises: 20261123_10
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_30"
down_revision = "20261123_10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conduct_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("team_members", sa.Text(), nullable=False),
        sa.Column("team_proposed_on", sa.Date(), nullable=True),
        sa.Column("team_deadline", sa.Date(), nullable=True),
        sa.Column("examined_on", sa.Date(), nullable=True),
        sa.Column("examination_findings", sa.Text(), nullable=False),
        sa.Column("tpp_session_on", sa.Date(), nullable=True),
        sa.Column("tpp_outcome", sa.String(length=20), nullable=False),
        sa.Column("tpp_notes", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.String(length=20), nullable=False),
        sa.Column("recommendation_hours", sa.Integer(), nullable=True),
        sa.Column("recommendation_number", sa.String(length=120), nullable=False),
        sa.Column("recommendation_on", sa.Date(), nullable=True),
        sa.Column("prosecutor_office", sa.String(length=200), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_conduct_case_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_conduct_case_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["user_account.id"],
            name=op.f("fk_conduct_case_signed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conduct_case")),
    )
    with op.batch_alter_table("conduct_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conduct_case_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conduct_case_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conduct_case_team_deadline"), ["team_deadline"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_assessor_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_assessment_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_assessment_placement_id_placement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_client_id"), ["client_id"], unique=False)

    op.create_table(
        "closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("bapas_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("final_assessment", sa.Text(), nullable=False),
        sa.Column("register_year", sa.Integer(), nullable=False),
        sa.Column("register_seq", sa.Integer(), nullable=False),
        sa.Column("register_number", sa.String(length=80), nullable=False),
        sa.Column("letter_number", sa.String(length=120), nullable=False),
        sa.Column("minutes_verified", sa.Integer(), nullable=False),
        sa.Column("conduct_case_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bapas_id"], ["bapas.id"], name=op.f("fk_closure_bapas_id_bapas")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_closure_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["conduct_case_id"],
            ["conduct_case.id"],
            name=op.f("fk_closure_conduct_case_id_conduct_case"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["user_account.id"], name=op.f("fk_closure_signed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure")),
        sa.UniqueConstraint(
            "bapas_id", "register_year", "register_seq", name=op.f("uq_closure_bapas_id")
        ),
        sa.UniqueConstraint("client_id", name=op.f("uq_closure_client_id")),
        sa.UniqueConstraint("register_number", name=op.f("uq_closure_register_number")),
    )
    with op.batch_alter_table("closure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closure_bapas_id"), ["bapas_id"], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("closure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closure_bapas_id"))

    op.drop_table("closure")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_client_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("conduct_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conduct_case_team_deadline"))
        batch_op.drop_index(batch_op.f("ix_conduct_case_status"))
        batch_op.drop_index(batch_op.f("ix_conduct_case_client_id"))

    op.drop_table("conduct_case")
    # ### end Alembic commands ###
