"""API.md: clients, matches, batch, placements and the OPD's decision: 201/401/403/404/409/422."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.models import AuditLog, Client, Placement
from tests import factories
from tests.factories import bearer

MORNINGS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]


def client_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Klien API Fiktif",
        "birth_date": "1991-03-04",
        "sex": "P",
        "address": "Desa Fiktif, Ngawi",
        "home_lat": -7.39,
        "home_lng": 111.46,
        "decision_number": "7/Pid.C/2026/PN Ngw",
        "decision_date": "2026-05-20",
        "court": "Pengadilan Negeri Ngawi",
        "hours_ordered": 80,
        "start_date": "2026-06-01",
        "deadline": "2026-11-30",
        "offence": "Penganiayaan ringan",
        "available": MORNINGS,
        "skills": ["environment_cleaning"],
        "special_needs": ["breastfeeding"],
    }
    body.update(changes)
    return body


def count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_register_read_and_audit(client: Any, db: Any) -> None:
    headers = bearer("pk.madiun")
    response = client.post("/api/v1/clients", json=client_body(), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["code"].startswith("MDN-2026-")
    assert body["pk"]["username"] == "pk.madiun"
    got = client.get(f"/api/v1/clients/{body['id']}", headers=headers)
    assert got.status_code == 200
    assert got.get_json()["full_name"] == "Klien API Fiktif"
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "client_viewed", AuditLog.object_id == str(body["id"])
        )
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_ordered": 241}, "hours_ordered"),
        ({"deadline": "2026-12-15"}, "deadline"),
        (
            {
                "available": [
                    {"weekday": 0, "start": "07:00", "end": "12:00"},
                    {"weekday": 0, "start": "11:00", "end": "16:00"},
                ]
            },
            "available",
        ),
        ({"sex": "X"}, "sex"),
        ({"birth_date": "kemarin"}, "birth_date"),
    ],
)
def test_refused_input_is_422_per_field_and_writes_nothing(
    client: Any, db: Any, changes: dict, field: str
) -> None:
    headers = bearer("pk.madiun")
    before = count(db, Client)
    response = client.post("/api/v1/clients", json=client_body(**changes), headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["details"]["fields"]
    assert count(db, Client) == before


def test_pk_may_not_set_the_vulnerable_exception(client: Any, db: Any, user: Any) -> None:
    body = client_body(vulnerable_contact_exception=True, vulnerable_contact_reason="x")
    assert client.post("/api/v1/clients", json=body, headers=bearer("pk.madiun")).status_code == 403
    body["pk_id"] = user("pk.madiun").id
    assert (
        client.post("/api/v1/clients", json=body, headers=bearer("kabapas.madiun")).status_code
        == 201
    )


def test_401_403_404(client: Any, db: Any) -> None:
    c = factories.make_client(pk="pk.madiun")
    db.session.commit()  # error responses roll their session back
    assert client.get(f"/api/v1/clients/{c.id}").status_code == 401
    assert client.get(f"/api/v1/clients/{c.id}", headers=bearer("opd.dinsos")).status_code == 403
    assert client.get(f"/api/v1/clients/{c.id}", headers=bearer("setda.ngawi")).status_code == 403
    assert (
        client.post("/api/v1/clients", json=client_body(), headers=bearer("opd.dinsos")).status_code
        == 403
    )
    assert client.get(f"/api/v1/clients/{c.id}", headers=bearer("pk2.madiun")).status_code == 404
    assert (
        client.get(f"/api/v1/clients/{c.id}/matches", headers=bearer("pk2.madiun")).status_code
        == 404
    )
    assert client.get("/api/v1/clients/999999", headers=bearer("pk.madiun")).status_code == 404
    assert (
        client.get(f"/api/v1/clients/{c.id}", headers=bearer("kabapas.madiun")).status_code == 200
    )


def test_matches_eligible_sorted_and_excluded_with_codes(client: Any, db: Any) -> None:
    c = factories.make_client()
    near = factories.make_slot()
    far = factories.make_slot(lat=-7.50, lng=111.60)
    risky = factories.make_slot(risks=["confidential_data"])
    body = client.get(f"/api/v1/clients/{c.id}/matches", headers=bearer("pk.madiun")).get_json()
    assert [e["slot_id"] for e in body["eligible"]] == [near.id]
    excluded = {x["slot_id"]: [r["code"] for r in x["rules"]] for x in body["excluded"]}
    assert excluded[far.id] == ["TOO_FAR"]
    assert excluded[risky.id] == ["CONFIDENTIAL_DATA"]
    assert body["eligible"][0]["reasons"]


def test_batch_books_nothing(client: Any, db: Any) -> None:
    slot = factories.make_slot(capacity=1)
    a, b = factories.make_client(), factories.make_client()
    before = count(db, Placement)
    response = client.post(
        "/api/v1/matching/batch", json={"client_ids": [a.id, b.id]}, headers=bearer("pk.madiun")
    )
    body = response.get_json()
    assert response.status_code == 200
    assert [x["slot_id"] for x in body["assignments"]] == [slot.id]
    assert len(body["unassigned"]) == 1
    assert count(db, Placement) == before
    other = factories.make_client(pk="pk2.madiun")
    db.session.commit()
    response = client.post(
        "/api/v1/matching/batch", json={"client_ids": [a.id, other.id]}, headers=bearer("pk.madiun")
    )
    assert response.status_code == 404


def test_book_then_opd_decides(client: Any, db: Any) -> None:
    c = factories.make_client(full_name="Nama Rahasia", special_needs=["child_under_3"])
    slot = factories.make_slot(capacity=1, facilities=["child_care"])
    db.session.commit()
    pk = bearer("pk.madiun")
    body = {"client_id": c.id, "slot_id": slot.id, "start_date": "2026-06-01", "schedule": MORNINGS}
    response = client.post("/api/v1/placements", json=body, headers=pk)
    assert response.status_code == 201, response.get_json()
    placement = response.get_json()
    assert placement["status"] == "booked"
    assert placement["hours_remaining"] == 120

    other = factories.make_client()
    db.session.commit()
    full = client.post("/api/v1/placements", json={**body, "client_id": other.id}, headers=pk)
    assert full.status_code == 409
    assert full.get_json()["error"] == "capacity_full"

    opd = bearer("opd.dinsos")
    seen = client.get(f"/api/v1/placements/{placement['id']}", headers=opd)
    assert seen.status_code == 200
    assert "Nama Rahasia" not in seen.get_data(as_text=True)
    assert seen.get_json()["client_code"] == c.code
    assert seen.get_json()["site_needs"][0]["requires"] == ["Tempat penitipan anak"]
    assert (
        client.get(f"/api/v1/placements/{placement['id']}", headers=bearer("opd.dlh")).status_code
        == 404
    )

    decide = f"/api/v1/placements/{placement['id']}/decision"
    assert client.post(decide, json={"accept": True}, headers=pk).status_code == 403
    refused = client.post(decide, json={"accept": False}, headers=opd)
    assert refused.status_code == 422
    assert "reason" in refused.get_json()["details"]["fields"]
    ok = client.post(decide, json={"accept": False, "reason": "Renovasi"}, headers=opd)
    assert ok.status_code == 200
    assert ok.get_json()["status"] == "declined"
    assert client.post(decide, json={"accept": True}, headers=opd).status_code == 409
    # declining freed the seat
    again = client.post("/api/v1/placements", json={**body, "client_id": other.id}, headers=pk)
    assert again.status_code == 201


def test_rule_refusal_is_422_with_codes(client: Any, db: Any) -> None:
    c = factories.make_client()
    slot = factories.make_slot(risks=["technical_work"])
    db.session.commit()
    body = {
        "client_id": c.id,
        "slot_id": slot.id,
        "start_date": "2026-06-01",
        "schedule": [{"weekday": 0, "start": "07:00", "end": "16:00"}],
    }
    response = client.post("/api/v1/placements", json=body, headers=bearer("pk.madiun"))
    assert response.status_code == 422
    codes = [r["code"] for r in response.get_json()["details"]["rules"]]
    assert "TECHNICAL_RISK" in codes
    assert "DAILY_HOURS_EXCEEDED" in codes
    assert count(db, Placement) == 0 or not db.session.scalar(
        select(Placement).where(Placement.client_id == c.id)
    )
    kdr_slot = factories.make_slot("NGAWI-DLH")
    kdr_client = factories.make_client(bapas_code="KDR", pk=None)
    db.session.commit()
    assert (
        client.post(
            "/api/v1/placements",
            json={**body, "client_id": kdr_client.id},
            headers=bearer("pk.madiun"),
        ).status_code
        == 404
    )
    assert kdr_slot.id
