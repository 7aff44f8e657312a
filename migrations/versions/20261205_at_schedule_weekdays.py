"""The weekdays of each placement's schedule kept as bits; indexes for today's attendance.

``placement.weekdays`` holds the weekdays the schedule has a window on (Monday = 1,
Tuesday = 2, ... Sunday = 64), filled here from the schedules: today's attendance finds
the day's placements without parsing every schedule. A Bapas side's working placements
with their site, weekdays and dates are read from one index, not from each row; the
records still to verify have an index of their own (a few among a year of verified ones).

Revision ID: 20261205_at
Revises: 20261205_pb
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "20261205_at"
down_revision = "20261205_pb"
branch_labels = None
depends_on = None


def fill_weekdays(connection: sa.Connection) -> None:
    """Set every placement's ``weekdays`` from its schedule (``schedule_weekdays``'s rule)."""
    if connection.dialect.name == "postgresql":
        # A schedule that is no list (JSON null) has no window.
        bits = (
            "SELECT coalesce(bit_or(1 << (w.value ->> 'weekday')::integer), 0)"
            " FROM json_array_elements(CASE json_typeof(placement.schedule)"
            " WHEN 'array' THEN placement.schedule ELSE '[]' END) AS w"
        )
    else:
        # The windows' distinct days each add their own bit: their sum is the bits' union.
        bits = (
            "SELECT coalesce(sum(DISTINCT 1 << CAST(json_extract(w.value, '$.weekday') AS INTEGER)), 0)"
            " FROM json_each(placement.schedule) AS w"
        )
    connection.execute(sa.text(f"UPDATE placement SET weekdays = ({bits})"))  # noqa: S608


def upgrade():
    op.add_column(
        "placement", sa.Column("weekdays", sa.Integer(), nullable=False, server_default="0")
    )
    fill_weekdays(op.get_bind())
    op.create_index(
        "ix_attendance_placement_id_to_verify",
        "attendance",
        ["placement_id", "verified", "superseded_by_id", "work_date", "time_in"],
        sqlite_where=sa.text("verified IS 0 AND superseded_by_id IS NULL"),
        postgresql_where=sa.text("verified IS false AND superseded_by_id IS NULL"),
    )
    op.create_index(
        "ix_placement_client_id_status_today",
        "placement",
        ["client_id", "status", "slot_id", "weekdays", "start_date", "deadline"],
    )


def downgrade():
    op.drop_index("ix_attendance_placement_id_to_verify", table_name="attendance")
    op.drop_index("ix_placement_client_id_status_today", table_name="placement")
    op.drop_column("placement", "weekdays")
