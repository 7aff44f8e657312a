"""Parallel bookings at the last seat of a slot: exactly one wins (PostgreSQL).

This test needs real commits from several connections at once, so it does not
use the rolled-back ``db`` fixture: it commits its own records through the
application's engine and deletes them afterwards.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import (
    Agreement,
    AuditLog,
    Bapas,
    Client,
    Notification,
    NotificationDelivery,
    Opd,
    Placement,
    Slot,
    User,
)
from portal.placements.services import book_placement
from portal.refusals import Refused

pytestmark = pytest.mark.postgres

WEEKDAYS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
BOOKERS = 8


@pytest.fixture
def committed(app: Flask) -> Any:
    """A one-seat slot and eight waiting clients, committed; removed afterwards."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
    with app.app_context():
        bapas = db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
        opd = db.session.scalar(select(Opd).where(Opd.code == "NGAWI-DINSOS"))
        agreement = db.session.scalar(
            select(Agreement).where(
                Agreement.bapas_id == bapas.id, Agreement.pemda_id == opd.pemda_id
            )
        )
        pk = db.session.scalar(select(User).where(User.username == "pk.madiun"))
        slot = Slot(
            opd_id=opd.id,
            agreement_id=agreement.id,
            title="Kursi terakhir",
            category="environment_cleaning",
            place_type="government",
            sector="environment",
            address="Ngawi",
            lat=-7.404,
            lng=111.446,
            capacity=1,
            schedule=WEEKDAYS,
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 11, 27),
            supervisor_name="PJ",
            facilities=[],
            risks=[],
            unpaid_confirmed=True,
            status="published",
        )
        db.session.add(slot)
        clients = []
        for i in range(BOOKERS):
            c = Client(
                bapas_id=bapas.id,
                code=f"MDN-2026-8{i:03d}",
                pk_id=pk.id,
                full_name=f"Paralel {i}",
                birth_date=date(1990, 1, 1),
                sex="L",
                address="Ngawi",
                home_lat=-7.39,
                home_lng=111.46,
                decision_number=f"P{i}",
                decision_date=date(2026, 5, 1),
                court="PN Ngawi",
                hours_ordered=100,
                start_date=date(2026, 6, 1),
                deadline=date(2026, 11, 27),
                offence="Uji",
                available=WEEKDAYS,
                skills=[],
            )
            db.session.add(c)
            clients.append(c)
        db.session.commit()
        ids = {"slot": slot.id, "clients": [c.id for c in clients], "pk": pk.id}
    yield ids
    with app.app_context():
        placement_ids = db.session.scalars(
            select(Placement.id).where(Placement.slot_id == ids["slot"])
        ).all()
        db.session.execute(
            delete(AuditLog).where(
                AuditLog.object_type == "placement",
                AuditLog.object_id.in_([str(i) for i in placement_ids]),
            )
        )
        # The winning booking told the OPD admins (notifications and their outbox rows).
        told = select(Notification.id).where(
            Notification.url.in_([f"/penempatan/{i}" for i in placement_ids])
        )
        db.session.execute(
            delete(NotificationDelivery).where(NotificationDelivery.notification_id.in_(told))
        )
        db.session.execute(delete(Notification).where(Notification.id.in_(told)))
        db.session.execute(delete(Placement).where(Placement.slot_id == ids["slot"]))
        db.session.execute(delete(Client).where(Client.id.in_(ids["clients"])))
        db.session.execute(delete(Slot).where(Slot.id == ids["slot"]))
        db.session.commit()


def test_parallel_bookings_at_the_last_seat_exactly_one_wins(app: Flask, committed: Any) -> None:
    barrier = threading.Barrier(BOOKERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(client_id: int) -> None:
        with app.app_context():  # its own session and connection
            client = db.session.get(Client, client_id)
            actor = db.session.get(User, committed["pk"])
            barrier.wait()
            try:
                book_placement(client, committed["slot"], date(2026, 6, 1), WEEKDAYS, actor)
                db.session.commit()
                result = "won"
            except Refused:
                db.session.rollback()
                result = "full"
            except Exception as err:  # noqa: BLE001 - reported in the assertion below
                db.session.rollback()
                result = f"error: {err!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(cid,)) for cid in committed["clients"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["full"] * (BOOKERS - 1) + ["won"]
    with app.app_context():
        held = db.session.scalars(
            select(Placement).where(Placement.slot_id == committed["slot"])
        ).all()
        assert len(held) == 1
