"""The API foundation: bearer tokens, the error shape, roles, organisations, rate limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.api.errors import ApiError
from portal.api.tokens import find_token, hash_token
from portal.models import ApiToken, AuditLog, Bapas, Opd, Pemda, Role, User
from portal.models.base import utcnow
from tests.factories import bearer, make_api_token, user

ENDPOINTS = ["/api/v1/me", "/api/v1/agreements", "/api/v1/opds", "/api/v1/job-categories"]
ALL_DEMO_USERS = [
    "admin",
    "setda.ngawi",
    "kabapas.madiun",
    "pk.madiun",
    "opd.dinsos",
    "pj.dinsos",
]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error", "message", "details"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["details"], dict)
    if code:
        assert body["error"] == code
    return body


def make_user(db: Any, username: str, role: str, **org: Any) -> User:
    account = User(username=username, full_name=username.title(), role=role, **org)
    db.session.add(account)
    db.session.flush()
    return account


# --- 401 on every endpoint ---------------------------------------------------


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_token_is_401_in_the_error_shape(client: FlaskClient, path: str) -> None:
    body = assert_error(client.get(path), 401, "unauthorized")
    assert "Bearer" in body["message"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    ["Bearer psk_not-a-real-token", "Bearer ", "Basic cGs6cGs=", "psk_abc", "Bearer x" * 50],
)
def test_bad_token_is_401(client: FlaskClient, path: str, header: str) -> None:
    response = client.get(path, headers={"Authorization": header})
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_revoked_token_is_401(client: FlaskClient, db: Any, path: str) -> None:
    plaintext = make_api_token("pk.madiun")
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get(path, headers=headers).status_code == 200
    token = find_token(plaintext)
    assert token is not None
    token.revoked_at = utcnow()
    db.session.flush()
    assert_error(client.get(path, headers=headers), 401, "invalid_token")


@pytest.mark.parametrize("path", ENDPOINTS)
def test_expired_token_is_401(client: FlaskClient, db: Any, path: str) -> None:
    plaintext = make_api_token("pk.madiun")
    token = find_token(plaintext)
    assert token is not None
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert_error(client.get(path, headers={"Authorization": f"Bearer {plaintext}"}), 401)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_token_of_a_disabled_user_is_401(client: FlaskClient, db: Any, path: str) -> None:
    headers = bearer("pk2.madiun")
    user("pk2.madiun").enabled = False
    db.session.flush()
    assert_error(client.get(path, headers=headers), 401)


def test_a_browser_session_does_not_authenticate_the_api(
    client: FlaskClient, login_as: Any
) -> None:
    login_as("admin")
    assert client.get("/profil").status_code == 200
    assert_error(client.get("/api/v1/me"), 401)


# --- endpoints for every role --------------------------------------------------


@pytest.mark.parametrize("username", ALL_DEMO_USERS)
@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_role_may_read_the_common_endpoints(
    client: FlaskClient, username: str, path: str
) -> None:
    response = client.get(path, headers=bearer(username))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_me_names_role_and_organisation(client: FlaskClient) -> None:
    body = client.get("/api/v1/me", headers=bearer("opd.dinsos")).get_json()
    assert body["username"] == "opd.dinsos"
    assert body["role"] == "opd_admin"
    assert body["organisation"]["type"] == "opd"
    assert body["organisation"]["name"] == user("opd.dinsos").opd.name
    pk = client.get("/api/v1/me", headers=bearer("pk.madiun")).get_json()
    assert pk["role"] == "pk"
    assert pk["organisation"] == {
        "type": "bapas",
        "id": user("pk.madiun").bapas_id,
        "name": user("pk.madiun").bapas.name,
    }
    admin = client.get("/api/v1/me", headers=bearer("admin")).get_json()
    assert admin["organisation"] == {"type": None, "id": None, "name": "Portal Sinergi"}


def test_agreements_carry_the_fields_of_api_md(client: FlaskClient) -> None:
    rows = client.get("/api/v1/agreements", headers=bearer("pk.madiun")).get_json()
    assert len(rows) == 1
    ngawi = rows[0]
    assert {
        "id",
        "number_bapas",
        "number_pemda",
        "bapas",
        "pemda",
        "signed_on",
        "valid_until",
        "status",
    } <= set(ngawi)
    assert ngawi["number_bapas"] == "WP.15.PAS.42.HK.01.02-1671"
    assert ngawi["signed_on"] == "2025-11-27"
    assert ngawi["pemda"]["code"] == "NGAWI"
    assert ngawi["bapas"]["code"] == "MDN"
    # On 1 June 2026 the NK signed 27-11-2025 is in force.
    assert ngawi["status"] == "active"


def test_agreement_status_follows_the_effective_validity(client: FlaskClient, db: Any) -> None:
    from datetime import date

    from portal import clock
    from portal.models import Addendum

    headers = bearer("pk.madiun")
    clock.freeze(date(2026, 11, 1))  # within the warning period: still "active"
    row = client.get("/api/v1/agreements", headers=headers).get_json()[0]
    assert row["status"] == "active"
    clock.freeze(date(2027, 1, 5))
    row = client.get("/api/v1/agreements", headers=headers).get_json()[0]
    assert row["status"] == "expired"
    agreement = db.session.get(
        __import__("portal.models", fromlist=["Agreement"]).Agreement, row["id"]
    )
    db.session.add(
        Addendum(
            agreement_id=agreement.id,
            number="ADD/1/2026",
            signed_on=date(2026, 11, 20),
            new_valid_until=date(2027, 11, 26),
            status="in_force",
        )
    )
    db.session.flush()
    db.session.expire(agreement)
    row = client.get("/api/v1/agreements", headers=headers).get_json()[0]
    assert row["status"] == "active"
    assert row["valid_until"] == "2027-11-26"


def test_draft_agreement_is_draft(client: FlaskClient, db: Any) -> None:
    kdr = db.session.scalar(select(Bapas).where(Bapas.code == "KDR"))
    pk_kdr = make_user(db, "pk.kediri", Role.PK, bapas_id=kdr.id)
    rows = client.get("/api/v1/agreements", headers=bearer(pk_kdr)).get_json()
    assert [r["pemda"]["code"] for r in rows] == ["TRENGGALEK"]
    assert rows[0]["status"] == "draft"


def test_agreements_of_other_organisations_are_not_listed(client: FlaskClient, db: Any) -> None:
    mgl = db.session.scalar(select(Bapas).where(Bapas.code == "MGL"))
    pk_mgl = make_user(db, "pk.magelang", Role.PK, bapas_id=mgl.id)
    assert client.get("/api/v1/agreements", headers=bearer(pk_mgl)).get_json() == []
    setda = client.get("/api/v1/agreements", headers=bearer("setda.ngawi")).get_json()
    assert {r["pemda"]["code"] for r in setda} == {"NGAWI"}
    admin = client.get("/api/v1/agreements", headers=bearer("admin")).get_json()
    assert {r["pemda"]["code"] for r in admin} >= {"NGAWI", "TRENGGALEK"}


def test_opds_are_those_of_the_callers_partners(client: FlaskClient, db: Any) -> None:
    ngawi = db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    ngawi_opds = set(db.session.scalars(select(Opd.id).where(Opd.pemda_id == ngawi.id)))
    rows = client.get("/api/v1/opds", headers=bearer("pk.madiun")).get_json()
    assert {r["id"] for r in rows} == ngawi_opds
    dinsos = next(r for r in rows if r["code"] == "NGAWI-DINSOS")
    assert set(dinsos) >= {"id", "name", "pemda", "agreement_id"}
    assert dinsos["pemda"]["code"] == "NGAWI"
    agreements = client.get("/api/v1/agreements", headers=bearer("pk.madiun")).get_json()
    assert dinsos["agreement_id"] == agreements[0]["id"]
    # An OPD user sees the OPDs of his own Pemda, not Trenggalek's.
    opd_rows = client.get("/api/v1/opds", headers=bearer("opd.dinsos")).get_json()
    assert {r["id"] for r in opd_rows} == ngawi_opds
    # A Bapas without an agreement sees no OPD.
    mgl = db.session.scalar(select(Bapas).where(Bapas.code == "MGL"))
    pk_mgl = make_user(db, "pk.magelang2", Role.PK, bapas_id=mgl.id)
    assert client.get("/api/v1/opds", headers=bearer(pk_mgl)).get_json() == []


def test_job_categories_are_the_catalogue(client: FlaskClient) -> None:
    rows = client.get("/api/v1/job-categories", headers=bearer("opd.dlh")).get_json()
    assert [r["code"] for r in rows] == [
        "social_institution",
        "public_service",
        "environment_cleaning",
        "light_admin",
        "teaching_training",
    ]
    assert all(r["name"] and isinstance(r["examples"], list) for r in rows)


# --- the error shape everywhere --------------------------------------------------


def test_unknown_path_and_wrong_method_answer_in_the_error_shape(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/tidak-ada", headers=bearer()), 404, "not_found")
    assert_error(client.get("/api/v1"), 404)
    body = assert_error(client.delete("/api/v1/me", headers=bearer()), 405, "method_not_allowed")
    assert "GET" in body["details"]["allowed_methods"]
    # The web pages keep their HTML error pages.
    page = client.get("/tidak-ada")
    assert page.status_code == 404
    assert not page.is_json


def test_payload_too_large_is_413_json(app: Flask, client: FlaskClient) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/api/v1/me",
        data=b"x" * (limit + 10),
        headers={**bearer(), "Content-Type": "application/json"},
    )
    assert response.status_code in (405, 413)
    assert_error(response, response.status_code)


def test_rate_limit_is_429_in_the_error_shape(
    app: Flask, client: FlaskClient, rate_limits: None
) -> None:
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        headers = bearer("pk.madiun")
        for _ in range(3):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
        body = assert_error(client.get("/api/v1/agreements", headers=headers), 429, "rate_limited")
        assert body["message"].startswith("Terlalu banyak")
        # The limit is per user: another user's token is not affected.
        assert client.get("/api/v1/me", headers=bearer("opd.dinsos")).status_code == 200
        # The OpenAPI document stays readable.
        assert client.get("/api/v1/openapi.json").status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "300 per minute"


def test_anonymous_calls_are_limited_per_address(
    app: Flask, client: FlaskClient, rate_limits: None
) -> None:
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        for _ in range(2):
            assert client.get("/api/v1/me").status_code == 401
        assert_error(client.get("/api/v1/me"), 429)
    finally:
        app.config["API_RATE_LIMIT"] = "300 per minute"


# --- the decorator: 403 by role, 404 outside the organisation, rollback on error ----


@pytest.fixture
def probe_app(app: Flask) -> Flask:
    """A second portal app with probe views under /api/v1 that use the helpers."""
    from portal import create_app
    from portal.api.auth import api_user, ensure_found, require_api
    from portal.api.body import SCHEDULE_ITEM, json_body
    from portal.api.errors import capacity_full, rule_error
    from portal.extensions import db as _db

    # RATELIMIT_ENABLED off: init_app would otherwise switch the shared limiter on for
    # every later test of the session.
    probe = create_app({**app.config, "RATELIMIT_ENABLED": False})

    @require_api("client.view")
    def clients_only() -> Any:
        return {"ok": True}

    @require_api()
    def own_bapas(bapas_id: int) -> Any:
        ensure_found(api_user().bapas_id == bapas_id)
        return {"ok": True}

    @require_api()
    def write_then_fail(kind: str) -> Any:
        _db.session.add(Pemda(code="ROLLBACK", name="Rollback", short_name="Rollback"))
        _db.session.flush()
        if kind == "rule":
            raise rule_error([("TOO_FAR", "Lokasi terlalu jauh dari rumah klien.")])
        if kind == "capacity":
            raise capacity_full()
        raise ApiError(409, "conflict")

    @require_api()
    def body_probe() -> Any:
        return json_body(
            {
                "type": "object",
                "required": ["title", "capacity"],
                "additionalProperties": False,
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 5},
                    "capacity": {"type": "integer", "minimum": 1},
                    "unpaid_confirmed": {"const": True},
                    "schedule": {"type": "array", "items": SCHEDULE_ITEM},
                },
            }
        )

    probe.add_url_rule("/api/v1/_probe/clients", view_func=clients_only)
    probe.add_url_rule("/api/v1/_probe/bapas/<int:bapas_id>", view_func=own_bapas)
    probe.add_url_rule("/api/v1/_probe/fail/<kind>", view_func=write_then_fail, methods=["POST"])
    probe.add_url_rule("/api/v1/_probe/body", view_func=body_probe, methods=["POST"])
    return probe


def test_wrong_role_is_403(probe_app: Flask, db: Any) -> None:
    client = probe_app.test_client()
    assert client.get("/api/v1/_probe/clients", headers=bearer("pk.madiun")).status_code == 200
    for username in ("opd.dinsos", "setda.ngawi", "admin", "pj.dinsos"):
        assert_error(
            client.get("/api/v1/_probe/clients", headers=bearer(username)), 403, "forbidden"
        )


def test_record_of_another_organisation_is_404(probe_app: Flask, db: Any) -> None:
    client = probe_app.test_client()
    mdn = user("pk.madiun").bapas_id
    kdr = db.session.scalar(select(Bapas).where(Bapas.code == "KDR")).id
    assert client.get(f"/api/v1/_probe/bapas/{mdn}", headers=bearer()).status_code == 200
    assert_error(client.get(f"/api/v1/_probe/bapas/{kdr}", headers=bearer()), 404, "not_found")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [("rule", 422, "rule_violation"), ("capacity", 409, "capacity_full"), ("x", 409, "conflict")],
)
def test_a_failed_request_writes_nothing(
    probe_app: Flask, db: Any, kind: str, status: int, code: str
) -> None:
    client = probe_app.test_client()
    body = assert_error(client.post(f"/api/v1/_probe/fail/{kind}", headers=bearer()), status, code)
    if kind == "rule":
        assert body["details"]["rules"] == [
            {"code": "TOO_FAR", "message": "Lokasi terlalu jauh dari rumah klien."}
        ]
    assert db.session.scalar(select(Pemda).where(Pemda.code == "ROLLBACK")) is None


def test_json_body_validation_is_422_per_field(probe_app: Flask, db: Any) -> None:
    client = probe_app.test_client()
    headers = bearer()
    ok = client.post("/api/v1/_probe/body", json={"title": "Taman", "capacity": 2}, headers=headers)
    assert ok.status_code == 200
    body = assert_error(
        client.post(
            "/api/v1/_probe/body",
            json={
                "title": "Terlalu panjang",
                "capacity": "dua",
                "unpaid_confirmed": False,
                "schedule": [{"weekday": 9, "start": "8 pagi", "end": "12:00"}],
                "honor": 100000,
            },
            headers=headers,
        ),
        422,
        "validation_error",
    )
    fields = body["details"]["fields"]
    assert fields["title"] == ["Maksimal 5 karakter."]
    assert fields["capacity"] == ["Harus berupa bilangan bulat."]
    assert fields["unpaid_confirmed"] == ["Harus bernilai true."]
    assert fields["schedule.0.weekday"] == ["Maksimal 6."]
    assert fields["schedule.0.start"] == ["Jam tidak sah (format JJ:MM)."]
    assert fields["honor"] == ["Isian tidak dikenal."]
    missing = assert_error(client.post("/api/v1/_probe/body", json={}, headers=headers), 422)
    assert missing["details"]["fields"] == {"title": ["Wajib diisi."], "capacity": ["Wajib diisi."]}
    not_json = assert_error(
        client.post("/api/v1/_probe/body", data="title=x", headers=headers), 422
    )
    assert "JSON" in not_json["details"]["fields"]["body"][0]
    array = assert_error(client.post("/api/v1/_probe/body", json=[1], headers=headers), 422)
    assert "objek" in array["details"]["fields"]["body"][0]


# --- tokens are stored hashed ------------------------------------------------------


def test_tokens_are_stored_only_as_a_hash(db: Any) -> None:
    plaintext = make_api_token("pk.madiun", name="Sistem SDP")
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Sistem SDP"))
    assert row.token_hash == hash_token(plaintext)
    assert plaintext not in (row.token_hash, row.prefix)
    assert plaintext.startswith(row.prefix)
    assert len(plaintext) > 40
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "api_token_created", AuditLog.object_id == str(row.id)
        )
    )


def test_api_calls_are_audited_as_the_token_owner(client: FlaskClient, db: Any) -> None:
    from portal import audit

    assert client.get("/api/v1/me", headers=bearer("kabapas.madiun")).status_code == 200
    token_owner = user("kabapas.madiun")
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == token_owner.id)).first()
    assert token.last_used_at is not None
    assert audit  # the audit log names the token's owner through current_user


def test_api_error_is_json_even_outside_the_blueprint(app: Flask) -> None:
    with app.test_request_context("/"):
        from portal.api.errors import handle_api_error

        response = handle_api_error(ApiError(422, details={"fields": {"x": ["y"]}}))
        assert response.status_code == 422
        assert response.get_json()["error"] == "validation_error"


# --- every area's API blueprint, nested under /api/v1, shares the parent's guards ----


def _area_routes(app: Flask, method: str) -> dict[str, str]:
    """One path per area blueprint nested under ``api`` that answers ``method``."""
    from portal.api.openapi import api_rules

    paths: dict[str, str] = {}
    for rule in api_rules(app):
        parts = rule.endpoint.split(".")
        if len(parts) == 3 and method in (rule.methods or ()):
            paths.setdefault(parts[1], rule.rule.replace("<int:", "<").split("<")[0] + "1")
            if "<" not in rule.rule:
                paths[parts[1]] = rule.rule
    return paths


def test_every_area_answers_under_the_api_blueprint(app: Flask) -> None:
    areas = set(_area_routes(app, "GET")) | set(_area_routes(app, "POST"))
    assert {"agreements", "clients", "placements", "slots", "sessions", "auth"} <= areas


def test_csrf_exemption_covers_every_nested_area(
    app: Flask, db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from portal import create_app

    guarded = create_app({**app.config, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False})
    client = guarded.test_client()

    def refused_for_csrf() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "flask_wtf.csrf"]

    with caplog.at_level("INFO", logger="flask_wtf.csrf"):
        # The web pages still refuse a form without its CSRF token.
        client.post("/masuk", data={"username": "x", "password": "y"})
        assert refused_for_csrf() == ["The CSRF token is missing."]
        caplog.clear()
        writes = _area_routes(guarded, "POST")
        assert len(writes) >= 5
        for area, path in writes.items():
            response = client.post(path, json={}, headers=bearer("admin"))
            assert response.status_code != 400, (area, path, response.get_json())
        assert refused_for_csrf() == []


def test_rate_limit_covers_every_nested_area(
    app: Flask, client: FlaskClient, rate_limits: None
) -> None:
    app.config["API_RATE_LIMIT"] = "1 per minute"
    try:
        headers = bearer("admin")
        assert client.get("/api/v1/me", headers=headers).status_code == 200
        reads = _area_routes(app, "GET")
        assert len(reads) >= 5
        for area, path in reads.items():
            assert client.get(path, headers=headers).status_code == 429, (area, path)
    finally:
        app.config["API_RATE_LIMIT"] = "300 per minute"
