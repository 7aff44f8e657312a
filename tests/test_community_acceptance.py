"""LKjIP community acceptance: clients included by the RT head or the community in a
community activity ÷ all clients, from the activities the PK records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portal.models import CommunityActivity
from portal.monitoring import facts
from portal.monitoring import indicators as ind
from portal.refusals import Refused
from portal.supervision import services
from tests import factories
from tests.monitoring_fixture import build_world


def test_activity_is_recorded_with_who_included_the_client(db: Any) -> None:
    person = factories.make_client()
    pk = factories.user("pk.madiun")
    with pytest.raises(Refused) as refused:
        services.record_community_activity(person, date(2026, 6, 2), "Kerja bakti", "RT 03", pk)
    assert "held_on" in refused.value.fields
    with pytest.raises(Refused) as refused:
        services.record_community_activity(person, date(2026, 5, 30), "Kerja bakti", "", pk)
    assert "included_by" in refused.value.fields
    entry = services.record_community_activity(
        person, date(2026, 5, 30), "Kerja bakti membersihkan saluran", "Ketua RT 03", pk
    )
    assert entry.included_by == "Ketua RT 03"
    services.close_case(person, "died", date(2026, 6, 1), "Meninggal dunia.", "", pk)
    with pytest.raises(Refused):
        services.record_community_activity(person, date(2026, 6, 1), "Ronda malam", "RT 03", pk)


def test_acceptance_indicator_counts_clients_with_an_activity(db: Any) -> None:
    world = build_world()
    start, end = ind.year_period(2026)
    filters = ind.Filters(agreement_ids=(world.agreement.id,), start=start, end=end)
    before = facts.summarise(db.session, filters)
    assert before.clients_total == 5
    assert before.clients_in_community == 0
    assert before.community_acceptance_percent == 0.0
    pk = factories.user("pk.madiun")
    for key, day in (("C1", date(2026, 3, 1)), ("C2", date(2026, 4, 1)), ("C2", date(2026, 5, 1))):
        db.session.add(
            CommunityActivity(
                client_id=world.clients[key].id,
                held_on=day,
                activity="Kerja bakti",
                included_by="Ketua RT",
                recorded_by_id=pk.id,
            )
        )
    # An activity of a client outside the cohort (C6, received in 2025) does not count.
    db.session.add(
        CommunityActivity(
            client_id=world.clients["C6"].id,
            held_on=date(2026, 3, 1),
            activity="Ronda",
            included_by="Ketua RT",
        )
    )
    db.session.flush()
    after = facts.summarise(db.session, filters)
    assert after.clients_in_community == 2  # C2 twice counts once
    assert after.community_acceptance_percent == 40.0
    view = ind.public_view(after)
    assert view["community_acceptance_percent"] == 40.0
    assert view["clients_in_community"] == "< 3"  # a count of persons below 3 is hidden


def test_pages_record_and_show_the_indicator(client: Any, db: Any, login_as: Any) -> None:
    person = factories.make_client()
    factories.make_supervised_placement(person)
    login_as("pk.madiun")
    response = client.post(
        f"/pengawasan/klien/{person.id}/kegiatan-masyarakat",
        data={"held_on": "2026-05-30", "activity": "Kerja bakti kampung", "included_by": "RT 03"},
    )
    assert response.status_code == 302
    page = client.get(f"/pengawasan/klien/{person.id}").get_data(as_text=True)
    assert "Kerja bakti kampung" in page
    assert "diikutsertakan oleh RT 03" in page
    login_as("kabapas.madiun")
    monitoring = client.get("/monitoring/").get_data(as_text=True)
    assert 'id="community-acceptance"' in monitoring
    assert "Penerimaan masyarakat (LKjIP)" in monitoring
