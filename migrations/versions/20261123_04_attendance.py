"""Daily attendance.

Revision ID: 20261123_04
Revises: 20261123_03
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_04"
down_revision = "20261123_03"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("time_in", sa.Time(), nullable=False),
        sa.Column("time_out", sa.Time(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("photo_path", sa.String(length=300), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_attendance_placement_id_placement")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_attendance_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["attendance.id"],
            name=op.f("fk_attendance_superseded_by_id_attendance"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["user_account.id"],
            name=op.f("fk_attendance_verified_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_placement_id"), ["placement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_work_date"), ["work_date"], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_work_date"))
        batch_op.drop_index(batch_op.f("ix_attendance_placement_id"))
    op.drop_table("attendance")
