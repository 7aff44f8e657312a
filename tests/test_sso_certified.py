"""Single sign-on against a certified OpenID Connect provider (node-oidc-provider).

The provider runs on loopback from tests/node (``npm ci`` there; scripts/test.sh
does it, and this module does it when node_modules is missing). Like most
providers in their default, conformant setup it puts only ``sub`` in the ID
token and the e-mail in /userinfo. A ``requests`` session plays the person at
the provider (its login and consent forms); the Flask test client is the portal.

Negative cases change the ID token between the provider's token response and the
portal's checks: a flipped signature, ``alg=none``, and tokens re-signed with the
provider's own key (so the signature is valid) carrying a wrong ``iss``, a wrong
or extra ``aud``, an expiry in the past or another nonce. A code used twice and
the provider-side logout are checked against the provider itself.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.integrations.flask_client import FlaskOAuth2App
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from portal.auth.oidc import MSG_FAILED
from portal.models import AuditLog, User
from tests.factories import user

NODE_DIR = Path(__file__).resolve().parent / "node"
CLIENT_ID = "portal-sinergi"
CALLBACK = "http://localhost/masuk/sso/callback"
AFTER_LOGOUT = "http://localhost/masuk"
ACCOUNTS = {
    "rina-sso": {"email": "rina.sso@bapasmadiun.go.id", "email_verified": True, "name": "Rina"},
    "orang-asing": {"email": "asing@contoh.go.id", "email_verified": True, "name": "Asing"},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def signing_key() -> RSAKey:
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "alg": "RS256", "use": "sig"})
    return key


@pytest.fixture(scope="module")
def provider(signing_key: RSAKey) -> Iterator[str]:
    """The certified provider on loopback; yields its issuer URL."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js and npm are needed for the certified provider (apt: nodejs npm)")
    if not (NODE_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=NODE_DIR, check=True)
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    config = {
        "port": port,
        "issuer": issuer,
        "jwk": signing_key.as_dict(private=True),
        "accounts": ACCOUNTS,
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": "rahasia-uji-sso",
            "redirect_uris": [CALLBACK],
            "post_logout_redirect_uris": [AFTER_LOGOUT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
        },
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    process = subprocess.Popen(
        [node, str(NODE_DIR / "oidc-provider.mjs"), handle.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its warnings about the development setup
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "" when it could not start
        assert line.startswith("listening"), f"the provider did not start: {line!r}"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.unlink(handle.name)


@pytest.fixture
def sso(app: Flask, provider: str) -> Iterator[str]:
    saved = {k: app.config.get(k) for k in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")}
    app.config.update(
        OIDC_ISSUER=provider, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET="rahasia-uji-sso"
    )
    yield provider
    app.config.update(saved)


@pytest.fixture
def rina(db: Any) -> User:
    """A portal account the admin made with the e-mail the provider knows (an invitation)."""
    account = user("pk.madiun")
    account.email = "rina.sso@bapasmadiun.go.id"
    account.oidc_subject = None
    db.session.flush()
    return account


# --- playing the person at the provider --------------------------------------------


def _form(html: str) -> tuple[str, dict[str, str]]:
    tag = re.search(r"<form[^>]*>", html, re.I)
    action = re.search(r'action="([^"]+)"', tag.group(0)) if tag else None
    assert action, html[:2000]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    if 'name="logout"' in html:
        fields["logout"] = "yes"  # "Yes, sign me out"
    return unescape(action.group(1)), fields


def at_provider(browser: requests.Session, url: str, login: str | None) -> tuple[str, int]:
    """Follow the provider's pages from ``url`` until it sends the browser back to the portal.

    Fills the login form (as ``login``) and the consent form on the way. Returns the
    portal URL and how many login forms were shown.
    """
    logins = 0
    for _ in range(12):
        if url.startswith("http://localhost/"):
            return url, logins
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        assert response.status_code == 200, response.text[:500]
        action, fields = _form(response.text)
        if fields.get("prompt") == "login":
            assert login, "the provider asked for a login"
            logins += 1
            fields.update(login=login, password="apa-saja")
        posted = browser.post(urljoin(url, action), data=fields, allow_redirects=False, timeout=10)
        assert posted.is_redirect, posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def portal_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start(client: FlaskClient) -> str:
    response = client.get("/masuk/sso")
    assert response.status_code == 302
    return response.headers["Location"]


def signed_in_as(client: FlaskClient) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def last_failure(db: Any) -> dict[str, Any]:
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "sso_failed").order_by(AuditLog.id.desc())
    ).first()
    assert entry is not None
    return dict(entry.details)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def tamper(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[str], str]], list[str]]:
    """Change the ID token of the provider's next token response; returns the originals."""

    def install(change: Callable[[str], str]) -> list[str]:
        originals: list[str] = []
        fetch = FlaskOAuth2App.fetch_access_token

        def fetch_and_change(self: Any, *args: Any, **kwargs: Any) -> Any:
            token = fetch(self, *args, **kwargs)
            originals.append(token["id_token"])
            token["id_token"] = change(token["id_token"])
            return token

        monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", fetch_and_change)
        return originals

    return install


def resign(key: RSAKey, **changes: Any) -> Callable[[str], str]:
    """Re-sign the ID token with the provider's key after changing claims."""

    def change(id_token: str) -> str:
        header_part, payload_part, _ = id_token.split(".")
        claims = json.loads(unb64(payload_part))
        claims.update(changes)
        header = {"alg": "RS256", "kid": key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, key)

    return change


# --- the flow ----------------------------------------------------------------------


def test_invited_person_signs_in_with_claims_from_userinfo(
    client: FlaskClient, db: Any, sso: str, rina: User, tamper: Any
) -> None:
    seen = tamper(lambda token: token)
    browser = requests.Session()
    back, logins = at_provider(browser, start(client), "rina-sso")
    assert logins == 1
    response = client.get(portal_path(back))
    assert response.headers["Location"] == "/beranda"
    assert signed_in_as(client) == rina.get_id()
    assert rina.oidc_subject == "rina-sso"
    # The provider's ID token carried no e-mail: the portal asked /userinfo for it.
    id_claims = json.loads(unb64(seen[0].split(".")[1]))
    assert "email" not in id_claims
    assert id_claims["aud"] == CLIENT_ID


def test_identity_matching_nobody_gets_no_account(client: FlaskClient, db: Any, sso: str) -> None:
    before = db.session.scalar(select(func.count(User.id)))
    back, _ = at_provider(requests.Session(), start(client), "orang-asing")
    response = client.get(portal_path(back))
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    assert "belum terhubung dengan akun" in client.get("/masuk").get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == before


def _refused(client: FlaskClient, db: Any, back: str, reason: str) -> None:
    response = client.get(portal_path(back))
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    assert MSG_FAILED.split(":")[0] in client.get("/masuk").get_data(as_text=True)
    assert last_failure(db)["reason"] == reason


def test_tampered_signature_is_refused(
    client: FlaskClient, db: Any, sso: str, rina: User, tamper: Any
) -> None:
    def flip(token: str) -> str:
        head, body, signature = token.split(".")
        raw = bytearray(unb64(signature))
        raw[10] ^= 0xFF
        return f"{head}.{body}.{b64(bytes(raw))}"

    tamper(flip)
    back, _ = at_provider(requests.Session(), start(client), "rina-sso")
    _refused(client, db, back, "bad_signature")


def test_alg_none_is_refused(
    client: FlaskClient, db: Any, sso: str, rina: User, tamper: Any
) -> None:
    def unsigned(token: str) -> str:
        _, body, _ = token.split(".")
        return f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{body}."

    tamper(unsigned)
    back, _ = at_provider(requests.Session(), start(client), "rina-sso")
    response = client.get(portal_path(back))
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(client) is None
    assert last_failure(db)["reason"] == "unsupported_algorithm"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "http://127.0.0.1:9/penyedia-lain"}, "invalid_claim"),
        ({"aud": "aplikasi-lain"}, "missing_claim"),
        ({"aud": [CLIENT_ID, "aplikasi-lain"], "azp": CLIENT_ID}, "wrong_audience"),
        ({"aud": ["aplikasi-lain"], "azp": CLIENT_ID}, "wrong_audience"),
        ({"azp": "aplikasi-lain"}, "invalid_claim"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired_token"),
        ({"nonce": "nonce-lain"}, "invalid_claim"),
    ],
    ids=[
        "wrong-iss",
        "wrong-aud",
        "extra-aud",
        "other-aud-with-azp",
        "wrong-azp",
        "expired",
        "nonce",
    ],
)
def test_validly_signed_token_with_wrong_claims_is_refused(
    client: FlaskClient,
    db: Any,
    sso: str,
    rina: User,
    tamper: Any,
    signing_key: RSAKey,
    changes: dict[str, Any],
    reason: str,
) -> None:
    tamper(resign(signing_key, **changes))
    back, _ = at_provider(requests.Session(), start(client), "rina-sso")
    _refused(client, db, back, reason)
    assert rina.oidc_subject is None


def test_replayed_code_is_refused(
    app: Flask, client: FlaskClient, db: Any, sso: str, rina: User
) -> None:
    back, _ = at_provider(requests.Session(), start(client), "rina-sso")
    with client.session_transaction() as session:
        state_data = {k: v for k, v in session.items() if k.startswith("_state_sso_")}
    assert client.get(portal_path(back)).headers["Location"] == "/beranda"

    # Someone replays the same callback (code, state and the state's PKCE verifier).
    other = app.test_client()
    with other.session_transaction() as session:
        session.update(state_data)
    response = other.get(portal_path(back))
    assert response.headers["Location"] == "/masuk"
    assert signed_in_as(other) is None
    assert last_failure(db)["reason"] == "invalid_grant"


def test_sign_out_ends_the_providers_session(
    client: FlaskClient, db: Any, sso: str, rina: User
) -> None:
    browser = requests.Session()
    back, logins = at_provider(browser, start(client), "rina-sso")
    assert client.get(portal_path(back)).headers["Location"] == "/beranda"
    assert logins == 1

    response = client.post("/keluar")
    assert signed_in_as(client) is None
    logout = urlsplit(response.headers["Location"])
    assert f"{logout.scheme}://{logout.netloc}" == sso
    query = parse_qs(logout.query)
    assert query["post_logout_redirect_uri"] == [AFTER_LOGOUT]
    assert query["client_id"] == [CLIENT_ID]
    hint = query["id_token_hint"][0]
    assert json.loads(unb64(hint.split(".")[1]))["sub"] == "rina-sso"

    # At the provider: confirm the sign-out; it sends the browser back to the sign-in page.
    done, _ = at_provider(browser, response.headers["Location"], None)
    assert urlsplit(done).path == "/masuk"

    # Signing in again asks for the login at the provider again.
    again, logins = at_provider(browser, start(client), "rina-sso")
    assert logins == 1
    assert client.get(portal_path(again)).headers["Location"] == "/beranda"


def test_without_sign_out_the_providers_session_signs_straight_back_in(
    app: Flask, client: FlaskClient, db: Any, sso: str, rina: User
) -> None:
    """The control for the test above: the provider's session alone needs no login form."""
    browser = requests.Session()
    back, _ = at_provider(browser, start(client), "rina-sso")
    client.get(portal_path(back))
    fresh = app.test_client()
    again, logins = at_provider(browser, start(fresh), "rina-sso")
    assert logins == 0
    assert fresh.get(portal_path(again)).headers["Location"] == "/beranda"
