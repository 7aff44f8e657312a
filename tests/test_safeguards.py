"""Placement safeguards of Pedoman 2.3.1, word for word: special needs, protective
equipment, the complaint channel, the prayer room, and availability beyond 8 hours."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal.matching.rules import check_placement
from portal.models import Slot
from portal.placements.engine import client_profile, default_schedule, rank_for, slot_profile
from portal.slots.rules import SlotContext, check_slot
from tests import factories
from tests.matching.builders import TODAY, client, slot
from tests.pdftools import pdf_page_png, pdf_words
from tests.test_slots_rules import good

CTX = SlotContext(
    place_types={"government", "hospital", "non_government"},
    boundary=[],
    agreement_start=date(2025, 11, 28),
    agreement_end=date(2026, 11, 27),
    agreement_active=True,
)

# Each special need: the facilities that meet it, one that is missing, and the Pedoman's words.
NEEDS = [
    (
        "disability_mobility",
        {"ramp", "accessible_toilet", "adequate_lighting", "safe_toilet"},
        "adequate_lighting",
        "penerangan yang cukup",
    ),
    (
        "disability_other",
        {"companion_available", "adequate_lighting"},
        "companion_available",
        "penerjemah bahasa isyarat atau pendamping",
    ),
    ("elderly", {"safe_toilet"}, "safe_toilet", "fasilitas MCK yang aman dan layak"),
    ("pregnant", {"safe_toilet"}, "safe_toilet", "fasilitas MCK yang aman dan layak"),
    ("breastfeeding", {"lactation_room", "child_care"}, "child_care", "ruang penitipan anak"),
    ("child_under_3", {"child_care"}, "child_care", "tempat bagi anak klien yang layak"),
]


def codes_of(c: Any, s: Any) -> list[str]:
    return [v.code for v in check_placement(c, s, today=TODAY)]


@pytest.mark.parametrize(("need", "facilities", "missing", "words"), NEEDS)
def test_each_special_need_requires_what_the_pedoman_lists(
    need: str, facilities: set[str], missing: str, words: str
) -> None:
    c = client(special_needs=frozenset({need}))
    assert codes_of(c, slot(facilities=frozenset(facilities))) == []
    found = check_placement(c, slot(facilities=frozenset(facilities - {missing})), today=TODAY)
    assert [v.code for v in found] == ["SPECIAL_NEEDS_UNMET"]
    assert words in found[0].message
    assert "Pedoman 2.3.1" in found[0].message


def test_pregnant_client_is_kept_from_technical_work_and_physical_risk() -> None:
    c = client(special_needs=frozenset({"pregnant"}), physical_risk_skill=True)
    toilet = frozenset({"safe_toilet"})
    found = check_placement(
        c, slot(facilities=toilet, risks=frozenset({"technical_work"})), today=TODAY
    )
    unmet = [v for v in found if v.code == "SPECIAL_NEEDS_UNMET"]
    assert unmet
    assert "pekerjaan listrik, mesin" in unmet[0].message
    assert "tidak membahayakan ibu dan janin" in unmet[0].message
    assert codes_of(c, slot(facilities=toilet, risks=frozenset({"physical_risk"}))) == [
        "SPECIAL_NEEDS_UNMET"
    ]


def test_elderly_and_chronic_illness_are_kept_from_physical_risk() -> None:
    for need in ("elderly", "chronic_illness"):
        c = client(special_needs=frozenset({need}), physical_risk_skill=True)
        s = slot(facilities=frozenset({"safe_toilet"}), risks=frozenset({"physical_risk"}))
        assert codes_of(c, s) == ["SPECIAL_NEEDS_UNMET"]


def test_an_accessible_toilet_counts_as_a_safe_toilet(db: Any) -> None:
    elderly = factories.make_client(special_needs=["elderly"])
    accessible = factories.make_slot(facilities=["accessible_toilet", "ppe_provided"])
    bare = factories.make_slot(facilities=["ppe_provided"])
    profile = client_profile(elderly, served=0.0)
    rule = ("SPECIAL_NEEDS_UNMET",)
    assert check_placement(profile, slot_profile(accessible, 0), today=TODAY, only=rule) == []
    assert check_placement(profile, slot_profile(bare, 0), today=TODAY, only=rule) != []


def test_a_client_who_asks_for_a_prayer_room_gets_only_slots_with_one(db: Any) -> None:
    c = factories.make_client(requests_prayer_room=True)
    with_room = factories.make_slot(title="Dengan musala")
    without = factories.make_slot(title="Tanpa musala", facilities=["ppe_provided"])
    _, ranking = rank_for(c)
    eligible = {int(ranking.table.ids[i]) for i in ranking.eligible_index}
    assert with_room.id in eligible
    assert without.id not in eligible
    profile = client_profile(c, served=0.0)
    found = check_placement(profile, slot_profile(without, 0), today=TODAY)
    assert [v.code for v in found] == ["SPECIAL_NEEDS_UNMET"]
    assert "Memastikan ketersediaan ruang ibadah" in found[0].message
    assert check_placement(profile, slot_profile(with_room, 0), today=TODAY) == []
    # Without the request the room is not asked for.
    c.requests_prayer_room = False
    assert check_placement(client_profile(c, 0.0), slot_profile(without, 0), today=TODAY) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"category": "environment_cleaning"},
        {"category": "light_admin", "sector": "disaster"},
        {
            "category": "light_admin",
            "risks": ["physical_risk"],
            "physical_risk_skill": "Sertifikat K3",
        },
    ],
)
def test_work_needing_protective_equipment_is_published_only_with_it(
    changes: dict[str, Any],
) -> None:
    values = good(**changes, facilities=["prayer_room"])
    refusals = check_slot(values, CTX, publishing=True)
    assert [(r.field, r.code) for r in refusals] == [("facilities", "PPE_MISSING")]
    assert "Klien wajib menggunakan alat pelindung diri (APD)" in refusals[0].message
    assert check_slot(values, CTX, publishing=False) == []
    assert check_slot({**values, "facilities": ["ppe_provided"]}, CTX, publishing=True) == []


def test_office_work_needs_no_protective_equipment() -> None:
    values = good(category="light_admin", sector="administration", facilities=[])
    assert check_slot(values, CTX, publishing=True) == []


def test_a_published_slot_names_its_complaint_channel() -> None:
    refusals = check_slot(good(complaint_contact="  "), CTX, publishing=True)
    assert [r.field for r in refusals] == ["complaint_contact"]
    assert "Memastikan media keluhan/pengaduan" in refusals[0].message
    assert check_slot(good(complaint_contact=""), CTX, publishing=False) == []


def test_availability_longer_than_eight_hours_is_allowed_but_work_is_capped(db: Any) -> None:
    long_day = [{"weekday": d, "start": "08:00", "end": "18:00"} for d in range(5)]
    assert check_slot(good(schedule=long_day), CTX, publishing=True) == []
    c = factories.make_client(available=long_day)
    planned = default_schedule(c, long_day)
    assert planned
    assert all(w["start"] == "08:00" and w["end"] == "16:00" for w in planned)


# --- the web pages ---------------------------------------------------------------------


def test_slot_form_offers_the_new_facilities_and_the_complaint_channel(
    client: Any, db: Any, login_as: Any
) -> None:
    login_as("opd.dinsos")
    page = client.get("/lokasi-kerja/baru").get_data(as_text=True)
    for label in (
        "MCK aman dan layak",
        "Penerangan yang cukup",
        "Penerjemah bahasa isyarat atau pendamping",
        "Media keluhan/pengaduan bagi klien",
    ):
        assert label in page
    assert 'value="complaint_channel"' not in page  # it follows the channel named


def test_map_filter_for_a_safe_toilet_finds_accessible_toilets(
    client: Any, db: Any, login_as: Any
) -> None:
    factories.make_slot(title="Dengan toilet difabel", facilities=["accessible_toilet"])
    factories.make_slot(title="Tanpa toilet", facilities=["prayer_room"])
    login_as("pk.madiun")
    page = client.get("/lokasi-kerja/?fasilitas=safe_toilet").get_data(as_text=True)
    assert "Dengan toilet difabel" in page
    assert "Tanpa toilet" not in page
    map_page = client.get("/peta").get_data(as_text=True)
    assert "Penerangan yang cukup" in map_page
    assert "Media keluhan/pengaduan" in map_page


def test_partner_list_shows_the_facilities(client: Any, db: Any, login_as: Any) -> None:
    factories.make_slot(facilities=["accessible_toilet", "adequate_lighting"])
    login_as("pk.madiun")
    page = client.get("/mitra").get_data(as_text=True)
    assert "<th>Fasilitas</th>" in page
    assert "MCK aman dan layak" in page  # an accessible toilet counts as one
    assert "Penerangan yang cukup" in page


def test_matching_page_keeps_a_prayer_room_request(client: Any, db: Any, login_as: Any) -> None:
    c = factories.make_client(requests_prayer_room=True)
    factories.make_slot(title="Gudang tanpa musala", facilities=["ppe_provided"])
    login_as("pk.madiun")
    page = client.get(f"/klien/{c.id}/pencocokan").get_data(as_text=True)
    _, excluded = page.split("Tidak dapat ditawarkan", 1)
    assert "Gudang tanpa musala" in excluded
    assert "Memastikan ketersediaan ruang ibadah" in excluded


def test_client_form_records_the_prayer_room_request(client: Any, db: Any, login_as: Any) -> None:
    c = factories.make_client()
    login_as("pk.madiun")
    page = client.get(f"/klien/{c.id}/ubah").get_data(as_text=True)
    assert "Klien meminta ruang ibadah di lokasi kerja" in page


def test_case_plan_and_lampiran_i_print_the_complaint_channel_and_address(
    client: Any, db: Any, login_as: Any
) -> None:
    s = factories.make_slot(
        complaint_contact="Kotak pengaduan di pos satpam; WA 0812-1111-2222",
        address="Jl. Teuku Umar No. 5, Ngawi",
    )
    p = factories.make_placement(slot=s)
    login_as("pk.madiun")
    page = client.get(f"/penempatan/{p.id}/rencana").get_data(as_text=True)
    assert "Kotak pengaduan di pos satpam; WA 0812-1111-2222" in page
    pdf = client.get(f"/penempatan/{p.id}/lampiran-i.pdf").data
    words = pdf_words(pdf)
    assert "Media keluhan/pengaduan : Kotak pengaduan di pos satpam; WA 0812-1111-2222" in words
    assert "Alamat : Jl. Teuku Umar No. 5, Ngawi" in words
    pdf_page_png(pdf, "lampiran-i-safeguards")


# --- the API ---------------------------------------------------------------------------


def api_slot(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Kebersihan pasar",
        "category": "environment_cleaning",
        "sector": "environment",
        "place_type": "government",
        "address": "Pasar Besar Ngawi",
        "lat": -7.405,
        "lng": 111.447,
        "capacity": 2,
        "schedule": [{"weekday": 1, "start": "08:00", "end": "18:00"}],
        "valid_from": "2026-06-01",
        "valid_until": "2026-11-27",
        "facilities": ["safe_toilet", "adequate_lighting", "companion_available", "ppe_provided"],
        "complaint_contact": "Kotak pengaduan di kantor pasar",
        "supervisor_name": "Bu Sri",
        "unpaid_confirmed": True,
        "status": "published",
    }
    body.update(changes)
    return body


def test_api_publishes_a_slot_with_the_new_codes_and_a_long_window(client: Any, db: Any) -> None:
    response = client.post("/api/v1/slots", json=api_slot(), headers=factories.bearer("opd.dlh"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "published"
    assert body["complaint_contact"] == "Kotak pengaduan di kantor pasar"
    assert "complaint_channel" in body["facilities"]
    assert body["schedule"] == [{"weekday": 1, "start": "08:00", "end": "18:00"}]


def test_api_refuses_ppe_missing_and_unknown_place_types(client: Any, db: Any) -> None:
    before = db.session.scalar(select(Slot.id).order_by(Slot.id.desc()).limit(1))
    response = client.post(
        "/api/v1/slots",
        json=api_slot(facilities=["safe_toilet"]),
        headers=factories.bearer("opd.dlh"),
    )
    assert response.status_code == 422
    assert [r["code"] for r in response.get_json()["details"]["rules"]] == ["PPE_MISSING"]
    response = client.post(
        "/api/v1/slots", json=api_slot(place_type="pasar"), headers=factories.bearer("opd.dlh")
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Slot.id).order_by(Slot.id.desc()).limit(1)) == before
