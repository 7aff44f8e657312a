"""Today's attendance reads narrow rows: SQLite's plans of its statements use the indexes
meant for them (PostgreSQL chooses by its statistics: checked on the benchmark database)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text

from portal.attendance.today import today_list
from portal.extensions import db as _db
from tests import factories


def _plans(reader: Any, day: date) -> dict[str, str]:
    """The SQL of each statement ``today_list`` runs, with SQLite's plan of it."""
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: Any) -> None:
        statements.append((sql, params))

    engine = _db.session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        today_list(reader, day, 1)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    connection = _db.session.connection()
    return {
        sql: " | ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
        )
        for sql, params in statements
    }


def test_todays_statements_read_the_indexes_meant_for_them(db: Any) -> None:
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL plans by its statistics")
    slot = factories.make_slot()
    for _ in range(3):
        placement = factories.make_placement(slot=slot, status="active")
        factories.make_attendance(placement, work_date=date(2026, 5, 29))
    plans = _plans(factories.user("pk.madiun"), date(2026, 6, 1))
    cards = next(p for sql, p in plans.items() if "OVER ()" in sql and "slot.title" in sql)
    # The placements' site, weekdays and dates from the index, not from each row.
    assert "COVERING INDEX ix_placement_client_id_status_today" in cards
    waiting = next(p for sql, p in plans.items() if "OVER ()" in sql and "verified" in sql)
    # The records to verify from their own index, not from the index of every record.
    assert "COVERING INDEX ix_attendance_placement_id_to_verify" in waiting
    assert all("json_each" not in sql for sql in plans)
    assert db.session.scalar(text("SELECT count(*) FROM attendance")) == 3


def test_statements_built_once_follow_the_readers_scope(db: Any) -> None:
    """A reader's statements are built once and kept; a reader whose scope changes (here an
    OPD admin moved to another OPD) is read with statements of his new scope."""
    from portal.attendance.today import _reads

    dinsos = factories.make_placement(slot=factories.make_slot("NGAWI-DINSOS"), status="active")
    dlh_slot = factories.make_slot("NGAWI-DLH")
    dlh = factories.make_placement(slot=dlh_slot, status="active")
    admin = factories.user("opd.dinsos")
    day = date(2026, 6, 1)
    assert [p.id for p in today_list(admin, day, 1).page.items] == [dinsos.id]
    assert _reads(admin) is _reads(admin)
    admin.opd_id = dlh_slot.opd_id
    db.session.flush()
    assert [p.id for p in today_list(admin, day, 1).page.items] == [dlh.id]
