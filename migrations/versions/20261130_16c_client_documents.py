"""The client's pas foto and court documents; what a numbered letter listed.

Revision ID: 20261130_16c
Revises: 20261130_16b
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16c"
down_revision = "20261130_16b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_client_document_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_client_document_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_document")),
    )
    op.create_index(
        op.f("ix_client_document_client_id"), "client_document", ["client_id"], unique=False
    )
    op.add_column(
        "letter_number",
        sa.Column("details", sa.JSON(), nullable=False, server_default="[]"),
    )


def downgrade():
    op.drop_column("letter_number", "details")
    op.drop_index(op.f("ix_client_document_client_id"), table_name="client_document")
    op.drop_table("client_document")
