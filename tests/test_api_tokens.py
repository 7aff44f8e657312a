"""Personal API tokens: the command line and the profile page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.api.tokens import find_token
from portal.models import ApiToken, AuditLog
from tests.factories import make_api_token, user
from tests.signin import sign_in_cookie


def test_cli_token_reads_me_and_is_refused_after_revocation(
    app: Flask, client: FlaskClient, db: Any
) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["tokens", "create", "opd.dinsos", "--name", "SIMPEG", "--days", "30"]
    )
    assert created.exit_code == 0, created.output
    plaintext = created.output.strip()
    # The command prints only the token.
    assert re.fullmatch(r"psk_[A-Za-z0-9_-]{40,}", plaintext)
    headers = {"Authorization": f"Bearer {plaintext}"}

    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.get_json()["username"] == "opd.dinsos"

    listed = runner.invoke(args=["tokens", "list", "opd.dinsos"])
    assert listed.exit_code == 0
    assert "SIMPEG" in listed.output
    assert "active" in listed.output
    assert plaintext not in listed.output
    token_id = listed.output.split("\t", 1)[0]

    revoked = runner.invoke(args=["tokens", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert "dicabut" in revoked.output
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.get_json()["error"] == "invalid_token"
    actions = set(
        db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "api_token"))
    )
    assert {"api_token_created", "api_token_revoked"} <= actions


def test_cli_refuses_unknown_user_and_bad_days(app: Flask, db: Any) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["tokens", "create", "tidak.ada"])
    assert unknown.exit_code != 0
    assert "tidak ditemukan" in unknown.output
    too_long = runner.invoke(args=["tokens", "create", "pk.madiun", "--days", "4000"])
    assert too_long.exit_code != 0
    assert "antara 1 dan 365" in too_long.output
    assert runner.invoke(args=["tokens", "revoke", "999999"]).exit_code != 0


def test_profile_creates_a_token_shown_once(client: FlaskClient, login_as: Any, db: Any) -> None:
    login_as("pk.madiun")
    page = client.get("/profil")
    assert "Token API pribadi" in page.get_data(as_text=True)
    assert "belum memiliki token" in page.get_data(as_text=True)

    created = client.post("/profil/token", data={"name": "Aplikasi SDP", "days": "30"})
    assert created.status_code == 302  # reloading the page makes no second token
    with client.session_transaction() as session:
        sealed = session["new_api_token"]
    assert not sealed.startswith("psk_")  # the cookie carries it encrypted only
    html = client.get("/profil").get_data(as_text=True)
    match = re.search(r'value="(psk_[^"]+)"', html)
    assert match, "the new token is shown"
    assert "hanya ditampilkan sekali" in html
    plaintext = match.group(1)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code
        == 200
    )

    # Shown once: the next visit lists it by prefix only.
    again = client.get("/profil").get_data(as_text=True)
    assert plaintext not in again
    assert "Aplikasi SDP" in again
    assert plaintext[:12] in again


def test_profile_token_form_reports_errors_next_to_the_field(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    login_as("pk.madiun")
    response = client.post("/profil/token", data={"name": "", "days": "30"})
    assert response.status_code == 422
    assert "Wajib diisi." in response.get_data(as_text=True)
    bad_days = client.post("/profil/token", data={"name": "X", "days": "9999"})
    assert bad_days.status_code == 422
    assert (
        db.session.scalar(select(ApiToken).where(ApiToken.user_id == user("pk.madiun").id)) is None
    )


def test_profile_revokes_own_token_only(client: FlaskClient, login_as: Any, db: Any) -> None:
    mine = make_api_token("pk.madiun", name="Milik saya")
    theirs = make_api_token("pk2.madiun", name="Milik rekan")
    login_as("pk.madiun")
    other = find_token(theirs)
    assert other is not None
    assert client.post(f"/profil/token/{other.id}/cabut").status_code == 404
    assert find_token(theirs).revoked_at is None

    own = find_token(mine)
    assert own is not None
    response = client.post(f"/profil/token/{own.id}/cabut", follow_redirects=True)
    assert response.status_code == 200
    assert "telah dicabut" in response.get_data(as_text=True)
    assert "Dicabut" in response.get_data(as_text=True)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {mine}"}).status_code == 401


def test_profile_token_routes_need_sign_in_and_csrf(
    app: Flask, client: FlaskClient, db: Any
) -> None:
    response = client.post("/profil/token", data={"name": "X", "days": "30"})
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        account = user("pk.madiun")
        sign_in_cookie(client, account)
        refused = client.post("/profil/token", data={"name": "X", "days": "30"})
        assert refused.status_code in (302, 400)
        assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == account.id)) is None
        # The API itself is exempt from CSRF: bearer calls work without a CSRF token.
        token = make_api_token("pk.madiun")
        ok = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
