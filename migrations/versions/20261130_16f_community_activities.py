"""Community activities of clients (LKjIP community acceptance).

Revision ID: 20261130_16f
Revises: 20261130_16e
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16f"
down_revision = "20261130_16e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "community_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("included_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_community_activity_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_community_activity_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_activity")),
    )
    op.create_index(
        op.f("ix_community_activity_client_id"), "community_activity", ["client_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_community_activity_client_id"), table_name="community_activity")
    op.drop_table("community_activity")
