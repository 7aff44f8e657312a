"""Violation records: a category chosen when recording; the third ignored summons opens one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.attendance.rules import FieldsInvalid
from portal.models import ConductCase
from portal.supervision import services
from tests import factories as f


def test_a_violation_needs_a_known_category(db):
    klien, pk = f.make_client(), f.user("pk.madiun")
    for category in ("", "mencuri_waktu"):
        with pytest.raises(FieldsInvalid) as refused:
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
    page = client.get(f"/pengawasan/klien/{klien.id}").text
    assert "Jenis pelanggaran" in page
    assert "Terlambat datang atau pulang" in page
    data = {"kind": "violation", "occurred_on": "2026-05-20", "description": "Pulang jam 10."}
    url = f"/pengawasan/klien/{klien.id}/perilaku"
    refused = client.post(url, data=data, follow_redirects=True)
    assert "Pilih jenis pelanggaran." in refused.text
    assert db.session.scalar(select(ConductCase)) is None
    saved = client.post(url, data={**data, "category": "late_or_early"}, follow_redirects=True)
    assert saved.status_code == 200
    case = db.session.scalar(select(ConductCase))
    assert (case.kind, case.category) == ("violation", "late_or_early")
    assert "Terlambat datang atau pulang sebelum waktunya" in saved.text
