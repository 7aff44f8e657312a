"""In the browser: a personal API token from the profile page, and SSO sign-in."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from authlib.deprecate import AuthlibDeprecationWarning
from flask import Flask

with warnings.catch_warnings():
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    import oidc_provider_mock

pytestmark = [
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
]


def test_token_made_on_the_profile_page_reads_the_api_until_revoked(
    page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    login(page, "pk.madiun")
    page.goto(page.base_url + "/profil")
    page.fill("#name", "Skrip rekap")
    page.select_option("#days", "30")
    page.click("text=Buat token")
    token = page.input_value("#token-baru")
    assert token.startswith("psk_")
    assert "hanya ditampilkan sekali" in page.content()
    screenshot(page, "api-token-created")

    me = requests.get(
        page.base_url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert me.status_code == 200
    assert me.json()["username"] == "pk.madiun"

    page.reload()
    assert token not in page.content()
    page.evaluate("window.confirm = () => true")
    page.click("button:has-text('Cabut')")
    page.wait_for_selector("text=telah dicabut")
    screenshot(page, "api-token-revoked")
    refused = requests.get(
        page.base_url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=5
    )
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_token"
    assert foreign_requests == []


@pytest.fixture
def sso_provider(app: Flask, live_server: str) -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID="portal-e2e", OIDC_CLIENT_SECRET="s")
        try:
            yield issuer
        finally:
            app.config.update(OIDC_ISSUER=None, OIDC_CLIENT_ID=None, OIDC_CLIENT_SECRET=None)


def test_sso_sign_in_in_the_browser(
    browser: Any, live_server: str, app_ctx: Any, sso_provider: str, screenshot: Any
) -> None:
    from tests.factories import user

    account = user("opd.dlh")
    account.email = "hendra@dlh.ngawikab.go.id"
    app_ctx.session.commit()
    requests.put(
        f"{sso_provider}/users/hendra-sso",
        json={"email": "hendra@dlh.ngawikab.go.id", "email_verified": True},
        timeout=5,
    ).raise_for_status()
    requests.put(
        f"{sso_provider}/users/orang-baru",
        json={"email": "baru@contoh.go.id", "email_verified": True, "name": "Orang Baru"},
        timeout=5,
    ).raise_for_status()

    # Only the portal and the provider on loopback: nothing else may load.
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    allowed = {live_server.split("//")[1], sso_provider.split("//")[1]}
    foreign: list[str] = []

    def guard(route: Any) -> None:
        host = route.request.url.split("//")[1].split("/")[0]
        if host in allowed:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server + "/masuk")
        screenshot(page, "sso-login-page")
        page.click("text=Masuk dengan SSO Pemerintah")
        page.wait_for_url(f"{sso_provider}/oauth2/authorize*")
        page.fill("input[name=sub][type=text]", "hendra-sso")
        page.click("button:has-text('Authorize')")
        page.wait_for_url("**/beranda")
        assert page.locator("h1").inner_text() == "Beranda Admin OPD"
        screenshot(page, "sso-signed-in")

        # Signing out ends the provider's session too (its logout page, then back to the portal).
        page.click("text=Keluar")
        page.wait_for_url(f"{sso_provider}/oauth2/end_session*")
        page.click("button:has-text('End session')")
        page.wait_for_url("**/masuk*")
        page.click("text=Masuk dengan SSO Pemerintah")
        page.fill("input[name=sub][type=text]", "orang-baru")
        page.click("button:has-text('Authorize')")
        page.wait_for_url("**/masuk")
        assert "belum terhubung dengan akun Portal Sinergi" in page.content()
        screenshot(page, "sso-no-account")
        # The mock provider's own page asks a CDN for its stylesheet; the portal asks nobody.
        assert all("picocss" in url for url in foreign), foreign
    finally:
        context.close()
