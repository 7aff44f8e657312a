"""Personal API tokens: create, look up, list and revoke.

A token is ``psk_`` followed by 43 URL-safe characters (256 random bits). Only
its SHA-256 is stored: with that much entropy a plain hash is enough (a slow
password hash would only slow every API call), and a stolen database yields no
usable token. The plaintext is returned once, at creation.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.extensions import db
from portal.models import ApiToken, User
from portal.models.base import utcnow

TOKEN_PREFIX = "psk_"  # noqa: S105 - a public marker, not a secret
MAX_DAYS = 365
NAME_MAX = 80
# last_used_at is written at most this often per token, to spare the database a write per call.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenError(ValueError):
    """A token request that cannot be honoured; ``field`` names the bad input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def hash_token(plaintext: str) -> str:
    """The stored form of a token: hex SHA-256."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def create_token(
    user: User, name: str, days: int, actor: User | None = None, via: str = "web"
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` valid ``days`` days; returns the row and the plaintext."""
    name = (name or "").strip()
    if not name:
        raise TokenError("name", "Nama token wajib diisi.")
    if len(name) > NAME_MAX:
        raise TokenError("name", f"Nama token maksimal {NAME_MAX} karakter.")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError("days", f"Masa berlaku token antara 1 dan {MAX_DAYS} hari.")
    if not user.enabled:
        raise TokenError("user", "Akun ini dinonaktifkan; token tidak dapat dibuat.")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=plaintext[:12],
        token_hash=hash_token(plaintext),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token_created",
        "api_token",
        token.id,
        user=actor,
        owner=user.username,
        name=name,
        days=days,
        via=via,
    )
    return token, plaintext


def revoke_token(token: ApiToken, actor: User | None = None, via: str = "web") -> None:
    """Revoke a token at once (revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            "api_token_revoked",
            "api_token",
            token.id,
            user=actor,
            owner=token.user.username,
            name=token.name,
            via=via,
        )


def find_token(plaintext: str) -> ApiToken | None:
    """The token row for a presented plaintext, whatever its state, or None."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    stmt = (
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(plaintext))
        .options(joinedload(ApiToken.user))
    )
    return db.session.scalar(stmt)


def authenticate(plaintext: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token for ``plaintext``: not revoked, not expired, its user enabled."""
    token = find_token(plaintext)
    now = now or utcnow()
    if token is None or token.state(now) != "active" or not token.user.enabled:
        return None
    return token


def touch_token(token: ApiToken, now: datetime | None = None) -> bool:
    """Note the token's use; True when the row changed (the caller commits)."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        return True
    return False


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, including revoked and expired ones."""
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(stmt))
