"""The demo builder: fictitious clients of Bapas Madiun, idempotent, booked where slots fit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal.demo.clients import DEMO_CLIENTS, build_demo_clients
from portal.models import Client, Placement
from tests import factories


def test_demo_clients_are_fictitious_idempotent_and_booked_when_slots_exist(
    db: Any, user: Any
) -> None:
    factories.make_slot(title="Taman (uji demo)", capacity=5)
    factories.make_slot(
        title="Dapur umum (uji demo)",
        category="social_institution",
        sector="social_care",
        facilities=["lactation_room", "child_care", "prayer_room"],
        capacity=5,
        schedule=[{"weekday": d, "start": "07:00", "end": "14:00"} for d in range(7)],
    )
    build_demo_clients()
    build_demo_clients()
    demo = db.session.scalars(select(Client).where(Client.decision_number.like("DEMO/%"))).all()
    assert len(demo) == len(DEMO_CLIENTS)
    assert all("(Demo)" in c.full_name for c in demo)
    assert {c.pk.username for c in demo} == {"pk.madiun", "pk2.madiun"}
    placed = db.session.scalars(
        select(Placement).where(Placement.client_id.in_([c.id for c in demo]))
    ).all()
    assert {p.status for p in placed} >= {"booked", "active"}  # accepted, then at work
    assert len(placed) == len({p.client_id for p in placed})
    # the doctor convicted of malpractice is left waiting, never in a hospital
    assert db.session.scalar(select(func.count(Placement.id))) == len(placed)


def test_demo_builder_tolerates_no_slots(db: Any) -> None:
    build_demo_clients()
    assert db.session.scalar(select(func.count(Placement.id))) == 0
    assert db.session.scalar(
        select(func.count(Client.id)).where(Client.decision_number.like("DEMO/%"))
    ) == len(DEMO_CLIENTS)
