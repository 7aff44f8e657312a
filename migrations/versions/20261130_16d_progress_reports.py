"""Progress reports to the Jaksa and the Hakim, with their numbered letters.

Revision ID: 20261130_16d
Revises: 20261130_16c
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16d"
down_revision = "20261130_16c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("prosecutor_office", sa.String(length=200), nullable=False),
        sa.Column("court", sa.String(length=160), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_progress_report_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letter_number.id"],
            name=op.f("fk_progress_report_letter_id_letter_number"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_progress_report_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
    )
    op.create_index(
        op.f("ix_progress_report_client_id"), "progress_report", ["client_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_progress_report_client_id"), table_name="progress_report")
    op.drop_table("progress_report")
