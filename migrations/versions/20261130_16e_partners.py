"""Partners beyond the OPDs: kind, the PKS with the Bapas, the identification.

Revision ID: 20261130_16e
Revises: 20261130_16d
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_16e"
down_revision = "20261130_16d"
branch_labels = None
depends_on = None

COLUMNS = (
    ("kind", sa.String(length=20), "government"),
    ("pks_number", sa.String(length=120), ""),
    ("pks_scope", sa.Text(), ""),
    ("pks_document", sa.String(length=80), ""),
    ("identification_notes", sa.Text(), ""),
)


def upgrade():
    for name, type_, default in COLUMNS:
        op.add_column("opd", sa.Column(name, type_, nullable=False, server_default=default))
    with op.batch_alter_table("opd") as batch:
        batch.add_column(sa.Column("pks_bapas_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_opd_pks_bapas_id_bapas"), "bapas", ["pks_bapas_id"], ["id"]
        )
    op.add_column("opd", sa.Column("pks_signed_on", sa.Date(), nullable=True))
    op.add_column("opd", sa.Column("pks_valid_until", sa.Date(), nullable=True))
    op.add_column("opd", sa.Column("identified_on", sa.Date(), nullable=True))
    op.add_column(
        "opd",
        sa.Column(
            "identification_feasible", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade():
    for name in ("identification_feasible", "identified_on", "pks_valid_until", "pks_signed_on"):
        op.drop_column("opd", name)
    with op.batch_alter_table("opd") as batch:
        batch.drop_constraint(op.f("fk_opd_pks_bapas_id_bapas"), type_="foreignkey")
        batch.drop_column("pks_bapas_id")
    for name, _, _ in COLUMNS:
        op.drop_column("opd", name)
