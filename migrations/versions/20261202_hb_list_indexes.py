"""Indexes of the work lists' default orders: slots by last change within a Bapas's
agreements and within an OPD, an OPD's published slots by title and by facilities (the
Daftar Mitra); clients by code and by deadline within a Bapas
and a PK; a page of clients' placements by client and state.

Revision ID: 20261202_hb
Revises: 20261202_ha
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "20261202_hb"
down_revision = "20261202_ha"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_slot_agreement_id_updated_at", "slot", ["agreement_id", "updated_at", "status"]),
    ("ix_slot_opd_id_updated_at", "slot", ["opd_id", "updated_at", "id"]),
    ("ix_slot_opd_id_status_title", "slot", ["opd_id", "status", "title"]),
    (
        "ix_slot_opd_id_status_facilities",
        "slot",
        ["opd_id", "status", sa.text("CAST(facilities AS VARCHAR)"), "capacity"],
    ),
    ("ix_placement_client_id_status", "placement", ["client_id", "status"]),
    ("ix_client_bapas_id_code", "client", ["bapas_id", "code"]),
    ("ix_client_pk_id_code", "client", ["pk_id", "code"]),
    ("ix_client_bapas_id_deadline", "client", ["bapas_id", "deadline", "code"]),
    ("ix_client_pk_id_deadline", "client", ["pk_id", "deadline", "code"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
