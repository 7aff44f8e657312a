"""Placement safeguards and the sentence: the slot's complaint channel, the client's
prayer-room request, offence date and replaced penalty, the Jaksa's answer.

Revision ID: 20261130_16
Revises: 20261130_14
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16"
down_revision = "20261130_14"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "slot",
        sa.Column("complaint_contact", sa.String(length=300), nullable=False, server_default=""),
    )
    op.add_column(
        "client",
        sa.Column("requests_prayer_room", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("client", sa.Column("offence_date", sa.Date(), nullable=True))
    op.add_column(
        "client",
        sa.Column("replaced_penalty_kind", sa.String(length=10), nullable=False, server_default=""),
    )
    op.add_column("client", sa.Column("replaced_penalty_months", sa.Integer(), nullable=True))
    op.add_column("client", sa.Column("replaced_penalty_amount", sa.BigInteger(), nullable=True))
    op.add_column(
        "conduct_case",
        sa.Column("jaksa_answer", sa.String(length=20), nullable=False, server_default=""),
    )
    op.add_column(
        "conduct_case",
        sa.Column("jaksa_letter_number", sa.String(length=120), nullable=False, server_default=""),
    )
    op.add_column("conduct_case", sa.Column("jaksa_answered_on", sa.Date(), nullable=True))


def downgrade():
    for column in ("jaksa_answered_on", "jaksa_letter_number", "jaksa_answer"):
        op.drop_column("conduct_case", column)
    for column in (
        "replaced_penalty_amount",
        "replaced_penalty_months",
        "replaced_penalty_kind",
        "offence_date",
        "requests_prayer_room",
    ):
        op.drop_column("client", column)
    op.drop_column("slot", "complaint_contact")
