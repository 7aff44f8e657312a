"""Addenda under parallel requests (PostgreSQL): one proposal at a time, one confirmation.

Real commits from several connections at once, so this does not use the rolled-back
``db`` fixture; it commits through the application's engine and cleans up afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal import clock
from portal.agreements.addenda import (
    AddendumInput,
    confirm_addendum,
    propose_addendum,
)
from portal.extensions import db
from portal.models import Addendum, Agreement, AuditLog, Slot, User
from tests.committed import World, needs_postgresql, race

pytestmark = pytest.mark.postgres

THREADS = 6
TODAY = date(2026, 11, 30)


def _data(n: int) -> AddendumInput:
    return AddendumInput(
        f"ADD-PARALEL/{n}", f"ADD-P/{n}", TODAY, date(2027, 11, 27), "Perpanjangan satu tahun."
    )


@pytest.fixture
def ngawi(app: Flask, committed_world: World) -> Any:
    """The Ngawi agreement, expired on TODAY, with one slot that ended with it."""
    needs_postgresql(app)
    clock.freeze(TODAY)
    with app.app_context():
        w = committed_world.open()
        slot = w.slot(
            "Slot paralel",
            schedule=[{"weekday": 0, "start": "08:00", "end": "12:00"}],
            valid_from=date(2026, 1, 5),
        )
        db.session.commit()
        return {"agreement": w.agreement.id, "slot": slot.id}


def _race(app: Flask, work: Callable[[int], str]) -> list[str]:
    return sorted(race(app, [lambda n=n: work(n) for n in range(THREADS)]))


def test_parallel_proposals_leave_one_waiting(app: Flask, ngawi: Any) -> None:
    def propose(n: int) -> str:
        who = "kabapas.madiun" if n % 2 else "setda.ngawi"
        user = db.session.scalar(select(User).where(User.username == who))
        propose_addendum(db.session.get(Agreement, ngawi["agreement"]), _data(n), user)
        return "proposed"

    assert _race(app, propose) == ["proposed"] + ["refused"] * (THREADS - 1)
    with app.app_context():
        rows = db.session.scalars(
            select(Addendum).where(Addendum.agreement_id == ngawi["agreement"])
        ).all()
        assert [a.status for a in rows] == ["proposed"]


def test_parallel_confirmations_bind_once(app: Flask, ngawi: Any) -> None:
    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == "kabapas.madiun"))
        proposal = propose_addendum(db.session.get(Agreement, ngawi["agreement"]), _data(0), head)
        db.session.commit()
        addendum_id = proposal.id

    def confirm(_n: int) -> str:
        setda = db.session.scalar(select(User).where(User.username == "setda.ngawi"))
        confirm_addendum(db.session.get(Addendum, addendum_id), setda, extend_slots=True)
        return "confirmed"

    assert _race(app, confirm) == ["confirmed"] + ["refused"] * (THREADS - 1)
    with app.app_context():
        confirmations = db.session.scalars(
            select(AuditLog).where(
                AuditLog.action == "addendum_confirmed",
                AuditLog.object_id == str(ngawi["agreement"]),
            )
        ).all()
        assert len(confirmations) == 1
        assert db.session.get(Slot, ngawi["slot"]).valid_until == date(2027, 11, 27)
