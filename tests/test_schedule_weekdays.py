"""A placement's weekdays kept with its schedule agree with the schedule, however written."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from portal.models import Placement
from portal.models.placement import schedule_weekdays
from tests import factories

MIGRATION = Path(__file__).parent.parent / "migrations/versions/20261205_at_schedule_weekdays.py"


def _random_schedule(rng: random.Random) -> list[dict[str, Any]]:
    """A week of 0-7 windows on random days, some days with two windows."""
    days = rng.sample(range(7), rng.randint(0, 7))
    # Forms and the API give the weekday as a number, some older rows as its text.
    windows = [
        {"weekday": d if rng.random() < 0.8 else str(d), "start": "08:00", "end": "10:00"}
        for d in days
    ]
    windows += [
        {"weekday": d, "start": "13:00", "end": "14:00"} for d in days if rng.random() < 0.3
    ]
    rng.shuffle(windows)
    return windows


def _kept(db: Any) -> list[tuple[int, list[dict[str, Any]]]]:
    db.session.expire_all()
    return list(db.session.execute(select(Placement.weekdays, Placement.schedule)))


def test_reference_definition() -> None:
    assert schedule_weekdays([]) == 0
    assert schedule_weekdays(None) == 0
    monday_and_sunday = [{"weekday": 6, "start": "08:00", "end": "09:00"}]
    monday_and_sunday += [{"weekday": "0", "start": "08:00", "end": "09:00"}] * 2
    assert schedule_weekdays(monday_and_sunday) == 1 + 64


def test_kept_weekdays_follow_random_schedules(db: Any) -> None:
    rng = random.Random(13)
    client, slot = factories.make_client(), factories.make_slot()
    # Booked with a schedule, then given other schedules, as a move to another schedule does.
    made = [
        factories.make_placement(client, slot, schedule=_random_schedule(rng)) for _ in range(20)
    ]
    for placement in made[::2]:
        placement.schedule = _random_schedule(rng)
    db.session.flush()
    # Rows written in bulk, without the ORM's objects.
    db.session.execute(
        insert(Placement),
        [
            dict(
                client_id=client.id,
                slot_id=slot.id,
                status="accepted",
                start_date=client.start_date,
                deadline=client.deadline,
                schedule=_random_schedule(rng),
                hours_planned=120,
            )
            for _ in range(20)
        ],
    )
    rows = _kept(db)
    assert len(rows) == 40
    assert len({w for w, _ in rows}) > 10
    assert all(weekdays == schedule_weekdays(schedule) for weekdays, schedule in rows)


def test_migration_fills_weekdays_as_the_reference(db: Any) -> None:
    spec = importlib.util.spec_from_file_location("weekdays_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    rng = random.Random(5)
    client, slot = factories.make_client(), factories.make_slot()
    for _ in range(30):
        factories.make_placement(client, slot, schedule=_random_schedule(rng))
    factories.make_placement(client, slot, schedule=None)  # kept as JSON null
    db.session.execute(update(Placement).values(weekdays=0))
    migration.fill_weekdays(db.session.connection())
    rows = _kept(db)
    assert len({w for w, _ in rows}) > 10
    assert all(weekdays == schedule_weekdays(schedule) for weekdays, schedule in rows)
