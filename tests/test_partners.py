"""Partners beyond the OPDs (Pedoman 2.1.2, Lampiran V): non-government places and Pokmas
Lipas under their own PKS with the Bapas, publishing slots as OPDs do, counted in the
LKjIP community empowerment indicator, with the identification report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal.matching.rules import check_placement
from portal.models import Opd, Pemda, Slot, User
from portal.monitoring.indicators import PksPartnerFact, SlotFact, partners_by_year
from portal.placements.engine import client_profile, slot_profile
from portal.refusals import Refused
from portal.slots.partners import PartnerData, pks_in_force, save_partner
from portal.slots.services import create_slot
from tests import factories
from tests.pdftools import pdf_page_png, pdf_words
from tests.test_slots_api import body as slot_body

TODAY = date(2026, 6, 1)


def partner_data(**changes: Any) -> PartnerData:
    ngawi = factories.db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    values: dict[str, Any] = {
        "name": "Yayasan Panti Asuhan Al-Ikhlas (fiktif)",
        "short_name": "Panti Al-Ikhlas",
        "kind": "non_government",
        "pemda_id": ngawi.id,
        "address": "Jl. Contoh No. 3, Ngawi",
        "phone": "0351-000000",
        "lat": -7.405,
        "lng": 111.447,
        "pks_bapas_id": factories.bapas("MDN").id,
        "pks_number": "W15.PAS.PAS42-HM.05.02-7",
        "pks_signed_on": date(2026, 1, 10),
        "pks_valid_until": date(2027, 1, 9),
        "pks_scope": "Penempatan klien pidana kerja sosial di dapur dan kebun panti.",
        "identified_on": date(2025, 12, 15),
        "identification_notes": "Dapur dan kebun, 3 klien, penanggung jawab pengurus harian.",
        "identification_feasible": True,
    }
    values.update(changes)
    return PartnerData(**values)


def partner_admin(partner: Opd) -> User:
    account = User(
        username=f"admin.{partner.code.lower()}",
        full_name="Admin Panti (fiktif)",
        role="opd_admin",
        opd_id=partner.id,
    )
    factories.db.session.add(account)
    factories.db.session.flush()
    return account


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pks_number": ""}, "pks_number"),
        ({"pks_valid_until": date(2025, 1, 1)}, "pks_valid_until"),
        ({"pks_scope": ""}, "pks_scope"),
        ({"identified_on": None}, "identified_on"),
        ({"identification_feasible": False}, "identification_feasible"),
    ],
)
def test_a_pks_partner_needs_its_agreement_and_identification(
    db: Any, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Refused) as refused:
        save_partner(partner_data(**changes), factories.user("admin"))
    assert field in refused.value.fields


def test_pks_in_force_only_between_signing_and_end(db: Any) -> None:
    partner = save_partner(partner_data(), factories.user("admin"))
    assert pks_in_force(partner, date(2026, 1, 10))
    assert pks_in_force(partner, date(2027, 1, 9))
    assert not pks_in_force(partner, date(2027, 1, 10))
    assert not pks_in_force(partner, date(2026, 1, 9))


def _slot_values(**changes: Any) -> dict[str, Any]:
    values = {
        "title": "Dapur panti",
        "category": "social_institution",
        "place_type": "orphanage",
        "sector": "social_care",
        "address": "Jl. Contoh No. 3, Ngawi",
        "lat": -7.405,
        "lng": 111.447,
        "capacity": 2,
        "schedule": [{"weekday": 0, "start": "08:00", "end": "12:00"}],
        "valid_from": date(2026, 2, 1),
        "valid_until": date(2026, 11, 27),
        "supervisor_name": "Pengurus harian",
        "facilities": ["prayer_room", "safe_toilet"],
        "complaint_contact": "Kotak pengaduan di kantor panti",
        "unpaid_confirmed": True,
    }
    values.update(changes)
    return values


def test_partner_publishes_like_an_opd_while_its_pks_is_in_force(db: Any) -> None:
    partner = save_partner(partner_data(), factories.user("admin"))
    admin = partner_admin(partner)
    slot = create_slot(admin, _slot_values(), publish=True)
    assert slot.status == "published"
    c = factories.make_client()
    assert (
        check_placement(client_profile(c, 0.0), slot_profile(slot, 0), today=TODAY, only=(
            "AGREEMENT_NOT_ACTIVE",))
        == []
    )  # fmt: skip
    # The same rules as OPDs: a published slot names its complaint channel.
    with pytest.raises(Refused) as refused:
        create_slot(admin, _slot_values(complaint_contact=""), publish=True)
    assert list(refused.value.fields) == ["complaint_contact"]
    # Validity within the PKS.
    with pytest.raises(Refused) as refused:
        create_slot(admin, _slot_values(valid_from=date(2025, 12, 1)), publish=True)
    assert "valid_from" in refused.value.fields
    # PKS ended: nothing more is published, and its slots are no longer offered.
    partner.pks_valid_until = date(2026, 5, 31)
    with pytest.raises(Refused) as refused:
        create_slot(admin, _slot_values(valid_until=date(2026, 5, 31)), publish=True)
    codes = [r.code for r in refused.value.violations]
    assert "AGREEMENT_NOT_ACTIVE" in codes
    assert "Perjanjian kerja sama (PKS)" in refused.value.violations[-1].message
    found = check_placement(client_profile(c, 0.0), slot_profile(slot, 0), today=TODAY)
    assert "AGREEMENT_NOT_ACTIVE" in [v.code for v in found]


def test_pokmas_lipas_and_pks_partners_count_in_community_empowerment() -> None:
    slots = [
        SlotFact(10, "published", 2, 0, date(2025, 1, 1), date(2026, 12, 31)),
        SlotFact(11, "published", 2, 0, date(2026, 1, 1), date(2026, 12, 31)),
    ]
    pokmas = [PksPartnerFact(20, date(2026, 3, 1), date(2027, 2, 28))]
    years = partners_by_year(slots, (2026, 2025), pokmas)
    assert years == {2026: {10, 11, 20}, 2025: {10}}
    assert partners_by_year(slots, (2026,)) == {2026: {10, 11}}


def test_admin_records_a_partner_who_then_publishes_through_its_own_account(
    client: Any, db: Any, login_as: Any
) -> None:
    login_as("admin")
    data = partner_data()
    form = {
        "name": data.name,
        "short_name": data.short_name,
        "kind": "non_government",
        "pemda_id": str(data.pemda_id),
        "address": data.address,
        "phone": data.phone,
        "lat": "-7.405",
        "lng": "111.447",
        "pks_bapas_id": str(data.pks_bapas_id),
        "pks_number": data.pks_number,
        "pks_signed_on": "2026-01-10",
        "pks_valid_until": "2027-01-09",
        "pks_scope": data.pks_scope,
        "identified_on": "2025-12-15",
        "identification_notes": data.identification_notes,
        "identification_feasible": "y",
    }
    refused = client.post("/admin/mitra/baru", data={**form, "pks_number": ""})
    assert refused.status_code == 422
    assert "Isi nomor PKS dengan Bapas." in refused.get_data(as_text=True)
    assert client.post("/admin/mitra/baru", data=form).status_code == 302
    partner = db.session.scalar(select(Opd).where(Opd.name == data.name))
    assert partner.kind == "non_government"
    listing = client.get("/admin/mitra").get_data(as_text=True)
    assert data.name in listing
    pdf = client.get(f"/admin/mitra/{partner.id}/identifikasi.pdf")
    words = pdf_words(pdf.data)
    assert "LAPORAN HASIL IDENTIFIKASI LEMBAGA" in words
    assert "dinilai layak dan dapat bekerja sama" in words
    assert data.pks_number in words
    pdf_page_png(pdf.data, "identifikasi-mitra")
    login_as("kabapas.madiun")
    assert client.get(f"/admin/mitra/{partner.id}/identifikasi.pdf").status_code == 200
    login_as("pk.madiun")
    assert client.get(f"/admin/mitra/{partner.id}/identifikasi.pdf").status_code == 403

    admin = partner_admin(partner)
    login_as(admin.username)
    response = client.post(
        "/api/v1/slots",
        json=slot_body(
            title="Kebun panti",
            category="social_institution",
            place_type="orphanage",
            sector="social_care",
            facilities=["safe_toilet"],
        ),
        headers=factories.bearer(admin),
    )
    assert response.status_code == 201, response.get_json()
    slot = db.session.get(Slot, response.get_json()["id"])
    assert slot.opd_id == partner.id
    login_as("pk.madiun")
    partners_page = client.get("/mitra").get_data(as_text=True)
    assert f"{data.name} (Lembaga non-pemerintah)" in partners_page
    assert "Kebun panti" in partners_page
    assert "10 Januari 2026" in partners_page  # the PKS dates, not the NK's
