"""The letters about one record are found by an index.

A client's record lists the letters asking the Kejaksaan to complete his file: letters
found by the record they are about (object_type, object_id) and their kind. Without an
index each view read the whole letter register, which grows by every letter every Bapas
numbers (a progress report a month for each client).

Revision ID: 20261209_lo
Revises: 20261208_am
Create Date: 2026-12-09
"""

from alembic import op

revision = "20261209_lo"
down_revision = "20261208_am"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_letter_number_object", "letter_number", ["object_type", "object_id", "kind"]
    )


def downgrade():
    op.drop_index("ix_letter_number_object", table_name="letter_number")
