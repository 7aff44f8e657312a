"""Monitoring: Rencana Kerja progress reports with evidence, yearly agreement evaluations.

Revision ID: 20261123_40
Revises: 20261123_30
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_40"
down_revision = "20261123_30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agreement_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("conclusion", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_agreement_evaluation_agreement_id_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_agreement_evaluation_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_evaluation")),
        sa.UniqueConstraint("agreement_id", "year", name="uq_agreement_evaluation_year"),
    )
    with op.batch_alter_table("agreement_evaluation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_evaluation_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "workplan_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["workplan_activity.id"],
            name=op.f("fk_workplan_report_activity_id_workplan_activity"),
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_workplan_report_reported_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan_report")),
    )
    with op.batch_alter_table("workplan_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workplan_report_activity_id"), ["activity_id"], unique=False
        )

    op.create_table(
        "workplan_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["workplan_report.id"],
            name=op.f("fk_workplan_evidence_report_id_workplan_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplan_evidence")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_workplan_evidence_stored_name")),
    )
    with op.batch_alter_table("workplan_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workplan_evidence_report_id"), ["report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("workplan_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workplan_evidence_report_id"))

    op.drop_table("workplan_evidence")
    with op.batch_alter_table("workplan_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workplan_report_activity_id"))

    op.drop_table("workplan_report")
    with op.batch_alter_table("agreement_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_evaluation_agreement_id"))

    op.drop_table("agreement_evaluation")
