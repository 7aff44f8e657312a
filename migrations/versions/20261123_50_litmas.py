"""Domain integration: the client's Litmas, assessments and recommendation to the judge;
violation categories; the summons flag replaced by the violation record.

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


def _client_table(name, *columns, user_fk):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        *columns,
        sa.Column(user_fk, sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f(f"fk_{name}_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            [user_fk], ["user_account.id"], name=op.f(f"fk_{name}_{user_fk}_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_client_id"), name, ["client_id"], unique=False)


def upgrade():
    _client_table(
        "litmas",
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("social_summary", sa.Text(), nullable=False),
        sa.Column("intervention_history", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("document_name", sa.String(length=80), nullable=True),
        sa.Column("document_original", sa.String(length=200), nullable=False),
        sa.Column("document_size", sa.Integer(), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        user_fk="written_by_id",
    )
    _client_table(
        "individual_assessment",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        user_fk="assessor_id",
    )
    _client_table(
        "judge_recommendation",
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("court", sa.String(length=160), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        user_fk="sent_by_id",
    )
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
    for name in ("judge_recommendation", "individual_assessment", "litmas"):
        op.drop_index(op.f(f"ix_{name}_client_id"), table_name=name)
        op.drop_table(name)
