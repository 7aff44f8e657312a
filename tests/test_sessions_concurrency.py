"""Parallel sends of session outcomes (PostgreSQL): each outcome is applied once.

A phone that resends after a lost answer races its first send; the PK and the
PJ may record the same session at once; two absences of one client may arrive
together. Records are committed through the application's engine and removed
afterwards, as in test_booking_concurrency.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attendance, Bapas, ConductCase, User
from portal.models.work_session import OutcomeReceipt, WorkSession
from portal.sessions.services import OutcomeInput, record_outcome
from tests import factories as f
from tests.committed import World, needs_postgresql, race

pytestmark = pytest.mark.postgres
SENDERS = 6


@pytest.fixture
def committed(app: Flask, committed_world: World) -> Any:
    """A placement with two past sessions, committed; removed afterwards."""
    needs_postgresql(app)
    with app.app_context():
        committed_world.open()
        slot = f.make_slot("NGAWI-DINSOS", supervisor_user_id=f.user("pj.dinsos").id)
        client = f.make_client(code="MDN-2026-7701")
        placement = f.make_placement(client, slot)
        sessions = [
            WorkSession(
                placement_id=placement.id,
                client_id=client.id,
                session_date=day,
                start=time(8),
                end=time(12),
                minutes=240,
            )
            for day in (date(2026, 5, 28), date(2026, 5, 29))
        ]
        db.session.add_all(sessions)
        db.session.commit()
        ids = {
            "client": client.id,
            "placement": placement.id,
            "slot": slot.id,
            "sessions": [s.id for s in sessions],
        }
    return ids


def _run(app: Flask, jobs: list[Any]) -> list[str]:
    return race(app, jobs, refused="conflict")


def _send(session_id: int, key: str, who: str = "pj.dinsos") -> Any:
    def job() -> None:
        session = db.session.get(WorkSession, session_id)
        user = db.session.scalar(select(User).where(User.username == who))
        record_outcome(session, OutcomeInput("attended", time(8), time(12)), user, key)

    return job


def _attendance(placement_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.placement_id == placement_id)
    )


def test_resends_of_one_tap_apply_it_once(app: Flask, committed: Any) -> None:
    results = _run(app, [_send(committed["sessions"][0], "tap-1")] * SENDERS)
    assert results == ["ok"] * SENDERS
    with app.app_context():
        assert _attendance(committed["placement"]) == 1
        assert db.session.scalars(select(OutcomeReceipt.key)).all() == ["tap-1"]


def test_different_taps_at_once_one_wins_the_others_see_a_conflict(
    app: Flask, committed: Any
) -> None:
    sid = committed["sessions"][1]
    jobs = [_send(sid, f"phone-{i}") for i in range(SENDERS - 1)] + [_send(sid, "pk", "pk.madiun")]
    results = _run(app, jobs)
    assert sorted(results) == ["conflict"] * (SENDERS - 1) + ["ok"]
    with app.app_context():
        assert _attendance(committed["placement"]) == 1
        assert len(db.session.scalars(select(OutcomeReceipt.key)).all()) == 1


def test_two_absences_at_once_open_one_case(app: Flask, committed: Any) -> None:
    with app.app_context():
        db.session.scalar(select(Bapas).where(Bapas.code == "MDN")).absences_for_case = 2
        db.session.commit()

    def absent(session_id: int) -> Any:
        def job() -> None:
            session = db.session.get(WorkSession, session_id)
            pj = db.session.scalar(select(User).where(User.username == "pj.dinsos"))
            record_outcome(session, OutcomeInput("unacceptable_absence"), pj, f"abs-{session_id}")

        return job

    results = _run(app, [absent(i) for i in committed["sessions"]])
    assert results == ["ok", "ok"]
    with app.app_context():
        cases = db.session.scalars(
            select(ConductCase).where(ConductCase.client_id == committed["client"])
        ).all()
        assert len(cases) == 1
        assert cases[0].category == "absence"


def test_sessions_added_at_once_are_all_counted_on_their_placement(
    app: Flask, committed: Any
) -> None:
    """The placement's kept session count reads the sessions before it writes: parallel
    additions (a PK planning while another device does) must each be counted."""
    from datetime import timedelta

    from portal.models import Placement

    def add(n: int) -> Any:
        def job() -> None:
            db.session.add(
                WorkSession(
                    placement_id=committed["placement"],
                    client_id=committed["client"],
                    session_date=date(2026, 6, 1) + timedelta(days=n),
                    start=time(8),
                    end=time(12),
                    minutes=240,
                )
            )
            db.session.flush()

        return job

    assert _run(app, [add(n) for n in range(SENDERS)]) == ["ok"] * SENDERS
    with app.app_context():
        placement = db.session.get(Placement, committed["placement"])
        assert placement.session_count == 2 + SENDERS
