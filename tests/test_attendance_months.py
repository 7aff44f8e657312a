"""The verified minutes kept per placement and month (``AttendanceMonth``) always equal the
hours ledger's rule applied to the daily records (verified, not replaced by a correction):
through records, verifications and corrections of several placements over months, a
record added directly, and parallel verifications of one placement on PostgreSQL.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.attendance.services import (
    AttendanceInput,
    correct_attendance,
    record_attendance,
    verify_attendance,
)
from portal.extensions import db as _db
from portal.models import Attendance, AttendanceMonth, Placement, PlacementStatus, User
from portal.monitoring import facts
from portal.monitoring.indicators import Filters
from portal.refusals import Refused
from tests import factories as f
from tests.committed import World, needs_postgresql, race


def kept(placement_ids: list[int]) -> dict[tuple[int, int], tuple[date, int]]:
    rows = _db.session.execute(
        select(
            AttendanceMonth.placement_id,
            AttendanceMonth.month,
            AttendanceMonth.first_day,
            AttendanceMonth.minutes,
        ).where(AttendanceMonth.placement_id.in_(placement_ids))
    )
    return {(p, m): (d, n) for p, m, d, n in rows}


def reference(placement_ids: list[int]) -> dict[tuple[int, int], tuple[date, int]]:
    """The ledger's rule, day by day in Python."""
    months: dict[tuple[int, int], list[Attendance]] = defaultdict(list)
    for record in _db.session.scalars(
        select(Attendance).where(Attendance.placement_id.in_(placement_ids))
    ):
        if record.verified and record.superseded_by_id is None:
            key = (record.placement_id, record.work_date.year * 100 + record.work_date.month)
            months[key].append(record)
    return {
        key: (min(r.work_date for r in records), sum(r.minutes for r in records))
        for key, records in months.items()
    }


def test_kept_months_agree_with_the_records_through_a_random_history(db: Any) -> None:
    rng = random.Random(8)
    pk, pj = f.user("pk.madiun"), f.user("pj.dinsos")
    placements = [
        f.make_supervised_placement(
            f.make_client(start_date=date(2026, 1, 5), deadline=date(2026, 12, 31)),
            start_date=date(2026, 1, 5),
            deadline=date(2026, 12, 31),
            schedule=[{"weekday": d, "start": "07:00", "end": "17:00"} for d in range(7)],
        )
        for _ in range(3)
    ]
    ids = [p.id for p in placements]
    db.session.commit()
    first_day = date(2026, 1, 5)
    done: dict[str, int] = defaultdict(int)

    def records(**where: Any) -> list[Attendance]:
        query = select(Attendance).where(
            Attendance.placement_id.in_(ids), Attendance.superseded_by_id.is_(None)
        )
        for name, value in where.items():
            query = query.where(getattr(Attendance, name).is_(value))
        return list(db.session.scalars(query.order_by(Attendance.id)))

    def some_day() -> AttendanceInput:
        day = first_day + timedelta(days=rng.randrange(140))  # January to May
        start = rng.choice((7, 9, 13))
        return AttendanceInput(day, time(start, 0), time(start + rng.randint(1, 3), 0), "Menyapu")

    for _ in range(120):
        op = rng.choice(("record", "record", "verify", "verify", "correct", "direct"))
        try:
            with db.session.begin_nested():
                if op == "record":
                    record_attendance(rng.choice(placements), some_day(), pk)
                elif op == "verify" and (waiting := records(verified=False)):
                    verify_attendance(rng.choice(waiting), pj)
                elif op == "correct" and (live := records()):
                    record = rng.choice(live)
                    user = pj if record.verified and rng.random() < 0.5 else pk
                    correct_attendance(record, some_day(), "Jam pulang salah ketik.", user)
                elif op == "direct":
                    f.make_attendance(
                        rng.choice(placements),
                        work_date=date(2026, 6, rng.randint(2, 28)),
                        verified=True,
                    )
                else:
                    continue
        except Refused:
            pass
        else:
            done[op] += 1
        assert kept(ids) == reference(ids), op
    db.session.commit()
    assert kept(ids) == reference(ids)
    # The history verified, replaced and moved records over several months.
    assert done["record"] >= 20
    assert done["verify"] >= 15
    assert done["correct"] >= 10
    assert len({month for _, month in kept(ids)}) >= 4
    assert any(r.superseded_by_id for r in db.session.scalars(select(Attendance)))


def test_the_monitoring_counts_each_month_of_the_kept_minutes(db: Any) -> None:
    """What the dashboards show: a client's verified hours per month, and the day he began."""
    placement = f.make_supervised_placement()
    f.make_attendance(placement, work_date=date(2026, 3, 10), verified=True)
    f.make_attendance(placement, work_date=date(2026, 3, 3), verified=True, minutes=60)
    f.make_attendance(placement, work_date=date(2026, 4, 7), verified=True)
    f.make_attendance(placement, work_date=date(2026, 2, 2))  # not verified: not counted
    db.session.commit()
    slot = db.session.get(Placement, placement.id).slot
    filters = Filters(
        start=date(2026, 1, 1), end=date(2026, 6, 30), agreement_ids=(slot.agreement_id,)
    )
    loaded = facts.load_facts(db.session, filters)
    assert sorted((a.work_date, a.minutes) for a in loaded.attendance) == [
        (date(2026, 3, 3), 300),
        (date(2026, 4, 7), 240),
    ]
    (client,) = [c for c in loaded.clients if c.client_id == placement.client_id]
    assert client.first_verified_day == date(2026, 3, 3)
    assert client.verified_minutes == 540


@pytest.mark.postgres
def test_parallel_verifications_of_one_placement_keep_the_month_exact(
    app: Flask, committed_world: World
) -> None:
    """Ten records of one month verified at once, three times: the kept month counts all."""
    needs_postgresql(app)
    with app.app_context():
        world = committed_world.open()
        pj = world.user("pj.dinsos")
        slot = world.slot("Taman kota", supervisor_user_id=pj.id)
        placement = world.placement(world.client(1), slot, status=PlacementStatus.ACTIVE)
        _db.session.flush()
        pid = placement.id
        batches = [
            [
                f.make_attendance(placement, work_date=date(2026, 5, 1) + timedelta(days=n)).id
                for n in range(start, start + 10)
            ]
            for start in (0, 10, 20)
        ]
        _db.session.commit()
        pj_id = pj.id

    def verifying(record_id: int) -> Any:
        def job() -> None:
            record = _db.session.get(Attendance, record_id)
            verify_attendance(record, _db.session.get(User, pj_id))

        return job

    for n, batch in enumerate(batches, start=1):
        assert race(app, [verifying(r) for r in batch]) == ["ok"] * 10
        with app.app_context():
            assert kept([pid]) == reference([pid]) == {(pid, 202605): (date(2026, 5, 1), 2400 * n)}
            _db.session.remove()
