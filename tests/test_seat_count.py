"""The seats held kept on each slot (``Slot.occupied``) always equal a recount of the
placements holding a seat: after bookings, decisions, ends and changes of place, and
after parallel bookings and declines of one slot on PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db as _db
from portal.models import Client, Placement, PlacementStatus, Slot, User
from portal.placements.services import book_placement, change_status, decide_placement
from portal.refusals import Refused
from portal.sessions.changes import decide_change, propose_change
from tests import factories as f
from tests.committed import race
from tests.test_booking_concurrency import WEEKDAYS, committed  # noqa: F401 - fixture

REFUSALS = (ValueError, LookupError, Refused)


def kept(slot_ids: list[int]) -> dict[int, int]:
    rows = _db.session.execute(select(Slot.id, Slot.occupied).where(Slot.id.in_(slot_ids)))
    return dict(rows.all())


def recount(slot_ids: list[int]) -> dict[int, int]:
    rows = _db.session.execute(
        select(Placement.slot_id, func.count(Placement.id))
        .where(
            Placement.slot_id.in_(slot_ids),
            Placement.status.in_(PlacementStatus.SEAT_HOLDING),
        )
        .group_by(Placement.slot_id)
    ).all()
    return {sid: dict(rows).get(sid, 0) for sid in slot_ids}


def test_kept_seats_agree_with_a_recount_through_a_random_history(db):
    rng = random.Random(13)
    slots = [f.make_slot("NGAWI-DINSOS", capacity=3) for _ in range(2)]
    slots.append(f.make_slot("NGAWI-DLH", capacity=2))
    ids = [s.id for s in slots]
    clients = [f.make_client() for _ in range(10)]
    pk, dinsos, dlh = f.user("pk.madiun"), f.user("opd.dinsos"), f.user("opd.dlh")
    db.session.commit()
    assert kept(ids) == dict.fromkeys(ids, 0)
    done: dict[str, int] = {}

    def holding(*statuses: str) -> list[Placement]:
        return list(
            db.session.scalars(
                select(Placement)
                .where(Placement.slot_id.in_(ids), Placement.status.in_(statuses))
                .order_by(Placement.id)
            )
        )

    for _ in range(80):
        op = rng.choice(("book", "book", "decide", "end", "move"))
        try:
            with db.session.begin_nested():
                if op == "book":
                    klien = rng.choice(clients)
                    book_placement(klien, rng.choice(ids), date(2026, 6, 1), WEEKDAYS, pk)
                elif op == "decide" and (booked := holding(PlacementStatus.BOOKED)):
                    p = rng.choice(booked)
                    accept = rng.random() < 0.5
                    decide_placement(
                        p, accept, "" if accept else "Lokasi penuh minggu ini.", dinsos
                    )
                elif op == "end" and (working := holding("accepted", "active")):
                    p = rng.choice(working)
                    if p.status == "accepted" and rng.random() < 0.5:
                        change_status(p, "active", "", pk)
                    else:
                        change_status(p, "ended", "Tidak hadir tanpa alasan.", pk)
                elif op == "move" and (working := holding("accepted", "active")):
                    p = rng.choice(working)
                    target = rng.choice([s for s in ids if s != p.slot_id])
                    change = propose_change(p, target, WEEKDAYS, "Lokasi lama ditutup.", pk)
                    opd_user = dlh if target == slots[2].id else dinsos
                    decide_change(change, True, "", opd_user)
                else:
                    continue
        except REFUSALS:
            pass
        else:
            done[op] = done.get(op, 0) + 1
        assert kept(ids) == recount(ids), op
    # The history really took, freed and moved seats.
    assert done.get("book", 0) >= 5
    assert done.get("decide", 0) >= 3
    assert done.get("end", 0) >= 2
    assert done.get("move", 0) >= 1


def test_a_deleted_placement_frees_its_seat(db):
    slot = f.make_slot(capacity=2)
    placement = f.make_placement(slot=slot, status="booked")
    db.session.commit()
    assert kept([slot.id]) == {slot.id: 1}
    db.session.delete(placement)
    db.session.flush()
    assert kept([slot.id]) == {slot.id: 0}


@pytest.mark.postgres
def test_parallel_bookings_and_declines_keep_the_count(app: Flask, committed: Any) -> None:  # noqa: F811
    """Eight bookings then eight declines of one slot at once: the kept count stays exact."""
    with app.app_context():
        _db.session.get(Slot, committed["slot"]).capacity = 5
        _db.session.commit()
    clients = committed["clients"]

    def run_all(work: Any) -> list[str]:
        return race(app, [lambda c=c: work(c) for c in clients], refused="Refused")

    def book(client_id: int) -> None:
        actor = _db.session.get(User, committed["pk"])
        book_placement(_db.session.get(Client, client_id), committed["slot"], date(2026, 6, 1),
                       WEEKDAYS, actor)  # fmt: skip

    booked = run_all(book)
    assert sorted(booked) == ["Refused"] * 3 + ["ok"] * 5
    with app.app_context():
        assert kept([committed["slot"]]) == recount([committed["slot"]]) == {committed["slot"]: 5}
        opd_admin = _db.session.scalar(select(User).where(User.username == "opd.dinsos")).id

    def decline(client_id: int) -> None:
        placement = _db.session.scalar(
            select(Placement).where(Placement.client_id == client_id, Placement.status == "booked")
        )
        if placement is None:
            return
        decide_placement(
            placement, False, "Slot ditutup sementara.", _db.session.get(User, opd_admin)
        )

    assert set(run_all(decline)) == {"ok"}
    with app.app_context():
        assert kept([committed["slot"]]) == recount([committed["slot"]]) == {committed["slot"]: 0}
