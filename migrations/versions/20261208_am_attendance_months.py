"""A placement's verified minutes per month, kept on every write of its attendance.

The monitoring's monthly totals per client and OPD summed a year of daily records on every
computation (on a province of 5 million records: 1.2 s for the admin's dashboard after
each saved change); they now read these few rows per placement. Filled here from the
records already saved.

Revision ID: 20261208_am
Revises: 20261207_id
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "20261208_am"
down_revision = "20261207_id"
branch_labels = None
depends_on = None


def upgrade():
    months = op.create_table(
        "attendance_month",
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["placement_id"], ["placement.id"]),
        sa.PrimaryKeyConstraint("placement_id", "month"),
    )
    attendance = sa.table(
        "attendance",
        sa.column("placement_id", sa.Integer()),
        sa.column("work_date", sa.Date()),
        sa.column("minutes", sa.Integer()),
        sa.column("verified", sa.Boolean()),
        sa.column("superseded_by_id", sa.Integer()),
    )
    work_month = sa.extract("year", attendance.c.work_date) * 100 + sa.extract(
        "month", attendance.c.work_date
    )
    counted = (
        sa.select(
            attendance.c.placement_id,
            work_month,
            sa.func.min(attendance.c.work_date),
            sa.func.sum(attendance.c.minutes),
        )
        .where(attendance.c.verified.is_(True), attendance.c.superseded_by_id.is_(None))
        .group_by(attendance.c.placement_id, work_month)
    )
    op.execute(
        sa.insert(months).from_select(["placement_id", "month", "first_day", "minutes"], counted)
    )


def downgrade():
    op.drop_table("attendance_month")
