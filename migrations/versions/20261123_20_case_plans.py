"""Case plans of placements (Lampiran I).

Revision ID: 20261123_20
Revises: 20261123_30
Create Date: 2026-11-23

Chained after issue-5's 20261123_30 on this branch so that there is one head; the
brief's down_revision was 20261123_04 before the other areas' migrations landed.
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_20"
down_revision = "20261123_30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("institution", sa.String(length=300), nullable=False),
        sa.Column("institution_kind", sa.String(length=20), nullable=False),
        sa.Column("total_hours", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column("supervisor", sa.Text(), nullable=False),
        sa.Column("work_description", sa.Text(), nullable=False),
        sa.Column("pk_visits", sa.Text(), nullable=False),
        sa.Column("counselling", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("special_needs", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_case_plan_placement_id_placement")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_case_plan_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_plan")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_case_plan_placement_id")),
    )


def downgrade():
    op.drop_table("case_plan")
