"""Slot pages: OPD admins manage their own slots; refusals show at the field, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.models import AuditLog, Slot
from tests.factories import make_placement, make_slot, opd


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Kebersihan halaman kantor",
        "category": "environment_cleaning",
        "tasks": "Menyapu halaman",
        "description": "",
        "place_type": "government",
        "sector": "environment",
        "address": "Jl. Contoh No. 1, Ngawi",
        "lat": "-7.4040",
        "lng": "111.4460",
        "capacity": "3",
        "schedule-0-weekday": "0",
        "schedule-0-start": "08:00",
        "schedule-0-end": "12:00",
        "schedule-1-weekday": "0",
        "schedule-1-start": "13:00",
        "schedule-1-end": "15:00",
        "schedule-2-weekday": "",
        "schedule-2-start": "",
        "schedule-2-end": "",
        "valid_from": "2026-06-01",
        "valid_until": "2026-11-27",
        "supervisor_name": "Slamet Riyadi",
        "supervisor_position": "Kasi",
        "supervisor_phone": "0812",
        "supervisor_user_id": "",
        "facilities": ["prayer_room", "ramp", "ppe_provided"],
        "complaint_contact": "Kotak pengaduan di pos satpam",
        "unpaid_confirmed": "y",
        "action": "publish",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def slot_count() -> int:
    from portal.extensions import db

    return db.session.scalar(select(func.count()).select_from(Slot)) or 0


def test_opd_admin_creates_and_publishes_a_slot(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    admin = login_as("opd.dinsos")
    response = client.post("/lokasi-kerja/baru", data=form())
    assert response.status_code == 302
    slot = db.session.scalar(select(Slot).where(Slot.title == "Kebersihan halaman kantor"))
    assert slot.status == "published"
    assert slot.opd_id == admin.opd_id
    assert slot.published_at is not None
    assert slot.schedule == [
        {"weekday": 0, "start": "08:00", "end": "12:00"},
        {"weekday": 0, "start": "13:00", "end": "15:00"},
    ]
    # The complaint channel named makes the slot carry the facility (Pedoman 2.3.1 f.3).
    assert slot.facilities == ["prayer_room", "ramp", "ppe_provided", "complaint_channel"]
    assert slot.complaint_contact == "Kotak pengaduan di pos satpam"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kebersihan halaman kantor" in page
    assert "Senin 08:00–12:00" in page
    assert 'id="seats-free">3<' in page
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "slot_created", AuditLog.object_id == str(slot.id)
        )
    )


def test_save_as_draft_needs_no_unpaid_confirmation(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    login_as("opd.dlh")
    response = client.post("/lokasi-kerja/baru", data=form(action="draft", unpaid_confirmed=None))
    assert response.status_code == 302
    slot = db.session.scalar(select(Slot).where(Slot.title == "Kebersihan halaman kantor"))
    assert slot.status == "draft"


REFUSALS = [
    ({"unpaid_confirmed": None}, "unpaid_confirmed", "tidak dibayar dan tidak bersifat komersial"),
    ({"risks": ["confidential_data"]}, "risks", "data, dokumen atau informasi rahasia"),
    ({"risks": ["technical_work"]}, "risks", "listrik, mesin"),
    ({"lat": "-7.63", "lng": "111.52"}, "lat", "di luar wilayah Pemda"),
    ({"schedule-0-end": "07:00"}, "schedule", "jam selesai harus sesudah jam mulai"),
    ({"facilities": ["prayer_room"]}, "facilities", "Klien wajib menggunakan alat pelindung diri"),
    ({"complaint_contact": ""}, "complaint_contact", "Memastikan media keluhan/pengaduan"),
    ({"schedule-1-start": "11:00"}, "schedule", "bertumpang tindih"),
    ({"capacity": "0"}, "capacity", "Kapasitas paling sedikit 1"),
    ({"valid_until": "2027-03-01"}, "valid_until", "di dalam masa berlaku kesepakatan"),
    ({"valid_from": "2025-10-01"}, "valid_from", "di dalam masa berlaku kesepakatan"),
    ({"title": ""}, "title", "Judul lokasi kerja wajib diisi"),
    ({"lat": "", "lng": ""}, "lat", "Tentukan koordinat lokasi"),
    ({"category": ""}, "category", "Pilih kategori pekerjaan"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSALS)
def test_each_refusal_shows_at_its_field_and_saves_nothing(
    client: FlaskClient, login_as: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    login_as("opd.dinsos")
    before = slot_count()
    response = client.post("/lokasi-kerja/baru", data=form(**changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Belum ada yang disimpan" in page
    assert message in page
    if field == "schedule":
        assert 'class="invalid-feedback d-block schedule-error">' in page
    elif field in ("risks", "facilities"):
        start = page.index(f'id="{field}-fieldset"')
        assert message in page[start : start + 4000]
        assert "is-invalid" in page
    else:
        # The message sits right after the field's input, inside its block.
        start = page.index(f'id="{field}"')
        assert message in page[start : start + 2500]
    assert slot_count() == before


def test_capacity_below_seats_in_use_is_refused_on_edit(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    login_as("opd.dinsos")
    slot = make_slot(capacity=3)
    make_placement(slot=slot)
    make_placement(slot=slot, status="booked")
    make_placement(slot=slot, status="completed")  # holds no seat
    db.session.commit()  # the refused request rolls back its own work only
    data = form(capacity="1", title=slot.title, action="save")
    response = client.post(f"/lokasi-kerja/{slot.id}/ubah", data=data)
    assert response.status_code == 422
    assert "kursi yang sedang terisi (2 klien" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).capacity == 3
    assert client.post(f"/lokasi-kerja/{slot.id}/ubah", data=form(capacity="2")).status_code == 302


def test_publish_a_draft_refused_then_fixed(client: FlaskClient, login_as: Any, db: Any) -> None:
    login_as("opd.dinsos")
    slot = make_slot(status="draft", unpaid_confirmed=False, risks=["confidential_data"])
    db.session.commit()
    response = client.post(f"/lokasi-kerja/{slot.id}/terbitkan")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Konfirmasi bahwa pekerjaan tidak dibayar" in page
    assert "tidak dapat diterbitkan" in page
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).status == "draft"
    fixed = form(title=slot.title, risks=None, action="publish")
    assert client.post(f"/lokasi-kerja/{slot.id}/ubah", data=fixed).status_code == 302
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).status == "published"


def test_a_published_slot_cannot_gain_a_forbidden_risk(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    login_as("opd.dinsos")
    slot = make_slot()
    db.session.commit()
    response = client.post(
        f"/lokasi-kerja/{slot.id}/ubah", data=form(risks=["technical_work"], action="save")
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).risks == []


def test_close_reopen_and_duplicate(client: FlaskClient, login_as: Any, db: Any) -> None:
    login_as("opd.dinsos")
    slot = make_slot()
    assert client.post(f"/lokasi-kerja/{slot.id}/tutup").status_code == 302
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).status == "closed"
    assert client.post(f"/lokasi-kerja/{slot.id}/terbitkan").status_code == 302
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).status == "published"
    response = client.post(f"/lokasi-kerja/{slot.id}/salin")
    assert response.status_code == 302
    copy = db.session.scalar(select(Slot).where(Slot.title == f"Salinan dari {slot.title}"))
    assert copy.status == "draft"
    assert not copy.unpaid_confirmed
    assert copy.schedule == slot.schedule
    assert copy.opd_id == slot.opd_id
    assert response.headers["Location"].endswith(f"/lokasi-kerja/{copy.id}/ubah")
    assert client.get(response.headers["Location"]).status_code == 200


def test_another_opds_admin_cannot_see_the_draft_nor_edit(
    client: FlaskClient, login_as: Any
) -> None:
    draft = make_slot("NGAWI-DINSOS", status="draft", title="Draf rahasia Dinsos")
    published = make_slot("NGAWI-DINSOS", title="Terbit Dinsos")
    login_as("opd.dlh")
    assert client.get(f"/lokasi-kerja/{draft.id}").status_code == 404
    assert "Draf rahasia Dinsos" not in client.get("/lokasi-kerja/?status=draft").get_data(
        as_text=True
    )
    for slot in (draft, published):
        assert client.get(f"/lokasi-kerja/{slot.id}/ubah").status_code == 404
        assert client.post(f"/lokasi-kerja/{slot.id}/ubah", data=form()).status_code == 404
        assert client.post(f"/lokasi-kerja/{slot.id}/terbitkan").status_code == 404
        assert client.post(f"/lokasi-kerja/{slot.id}/tutup").status_code == 404
        assert client.post(f"/lokasi-kerja/{slot.id}/salin").status_code == 404
    assert "Terbit Dinsos" not in client.get("/lokasi-kerja/").get_data(as_text=True)


def test_bapas_sees_published_not_drafts(client: FlaskClient, login_as: Any) -> None:
    draft = make_slot(status="draft", title="Draf belum terbit")
    published = make_slot(title="Lokasi sudah terbit")
    login_as("pk.madiun")
    listing = client.get("/lokasi-kerja/").get_data(as_text=True)
    assert "Lokasi sudah terbit" in listing
    assert "Draf belum terbit" not in listing
    assert client.get(f"/lokasi-kerja/{published.id}").status_code == 200
    assert client.get(f"/lokasi-kerja/{draft.id}").status_code == 404


def test_other_bapas_sees_nothing_of_ngawi(client: FlaskClient, login_as: Any, db: Any) -> None:
    from portal.models import Role, User

    slot = make_slot()
    kediri = User(username="pk.kediri", full_name="PK Kediri", role=Role.PK)
    from tests.factories import bapas

    kediri.bapas_id = bapas("KDR").id
    db.session.add(kediri)
    db.session.flush()
    login_as("pk.kediri")
    assert client.get(f"/lokasi-kerja/{slot.id}").status_code == 404
    assert slot.title not in client.get("/lokasi-kerja/").get_data(as_text=True)


def test_filters_of_the_list(client: FlaskClient, login_as: Any) -> None:
    full = make_slot(title="Lokasi penuh", capacity=1)
    make_placement(slot=full)
    make_slot(title="Lokasi ber-ramp", facilities=["ramp"], category="light_admin")
    login_as("pk.madiun")
    page = client.get("/lokasi-kerja/?kosong=1").get_data(as_text=True)
    assert "Lokasi ber-ramp" in page
    assert "Lokasi penuh" not in page
    page = client.get("/lokasi-kerja/?fasilitas=ramp").get_data(as_text=True)
    assert "Lokasi ber-ramp" in page
    assert "Lokasi penuh" not in page
    page = client.get("/lokasi-kerja/?kategori=environment_cleaning").get_data(as_text=True)
    assert "Lokasi penuh" in page
    assert "Lokasi ber-ramp" not in page
    other = opd("NGAWI-DLH")
    page = client.get(f"/lokasi-kerja/?opd={other.id}").get_data(as_text=True)
    assert "Lokasi penuh" not in page


def test_form_shows_the_location_picker_and_schedule_editor(
    client: FlaskClient, login_as: Any
) -> None:
    login_as("opd.dinsos")
    page = client.get("/lokasi-kerja/baru").get_data(as_text=True)
    assert 'id="location-picker"' in page
    assert "js/slot-form.js" in page
    assert "vendor/leaflet-1.9.4/leaflet.js" in page
    assert 'name="schedule-0-weekday"' in page
    assert 'id="schedule-add"' in page


# --- role × route matrix ------------------------------------------------------

ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]
MATRIX = {
    # route: {username: expected status}
    ("GET", "/lokasi-kerja/"): {
        "admin": 200, "setda.ngawi": 403, "kabapas.madiun": 200, "pk.madiun": 200,
        "opd.dinsos": 200, "pj.dinsos": 200,
    },
    ("GET", "/peta"): {
        "admin": 200, "setda.ngawi": 403, "kabapas.madiun": 200, "pk.madiun": 200,
        "opd.dinsos": 200, "pj.dinsos": 200,
    },
    ("GET", "/peta.json"): {
        "admin": 200, "setda.ngawi": 403, "kabapas.madiun": 200, "pk.madiun": 200,
        "opd.dinsos": 200, "pj.dinsos": 200,
    },
    ("GET", "/lokasi-kerja/{id}"): {
        "admin": 200, "setda.ngawi": 403, "kabapas.madiun": 200, "pk.madiun": 200,
        "opd.dinsos": 200, "pj.dinsos": 200,
    },
    ("GET", "/lokasi-kerja/baru"): {
        "admin": 403, "setda.ngawi": 403, "kabapas.madiun": 403, "pk.madiun": 403,
        "opd.dinsos": 200, "pj.dinsos": 403,
    },
    ("GET", "/lokasi-kerja/{id}/ubah"): {
        "admin": 403, "setda.ngawi": 403, "kabapas.madiun": 403, "pk.madiun": 403,
        "opd.dinsos": 200, "pj.dinsos": 403,
    },
    ("POST", "/lokasi-kerja/{id}/tutup"): {
        "admin": 403, "setda.ngawi": 403, "kabapas.madiun": 403, "pk.madiun": 403,
        "opd.dinsos": 302, "pj.dinsos": 403,
    },
    ("POST", "/lokasi-kerja/{id}/salin"): {
        "admin": 403, "setda.ngawi": 403, "kabapas.madiun": 403, "pk.madiun": 403,
        "opd.dinsos": 302, "pj.dinsos": 403,
    },
    ("POST", "/lokasi-kerja/{id}/terbitkan"): {
        "admin": 403, "setda.ngawi": 403, "kabapas.madiun": 403, "pk.madiun": 403,
        "opd.dinsos": 302, "pj.dinsos": 403,
    },
    ("GET", "/mitra"): dict.fromkeys(ROLES, 200),
    ("GET", "/mitra.xlsx"): dict.fromkeys(ROLES, 200),
}  # fmt: skip


@pytest.mark.parametrize("route", list(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("username", ROLES)
def test_role_route_matrix(
    client: FlaskClient, login_as: Any, route: tuple[str, str], username: str
) -> None:
    slot = make_slot(status="closed" if route[1].endswith("terbitkan") else "published")
    method, path = route
    login_as(username)
    response = client.open(path.format(id=slot.id), method=method)
    assert response.status_code == MATRIX[route][username]


def test_anonymous_is_sent_to_login(client: FlaskClient) -> None:
    slot = make_slot()
    for path in ("/lokasi-kerja/", "/peta", f"/lokasi-kerja/{slot.id}", "/mitra", "/mitra.xlsx"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/masuk" in response.headers["Location"]


def test_dashboard_widgets(client: FlaskClient, login_as: Any) -> None:
    slot = make_slot(capacity=4)
    make_placement(slot=slot)
    make_slot(status="draft")
    login_as("opd.dinsos")
    page = client.get("/beranda").get_data(as_text=True)
    assert "Lokasi kerja OPD Anda" in page
    assert "1 / 4" in page
    login_as("pk.madiun")
    page = client.get("/beranda").get_data(as_text=True)
    assert "Lokasi kerja mitra" in page


def test_ids_beyond_any_database_integer_are_404(client: FlaskClient, login_as: Any) -> None:
    login_as("opd.dinsos")
    assert client.get(f"/lokasi-kerja/{10**20}").status_code == 404
    assert client.get(f"/lokasi-kerja/?opd={10**20}").status_code == 200
    assert client.get(f"/peta?opd={10**20}").status_code == 200
