"""Sign-in, throttling, safe redirects, sessions, password change, headers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal.auth import services as auth_services
from portal.models import AuditLog, LoginThrottle
from portal.models.base import utcnow
from tests.signin import sign_in_cookie

PASSWORD = "sinergi-demo"


def post_login(client: Any, username: str, password: str, next_url: str | None = None) -> Any:
    url = "/masuk" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def test_login_lands_on_dashboard_and_is_audited(client: Any, db: Any) -> None:
    response = post_login(client, "pk.madiun", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beranda")
    page = client.get("/beranda")
    assert "Beranda Pembimbing Kemasyarakatan" in page.text
    assert "Bapas Kelas II Madiun" in page.text
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "login")) is not None


def test_wrong_password_shows_message_at_the_field(client: Any) -> None:
    response = post_login(client, "pk.madiun", "salah-sekali")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert client.get("/beranda").status_code == 302


def test_ten_wrong_passwords_are_throttled_and_the_right_one_works_after_the_wait(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    statuses = [post_login(client, "pk.madiun", f"salah-{i}").status_code for i in range(10)]
    assert 429 in statuses
    # Locked: even the right password is refused while the wait lasts.
    locked = post_login(client, "pk.madiun", PASSWORD)
    assert locked.status_code == 429
    assert "Coba lagi dalam" in locked.text
    row = db.session.get(LoginThrottle, "pk.madiun")
    assert row.locked_until is not None
    later = row.locked_until + timedelta(seconds=1)
    monkeypatch.setattr(auth_services, "utcnow", lambda: later)
    ok = post_login(client, "pk.madiun", PASSWORD)
    assert ok.status_code == 302
    assert db.session.get(LoginThrottle, "pk.madiun").failures == 0


def test_throttle_counts_unknown_usernames_too(client: Any, db: Any) -> None:
    for i in range(5):
        post_login(client, "tidak.ada", f"x{i}")
    assert db.session.get(LoginThrottle, "tidak.ada").locked_until is not None


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_cannot_leave_the_site(client: Any, target: str) -> None:
    response = post_login(client, "pk.madiun", PASSWORD, next_url=target)
    assert response.headers["Location"].endswith("/beranda")


def test_next_within_the_site_is_followed(client: Any) -> None:
    response = post_login(client, "pk.madiun", PASSWORD, next_url="/kesepakatan/")
    assert response.headers["Location"].endswith("/kesepakatan/")


def test_logout_needs_post(client: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    assert client.get("/keluar").status_code == 405
    assert client.post("/keluar").status_code == 302
    assert client.get("/beranda").status_code == 302


def test_disabled_account_cannot_sign_in_and_loses_its_session(
    client: Any, db: Any, login_as: Any
) -> None:
    user = login_as("pk2.madiun")
    user.enabled = False
    db.session.commit()
    assert client.get("/beranda").status_code == 302
    response = post_login(client, "pk2.madiun", PASSWORD)
    assert "dinonaktifkan" in response.text


def test_change_password(client: Any, db: Any, login_as: Any) -> None:
    login_as("pk.madiun")
    refused = client.post(
        "/profil", data={"current": "salah", "new": "BaruSekali123", "confirm": "BaruSekali123"}
    )
    assert "Kata sandi saat ini salah." in refused.text
    short = client.post("/profil", data={"current": PASSWORD, "new": "pendek", "confirm": "pendek"})
    assert "Kata sandi minimal 10 karakter." in short.text
    ok = client.post(
        "/profil", data={"current": PASSWORD, "new": "BaruSekali123", "confirm": "BaruSekali123"}
    )
    assert ok.status_code == 302
    client.post("/keluar")
    assert post_login(client, "pk.madiun", PASSWORD).status_code == 200
    assert post_login(client, "pk.madiun", "BaruSekali123").status_code == 302


def test_password_change_ends_other_sessions(app: Any, client: Any, db: Any, login_as: Any) -> None:
    user = login_as("pk.madiun")
    other = app.test_client()
    sign_in_cookie(other, user)
    assert other.get("/beranda").status_code == 200
    client.post(
        "/profil", data={"current": PASSWORD, "new": "BaruSekali123", "confirm": "BaruSekali123"}
    )
    assert other.get("/beranda").status_code == 302
    assert client.get("/beranda").status_code == 200


def test_forms_need_a_csrf_token(app: Any, client: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/masuk", data={"username": "pk.madiun", "password": PASSWORD})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302
    assert client.get("/beranda").status_code == 302  # not signed in


def test_security_headers_and_cookie_flags(client: Any) -> None:
    response = post_login(client, "pk.madiun", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    page = client.get("/beranda")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"


def test_login_rate_limit_per_address(client: Any, rate_limits: None, app: Any) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [post_login(client, f"user{i}", "x").status_code for i in range(5)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "30 per minute"
    assert codes[-1] == 429


def test_lock_grows_with_further_failures(app: Any, db: Any) -> None:
    with app.test_request_context():
        limit = app.config["LOGIN_MAX_FAILURES"]
        for i in range(limit):
            auth_services.sign_in("pk.madiun", f"salah{i}")
        first = db.session.get(LoginThrottle, "pk.madiun").locked_until - utcnow()
        row = db.session.get(LoginThrottle, "pk.madiun")
        row.locked_until = utcnow() - timedelta(seconds=1)
        auth_services.sign_in("pk.madiun", "salah-lagi")
        second = db.session.get(LoginThrottle, "pk.madiun").locked_until - utcnow()
    assert second > first
