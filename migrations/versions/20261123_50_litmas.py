"""Domain integration: violation categories (and, below, the client's Litmas records).

Revision ID: 20261123_50
Revises: 20261123_20
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_50"
down_revision = "20261123_20"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "conduct_case",
        sa.Column("category", sa.String(length=30), nullable=False, server_default=""),
    )
    # Violations recorded before categories existed count as "other".
    op.execute("UPDATE conduct_case SET category = 'other' WHERE kind = 'violation'")
    # The third ignored summons now opens a violation record (category summons_ignored);
    # the client's flag was a second copy of that fact.
    op.drop_column("client", "summons_violation")


def downgrade():
    op.add_column(
        "client",
        sa.Column("summons_violation", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.drop_column("conduct_case", "category")
