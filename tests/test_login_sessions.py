"""Ending a session ends every copy of its cookie (sign-out, admin, account changes)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuditLog, UserSession
from tests.conftest import DEMO_PASSWORD


def _copy(app: Flask, source: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of ``source``'s session cookie."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _sign_in(client: FlaskClient, username: str) -> None:
    response = client.post("/masuk", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.text


def test_a_cookie_copied_before_sign_out_no_longer_opens_pages(
    app: Flask, client: FlaskClient, db: Any
) -> None:
    _sign_in(client, "pk.madiun")
    copy = _copy(app, client)
    assert copy.get("/klien/").status_code == 200
    assert client.post("/keluar").status_code == 302
    after = copy.get("/klien/")
    assert after.status_code == 302
    assert "/masuk" in after.headers["Location"]
    row = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    assert row.ended_reason == "signed_out"


def test_signing_out_on_one_device_keeps_the_other_signed_in(
    app: Flask, client: FlaskClient, db: Any
) -> None:
    _sign_in(client, "pk.madiun")
    phone = app.test_client()
    _sign_in(phone, "pk.madiun")
    client.post("/keluar")
    assert phone.get("/klien/").status_code == 200


def test_admin_ends_every_session_of_a_user(
    app: Flask, client: FlaskClient, db: Any, login_as: Any, user: Any
) -> None:
    desk, phone = app.test_client(), app.test_client()
    _sign_in(desk, "pk.madiun")
    _sign_in(phone, "pk.madiun")
    copy = _copy(app, phone)
    target = user("pk.madiun")
    login_as("admin")
    page = client.get(f"/admin/pengguna/{target.id}")
    assert "2 sesi terbuka" in page.text
    assert "Akhiri semua sesi" in page.text
    done = client.post(f"/admin/pengguna/{target.id}/akhiri-sesi")
    assert done.status_code == 302
    for browser in (desk, phone, copy):
        assert browser.get("/klien/").status_code == 302
    assert client.get(f"/admin/pengguna/{target.id}").text.count("0 sesi terbuka") == 1
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "sessions_ended"))
    assert entry is not None
    assert entry.object_id == str(target.id)
    # The password still works: the user signs in again.
    _sign_in(desk, "pk.madiun")
    assert desk.get("/klien/").status_code == 200


def test_only_the_admin_ends_sessions(client: FlaskClient, login_as: Any, user: Any) -> None:
    target = user("pk2.madiun")
    login_as("kabapas.madiun")
    assert client.post(f"/admin/pengguna/{target.id}/akhiri-sesi").status_code == 403


def test_a_password_change_ends_copied_cookies_and_keeps_this_browser(
    app: Flask, client: FlaskClient, db: Any
) -> None:
    _sign_in(client, "pk.madiun")
    copy = _copy(app, client)
    new = "BaruSekali123"
    changed = client.post("/profil", data={"current": DEMO_PASSWORD, "new": new, "confirm": new})
    assert changed.status_code == 302
    assert copy.get("/klien/").status_code == 302
    assert client.get("/klien/").status_code == 200
