"""The audit log remembers the request that caused each event (X-Request-ID).

Revision ID: 20261130_17
Revises: 20261130_12
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "20261130_17"
down_revision = "20261130_12"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_audit_log_request_id"), ["request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index(batch.f("ix_audit_log_request_id"))
        batch.drop_column("request_id")
