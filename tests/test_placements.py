"""Matching page, booking with the server's re-check, the OPD's decision, the batch page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.models import AuditLog, Placement
from portal.placements.services import book_placement
from portal.refusals import Refused
from tests import factories

MORNINGS = {f"start_{d}": "08:00" for d in range(5)} | {f"end_{d}": "12:00" for d in range(5)}


def booking_form(start: str = "2026-06-01", **changes: str) -> dict[str, str]:
    return {"start_date": start, **MORNINGS, **changes}


def placements(db: Any) -> int:
    return db.session.scalar(select(func.count(Placement.id)))


def test_matching_page_ranks_and_explains(client: Any, db: Any, login_as: Any) -> None:
    doctor = factories.make_client(
        profession_sector="health",
        offence_via_profession=True,
        occupation="Dokter",
        offence="Kelalaian medis (malapraktik)",
    )
    factories.make_slot(
        "NGAWI-RSUD",
        title="Membantu pendaftaran pasien",
        sector="health",
        place_type="hospital",
        category="public_service",
    )
    park = factories.make_slot(title="Kebersihan Taman Tugu")
    login_as("pk.madiun")
    page = client.get(f"/klien/{doctor.id}/pencocokan").get_data(as_text=True)
    eligible, excluded = page.split("Tidak dapat ditawarkan", 1)
    assert "Kebersihan Taman Tugu" in eligible
    assert "Sesuai minat dan keahlian klien" in eligible
    assert "Membantu pendaftaran pasien" not in eligible
    assert "Membantu pendaftaran pasien" in excluded
    assert "PROFESSION_CONFLICT" not in excluded  # the rule in words, never its code
    assert "Bertentangan dengan profesi terkait tindak pidana" in excluded
    assert "klien tidak boleh ditempatkan di rumah sakit" in excluded
    assert f"/klien/{doctor.id}/pesan/{park.id}" in eligible
    # The score has a legend that names its parts and their points.
    legend = eligible.split('id="score-legend"', 1)[1].split("</details>", 1)[0]
    assert "Cara membaca skor kecocokan (0–100)" in legend
    for part in ("35 poin: jenis pekerjaan", "25 poin: bidang OPD", "25 poin: makin dekat"):
        assert part in legend
    assert "15 poin: bagian kursi" in legend


def test_matching_map_data_is_json_not_html(client: Any, db: Any, login_as: Any) -> None:
    c = factories.make_client()
    factories.make_slot(title="<img src=x onerror=alert(1)>${alert(2)}")
    login_as("pk.madiun")
    page = client.get(f"/klien/{c.id}/pencocokan").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page


def test_pk_books_and_the_opd_sees_only_the_code(client: Any, db: Any, login_as: Any) -> None:
    c = factories.make_client(special_needs=["breastfeeding"], full_name="Siti Rahasia")
    slot = factories.make_slot(facilities=["lactation_room", "child_care"])
    login_as("pk.madiun")
    form_page = client.get(f"/klien/{c.id}/pesan/{slot.id}").get_data(as_text=True)
    assert 'value="08:00"' in form_page  # prefilled from the common hours
    response = client.post(f"/klien/{c.id}/pesan/{slot.id}", data=booking_form())
    assert response.status_code == 302
    p = db.session.scalar(select(Placement).where(Placement.client_id == c.id))
    assert p.status == "booked"
    assert p.hours_planned == 120
    assert len(p.schedule) == 5

    login_as("opd.dinsos")
    listing = client.get("/penempatan/").get_data(as_text=True)
    assert c.code in listing
    assert "Siti Rahasia" not in listing
    page = client.get(f"/penempatan/{p.id}").get_data(as_text=True)
    assert c.code in page
    assert "Siti Rahasia" not in page
    assert "Menyusui" in page
    assert "Ruang laktasi" in page
    assert c.offence not in page
    assert c.address not in page
    assert client.post(f"/penempatan/{p.id}/keputusan", data={"accept": "1"}).status_code == 302
    db.session.refresh(p)
    assert p.status == "accepted"


def test_server_rechecks_every_rule_and_saves_nothing_on_refusal(
    client: Any, db: Any, login_as: Any
) -> None:
    c = factories.make_client()
    slot = factories.make_slot()
    victim_near = factories.make_client(
        victim_places=[{"label": "rumah korban", "lat": -7.4045, "lng": 111.4465}]
    )
    db.session.commit()  # the refused request rolls its session back
    login_as("pk.madiun")
    before = placements(db)
    response = client.post(
        f"/klien/{c.id}/pesan/{slot.id}",
        data=booking_form(start_0="07:00", end_0="16:00"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "DAILY_HOURS_EXCEEDED" not in page
    assert "Melebihi 8 jam sehari" in page  # the rule by its name
    assert "Senin 07:00–16:00 di luar jam kerja slot" in page
    assert placements(db) == before
    page = client.post(f"/klien/{victim_near.id}/pesan/{slot.id}", data=booking_form()).get_data(
        as_text=True
    )
    assert "Terlalu dekat dengan korban" in page
    assert "VICTIM_PROXIMITY" not in page
    assert placements(db) == before


def test_last_seat_goes_once(db: Any, user: Any) -> None:
    slot = factories.make_slot(capacity=1)
    first, second = factories.make_client(), factories.make_client()
    schedule = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
    start = first.start_date.replace(day=1).replace(month=6)
    book_placement(first, slot.id, start, schedule, user("pk.madiun"))
    with pytest.raises(Refused):
        book_placement(second, slot.id, start, schedule, user("pk.madiun"))


def test_full_slot_answers_with_a_clear_message(client: Any, db: Any, login_as: Any) -> None:
    slot = factories.make_slot(capacity=1)
    factories.make_placement(slot=slot)
    c = factories.make_client()
    db.session.commit()  # the refused request rolls its session back
    login_as("pk.madiun")
    page = client.post(f"/klien/{c.id}/pesan/{slot.id}", data=booking_form()).get_data(as_text=True)
    assert "Semua kursi slot ini sudah terisi" in page


def test_declining_needs_a_reason_and_frees_the_seat(client: Any, db: Any, login_as: Any) -> None:
    slot = factories.make_slot(capacity=1)
    p = factories.make_placement(slot=slot, status="booked")
    other = factories.make_client()
    db.session.commit()  # the refused request rolls its session back
    login_as("opd.dinsos")
    response = client.post(f"/penempatan/{p.id}/keputusan", data={"accept": "0", "reason": ""})
    assert response.status_code == 422
    assert "Alasan penolakan wajib diisi." in response.get_data(as_text=True)
    db.session.refresh(p)
    assert p.status == "booked"
    client.post(
        f"/penempatan/{p.id}/keputusan", data={"accept": "0", "reason": "Lokasi direnovasi"}
    )
    db.session.refresh(p)
    assert p.status == "declined"
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "placement_declined"))
    login_as("pk.madiun")
    assert client.post(f"/klien/{other.id}/pesan/{slot.id}", data=booking_form()).status_code == 302


def test_who_sees_a_placement(client: Any, db: Any, login_as: Any, user: Any) -> None:
    pj = user("pj.dinsos")
    p = factories.make_placement(
        slot=factories.make_slot("NGAWI-DINSOS", supervisor_user_id=pj.id), status="booked"
    )
    at_dlh = factories.make_placement(slot=factories.make_slot("NGAWI-DLH"))
    for username, expected in [
        ("opd.dinsos", 200),
        ("pj.dinsos", 200),
        ("pk.madiun", 200),
        ("kabapas.madiun", 200),
        ("pk2.madiun", 404),
        ("opd.dlh", 404),
        ("admin", 404),
    ]:
        login_as(username)
        assert client.get(f"/penempatan/{p.id}").status_code == expected, username
    login_as("opd.dinsos")
    assert client.get(f"/penempatan/{at_dlh.id}").status_code == 404
    assert (
        client.post(f"/penempatan/{at_dlh.id}/keputusan", data={"accept": "1"}).status_code == 404
    )
    login_as("setda.ngawi")
    assert client.get("/penempatan/").status_code == 403
    login_as("pj.dinsos")
    assert client.post(f"/penempatan/{p.id}/keputusan", data={"accept": "1"}).status_code == 403
    login_as("pk.madiun")
    assert client.post(f"/penempatan/{p.id}/keputusan", data={"accept": "1"}).status_code == 403


def test_supervisor_sees_only_slots_that_name_him(client: Any, db: Any, login_as: Any) -> None:
    unnamed = factories.make_placement(slot=factories.make_slot("NGAWI-DINSOS"))
    login_as("pj.dinsos")
    assert client.get(f"/penempatan/{unnamed.id}").status_code == 404


def test_supervisor_with_his_own_slot_sees_only_those(
    client: Any, db: Any, login_as: Any, user: Any
) -> None:
    other_supervisor = user("opd.dinsos")
    p = factories.make_placement(slot=factories.make_slot(supervisor_user_id=other_supervisor.id))
    login_as("pj.dinsos")
    assert client.get(f"/penempatan/{p.id}").status_code == 404


def test_pk_starts_and_ends_a_placement(client: Any, db: Any, login_as: Any) -> None:
    p = factories.make_placement(status="accepted")
    db.session.commit()  # the refused request rolls its session back
    login_as("pk.madiun")
    client.post(f"/penempatan/{p.id}/status", data={"status": "active"})
    db.session.refresh(p)
    assert p.status == "active"
    client.post(f"/penempatan/{p.id}/status", data={"status": "ended", "reason": ""})
    db.session.refresh(p)
    assert p.status == "active"
    client.post(
        f"/penempatan/{p.id}/status", data={"status": "ended", "reason": "Klien pindah domisili"}
    )
    db.session.refresh(p)
    assert p.status == "ended"


def test_batch_proposal_and_accepting_a_line(client: Any, db: Any, login_as: Any) -> None:
    slot = factories.make_slot(capacity=1, title="Kebersihan Alun-alun")
    a = factories.make_client()
    b = factories.make_client()
    login_as("pk.madiun")
    page = client.get("/klien/usulan").get_data(as_text=True)
    assert "Kebersihan Alun-alun" in page
    assert "sudah terisi oleh klien lain dalam usulan ini" in page
    assert "1 dari 2 klien dapat ditempatkan" in page
    response = client.post("/klien/usulan", data={"client_id": a.id, "slot_id": slot.id})
    assert response.status_code == 302
    assert (
        db.session.scalar(select(Placement).where(Placement.client_id == a.id)).status == "booked"
    )
    page = client.get("/klien/usulan").get_data(as_text=True)
    table = page.split("<table", 1)[1]
    assert a.code not in table
    assert b.code in table


def test_dashboards_show_waiting_clients_and_pending_requests(
    client: Any, db: Any, login_as: Any
) -> None:
    factories.make_client()
    factories.make_placement(status="booked")
    login_as("pk.madiun")
    page = client.get("/beranda", follow_redirects=True).get_data(as_text=True)
    assert "Menunggu penempatan" in page
    assert "Menunggu konfirmasi OPD" in page
    login_as("opd.dinsos")
    page = client.get("/beranda", follow_redirects=True).get_data(as_text=True)
    assert "Permintaan penempatan menunggu keputusan Anda" in page
