"""The whole demo (`flask demo`): one coherent fictitious story, loaded twice without change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from portal import clock
from portal.demo import load_demo
from portal.law import MAX_DAILY_MINUTES
from portal.models import (
    Assessment,
    Attendance,
    Client,
    Closure,
    ConductCase,
    Placement,
    Slot,
    WorkplanReport,
)

TODAY = date(2026, 11, 23)  # four days before the Ngawi agreement expires (a demo addendum)
TABLES = (Slot, Client, Placement, Attendance, Assessment, ConductCase, Closure, WorkplanReport)


def _counts(db: Any) -> dict[str, int]:
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_demo_twice_changes_nothing(db: Any) -> None:
    clock.freeze(TODAY)
    load_demo()
    first = _counts(db)
    load_demo()
    assert _counts(db) == first
    assert first["Client"] >= 9
    assert first["Attendance"] > 20


def test_demo_story_key_facts(db: Any) -> None:
    clock.freeze(TODAY)
    load_demo()
    clients = {c.full_name: c for c in db.session.scalars(select(Client))}
    assert all("(Demo)" in name for name in clients)

    def placement(name: str) -> Placement:
        return db.session.scalars(
            select(Placement).where(Placement.client_id == clients[name].id)
        ).one()

    # waiting: the doctor convicted of malpractice has no placement
    assert not db.session.scalars(
        select(Placement).where(Placement.client_id == clients["dr. Bagus Hartono (Demo)"].id)
    ).all()
    # booked, waiting for the OPD
    for name in ("Wulan Sari (Demo)", "Yanto Prabowo (Demo)", "Fajar Nugroho (Demo)"):
        assert placement(name).status == "booked"
    # at work, verified and unverified attendance; the PJ of Dinas Sosial has some to verify
    for name in ("Joko Santoso (Demo)", "Sri Wahyuni (Demo)", "Rudi Hermawan (Demo)"):
        records = db.session.scalars(
            select(Attendance).where(Attendance.placement_id == placement(name).id)
        ).all()
        assert placement(name).status == "active"
        assert any(r.verified for r in records)
        assert any(not r.verified for r in records)
    sri = placement("Sri Wahyuni (Demo)")
    assert sri.slot.supervisor_user.username == "pj.dinsos"
    # a violation case in progress
    case = db.session.scalars(select(ConductCase)).one()
    assert case.client.full_name == "Rudi Hermawan (Demo)"
    assert case.kind == "violation"
    assert case.status == "team_proposed"
    # closed as served, with its register number
    closure = db.session.scalars(select(Closure)).one()
    assert closure.client.full_name == "Andi Firmansyah (Demo)"
    assert closure.reason == "served"
    assert closure.register_number.startswith("001/REG.PKS/MDN/")
    assert closure.minutes_verified >= closure.client.hours_ordered * 60
    # published slots at several Ngawi OPDs, some seats used
    published = db.session.scalars(select(Slot).where(Slot.status == "published")).all()
    assert len({s.opd_id for s in published}) >= 4
    assert db.session.scalar(select(func.count(WorkplanReport.id))) >= 5


def test_demo_dates_keep_the_law(db: Any) -> None:
    clock.freeze(TODAY)
    load_demo()
    for client in db.session.scalars(select(Client)):
        assert client.hours_ordered <= 240
        assert client.start_date <= TODAY
        assert client.deadline <= client.start_date + timedelta(days=184)
    per_day: dict[tuple[int, date], int] = {}
    for record in db.session.scalars(select(Attendance)):
        assert record.work_date <= TODAY
        assert record.work_date >= record.placement.start_date
        key = (record.placement.client_id, record.work_date)
        per_day[key] = per_day.get(key, 0) + record.minutes
    assert per_day
    assert max(per_day.values()) <= MAX_DAILY_MINUTES
    for closure in db.session.scalars(select(Closure)):
        assert closure.closed_on <= TODAY
    # Each placement was booked (and answered) before its work began, never after today.
    for placement in db.session.scalars(select(Placement)):
        booked = placement.booked_at.astimezone(clock.zone()).date()
        assert booked <= placement.start_date or placement.start_date > TODAY
        if placement.decided_at is not None:
            assert placement.booked_at <= placement.decided_at
            assert placement.decided_at.astimezone(clock.zone()).date() <= TODAY
