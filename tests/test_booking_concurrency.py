"""Parallel bookings at the last seat of a slot: exactly one wins (PostgreSQL).

This test needs real commits from several connections at once, so it does not
use the rolled-back ``db`` fixture: it commits its own records through the
application's engine and deletes them afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Client, Placement, User
from portal.placements.services import book_placement
from tests.committed import World, needs_postgresql, race

pytestmark = pytest.mark.postgres

WEEKDAYS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
BOOKERS = 8


@pytest.fixture
def committed(app: Flask, committed_world: World) -> Any:
    """A one-seat slot and eight waiting clients, committed; removed afterwards."""
    needs_postgresql(app)
    with app.app_context():
        w = committed_world.open(series="8")
        slot = w.slot("Kursi terakhir", schedule=WEEKDAYS)
        clients = [
            w.client(
                i,
                decision_date=date(2026, 5, 1),
                hours_ordered=100,
                start_date=date(2026, 6, 1),
                deadline=date(2026, 11, 27),
                available=WEEKDAYS,
            )
            for i in range(BOOKERS)
        ]
        db.session.commit()
        return {"slot": slot.id, "clients": [c.id for c in clients], "pk": w.pk.id}


def test_parallel_bookings_at_the_last_seat_exactly_one_wins(app: Flask, committed: Any) -> None:
    def book(client_id: int) -> str:
        client = db.session.get(Client, client_id)
        actor = db.session.get(User, committed["pk"])
        book_placement(client, committed["slot"], date(2026, 6, 1), WEEKDAYS, actor)
        return "won"

    outcomes = race(app, [lambda c=c: book(c) for c in committed["clients"]], refused="full")
    assert sorted(outcomes) == ["full"] * (BOOKERS - 1) + ["won"]
    with app.app_context():
        held = db.session.scalars(
            select(Placement).where(Placement.slot_id == committed["slot"])
        ).all()
        assert len(held) == 1
