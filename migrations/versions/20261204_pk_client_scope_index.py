"""A PK's and a Bapas's scope from one index. Every list of a PK starts from his clients in
his Bapas (``client.pk_id = ? AND client.bapas_id = ?``); on (pk_id) alone each client's row
was read to check its Bapas, and on (bapas_id) to check the status the supervision list
leaves out. (pk_id, bapas_id, status) replaces (pk_id) and (bapas_id, status) replaces
(bapas_id): the client counts, and the clients placements, sessions and attendance are found
through, come from the index.

Revision ID: 20261204_pk
Revises: 20261203_pl
Create Date: 2026-12-04
"""

from alembic import op

revision = "20261204_pk"
down_revision = "20261203_pl"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_client_pk_id_bapas_id_status", "client", ["pk_id", "bapas_id", "status"])
    op.drop_index("ix_client_pk_id", table_name="client")
    op.create_index("ix_client_bapas_id_status", "client", ["bapas_id", "status"])
    op.drop_index("ix_client_bapas_id", table_name="client")


def downgrade():
    op.create_index("ix_client_bapas_id", "client", ["bapas_id"])
    op.drop_index("ix_client_bapas_id_status", table_name="client")
    op.create_index("ix_client_pk_id", "client", ["pk_id"])
    op.drop_index("ix_client_pk_id_bapas_id_status", table_name="client")
