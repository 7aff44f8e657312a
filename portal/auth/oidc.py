"""The SSO pages: off to the OpenID Connect provider and back (see ``oidc_client``)."""

from __future__ import annotations

from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from portal import audit
from portal.auth.oidc_client import (
    ID_TOKEN_KEY,
    LEEWAY_SECONDS,
    MSG_DENIED,
    MSG_FAILED,
    MSG_UNAVAILABLE,
    NEXT_KEY,
    claims_from_token,
    oidc_enabled,
    sso_client,
)
from portal.auth.routes import bp
from portal.auth.sessions import sign_in_browser
from portal.auth.sso import sign_in_with_claims
from portal.extensions import limiter
from portal.web import safe_next

__all__ = ["MSG_FAILED", "sso_callback", "sso_start"]


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
        claims = claims_from_token(client, token)
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
