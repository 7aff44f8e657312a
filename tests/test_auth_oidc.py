"""Single sign-on against a real OpenID Connect provider running on loopback.

The provider is oidc-provider-mock (built on Authlib's server side): it signs
real ID tokens, publishes its JWKS and metadata, and requires a nonce. The test
client walks the whole flow: /masuk/sso → the provider's authorize page (a
"sub" is posted, as a person would pick an identity) → /masuk/sso/callback →
the token exchange over HTTP → the dashboard.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.deprecate import AuthlibDeprecationWarning
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.models import AuditLog, Role, User
from tests.factories import user

with warnings.catch_warnings():
    # The provider is built on authlib.jose, which Authlib deprecates in favour of joserfc.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    import oidc_provider_mock

# The provider (in its own thread, during the tests) uses Authlib APIs that Authlib deprecates.
pytestmark = [
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
]


@pytest.fixture(scope="session")
def provider() -> Iterator[str]:
    """The provider's issuer URL, for the whole run."""
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(app: Flask, provider: str) -> Iterator[str]:
    """The portal configured for the loopback provider during one test."""
    saved = {k: app.config.get(k) for k in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
    app.config.update(
        OIDC_ISSUER=provider, OIDC_CLIENT_ID="portal-sinergi", OIDC_CLIENT_SECRET="rahasia-uji"
    )
    yield provider
    app.config.update(saved)


def set_claims(issuer: str, sub: str, **claims: Any) -> None:
    response = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204


def start(client: FlaskClient) -> str:
    """Begin the sign-in; returns the provider's authorize URL."""
    response = client.get("/masuk/sso")
    assert response.status_code == 302
    return response.headers["Location"]


def choose_identity(authorize_url: str, sub: str) -> str:
    """Play the person at the provider: pick ``sub``; returns the portal callback path."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert back.path == "/masuk/sso/callback"
    return f"{back.path}?{back.query}"


def sso_login(client: FlaskClient, sub: str) -> Any:
    return client.get(choose_identity(start(client), sub))


def signed_in_as(client: FlaskClient) -> str | None:
    with client.session_transaction() as session:
        user_id = session.get("_user_id")
    return user_id


def flashed(client: FlaskClient) -> str:
    return client.get("/masuk").get_data(as_text=True)


def actions(db: Any) -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def new_sub() -> str:
    return f"sub-{uuid.uuid4().hex[:12]}"


# --- configuration -----------------------------------------------------------------


def test_sso_is_off_unless_configured(client: FlaskClient) -> None:
    assert client.get("/masuk/sso").status_code == 404
    assert client.get("/masuk/sso/callback?code=x&state=y").status_code == 404
    assert "SSO" not in client.get("/masuk").get_data(as_text=True)


def test_login_page_offers_sso_when_configured(client: FlaskClient, sso: str) -> None:
    html = client.get("/masuk").get_data(as_text=True)
    assert "Masuk dengan SSO Pemerintah" in html
    assert 'href="/masuk/sso' in html


def test_authorization_request_uses_state_nonce_and_pkce_s256(
    client: FlaskClient, sso: str
) -> None:
    url = urlsplit(start(client))
    assert f"{url.scheme}://{url.netloc}" == sso
    params = parse_qs(url.query)
    assert params["response_type"] == ["code"]
    assert params["client_id"] == ["portal-sinergi"]
    assert "openid" in params["scope"][0].split()
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert len(params["state"][0]) >= 20
    assert len(params["nonce"][0]) >= 20


# --- matching ------------------------------------------------------------------------


def test_pre_provisioned_account_by_verified_email_lands_on_dashboard(
    client: FlaskClient, db: Any, sso: str
) -> None:
    account = user("opd.dinsos")
    account.email = "dewi.anggraini@ngawikab.go.id"
    db.session.flush()
    sub = new_sub()
    set_claims(sso, sub, email="Dewi.Anggraini@ngawikab.go.id", email_verified=True, name="Dewi")

    response = sso_login(client, sub)
    assert response.status_code == 302
    assert response.headers["Location"] == "/beranda"
    assert signed_in_as(client) == account.get_id()
    dashboard = client.get("/beranda")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert "Admin OPD" in html
    assert account.full_name in html

    db.session.refresh(account)
    assert account.oidc_subject == sub
    assert account.role == Role.OPD_ADMIN
    assert {"sso_linked", "login"} <= set(actions(db))


def test_linked_subject_signs_in_even_when_the_email_changes(
    client: FlaskClient, db: Any, sso: str
) -> None:
    sub = new_sub()
    account = user("kabapas.madiun")
    account.oidc_subject = sub
    db.session.flush()
    set_claims(sso, sub, email="lain@contoh.go.id", email_verified=True)
    response = sso_login(client, sub)
    assert response.headers["Location"] == "/beranda"
    assert signed_in_as(client) == account.get_id()
    assert "Kepala Bapas" in client.get("/beranda").get_data(as_text=True)


def test_next_page_is_kept_through_the_provider(client: FlaskClient, db: Any, sso: str) -> None:
    sub = new_sub()
    user("pk.madiun").oidc_subject = sub
    db.session.flush()
    set_claims(sso, sub)
    authorize = client.get("/masuk/sso?next=/profil").headers["Location"]
    assert client.get(choose_identity(authorize, sub)).headers["Location"] == "/profil"
    client.post("/keluar")
    evil = client.get("/masuk/sso?next=https://jahat.example/").headers["Location"]
    assert client.get(choose_identity(evil, sub)).headers["Location"] == "/beranda"


def test_unknown_person_gets_no_account_until_the_admin_invites_him(
    client: FlaskClient, db: Any, sso: str
) -> None:
    sub = new_sub()
    set_claims(
        sso,
        sub,
        email="budi.santoso@kemenkumham.go.id",
        email_verified=True,
        name="Budi Santoso",
        preferred_username="budi.santoso",
    )
    users_before = db.session.scalar(select(func.count(User.id)))
    response = sso_login(client, sub)
    assert response.status_code == 302
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    assert "belum terhubung dengan akun Portal Sinergi" in flashed(client)
    assert client.get("/beranda").status_code == 302  # not signed in
    assert db.session.scalar(select(func.count(User.id))) == users_before
    refused = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "sso_refused").order_by(AuditLog.id.desc())
    ).first()
    assert refused is not None
    assert refused.details == {"reason": "no_account"}

    # The admin invites him: an account with the e-mail the provider knows.
    invited = user("pk2.madiun")
    invited.email = "budi.santoso@kemenkumham.go.id"
    db.session.flush()
    assert sso_login(client, sub).headers["Location"] == "/beranda"
    assert signed_in_as(client) == invited.get_id()
    assert invited.oidc_subject == sub


def test_unverified_email_never_links_an_existing_account(
    client: FlaskClient, db: Any, sso: str
) -> None:
    account = user("pk.madiun")
    account.email = "rina@bapasmadiun.go.id"
    db.session.flush()
    sub = new_sub()
    set_claims(sso, sub, email="rina@bapasmadiun.go.id", email_verified=False)
    sso_login(client, sub)
    assert signed_in_as(client) is None
    db.session.refresh(account)
    assert account.oidc_subject is None
    assert db.session.scalar(select(User).where(User.oidc_subject == sub)) is None


def test_disabled_pre_provisioned_account_is_refused(
    client: FlaskClient, db: Any, sso: str
) -> None:
    account = user("pk2.madiun")
    account.email = "agus@bapasmadiun.go.id"
    account.enabled = False
    db.session.flush()
    sub = new_sub()
    set_claims(sso, sub, email="agus@bapasmadiun.go.id", email_verified=True)
    sso_login(client, sub)
    assert signed_in_as(client) is None
    assert "dinonaktifkan" in flashed(client)
    assert "login_refused_disabled" in actions(db)


# --- refusals --------------------------------------------------------------------------


def test_tampered_nonce_is_refused(client: FlaskClient, db: Any, sso: str) -> None:
    sub = new_sub()
    user("pk.madiun").oidc_subject = sub
    db.session.flush()
    set_claims(sso, sub)
    authorize = start(client)
    with client.session_transaction() as session:
        keys = [k for k in session if k.startswith("_state_sso_")]
        assert keys
        for key in keys:
            entry = session[key]
            entry["data"]["nonce"] = "nonce-yang-dipalsukan"
            session[key] = entry
    response = client.get(choose_identity(authorize, sub))
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    page = flashed(client)
    assert "Masuk dengan SSO gagal" in page
    failed = db.session.scalar(select(AuditLog).where(AuditLog.action == "sso_failed"))
    assert failed is not None
    assert "nonce" in failed.details["detail"]


def test_wrong_or_replayed_state_is_refused(client: FlaskClient, db: Any, sso: str) -> None:
    sub = new_sub()
    user("pk.madiun").oidc_subject = sub
    db.session.flush()
    set_claims(sso, sub)
    callback = choose_identity(start(client), sub)
    forged = callback.replace("state=", "state=x")
    assert client.get(forged).headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    assert "Masuk dengan SSO gagal" in flashed(client)
    # The genuine answer still works once; replaying it is refused (the state is used up).
    assert client.get(callback).headers["Location"] == "/beranda"
    client.post("/keluar")
    assert client.get(callback).headers["Location"] == "/masuk"
    assert signed_in_as(client) is None


def test_callback_without_a_started_sign_in_is_refused(client: FlaskClient, sso: str) -> None:
    response = client.get("/masuk/sso/callback?code=abc&state=def")
    assert response.headers["Location"] == "/masuk"
    assert "Masuk dengan SSO gagal" in flashed(client)


def test_denied_at_the_provider(client: FlaskClient, db: Any, sso: str) -> None:
    authorize = start(client)
    response = requests.post(authorize, data={"action": "deny"}, allow_redirects=False, timeout=5)
    back = urlsplit(response.headers["Location"])
    result = client.get(f"{back.path}?{back.query}")
    assert result.headers["Location"] == "/masuk"
    assert "dibatalkan" in flashed(client)
    assert signed_in_as(client) is None


def test_unreachable_provider_is_explained(app: Flask, client: FlaskClient) -> None:
    saved = (app.config.get("OIDC_ISSUER"), app.config.get("OIDC_CLIENT_ID"))
    app.config.update(OIDC_ISSUER="http://127.0.0.1:9", OIDC_CLIENT_ID="portal")
    try:
        response = client.get("/masuk/sso")
        assert response.headers["Location"] == "/masuk"
        assert "tidak dapat dihubungi" in flashed(client)
    finally:
        app.config.update(OIDC_ISSUER=saved[0], OIDC_CLIENT_ID=saved[1])


def test_password_sign_in_keeps_working_with_sso(client: FlaskClient, sso: str) -> None:
    response = client.post("/masuk", data={"username": "pk.madiun", "password": "sinergi-demo"})
    assert response.status_code == 302
    assert signed_in_as(client) is not None
