"""Index of attendance by placement and verification: records still to verify, read fast.

Revision ID: 20261201_13c
Revises: 20261130_13b
Create Date: 2026-12-01
"""

from alembic import op

revision = "20261201_13c"
down_revision = "20261130_13b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_attendance_placement_id_verified", "attendance", ["placement_id", "verified"]
    )


def downgrade():
    op.drop_index("ix_attendance_placement_id_verified", table_name="attendance")
