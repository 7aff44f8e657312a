"""Slot endpoints of the API: same rules as the web pages, API.md's shapes and statuses."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.models import Slot
from tests.factories import bearer, make_placement, make_slot, opd

BACKWARDS_WINDOW = {"weekday": 0, "start": "15:00", "end": "06:00"}
XSS = "<img src=x onerror=alert(1)>${alert(2)}"


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Kebersihan pasar (API)",
        "category": "environment_cleaning",
        "sector": "environment",
        "place_type": "government",
        "description": "Menyapu los pasar",
        "address": "Pasar Besar Ngawi",
        "lat": -7.405,
        "lng": 111.447,
        "capacity": 2,
        "schedule": [{"weekday": 1, "start": "07:00", "end": "11:00"}],
        "valid_from": "2026-06-01",
        "valid_until": "2026-11-27",
        "facilities": ["prayer_room", "ppe_provided"],
        "complaint_contact": "Kotak pengaduan di lobi",
        "risks": [],
        "supervisor_name": "Bu Sri",
        "supervisor_phone": "0812",
        "unpaid_confirmed": True,
        "status": "published",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count(db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Slot)) or 0


def test_list_published_slots_with_occupied(client: FlaskClient) -> None:
    slot = make_slot(capacity=3)
    make_placement(slot=slot)
    make_slot(status="draft", title="Draf API")
    response = client.get("/api/v1/slots", headers=bearer("pk.madiun"))
    assert response.status_code == 200
    [item] = response.get_json()
    assert item["id"] == slot.id
    assert item["occupied"] == 1
    assert item["capacity"] == 3
    assert item["schedule"][0] == {"weekday": 0, "start": "08:00", "end": "12:00"}
    for key in (
        "opd_id", "title", "category", "description", "address", "lat", "lng",
        "valid_from", "valid_until", "facilities", "risks", "status",
    ):  # fmt: skip
        assert key in item


def test_list_filters(client: FlaskClient) -> None:
    full = make_slot(capacity=1, title="Penuh")
    make_placement(slot=full)
    make_slot(title="Admin", category="light_admin")
    headers = bearer("pk.madiun")
    titles = {s["title"] for s in client.get("/api/v1/slots?available=true", headers=headers).json}
    assert titles == {"Admin"}
    titles = {
        s["title"] for s in client.get("/api/v1/slots?category=light_admin", headers=headers).json
    }
    assert titles == {"Admin"}
    dlh = opd("NGAWI-DLH").id
    assert client.get(f"/api/v1/slots?opd_id={dlh}", headers=headers).json == []
    response = client.get("/api/v1/slots?category=nope", headers=headers)
    assert response.status_code == 422
    assert "category" in response.json["details"]["fields"]


def test_list_is_401_without_token_and_403_for_setda(client: FlaskClient) -> None:
    assert client.get("/api/v1/slots").status_code == 401
    response = client.get("/api/v1/slots", headers=bearer("setda.ngawi"))
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


def test_create_201_in_the_callers_opd(client: FlaskClient, db: Any) -> None:
    response = client.post("/api/v1/slots", json=body(), headers=bearer("opd.dlh"))
    assert response.status_code == 201, response.json
    data = response.get_json()
    assert data["opd_id"] == opd("NGAWI-DLH").id
    assert data["status"] == "published"
    assert data["occupied"] == 0
    assert db.session.get(Slot, data["id"]).title == "Kebersihan pasar (API)"


@pytest.mark.parametrize("username", ["pk.madiun", "admin", "setda.ngawi", "pj.dinsos"])
def test_create_403_for_other_roles(client: FlaskClient, db: Any, username: str) -> None:
    before = count(db)
    response = client.post("/api/v1/slots", json=body(), headers=bearer(username))
    assert response.status_code == 403
    assert count(db) == before


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"unpaid_confirmed": False}, "validation_error", "unpaid_confirmed"),
        ({"capacity": "dua"}, "validation_error", "capacity"),
        ({"title": None}, "validation_error", "title"),
        ({"risks": ["confidential_data"]}, "rule_violation", "risks"),
        ({"risks": ["technical_work"]}, "rule_violation", "risks"),
        ({"lat": -7.63, "lng": 111.52}, "validation_error", "lat"),
        ({"schedule": [BACKWARDS_WINDOW]}, "validation_error", "schedule"),
        ({"complaint_contact": ""}, "validation_error", "complaint_contact"),
        ({"facilities": ["prayer_room"]}, "rule_violation", "facilities"),
        ({"valid_until": "2027-06-01"}, "validation_error", "valid_until"),
    ],
)  # fmt: skip
def test_create_422_writes_nothing(
    client: FlaskClient, db: Any, changes: dict[str, Any], code: str, field: str
) -> None:
    before = count(db)
    response = client.post("/api/v1/slots", json=body(**changes), headers=bearer("opd.dlh"))
    assert response.status_code == 422
    error = response.get_json()
    assert error["error"] == code
    assert field in error["details"]["fields"]
    if code == "rule_violation":
        assert error["details"]["rules"][0]["code"] in (
            "CONFIDENTIAL_DATA",
            "TECHNICAL_RISK",
            "PPE_MISSING",
        )
    assert count(db) == before


def test_title_is_stored_as_given_and_returned_as_json(client: FlaskClient) -> None:
    response = client.post("/api/v1/slots", json=body(title=XSS), headers=bearer("opd.dlh"))
    assert response.status_code == 201
    assert response.get_json()["title"] == XSS
    assert response.mimetype == "application/json"


def test_patch_changes_fields_and_status(client: FlaskClient, db: Any) -> None:
    slot = make_slot("NGAWI-DINSOS", capacity=3)
    headers = bearer("opd.dinsos")
    response = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 5}, headers=headers)
    assert response.status_code == 200
    assert response.json["capacity"] == 5
    response = client.patch(f"/api/v1/slots/{slot.id}", json={"status": "closed"}, headers=headers)
    assert response.json["status"] == "closed"


def test_patch_capacity_below_occupied_is_422(client: FlaskClient, db: Any) -> None:
    slot = make_slot("NGAWI-DINSOS", capacity=3)
    make_placement(slot=slot)
    make_placement(slot=slot)
    db.session.commit()
    response = client.patch(
        f"/api/v1/slots/{slot.id}", json={"capacity": 1}, headers=bearer("opd.dinsos")
    )
    assert response.status_code == 422
    assert "capacity" in response.json["details"]["fields"]
    assert response.json["details"]["rules"][0]["code"] == "CAPACITY_BELOW_OCCUPIED"
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).capacity == 3


def test_patch_another_opds_slot_is_404(client: FlaskClient, db: Any) -> None:
    slot = make_slot("NGAWI-DINSOS", status="draft")
    response = client.patch(
        f"/api/v1/slots/{slot.id}", json={"capacity": 9}, headers=bearer("opd.dlh")
    )
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    assert (
        client.patch(
            "/api/v1/slots/999999", json={"capacity": 9}, headers=bearer("opd.dlh")
        ).status_code
        == 404
    )
    assert client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 9}).status_code == 401
    assert (
        client.patch(
            f"/api/v1/slots/{slot.id}", json={"capacity": 9}, headers=bearer("pk.madiun")
        ).status_code
        == 403
    )


def test_publishing_a_confidential_draft_by_patch_is_refused(client: FlaskClient, db: Any) -> None:
    slot = make_slot("NGAWI-DINSOS", status="draft", risks=["confidential_data"])
    db.session.commit()
    response = client.patch(
        f"/api/v1/slots/{slot.id}", json={"status": "published"}, headers=bearer("opd.dinsos")
    )
    assert response.status_code == 422
    assert response.json["details"]["rules"][0]["code"] == "CONFIDENTIAL_DATA"
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).status == "draft"


def test_ids_beyond_any_database_integer_are_404_or_422(client: FlaskClient) -> None:
    huge = 10**20
    headers = bearer("opd.dinsos")
    response = client.patch(f"/api/v1/slots/{huge}", json={"capacity": 2}, headers=headers)
    assert response.status_code == 404
    response = client.get(f"/api/v1/slots?opd_id={huge}", headers=headers)
    assert response.status_code == 422
