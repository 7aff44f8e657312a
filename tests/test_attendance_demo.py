"""The attendance demo builder works with or without demo placements and can run twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal.demo.attendance import build_attendance_demo
from portal.models import Assessment, Attendance
from tests import factories


def test_demo_without_placements_does_nothing(db: Any) -> None:
    build_attendance_demo()
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_demo_fills_recent_weeks_and_is_idempotent(db: Any) -> None:
    placement = factories.make_placement()  # a Dinas Sosial slot without a PJ account
    build_attendance_demo()
    assert placement.slot.supervisor_user_id == factories.user("pj.dinsos").id
    records = list(db.session.scalars(select(Attendance)))
    assert 10 <= len(records) <= 15  # three weeks of weekdays, one in seven left empty
    assert any(r.verified for r in records)
    assert any(not r.verified for r in records)
    assert db.session.scalar(select(func.count(Assessment.id))) == 1
    build_attendance_demo()
    assert db.session.scalar(select(func.count(Attendance.id))) == len(records)
