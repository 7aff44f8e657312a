"""Rules that read other rows before they write hold under parallel requests.

Each test commits its own records through the application's engine (not the
rolled-back ``db`` fixture), starts threads with their own sessions and
connections behind a barrier, each inside a POST request as the portal serves
it, and checks what was stored. On PostgreSQL (the point of these tests)
without the client row lock (``portal.locking.lock_client``) every one of
these stores too much; on SQLite writing requests run one after another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from portal.attendance.services import AttendanceInput, record_attendance
from portal.clients.services import record_summons
from portal.extensions import db
from portal.models import (
    Attendance,
    AuditLog,
    Client,
    Closure,
    ConductCase,
    Placement,
    PlacementStatus,
    Slot,
    Summons,
    User,
)
from portal.models.attendance import recount_months
from portal.placements.services import (
    book_placement,
    decide_placement,
)
from portal.slots.services import update_slot
from portal.supervision.services import close_case
from tests.committed import World, race

pytestmark = pytest.mark.commits

WEEKDAYS = [{"weekday": d, "start": "08:00", "end": "16:00"} for d in range(5)]
WORK_DAY = date(2026, 5, 20)  # a Wednesday before the frozen today (1 June 2026)
THREADS = 10


@pytest.fixture
def world(app: Flask, committed_world: World) -> dict[str, Any]:
    """Committed slots, clients and an accepted placement; everything removed afterwards."""
    with app.app_context():
        w = committed_world.open()
        w.letter_pattern("W15.PAS.PAS42-PK.01.05.02-{seq}")  # closures number their letters
        slots = [w.slot(f"Serentak {i}", capacity=10) for i in range(THREADS)]
        worker = w.client(0)
        short = w.client(1, hours_ordered=4)  # owes only 4 hours
        waiting = w.client(2)  # for parallel bookings
        placements = [w.placement(c, slots[0]) for c in (worker, short)]
        db.session.commit()
        return {
            "slots": [s.id for s in slots],
            "worker": worker.id,
            "short": short.id,
            "waiting": waiting.id,
            "worker_placement": placements[0].id,
            "short_placement": placements[1].id,
            "pk": w.pk.id,
            "opd_admin": w.user("opd.dinsos").id,
        }


def in_parallel(app: Flask, jobs: list[Callable[[], Any]]) -> list[str]:
    """Run each job in its own thread, session and transaction, all released at once.

    A job returns normally (committed: "ok") or raises a refusal ("refused");
    anything else is reported as an error.
    """
    outcomes = race(app, jobs, request="/api/v1/placements")
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert len(outcomes) == len(jobs)
    return outcomes


def _attend(placement_id: int, user_id: int, day: date, start: int, hours: int) -> Callable:
    def job() -> None:
        placement = db.session.get(Placement, placement_id)
        user = db.session.get(User, user_id)
        entry = AttendanceInput(day, time(start), time(start + hours), "Menyapu halaman")
        record_attendance(placement, entry, user)

    return job


def _stored(app: Flask, placement_id: int) -> list[Attendance]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Attendance)
                .where(Attendance.placement_id == placement_id)
                .order_by(Attendance.time_in)
            )
        )
        db.session.remove()
        return rows


def _clear_attendance(app: Flask, placement_id: int) -> None:
    with app.app_context():
        db.session.execute(delete(Attendance).where(Attendance.placement_id == placement_id))
        recount_months(db.session.connection(), [placement_id])  # a bulk delete bypasses it
        db.session.commit()
        db.session.remove()


def test_parallel_attendance_never_stores_more_than_8_hours_a_day(
    app: Flask, world: dict[str, Any]
) -> None:
    """Ten simultaneous 5-hour records, 100 times: at most 8 hours and no overlap stored."""
    placement, pk = world["worker_placement"], world["pk"]
    # SQLite runs the writers one after another (slowly): fewer rounds prove it there.
    rounds = 100 if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else 10
    for _ in range(rounds):
        # 5-hour windows starting 06:00, 07:00, ... 15:00: each alone is lawful.
        jobs = [_attend(placement, pk, WORK_DAY, 6 + i, 5) for i in range(THREADS)]
        outcomes = in_parallel(app, jobs)
        rows = _stored(app, placement)
        assert sum(r.minutes for r in rows) <= 8 * 60, [(r.time_in, r.time_out) for r in rows]
        assert outcomes.count("ok") == len(rows) >= 1
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.time_out <= later.time_in, "overlapping windows stored"
        _clear_attendance(app, placement)


def test_parallel_short_records_stop_at_8_hours(app: Flask, world: dict[str, Any]) -> None:
    """Ten 2-hour records that do not overlap: exactly four (8 hours) are stored."""
    placement, pk = world["worker_placement"], world["pk"]
    for _ in range(10):
        jobs = [_attend(placement, pk, WORK_DAY, i * 2, 2) for i in range(THREADS)]
        outcomes = in_parallel(app, jobs)
        rows = _stored(app, placement)
        assert sum(r.minutes for r in rows) == 8 * 60
        assert outcomes.count("ok") == 4
        _clear_attendance(app, placement)


def test_parallel_records_never_exceed_the_hours_owed(app: Flask, world: dict[str, Any]) -> None:
    """A client who owes 4 hours: ten 2-hour records on ten days store 4 hours at most."""
    placement, pk = world["short_placement"], world["pk"]
    days = [date(2026, 5, d) for d in (4, 5, 6, 7, 8, 11, 12, 13, 14, 15)]
    for _ in range(10):
        jobs = [_attend(placement, pk, day, 8, 2) for day in days]
        in_parallel(app, jobs)
        rows = _stored(app, placement)
        assert sum(r.minutes for r in rows) == 4 * 60
        _clear_attendance(app, placement)


def test_parallel_bookings_of_one_client_give_one_placement(
    app: Flask, world: dict[str, Any]
) -> None:
    """One client booked into ten slots at once: one seat-holding placement results."""

    def book(slot_id: int) -> Callable:
        def job() -> None:
            client = db.session.get(Client, world["waiting"])
            actor = db.session.get(User, world["pk"])
            book_placement(client, slot_id, date(2026, 6, 1), WEEKDAYS, actor)

        return job

    outcomes = in_parallel(app, [book(s) for s in world["slots"]])
    assert outcomes.count("ok") == 1
    with app.app_context():
        held = db.session.scalar(
            select(func.count(Placement.id)).where(
                Placement.client_id == world["waiting"],
                Placement.status.in_(PlacementStatus.SEAT_HOLDING),
            )
        )
        assert held == 1


def test_parallel_decisions_on_a_booking_give_one_decision(
    app: Flask, world: dict[str, Any]
) -> None:
    """Accept and decline sent at once for one booking: one decision, one audit entry."""
    with app.app_context():
        client = db.session.get(Client, world["waiting"])
        actor = db.session.get(User, world["pk"])
        booked = book_placement(client, world["slots"][1], date(2026, 6, 1), WEEKDAYS, actor)
        db.session.commit()
        placement_id = booked.id
        db.session.remove()

    def decide(accept: bool) -> Callable:
        def job() -> None:
            placement = db.session.get(Placement, placement_id)
            actor = db.session.get(User, world["opd_admin"])
            decide_placement(placement, accept, "" if accept else "Kuota penuh", actor)

        return job

    outcomes = in_parallel(app, [decide(i % 2 == 0) for i in range(THREADS)])
    assert outcomes.count("ok") == 1
    with app.app_context():
        decisions = db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.object_type == "placement",
                AuditLog.object_id == str(placement_id),
                AuditLog.action.in_(["placement_accepted", "placement_declined"]),
            )
        )
        assert decisions == 1


def test_parallel_summons_stop_at_three(app: Flask, world: dict[str, Any]) -> None:
    """Six summons recorded at once: three stored, numbered 1, 2, 3; one violation opened."""

    def summon() -> None:
        client = db.session.get(Client, world["worker"])
        actor = db.session.get(User, world["pk"])
        record_summons(client, date(2026, 5, 20), "absent_without_reason", "", actor)

    outcomes = in_parallel(app, [summon for _ in range(6)])
    assert outcomes.count("ok") == 3
    with app.app_context():
        seqs = db.session.scalars(
            select(Summons.seq).where(Summons.client_id == world["worker"]).order_by(Summons.seq)
        ).all()
        assert seqs == [1, 2, 3]
        cases = db.session.scalar(
            select(func.count(ConductCase.id)).where(ConductCase.client_id == world["worker"])
        )
        assert cases == 1


def test_a_capacity_cut_and_a_booking_at_once_never_overfill_the_slot(
    app: Flask, world: dict[str, Any]
) -> None:
    """The OPD lowers a slot to the seats in use while a PK books the next one: never over."""
    slot_id = world["slots"][0]  # two seats held by the fixture's placements

    def cut() -> None:
        slot = db.session.get(Slot, slot_id)
        update_slot(db.session.get(User, world["opd_admin"]), slot, {"capacity": 2})

    def book() -> None:
        client = db.session.get(Client, world["waiting"])
        book_placement(
            client, slot_id, date(2026, 6, 1), WEEKDAYS, db.session.get(User, world["pk"])
        )

    for _ in range(30):
        in_parallel(app, [cut, book])
        with app.app_context():
            slot = db.session.get(Slot, slot_id)
            held = db.session.scalar(
                select(func.count(Placement.id)).where(
                    Placement.slot_id == slot_id,
                    Placement.status.in_(PlacementStatus.SEAT_HOLDING),
                )
            )
            assert held <= slot.capacity, (held, slot.capacity)
            db.session.execute(delete(Placement).where(Placement.client_id == world["waiting"]))
            slot.capacity = 10
            db.session.commit()
            db.session.remove()


def test_parallel_closures_get_distinct_register_numbers(app: Flask, world: dict[str, Any]) -> None:
    """Three cases of one Bapas closed at once: three register and letter numbers, in turn."""

    def close(client_id: int) -> Callable:
        def job() -> None:
            client = db.session.get(Client, client_id)
            actor = db.session.get(User, world["pk"])
            close_case(client, "died", date(2026, 5, 30), "Klien meninggal dunia (uji).", "", actor)

        return job

    clients = [world["worker"], world["short"], world["waiting"]]
    outcomes = in_parallel(app, [close(c) for c in clients])
    assert outcomes == ["ok"] * 3
    with app.app_context():
        seqs = sorted(
            db.session.scalars(select(Closure.register_seq).where(Closure.client_id.in_(clients)))
        )
        assert len(set(seqs)) == 3
        assert seqs == list(range(seqs[0], seqs[0] + 3))
        letters = db.session.scalars(
            select(Closure.letter_number).where(Closure.client_id.in_(clients))
        ).all()
        assert len(set(letters)) == 3
        assert all(letters)
