"""Letter numbers: the Bapas's numbering pattern and the register of numbers given.

Revision ID: 20261130_16b
Revises: 20261130_16
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16b"
down_revision = "20261130_16"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "bapas",
        sa.Column("letter_pattern", sa.String(length=120), nullable=False, server_default=""),
    )
    op.create_table(
        "letter_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bapas_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bapas_id"], ["bapas.id"], name=op.f("fk_letter_number_bapas_id_bapas")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["user_account.id"],
            name=op.f("fk_letter_number_assigned_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_number")),
        sa.UniqueConstraint("bapas_id", "year", "seq", name="uq_letter_number_seq"),
        sa.UniqueConstraint("bapas_id", "number", name="uq_letter_number_number"),
    )
    op.create_index(op.f("ix_letter_number_bapas_id"), "letter_number", ["bapas_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_letter_number_bapas_id"), table_name="letter_number")
    op.drop_table("letter_number")
    op.drop_column("bapas", "letter_pattern")
