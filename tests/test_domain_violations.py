"""Violation records: a category chosen when recording; the third ignored summons opens one."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.models import ConductCase
from portal.refusals import Refused
from portal.supervision import services
from tests import factories as f


def test_a_violation_needs_a_known_category(db):
    klien, pk = f.make_client(), f.user("pk.madiun")
    for category in ("", "mencuri_waktu"):
        with pytest.raises(Refused) as refused:
            services.record_conduct(
                klien, "violation", date(2026, 5, 20), "Pulang jam sepuluh.", pk, category=category
            )
        assert refused.value.fields == {"category": ["Pilih jenis pelanggaran."]}
    good = services.record_conduct(
        klien, "good_conduct", date(2026, 5, 20), "Membantu warga.", pk, category="other"
    )
    assert good.category == ""  # good conduct has no violation type


def test_category_is_chosen_on_the_page(client, login_as, db):
    klien = f.make_client()
    f.make_supervised_placement(klien)
    db.session.commit()
    login_as("pk.madiun")
    url = f"/pengawasan/klien/{klien.id}/perilaku"
    record = client.get(f"/pengawasan/klien/{klien.id}").text
    assert f'href="{url}"' in record  # "Catat pelanggaran"
    assert f'href="{url}?jenis=baik"' in record  # "Catat perilaku baik"
    page = client.get(url).text
    assert "Jenis pelanggaran" in page
    assert "Terlambat datang atau pulang" in page
    data = {"kind": "violation", "occurred_on": "20-05-2026", "description": "Pulang jam 10."}
    refused = client.post(url, data=data)
    # The refusal stands beside the category; what was typed is still in the form.
    assert refused.status_code == 200
    assert "Pilih jenis pelanggaran." in refused.text
    assert "Pulang jam 10." in refused.text
    assert 'value="20-05-2026"' in refused.text
    assert db.session.scalar(select(ConductCase)) is None
    saved = client.post(url, data={**data, "category": "late_or_early"}, follow_redirects=True)
    assert saved.status_code == 200
    case = db.session.scalar(select(ConductCase))
    assert (case.kind, case.category) == ("violation", "late_or_early")
    assert "Terlambat datang atau pulang sebelum waktunya" in saved.text


def test_third_ignored_summons_is_one_violation_counted_once(db, client):
    from portal.clients.services import record_summons
    from portal.monitoring.facts import summarise
    from portal.monitoring.indicators import Filters, public_view
    from tests.factories import bearer

    klien = f.make_client(execution_order_date=date(2026, 4, 25))
    placement = f.make_placement(klien, f.make_slot())
    head = f.user("kabapas.madiun")
    for day in (11, 18, 25):
        record_summons(klien, date(2026, 5, day), "absent_without_reason", "", head)
    cases = db.session.scalars(select(ConductCase).where(ConductCase.client_id == klien.id)).all()
    assert [(c.kind, c.category, c.occurred_on) for c in cases] == [
        ("violation", "summons_ignored", date(2026, 5, 25))
    ]
    # It is a real violation record: the PK takes it through the team examination.
    services.propose_team(cases[0], "Tim PK Madiun", date(2026, 5, 26), f.user("pk.madiun"))
    assert cases[0].status == "team_proposed"

    period = Filters((placement.slot.agreement_id,), date(2026, 1, 1), date(2026, 12, 31))
    s = summarise(db.session, period)
    # Three ignored summonses, one violation record, one client breached.
    assert (s.clients_total, s.clients_without_breach) == (1, 0)
    assert s.violations_by_type == {"summons_ignored": 1}
    assert public_view(s)["violations_by_type"][0]["label"] == "Mangkir dari panggilan Kepala Bapas"
    db.session.commit()
    body = client.get(f"/api/v1/clients/{klien.id}", headers=bearer("pk.madiun")).json
    assert body["summons_violation"] is True


def test_answered_third_summons_opens_nothing(db):
    from portal.clients.services import record_summons

    klien, head = f.make_client(), f.user("kabapas.madiun")
    for day, outcome in ((11, "absent_without_reason"), (18, "absent_without_reason"),
                         (25, "absent_with_reason")):  # fmt: skip
        record_summons(klien, date(2026, 5, day), outcome, "", head)
    assert db.session.scalar(select(ConductCase)) is None


def test_good_conduct_is_recorded_from_its_own_button(client, login_as, db):
    klien = f.make_client()
    f.make_supervised_placement(klien)
    db.session.commit()
    login_as("pk.madiun")
    url = f"/pengawasan/klien/{klien.id}/perilaku"
    form = client.get(f"{url}?jenis=baik").text
    assert re.search(r'<input[^>]*checked[^>]*value="good_conduct"', form)
    saved = client.post(
        url,
        data={
            "kind": "good_conduct",
            "occurred_on": "20-05-2026",
            "description": "Membantu warga.",
        },
        follow_redirects=True,
    )
    assert "Perilaku baik dicatat." in saved.text
    assert "usulkan tim pemeriksa" not in saved.text
    case = db.session.scalar(select(ConductCase))
    assert (case.kind, case.status) == ("good_conduct", "recorded")
