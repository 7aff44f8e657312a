"""Seats held kept on the slot (slot.occupied), filled from the placements.

Revision ID: 20261130_13b
Revises: 20261130_17
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_13b"
down_revision = "20261130_17"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("slot") as batch:
        batch.add_column(sa.Column("occupied", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE slot SET occupied = (SELECT count(*) FROM placement"
        " WHERE placement.slot_id = slot.id"
        " AND placement.status IN ('booked', 'accepted', 'active'))"
    )


def downgrade():
    with op.batch_alter_table("slot") as batch:
        batch.drop_column("occupied")
