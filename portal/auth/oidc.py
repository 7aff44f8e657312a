"""Sign-in through an OpenID Connect provider, with Authlib's Flask client.

Enabled when ``PORTAL_OIDC_ISSUER`` and ``PORTAL_OIDC_CLIENT_ID`` are set (see
docs/api-and-sso.md). The provider's metadata comes from
``<issuer>/.well-known/openid-configuration``. Authlib keeps the state, the
nonce and the PKCE verifier (S256) in the signed session between the two
requests, checks the state on return, and verifies the ID token's signature
(the provider's JWKS, never ``alg=none``), expiry and nonce; ``check_id_token``
then checks the issuer, the audience (only this client) and ``azp`` explicitly.
Claims the ID token lacks (e-mail) come from the provider's /userinfo, whose
``sub`` must be the ID token's. Signing out ends the provider's session too
(RP-initiated logout with ``id_token_hint``). Matching the person to an account
is ``portal.auth.sso``.
"""

from __future__ import annotations

import time
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskOAuth2App
from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from portal import audit
from portal.auth import bp
from portal.auth.sessions import sign_in_browser
from portal.auth.sso import sign_in_with_claims
from portal.extensions import limiter, oauth
from portal.web import safe_next

CLIENT_NAME = "sso"
NEXT_KEY = "sso_next"
ID_TOKEN_KEY = "sso_id_token"  # noqa: S105 - session key; the ID token for id_token_hint
LEEWAY_SECONDS = 120
MSG_FAILED = (
    "Masuk dengan SSO gagal: jawaban penyedia identitas tidak sah atau sudah kedaluwarsa. "
    "Silakan coba lagi dari halaman masuk."
)
MSG_DENIED = "Masuk dengan SSO dibatalkan di penyedia identitas."
MSG_UNAVAILABLE = (
    "Penyedia identitas tidak dapat dihubungi. Coba lagi nanti atau masuk dengan kata sandi."
)


def oidc_enabled(app: Flask | None = None) -> bool:
    """True when an issuer and a client id are configured."""
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def _settings() -> tuple[str, str, str, str]:
    config = current_app.config
    return (
        str(config["OIDC_ISSUER"]).rstrip("/"),
        str(config["OIDC_CLIENT_ID"]),
        str(config.get("OIDC_CLIENT_SECRET") or ""),
        str(config.get("OIDC_SCOPES") or "openid email profile"),
    )


def sso_client() -> FlaskOAuth2App:
    """The Authlib client for the configured provider (re-registered when settings change)."""
    settings = _settings()
    client = oauth._clients.get(CLIENT_NAME)  # noqa: SLF001 - Authlib's registry of clients
    if client is None or getattr(client, "_portal_settings", None) != settings:
        issuer, client_id, secret, scopes = settings
        if "openid" not in scopes.split():
            scopes = "openid " + scopes
        oauth._clients.pop(CLIENT_NAME, None)  # noqa: SLF001 - else register returns the old one
        client = oauth.register(
            CLIENT_NAME,
            overwrite=True,
            client_id=client_id,
            client_secret=secret or None,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
        )
        client._portal_settings = settings  # noqa: SLF001
    return client


class IdTokenRejected(ValueError):
    """The ID token's claims fail a check of OpenID Connect Core 3.1.3.7."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.error = reason


def check_id_token(claims: dict[str, Any], issuer: str, client_id: str, now: float) -> None:
    """Issuer, audience, authorized party and lifetime of verified ID-token claims.

    The signature and nonce were checked while decoding; these checks do not
    depend on the library's options: ``iss`` is exactly the provider's issuer,
    ``aud`` names this client and no one else, ``azp`` (when present) is this
    client, ``exp`` lies ahead and ``iat`` is present.
    """
    if claims.get("iss") != issuer:
        raise IdTokenRejected("wrong_issuer")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or audiences != [client_id]:
        raise IdTokenRejected("wrong_audience")
    if "azp" in claims and claims["azp"] != client_id:
        raise IdTokenRejected("wrong_azp")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires + LEEWAY_SECONDS < now:
        raise IdTokenRejected("expired")
    if not isinstance(claims.get("iat"), int | float):
        raise IdTokenRejected("no_iat")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise IdTokenRejected("no_subject")


def _claims_from_token(client: FlaskOAuth2App, token: dict[str, Any]) -> dict[str, Any]:
    """The verified ID-token claims, completed from /userinfo when they lack the e-mail."""
    id_claims: dict[str, Any] | None = token.get("userinfo")
    if not id_claims:
        # Without an ID token nothing was verified: refuse.
        raise IdTokenRejected("no_id_token")
    metadata = client.load_server_metadata()
    _, client_id, _, _ = _settings()
    check_id_token(dict(id_claims), str(metadata.get("issuer")), client_id, time.time())
    claims = dict(id_claims)
    if not claims.get("email") and metadata.get("userinfo_endpoint"):
        info = dict(client.userinfo(token=token))
        if info.get("sub") != claims["sub"]:
            raise IdTokenRejected("userinfo_subject_mismatch")
        for key, value in info.items():
            claims.setdefault(key, value)
    return claims


def provider_logout_url(id_token: str) -> str | None:
    """The provider's end-session URL for this sign-in, or None when it has none."""
    if not oidc_enabled():
        return None
    client = sso_client()
    try:
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        result = client.create_logout_url(
            post_logout_redirect_uri=url_for("auth.login", _external=True),
            id_token_hint=id_token,
            client_id=_settings()[1],
        )
    except (requests.RequestException, AuthlibBaseError, ValueError, KeyError) as err:
        current_app.logger.warning("SSO provider logout unavailable: %s", err)
        return None
    return str(result["url"])


def _to_login(message: str, category: str = "danger") -> Response:
    flash(message, category)
    return redirect(url_for("auth.login"))


@bp.route("/masuk/sso")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def sso_start() -> Response:
    """Send the browser to the identity provider (state, nonce and PKCE S256)."""
    if not oidc_enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    session[NEXT_KEY] = safe_next(request.args.get("next"), url_for("dashboard.index"))
    try:
        return sso_client().authorize_redirect(url_for("auth.sso_callback", _external=True))
    except (requests.RequestException, AuthlibBaseError, ValueError, KeyError) as err:
        current_app.logger.warning("SSO provider unavailable: %s", err)
        audit.record("sso_failed", "user", None, reason="provider_unavailable")
        return _to_login(MSG_UNAVAILABLE)


@bp.route("/masuk/sso/callback")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def sso_callback() -> Response:
    """Back from the provider: verify everything, then sign in, link or register."""
    if not oidc_enabled():
        abort(404)
    next_url = safe_next(session.pop(NEXT_KEY, None), url_for("dashboard.index"))
    if request.args.get("error"):
        audit.record("sso_failed", "user", None, reason=request.args["error"][:60])
        return _to_login(MSG_DENIED, "warning")
    try:
        client = sso_client()
        token = client.authorize_access_token(leeway=LEEWAY_SECONDS)
        claims = _claims_from_token(client, token)
    except requests.RequestException as err:
        current_app.logger.warning("SSO token exchange failed: %s", err)
        audit.record("sso_failed", "user", None, reason="provider_unavailable")
        return _to_login(MSG_UNAVAILABLE)
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as err:
        reason = getattr(err, "error", None) or type(err).__name__
        current_app.logger.warning("SSO callback refused: %s", err)
        audit.record("sso_failed", "user", None, reason=str(reason)[:60], detail=str(err)[:200])
        return _to_login(MSG_FAILED)

    result = sign_in_with_claims(claims)
    if result.user is None:
        return _to_login(result.message)
    sign_in_browser(result.user)
    session[ID_TOKEN_KEY] = token["id_token"]
    flash(f"Selamat datang, {result.user.full_name}.", "success")
    return redirect(next_url)


@bp.app_context_processor
def _sso_button() -> dict[str, Any]:
    return {
        "sso_enabled": oidc_enabled(),
        "sso_label": current_app.config.get("OIDC_BUTTON_LABEL") or "Masuk dengan SSO",
    }
