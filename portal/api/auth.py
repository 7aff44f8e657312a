"""Bearer-token authentication for the API and the decorator every API view uses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_limiter.util import get_remote_address
from flask_login import AnonymousUserMixin

from portal import policy, transactions
from portal.api.errors import ApiError
from portal.api.tokens import authenticate, touch_token
from portal.extensions import db
from portal.models import ApiToken, User

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")
_UNSET = object()


def bearer_plaintext() -> str | None:
    """The token in ``Authorization: Bearer <token>``, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_token() -> ApiToken | None:
    """The request's valid token, looked up once per request."""
    cached = g.get("_api_token", _UNSET)
    if cached is _UNSET:
        plaintext = bearer_plaintext()
        cached = authenticate(plaintext) if plaintext else None
        g._api_token = cached
    return cached  # type: ignore[return-value]


def api_user() -> User:
    """The authenticated caller of the current API request (inside ``require_api``)."""
    user = g.get("api_user")
    if user is None:
        raise ApiError(401)
    return user


def anonymous_by_default() -> None:
    """Before each API request: the session cookie never authenticates the API.

    Flask-Login's ``current_user`` reads ``g._login_user``; setting it here keeps
    it from loading a browser session, and ``require_api`` replaces it with the
    token's user, so ``current_user`` and the audit log name the token's owner.
    """
    g._login_user = AnonymousUserMixin()


def forget_request_state(_: BaseException | None = None) -> None:
    """After each API request: drop the caller from ``g``.

    ``g`` lives on the app context, which tests share between requests; the
    caller of one request must never leak into the next.
    """
    for name in ("_api_token", "api_user", "_login_user"):
        g.pop(name, None)


def require_api(action: str | None = None) -> Callable[[F], F]:
    """Decorator: a valid bearer token (else 401), and a role allowed ``action`` (else 403).

    With ``action=None`` any signed-in role may call the view.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if bearer_plaintext() is None:
                raise ApiError(
                    401,
                    "unauthorized",
                    "Sertakan token API pada header Authorization: Bearer <token>.",
                )
            token = current_token()
            if token is None:
                raise ApiError(
                    401,
                    "invalid_token",
                    "Token API tidak sah, kedaluwarsa atau telah dicabut.",
                )
            user = token.user
            if touch_token(token):
                transactions.keep()
            g.api_user = user
            g._login_user = user
            if action is not None and not policy.may(user, action):
                raise ApiError(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def rate_limit_key() -> str:
    """Rate-limit bucket: the token's user when authenticated, else the client address."""
    token = current_token() if bearer_plaintext() else None
    if token is not None:
        return f"api-user:{token.user_id}"
    return f"api-ip:{get_remote_address()}"


def ensure_found(allowed: bool) -> None:
    """404 in the API's shape when a record is missing or outside the caller's organisation."""
    if not allowed:
        raise ApiError(404)


def visible(model: type[R], record_id: int, may_see: Callable[[User, R], bool]) -> R:
    """The record ``record_id`` of ``model`` if the caller may see it, else 404.

    A missing record and one outside the caller's organisation answer alike.
    """
    record = db.session.get(model, record_id)
    ensure_found(record is not None and may_see(api_user(), record))
    assert record is not None
    return record
