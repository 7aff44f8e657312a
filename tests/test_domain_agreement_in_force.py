"""One rule for "the agreement is in force on a day": matching, slot publishing and booking."""

from __future__ import annotations

from datetime import date

import pytest

from portal import clock
from portal.agreements.addenda import AddendumInput, confirm_addendum, propose_addendum
from portal.agreements.services import agreement_active_on, validity
from portal.placements.engine import rank_for
from portal.placements.services import book_placement
from portal.refusals import Refused
from portal.slots.services import publish_slot
from tests import factories as f
from tests.factories import bearer

AFTER_EXPIRY = date(2026, 11, 28)  # the Ngawi NK was signed 27-11-2025 for one year


@pytest.fixture
def expired(db):  # noqa: ANN001, ANN201
    """The day after the Ngawi agreement ends; a slot and a client that fit otherwise."""
    clock.freeze(AFTER_EXPIRY)
    slot = f.make_slot(valid_until=date(2027, 5, 31))
    draft = f.make_slot(valid_until=date(2027, 5, 31), status="draft")
    client = f.make_client(start_date=AFTER_EXPIRY, deadline=date(2027, 5, 27))
    db.session.commit()
    return slot, draft, client


def _codes(ranking, slot_id: int) -> list[str]:  # noqa: ANN001
    for x in ranking.excluded():
        if x.slot.id == slot_id:
            return [v.code for v in x.violations]
    return []


def _offered(client) -> set[int]:  # noqa: ANN001
    return {e.slot.id for e in rank_for(client)[1].eligible()}


def test_day_after_expiry_is_out_of_force(expired):
    ngawi = expired[0].agreement
    assert agreement_active_on(ngawi, date(2026, 11, 27))
    assert not agreement_active_on(ngawi)
    assert validity(ngawi).is_active is agreement_active_on(ngawi) is False


def test_expired_agreement_refuses_matching_booking_and_publishing(expired, user, client):
    slot, draft, klien = expired
    assert slot.id not in _offered(klien)
    assert _codes(rank_for(klien)[1], slot.id) == ["AGREEMENT_NOT_ACTIVE"]
    with pytest.raises(Refused) as broken:
        book_placement(klien, slot.id, AFTER_EXPIRY, slot.schedule, user("pk.madiun"))
    assert [v.code for v in broken.value.violations] == ["AGREEMENT_NOT_ACTIVE"]
    response = client.post(
        "/api/v1/placements",
        json={
            "client_id": klien.id,
            "slot_id": slot.id,
            "start_date": AFTER_EXPIRY.isoformat(),
            "schedule": slot.schedule,
        },
        headers=bearer("pk.madiun"),
    )
    assert response.status_code == 422
    assert "AGREEMENT_NOT_ACTIVE" in response.text
    with pytest.raises(Refused) as refused:
        publish_slot(user("opd.dinsos"), draft)
    assert "AGREEMENT_NOT_ACTIVE" in [r.code for r in refused.value.violations]


def test_addendum_extending_validity_offers_the_slot_again(expired, user, db):
    slot, draft, klien = expired
    proposal = propose_addendum(
        slot.agreement,
        AddendumInput(
            "ADD-01/2026",
            "ADD-P/01",
            AFTER_EXPIRY,
            date(2027, 11, 27),
            "Perpanjangan masa berlaku satu tahun.",
        ),
        user("kabapas.madiun"),
    )
    assert not agreement_active_on(slot.agreement)  # one party alone does not bind
    confirm_addendum(proposal, user("setda.ngawi"))
    db.session.flush()
    assert agreement_active_on(slot.agreement)
    assert slot.id in _offered(klien)
    publish_slot(user("opd.dinsos"), draft)
    placement = book_placement(klien, slot.id, AFTER_EXPIRY, slot.schedule, user("pk.madiun"))
    assert placement.status == "booked"
