"""Addenda agreed by both parties (NK Pasal 15): the Pemda's number, status, who
proposed and who decided, the signed scan, slots extended with the agreement.

Addenda recorded before stay in force (they were recorded as signed by both).

Revision ID: 20261130_10
Revises: 20261123_50
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_10"
down_revision = "20261123_50"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("addendum") as batch:
        batch.add_column(
            sa.Column("number_pemda", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("status", sa.String(length=20), nullable=False, server_default="in_force")
        )
        batch.add_column(
            sa.Column("proposed_party", sa.String(length=10), nullable=False, server_default="both")
        )
        batch.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("decision_note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("previous_valid_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("slots_extended", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("scan_name", sa.String(length=80), nullable=True))
        batch.add_column(
            sa.Column("scan_original", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("scan_size", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("scan_sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            op.f("fk_addendum_proposed_by_id_user_account"),
            "user_account",
            ["proposed_by_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_addendum_decided_by_id_user_account"),
            "user_account",
            ["decided_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("addendum") as batch:
        batch.drop_constraint(op.f("fk_addendum_decided_by_id_user_account"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_addendum_proposed_by_id_user_account"), type_="foreignkey")
        for name in (
            "scan_sha256",
            "scan_size",
            "scan_original",
            "scan_name",
            "slots_extended",
            "previous_valid_until",
            "decision_note",
            "decided_at",
            "decided_by_id",
            "proposed_at",
            "proposed_by_id",
            "proposed_party",
            "status",
            "number_pemda",
        ):
            batch.drop_column(name)
