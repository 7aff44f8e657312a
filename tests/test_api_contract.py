"""The API against shared/API.md, row by row: paths, methods, who may call, fields, types.

``EXPECTED`` is API.md's resource table as data: for each endpoint the keys its
answer must carry (more keys are allowed: "everything not named is the
implementers' choice"). Each row is asserted on a real answer, and the OpenAPI
document's response schema for that operation must list the same keys.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.models import Addendum, Agreement, AuditLog, ConductCase, Opd, Placement
from portal.models.work_session import WorkSession
from portal.notifications import service as notifications
from tests import factories as f
from tests.factories import bearer

ROLES = ["admin", "setda.ngawi", "kabapas.madiun", "pk.madiun", "opd.dinsos", "pj.dinsos"]

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

SLOT = {
    "id", "opd_id", "title", "category", "description", "address", "lat", "lng", "capacity",
    "occupied", "schedule", "valid_from", "valid_until", "facilities", "risks", "status",
}  # fmt: skip
CLIENT_PAYLOAD = {
    "full_name", "birth_date", "sex", "address", "home_lat", "home_lng", "max_travel_km",
    "is_child", "occupation", "profession_sector", "offence", "offence_via_profession",
    "victim_places", "decision_number", "decision_date", "court", "hours_ordered",
    "start_date", "deadline", "available", "skills", "special_needs", "dependants",
    "health_cleared", "vulnerable_contact_exception",
}  # fmt: skip
CONDUCT = {"id", "category", "date", "status"}
SESSION = {
    "id", "placement_id", "date", "start", "end", "status", "outcome", "minutes_credited",
}  # fmt: skip
PLACEMENT = {
    "id", "client_id", "slot_id", "status", "start_date", "deadline", "hours_ordered",
    "hours_verified", "hours_remaining",
}  # fmt: skip

NOTIFICATION = {"id", "kind", "title", "body", "url", "created_at", "read"}

# API.md's resource table: (method, path) → (schema name in OpenAPI, keys of the answer).
# For list answers the keys are those of each item.
EXPECTED: dict[tuple[str, str], tuple[str, set[str]]] = {
    ("GET", "/me"): ("Me", {"username", "role", "organisation"}),
    ("GET", "/agreements"): (
        "Agreement",
        {
            "id",
            "number_bapas",
            "number_pemda",
            "bapas",
            "pemda",
            "signed_on",
            "valid_until",
            "status",
        },
    ),  # fmt: skip
    ("GET", "/agreements/{agreement_id}/workplan"): (
        "WorkplanActivity",
        {"id", "stage", "activity", "responsible", "output", "progress_percent", "status"},
    ),
    ("GET", "/opds"): ("Opd", {"id", "name", "pemda", "agreement_id"}),
    ("GET", "/job-categories"): ("JobCategory", {"code", "name", "examples"}),
    ("GET", "/slots"): ("Slot", SLOT),
    ("POST", "/slots"): ("Slot", SLOT),
    ("PATCH", "/slots/{slot_id}"): ("Slot", SLOT),
    ("POST", "/clients"): ("Client", {"id", "code", "pk"} | CLIENT_PAYLOAD),
    ("GET", "/clients/{client_id}"): ("Client", {"id", "code", "pk"} | CLIENT_PAYLOAD),
    ("GET", "/clients/{client_id}/matches"): ("Matches", {"eligible", "excluded"}),
    ("POST", "/matching/batch"): ("BatchProposal", {"assignments", "unassigned"}),
    ("POST", "/placements"): ("Placement", PLACEMENT),
    ("GET", "/placements/{placement_id}"): ("Placement", PLACEMENT),
    ("POST", "/placements/{placement_id}/decision"): ("Placement", PLACEMENT),
    ("POST", "/placements/{placement_id}/attendance"): ("Attendance", {"id", "hours", "verified"}),
    ("POST", "/attendance/{attendance_id}/verify"): ("Attendance", {"id", "hours", "verified"}),
    ("POST", "/agreements/{agreement_id}/addenda"): ("Addendum", {"id", "agreement_id", "status"}),
    ("POST", "/addenda/{addendum_id}/confirm"): ("Addendum", {"id", "status"}),
    ("GET", "/agreements/{agreement_id}/addenda"): (
        "Addendum",
        {
            "id",
            "status",
            "number_bapas",
            "number_pemda",
            "signed_on",
            "valid_until",
            "proposed_by",
            "confirmed_by",
        },
    ),  # fmt: skip
    ("GET", "/placements/{placement_id}/sessions"): ("Session", SESSION),
    ("POST", "/sessions/{session_id}/outcome"): ("Session", SESSION),
    ("GET", "/clients/{client_id}/conduct"): (
        "ConductRecord",
        {"id", "category", "date", "status"},
    ),
    ("GET", "/reports/summary"): (
        "ReportSummary",
        {
            "clients_total",
            "clients_active",
            "placements_total",
            "hours_ordered",
            "hours_verified",
            "completion_rate",
            "ready_for_society_percent",
            "slots_total",
            "capacity_total",
            "utilisation_percent",
            "by_opd",
        },
    ),  # fmt: skip
    ("GET", "/notifications"): ("Notification", NOTIFICATION),
    ("POST", "/notifications/{notification_id}/read"): ("Notification", NOTIFICATION),
}

# Who may call each row (API.md's "who" column); everyone else gets 403.
WHO: dict[tuple[str, str], set[str]] = {
    ("GET", "/me"): set(ROLES),
    ("GET", "/agreements"): set(ROLES),
    ("GET", "/agreements/{agreement_id}/workplan"): set(ROLES),
    ("GET", "/opds"): set(ROLES),
    ("GET", "/job-categories"): set(ROLES),
    ("GET", "/slots"): set(ROLES) - {"setda.ngawi"},
    ("POST", "/slots"): {"opd.dinsos"},
    ("PATCH", "/slots/{slot_id}"): {"opd.dinsos"},
    ("POST", "/clients"): {"pk.madiun", "kabapas.madiun"},
    ("GET", "/clients/{client_id}"): {"pk.madiun", "kabapas.madiun"},
    ("GET", "/clients/{client_id}/matches"): {"pk.madiun", "kabapas.madiun"},
    ("POST", "/matching/batch"): {"pk.madiun", "kabapas.madiun"},
    ("POST", "/placements"): {"pk.madiun", "kabapas.madiun"},
    ("GET", "/placements/{placement_id}"): {
        "pk.madiun",
        "kabapas.madiun",
        "opd.dinsos",
        "pj.dinsos",
    },  # fmt: skip
    ("POST", "/placements/{placement_id}/decision"): {"opd.dinsos"},
    ("POST", "/placements/{placement_id}/attendance"): {"pk.madiun", "opd.dinsos", "pj.dinsos"},
    ("POST", "/attendance/{attendance_id}/verify"): {"opd.dinsos", "pj.dinsos"},
    ("GET", "/placements/{placement_id}/sessions"): {
        "pk.madiun",
        "kabapas.madiun",
        "opd.dinsos",
        "pj.dinsos",
    },  # fmt: skip
    ("POST", "/sessions/{session_id}/outcome"): {"pk.madiun", "opd.dinsos", "pj.dinsos"},
    ("GET", "/clients/{client_id}/conduct"): {"pk.madiun", "kabapas.madiun"},
    ("GET", "/reports/summary"): {"setda.ngawi", "kabapas.madiun", "admin"},
    ("POST", "/agreements/{agreement_id}/addenda"): {"admin", "setda.ngawi", "kabapas.madiun"},
    # the fixture's addendum is proposed by the Bapas: only the Pemda's Setda (or the
    # admin) confirms it; the Kepala Bapas confirming his own proposal gets 403
    ("POST", "/addenda/{addendum_id}/confirm"): {"admin", "setda.ngawi"},
    ("GET", "/agreements/{agreement_id}/addenda"): set(ROLES),
    ("GET", "/notifications"): set(ROLES),
    ("POST", "/notifications/{notification_id}/read"): set(ROLES),
}

MORNINGS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]


def slot_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Kebersihan pasar (kontrak)",
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
    body.update(changes)
    return body


def client_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": "Klien Kontrak Fiktif",
        "birth_date": "1991-03-04",
        "sex": "L",
        "address": "Desa Fiktif, Ngawi",
        "home_lat": -7.39,
        "home_lng": 111.46,
        "decision_number": "9/Pid.C/2026/PN Ngw",
        "decision_date": "2026-05-20",
        "court": "Pengadilan Negeri Ngawi",
        "hours_ordered": 80,
        "start_date": "2026-06-01",
        "deadline": "2026-11-30",
        "offence": "Penganiayaan ringan",
        "available": MORNINGS,
        "skills": ["environment_cleaning"],
    }
    body.update(changes)
    return body


def _session(placement: Placement) -> WorkSession:
    """A planned session last Friday, waiting for its outcome."""
    session = WorkSession(
        placement_id=placement.id,
        client_id=placement.client_id,
        session_date=date(2026, 5, 29),
        start=time(8, 0),
        end=time(12, 0),
        minutes=240,
    )
    f.db.session.add(session)
    f.db.session.flush()
    return session


class World:
    """One record of each kind in Madiun/Ngawi, and a placement in Kediri/Trenggalek."""

    def __init__(self) -> None:
        self.slot = f.make_slot(
            "NGAWI-DINSOS", capacity=3, supervisor_user_id=f.user("pj.dinsos").id
        )
        self.client = f.make_client("MDN")
        self.waiting = f.make_client("MDN")
        self.placement = f.make_placement(self.client, self.slot)
        self.attendance = f.make_attendance(self.placement)
        self.session = _session(self.placement)
        self.conduct = ConductCase(
            client_id=self.client.id,
            kind="violation",
            category="absence",
            occurred_on=date(2026, 5, 29),
            description="Tidak hadir pada sesi kerja.",
        )
        f.db.session.add(self.conduct)
        self.booked = f.make_placement(f.make_client("MDN"), self.slot, status="booked")
        self.agreement = self.slot.agreement
        tr_opd = f.db.session.scalar(select(Opd).where(Opd.code.like("TRENGGALEK-%")).limit(1))
        other = f.db.session.scalar(select(Agreement).where(Agreement.pemda_id == tr_opd.pemda_id))
        self.other_agreement = other
        self.other_slot = f.make_slot("NGAWI-DINSOS", opd_id=tr_opd.id, agreement_id=other.id)
        self.other_client = f.make_client("KDR", pk=None)
        self.other_placement = f.make_placement(self.other_client, self.other_slot)
        self.other_attendance = f.make_attendance(self.other_placement)
        self.other_session = _session(self.other_placement)
        self.other_booked = f.make_placement(
            f.make_client("KDR", pk=None), self.other_slot, status="booked"
        )
        # The booking told the slot's OPD admins; another OPD's admin has his own inbox.
        notifications.booking_requested(self.booked)
        self.notification = notifications.inbox(f.user("opd.dinsos"))[0]
        notifications.booking_requested(
            f.make_placement(f.make_client("MDN"), f.make_slot("NGAWI-RSUD"), status="booked")
        )
        self.other_notification = notifications.inbox(f.user("opd.rsud"))[0]

    def addendum(self, other: bool = False) -> Addendum:
        """An addendum proposed by the agreement's Bapas, waiting for the Pemda."""
        agreement = self.other_agreement if other else self.agreement
        found = f.db.session.scalar(select(Addendum).where(Addendum.agreement_id == agreement.id))
        if found is None:
            found = Addendum(
                agreement_id=agreement.id,
                number="ADD-UJI/1",
                number_pemda="ADD-UJI/P1",
                signed_on=date(2026, 5, 20),
                new_valid_until=date(2027, 11, 27),
                summary="Perpanjangan satu tahun.",
                status="proposed",
                proposed_party="bapas",
            )
            f.db.session.add(found)
            f.db.session.commit()
        return found

    def path(self, template: str, other: bool = False) -> str:
        ids = {
            "agreement_id": (self.other_agreement if other else self.agreement).id,
            "slot_id": (self.other_slot if other else self.slot).id,
            "client_id": (self.other_client if other else self.client).id,
            "placement_id": (self.other_placement if other else self.placement).id,
            # a decision is taken on a booking still waiting for one
            "booked_id": (self.other_booked if other else self.booked).id,
            "attendance_id": (self.other_attendance if other else self.attendance).id,
            "session_id": (self.other_session if other else self.session).id,
            "notification_id": (self.other_notification if other else self.notification).id,
        }
        if "{addendum_id}" in template:
            ids["addendum_id"] = self.addendum(other).id
        if template.endswith("/decision"):
            template = template.replace("{placement_id}", "{booked_id}")
        return "/api/v1" + template.format(**ids)


@pytest.fixture
def world(db: Any) -> World:
    built = World()
    db.session.commit()
    return built


def request_body(world: World, method: str, path: str) -> dict[str, Any] | None:
    """A valid body for each writing endpoint."""
    if (method, path) == ("POST", "/slots"):
        return slot_body()
    if (method, path) == ("PATCH", "/slots/{slot_id}"):
        return {"capacity": 4}
    if (method, path) == ("POST", "/clients"):
        return client_body()
    if path == "/matching/batch":
        return {"client_ids": [world.waiting.id]}
    if (method, path) == ("POST", "/placements"):
        return {
            "client_id": world.waiting.id,
            "slot_id": world.slot.id,
            "start_date": "2026-06-02",
            "schedule": MORNINGS,
        }
    if (method, path) == ("POST", "/agreements/{agreement_id}/addenda"):
        return {
            "number_bapas": "ADD-API/1",
            "number_pemda": "ADD-API/P1",
            "signed_on": "2026-05-20",
            "valid_until": "2027-11-27",
            "summary": "Perpanjangan masa berlaku satu tahun.",
        }
    if path.endswith("/confirm"):
        return {"extend_slots": True}
    if path.endswith("/outcome"):
        return {"outcome": "acceptable_absence", "reason_code": "site_closed", "reason": "Libur"}
    if path.endswith("/decision"):
        return {"accept": False, "reason": "Kuota pendamping penuh bulan ini."}
    if path.endswith("/attendance"):
        return {
            "date": "2026-05-12",
            "time_in": "08:00",
            "time_out": "11:30",
            "activity": "Menyapu",
        }
    return None


def call(client: Any, world: World, method: str, path: str, headers: Any, other: bool = False):  # noqa: ANN201
    body = request_body(world, method, path)
    if (method, path) == ("GET", "/agreements/{agreement_id}/addenda"):
        world.addendum(other)  # the history lists something
    return client.open(world.path(path, other), method=method, json=body, headers=headers)


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert set(payload) == {"error", "message", "details"}, payload
    assert isinstance(payload["error"], str)
    assert payload["error"]
    assert isinstance(payload["message"], str)
    assert payload["message"]
    assert isinstance(payload["details"], dict)
    return payload


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- the table itself --------------------------------------------------------


def test_every_api_md_row_exists_with_its_method(app: Any) -> None:
    routes = {
        (m, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", r.rule.removeprefix("/api/v1")))
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert set(EXPECTED) <= routes
    assert set(WHO) == set(EXPECTED)


@pytest.mark.parametrize("row", list(EXPECTED), ids=" ".join)
def test_answer_has_api_md_keys(client: Any, world: World, row: tuple[str, str]) -> None:
    method, path = row
    caller = sorted(WHO[row], key=lambda u: u != "opd.dinsos" and u != "pk.madiun")[0]
    if path == "/reports/summary":
        caller = "kabapas.madiun"
    if path.startswith("/notifications"):
        caller = "opd.dinsos"  # the fixture's booking told him
    response = call(client, world, method, path, bearer(caller))
    assert response.status_code in (200, 201), response.get_json()
    payload = response.get_json()
    _, keys = EXPECTED[row]
    items = payload if isinstance(payload, list) else [payload]
    assert items, f"{path} answered an empty list: the fixture must give it something"
    for item in items:
        assert keys <= set(item), keys - set(item)


@pytest.mark.parametrize("row", list(EXPECTED), ids=" ".join)
def test_openapi_response_schema_lists_api_md_keys(client: Any, row: tuple[str, str]) -> None:
    method, path = row
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1" + path][method.lower()]
    ok = next(code for code in ("200", "201") if code in operation["responses"])
    schema = operation["responses"][ok]["content"]["application/json"]["schema"]
    if schema.get("type") == "array":
        schema = schema["items"]
    name, keys = EXPECTED[row]
    assert schema == {"$ref": f"#/components/schemas/{name}"}
    properties = document["components"]["schemas"][name]["properties"]
    assert keys <= set(properties), keys - set(properties)


# --- who may call ------------------------------------------------------------


@pytest.mark.parametrize("row", list(EXPECTED), ids=" ".join)
def test_401_without_or_with_a_bad_token(client: Any, world: World, row: tuple[str, str]) -> None:
    method, path = row
    for headers in (None, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eA=="}):
        payload = assert_error_shape(call(client, world, method, path, headers), 401)
        assert payload["error"] in ("unauthorized", "invalid_token")


@pytest.mark.parametrize("row", list(EXPECTED), ids=" ".join)
def test_403_for_roles_not_named(client: Any, world: World, row: tuple[str, str]) -> None:
    method, path = row
    for username in sorted(set(ROLES) - WHO[row]):
        response = call(client, world, method, path, bearer(username))
        assert_error_shape(response, 403)


OWN_RECORD_ROWS = [row for row in EXPECTED if "{" in row[1]]


@pytest.mark.parametrize("row", OWN_RECORD_ROWS, ids=" ".join)
def test_404_for_another_organisations_record(
    client: Any, world: World, row: tuple[str, str]
) -> None:
    method, path = row
    for username in sorted(WHO[row] - {"admin"}):
        response = call(client, world, method, path, bearer(username), other=True)
        assert_error_shape(response, 404)


def test_other_opd_of_the_same_pemda_gets_404(client: Any, world: World) -> None:
    headers = bearer("opd.dlh")
    for method, path in [
        ("GET", "/placements/{placement_id}"),
        ("POST", "/placements/{placement_id}/decision"),
        ("POST", "/placements/{placement_id}/attendance"),
        ("POST", "/attendance/{attendance_id}/verify"),
        ("PATCH", "/slots/{slot_id}"),
    ]:
        assert_error_shape(call(client, world, method, path, headers), 404)


def test_admin_gets_no_placement(client: Any, world: World) -> None:
    """API.md: a placement is for the PK's Bapas and the slot's OPD only."""
    response = client.get(world.path("/placements/{placement_id}"), headers=bearer("admin"))
    assert_error_shape(response, 403)


# --- fields and types --------------------------------------------------------


def test_me_role_codes_and_organisation(client: Any, db: Any) -> None:
    kinds = {"pk.madiun": "bapas", "setda.ngawi": "pemda", "opd.dinsos": "opd"}
    for username in ROLES:
        payload = client.get("/api/v1/me", headers=bearer(username)).get_json()
        assert payload["username"] == username
        assert payload["role"] in {
            "admin", "opd_admin", "site_supervisor", "pk", "kepala_bapas", "setda",
        }  # fmt: skip
        assert set(payload["organisation"]) >= {"type", "id", "name"}
        if username in kinds:
            assert payload["organisation"]["type"] == kinds[username]
            assert isinstance(payload["organisation"]["id"], int)
    roles = {u: client.get("/api/v1/me", headers=bearer(u)).get_json()["role"] for u in ROLES}
    assert roles == {
        "admin": "admin", "setda.ngawi": "setda", "kabapas.madiun": "kepala_bapas",
        "pk.madiun": "pk", "opd.dinsos": "opd_admin", "pj.dinsos": "site_supervisor",
    }  # fmt: skip


def test_agreement_dates_and_status(client: Any, world: World) -> None:
    rows = client.get("/api/v1/agreements", headers=bearer("admin")).get_json()
    assert len(rows) >= 2
    for row in rows:
        for key in ("signed_on", "valid_until"):
            assert row[key] is None or ISO_DATE.match(row[key])
        assert row["status"] in ("draft", "active", "expired")


def test_job_categories_are_the_five_codes(client: Any, db: Any) -> None:
    rows = client.get("/api/v1/job-categories", headers=bearer("opd.dinsos")).get_json()
    assert [r["code"] for r in rows] == [
        "social_institution", "public_service", "environment_cleaning", "light_admin",
        "teaching_training",
    ]  # fmt: skip
    assert all(isinstance(r["examples"], list) and r["examples"] for r in rows)


def test_opds_name_their_agreement(client: Any, world: World) -> None:
    rows = client.get("/api/v1/opds", headers=bearer("pk.madiun")).get_json()
    dinsos = next(r for r in rows if r["id"] == world.slot.opd_id)
    assert dinsos["agreement_id"] == world.agreement.id
    assert world.other_slot.opd_id not in {r["id"] for r in rows}


def test_slot_field_types(client: Any, world: World) -> None:
    rows = client.get("/api/v1/slots", headers=bearer("pk.madiun")).get_json()
    slot = next(r for r in rows if r["id"] == world.slot.id)
    assert slot["occupied"] == 2
    assert slot["capacity"] == 3
    assert is_number(slot["lat"])
    assert is_number(slot["lng"])
    assert ISO_DATE.match(slot["valid_from"])
    assert ISO_DATE.match(slot["valid_until"])
    assert slot["schedule"]
    assert all(
        set(s) == {"weekday", "start", "end"}
        and 0 <= s["weekday"] <= 6
        and HHMM.match(s["start"])
        and HHMM.match(s["end"])
        for s in slot["schedule"]
    )
    assert isinstance(slot["facilities"], list)
    assert isinstance(slot["risks"], list)
    assert slot["status"] == "published"
    assert world.other_slot.id not in {r["id"] for r in rows}


def test_slot_filters(client: Any, world: World) -> None:
    headers = bearer("pk.madiun")
    full = f.make_slot("NGAWI-DLH", capacity=1)
    f.make_placement(f.make_client("MDN"), full)
    rows = client.get(f"/api/v1/slots?opd_id={full.opd_id}", headers=headers).get_json()
    assert {r["opd_id"] for r in rows} == {full.opd_id}
    rows = client.get("/api/v1/slots?available=true", headers=headers).get_json()
    assert full.id not in {r["id"] for r in rows}
    assert world.slot.id in {r["id"] for r in rows}
    rows = client.get("/api/v1/slots?category=light_admin", headers=headers).get_json()
    assert all(r["category"] == "light_admin" for r in rows)


def test_client_profile_types(client: Any, world: World) -> None:
    payload = client.get(world.path("/clients/{client_id}"), headers=bearer("pk.madiun")).get_json()
    for key in ("birth_date", "decision_date", "start_date", "deadline"):
        assert ISO_DATE.match(payload[key])
    assert is_number(payload["hours_ordered"])
    assert payload["pk"]["username"] == "pk.madiun"
    assert all(HHMM.match(s["start"]) and HHMM.match(s["end"]) for s in payload["available"])


def test_placement_types_and_opd_sees_code_not_name(client: Any, world: World) -> None:
    for username in ("opd.dinsos", "pj.dinsos", "pk.madiun"):
        response = client.get(world.path("/placements/{placement_id}"), headers=bearer(username))
        payload = response.get_json()
        assert payload["client_id"] == world.client.id
        assert payload["client_code"] == world.client.code
        assert world.client.full_name not in response.get_data(as_text=True)
        assert ISO_DATE.match(payload["start_date"])
        assert ISO_DATE.match(payload["deadline"])
        for key in ("hours_ordered", "hours_verified", "hours_remaining"):
            assert is_number(payload[key]), key
        assert payload["hours_remaining"] == payload["hours_ordered"] - payload["hours_verified"]


def test_booking_answers_booked_409_when_full_and_422_with_rule_codes(
    client: Any, world: World, db: Any
) -> None:
    headers = bearer("pk.madiun")
    body = request_body(world, "POST", "/placements")
    response = client.post("/api/v1/placements", json=body, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["status"] == "booked"

    full = f.make_slot("NGAWI-DLH", capacity=1)
    f.make_placement(f.make_client("MDN"), full)
    late = f.make_client("MDN")
    count = db.session.scalar(select(func.count(Placement.id)))
    response = client.post(
        "/api/v1/placements",
        json={**body, "client_id": late.id, "slot_id": full.id},
        headers=headers,
    )
    assert assert_error_shape(response, 409)["error"] == "capacity_full"

    victim = f.make_client(
        "MDN", victim_places=[{"label": "Rumah korban", "lat": -7.405, "lng": 111.447}]
    )
    response = client.post(
        "/api/v1/placements", json={**body, "client_id": victim.id}, headers=headers
    )
    payload = assert_error_shape(response, 422)
    codes = {r["code"] for r in payload["details"]["rules"]}
    assert "VICTIM_PROXIMITY" in codes
    assert all(set(r) == {"code", "message"} for r in payload["details"]["rules"])
    assert db.session.scalar(select(func.count(Placement.id))) == count


def test_declining_frees_the_seat(client: Any, world: World, db: Any) -> None:
    slot = f.make_slot("NGAWI-DINSOS", capacity=1)
    booked = f.make_placement(f.make_client("MDN"), slot, status="booked")
    response = client.post(
        f"/api/v1/placements/{booked.id}/decision",
        json={"accept": False, "reason": "Tidak ada pendamping."},
        headers=bearer("opd.dinsos"),
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "declined"
    rows = client.get("/api/v1/slots?available=true", headers=bearer("pk.madiun")).get_json()
    row = next(r for r in rows if r["id"] == slot.id)
    assert row["occupied"] == 0


def test_attendance_201_and_daily_and_total_hour_rules(client: Any, world: World) -> None:
    headers = bearer("pj.dinsos")
    url = world.path("/placements/{placement_id}/attendance")
    body = {"date": "2026-05-12", "time_in": "08:00", "time_out": "11:30", "activity": "Menyapu"}
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201
    payload = response.get_json()
    assert payload["hours"] == 3.5
    assert payload["verified"] is False
    assert isinstance(payload["id"], int)
    late = {**body, "time_in": "12:00", "time_out": "17:00"}
    payload = assert_error_shape(client.post(url, json=late, headers=headers), 422)
    assert "DAILY_HOURS_EXCEEDED" in {r["code"] for r in payload["details"]["rules"]}

    short = f.make_client("MDN", hours_ordered=8)
    placement = f.make_placement(
        short, f.make_slot("NGAWI-DINSOS", supervisor_user_id=f.user("pj.dinsos").id)
    )
    f.make_attendance(
        placement, work_date=date(2026, 5, 11), time_in=time(8), time_out=time(14), minutes=360
    )
    response = client.post(
        f"/api/v1/placements/{placement.id}/attendance",
        json={**body, "time_in": "08:00", "time_out": "11:00"},
        headers=headers,
    )
    payload = assert_error_shape(response, 422)
    assert "TOTAL_HOURS_EXCEEDED" in {r["code"] for r in payload["details"]["rules"]}


def test_verify_counts_the_hours(client: Any, world: World) -> None:
    response = client.post(
        world.path("/attendance/{attendance_id}/verify"), headers=bearer("pj.dinsos")
    )
    assert response.status_code == 200
    assert response.get_json()["verified"] is True
    placement = client.get(
        world.path("/placements/{placement_id}"), headers=bearer("pk.madiun")
    ).get_json()
    assert placement["hours_verified"] == 4


def test_validation_errors_name_fields(client: Any, world: World) -> None:
    cases = [
        ("POST", "/api/v1/slots", slot_body(lat="utara"), "opd.dinsos", "lat"),
        (
            "POST",
            "/api/v1/clients",
            client_body(birth_date="04-03-1991"),
            "pk.madiun",
            "birth_date",
        ),
        (
            "POST",
            world.path("/placements/{placement_id}/attendance"),
            {"date": "2026-05-12", "time_in": "8 pagi", "time_out": "11:00"},
            "pj.dinsos",
            "time_in",
        ),
        ("POST", "/api/v1/placements", {"client_id": world.waiting.id}, "pk.madiun", "slot_id"),
    ]
    for method, url, body, username, field in cases:
        response = client.open(url, method=method, json=body, headers=bearer(username))
        payload = assert_error_shape(response, 422)
        assert payload["error"] == "validation_error"
        fields = payload["details"]["fields"]
        assert field in fields, fields
        assert all(
            isinstance(m, list) and all(isinstance(x, str) for x in m) for m in fields.values()
        )


def test_unknown_path_and_wrong_method_answer_in_the_error_shape(client: Any, db: Any) -> None:
    headers = bearer("pk.madiun")
    assert_error_shape(client.get("/api/v1/tidak-ada", headers=headers), 404)
    assert_error_shape(client.delete("/api/v1/slots", headers=headers), 405)
    response = client.post(
        "/api/v1/clients",
        data="{bukan json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


def test_summary_never_names_a_client(client: Any, world: World) -> None:
    for username in ("setda.ngawi", "kabapas.madiun", "admin"):
        response = client.get("/api/v1/reports/summary", headers=bearer(username))
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert world.client.full_name not in text
        assert world.client.code not in text
        payload = response.get_json()
        assert is_number(payload["hours_ordered"])
        assert is_number(payload["hours_verified"])
        assert isinstance(payload["by_opd"], list)


def test_reading_a_client_is_audited(client: Any, world: World, db: Any) -> None:
    def reads() -> int:
        return db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "client_viewed", AuditLog.object_id == str(world.client.id)
            )
        )

    before = reads()
    client.get(world.path("/clients/{client_id}"), headers=bearer("kabapas.madiun"))
    assert reads() == before + 1
