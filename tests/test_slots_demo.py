"""Demo slots: inside Ngawi, meeting the publication rules, built once however often run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal.demo.slots import DEMO_SLOTS, build_demo_slots
from portal.models import Slot
from portal.refusals import Refused
from portal.slots.services import agreement_for_opd, enforce_rules


def test_demo_slots_are_idempotent_and_valid(db: Any) -> None:
    build_demo_slots()
    build_demo_slots()
    slots = list(db.session.scalars(select(Slot).where(Slot.title.contains("(Demo"))))
    assert len(slots) == len(DEMO_SLOTS)
    assert db.session.scalar(select(func.count(func.distinct(Slot.opd_id)))) >= 5
    for slot in slots:
        values = {k: getattr(slot, k) for k in ("title", "category", "place_type", "sector")}
        values.update(
            {
                k: getattr(slot, k)
                for k in (
                    "address", "lat", "lng", "capacity", "schedule", "valid_from",
                    "valid_until", "supervisor_name", "facilities", "risks",
                    "physical_risk_skill", "unpaid_confirmed", "complaint_contact",
                )
            }
        )  # fmt: skip
        publishing = slot.status == "published"
        try:
            enforce_rules(values, slot.opd, agreement_for_opd(slot.opd), 0, publishing=publishing)
        except Refused as refused:  # pragma: no cover - shows which rule failed
            raise AssertionError((slot.title, refused.text())) from refused
    assert {s.status for s in slots} == {"published", "draft"}
