"""Case plans of placements (Lampiran I).

Revision ID: 20261123_20
Revises: 20261123_40
Create Date: 2026-11-23

Chain: 01 foundation, 02 slots, 03 clients and placements, 04 attendance, 10 API
tokens, 30 supervision, 40 monitoring, 20 case plans (the order they landed in).
"""

import sqlalchemy as sa
from alembic import op

revision = "20261123_20"
down_revision = "20261123_40"
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
