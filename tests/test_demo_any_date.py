"""`flask demo` on any day: a living partnership, whatever the date it runs on.

The seeded Madiun–Ngawi agreement stays as signed (27-11-2025, one year); where it
has expired (or is about to) by the day the demo runs, the demo records a "(Demo)"
addendum agreed by both parties; slots run from before today to months ahead; the
story's placements, attendance, violation case and closure sit in the past weeks; every
running placement has its sessions: the past ones with their outcomes, the coming ones planned.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.agreements.services import agreement_active_on
from portal.demo import load_demo
from portal.demo.agreements import demo_agreement
from portal.models import (
    Addendum,
    Attendance,
    Client,
    Closure,
    ConductCase,
    Placement,
    Slot,
)
from portal.models.work_session import WorkSession
from portal.placements.engine import rank_for
from portal.sessions import rules as session_rules

DAYS = [
    date(2026, 1, 15),  # weeks after the agreement was signed
    date(2026, 6, 1),  # the agreement in force as signed: no addendum
    date(2026, 11, 30),  # three days after it expired
    date(2027, 3, 15),
    date(2028, 2, 29),
    date(2030, 12, 31),
    date(2034, 7, 1),  # years away
]
TABLES = (Addendum, Slot, Client, Placement, Attendance, ConductCase, Closure, WorkSession)


def _counts(db: Any) -> dict[str, int]:
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_demo_lives_on_any_day(db: Any, today: date) -> None:
    clock.freeze(today)
    load_demo()
    first = _counts(db)
    load_demo()
    assert _counts(db) == first, "a second run changes nothing"

    agreement = demo_agreement()
    assert agreement is not None
    # the seed stays as signed
    assert agreement.signed_on == date(2025, 11, 27)
    assert agreement.valid_until == date(2026, 11, 27)
    assert agreement_active_on(agreement, today)
    assert agreement.effective_valid_until >= today + timedelta(days=60)
    addenda = list(agreement.addenda)
    if today < date(2026, 9, 28):
        assert addenda == []
    else:
        (addendum,) = addenda
        assert "(Demo)" in addendum.number_bapas
        assert "(Demo)" in addendum.number_pemda
        assert addendum.in_force
        assert addendum.proposed_by.username == "kabapas.madiun"
        assert addendum.decided_by.username == "setda.ngawi"
        assert addendum.signed_on <= today

    published = db.session.scalars(select(Slot).where(Slot.status == "published")).all()
    assert len(published) >= 8
    for slot in published:
        # open since the story's first placements (never before the signing)
        assert slot.valid_from <= max(agreement.signed_on, today - timedelta(days=60))
        assert slot.valid_until >= today + timedelta(days=60)

    clients = {c.full_name: c for c in db.session.scalars(select(Client))}
    # a PK gets offers for the waiting client
    _slots, ranking = rank_for(clients["dr. Bagus Hartono (Demo)"])
    assert ranking.eligible()
    # placements at work, attendance in the past weeks, verified and unverified
    working = db.session.scalars(select(Placement).where(Placement.status == "active")).all()
    assert len(working) >= 3
    records = db.session.scalars(select(Attendance)).all()
    assert any(r.verified for r in records)
    assert any(not r.verified for r in records)
    assert all(r.work_date < today for r in records)
    assert any(r.work_date >= today - timedelta(days=7) for r in records)
    booked = db.session.scalars(select(Placement).where(Placement.status == "booked")).all()
    assert len(booked) >= 3
    # a violation case with the team's deadline still running
    case = db.session.scalars(select(ConductCase)).one()
    assert case.status == "team_proposed"
    assert case.team_deadline is not None
    assert case.team_deadline >= today
    # ... opened by the enforcement service from a session missed without reason
    (absence,) = db.session.scalars(
        select(WorkSession).where(WorkSession.conduct_case_id == case.id)
    ).all()
    assert absence.outcome == session_rules.UNACCEPTABLE_ABSENCE
    assert case.category == "absence"
    assert case.occurred_on == absence.session_date
    assert absence.session_date < today
    # a case closed last month
    closure = db.session.scalars(select(Closure)).one()
    assert today - timedelta(days=62) <= closure.closed_on <= today - timedelta(days=20)

    # every running placement has its sessions: the past weeks with outcomes, the days to come
    sessions = db.session.scalars(select(WorkSession)).all()
    for placement in working:
        mine = [s for s in sessions if s.placement_id == placement.id]
        assert any(s.session_date < today and s.outcome is not None for s in mine)
        # every day worked fills its planned session (the roster shows it as attended)
        for record in [r for r in records if r.placement_id == placement.id]:
            (session,) = [s for s in mine if s.attendance_id == record.id]
            assert session.session_date == record.work_date
            assert session.outcome == session_rules.ATTENDED
    for s in sessions:
        if s.outcome == session_rules.ATTENDED:
            assert s.attendance is not None
            assert s.attendance.work_date == s.session_date
        if s.session_date > today:
            assert s.outcome is None
    # a session whose outcome the site has not recorded: overdue for the PK and the Kepala Bapas
    assert any(
        s.session_date <= session_rules.overdue_until(today)
        and s.outcome is None
        and s.status == session_rules.PLANNED
        for s in sessions
    )
    # today's sessions, or the next working day's, wait on the roster
    next_day = today if today.weekday() < 5 else session_rules.add_working_days(today, 1)
    assert any(
        today <= s.session_date <= next_day and s.status == session_rules.PLANNED for s in sessions
    )


def test_demo_loaded_months_ago_comes_back_to_life(db: Any) -> None:
    """A demo database from September, run again after the expiry: the addendum moves its slots."""
    clock.freeze(date(2026, 9, 1))
    load_demo()
    agreement = demo_agreement()
    assert agreement.addenda == []
    ends = {s.valid_until for s in db.session.scalars(select(Slot))}
    assert ends == {date(2026, 11, 27)}
    clock.freeze(date(2026, 11, 30))
    load_demo()
    db.session.expire_all()
    assert agreement_active_on(agreement)
    assert {s.valid_until for s in db.session.scalars(select(Slot))} == {date(2027, 11, 27)}
