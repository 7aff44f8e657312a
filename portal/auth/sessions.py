"""Server-side sessions: the signed cookie names a session that must still be open.

A cookie alone cannot be recalled once copied. So each sign-in opens a
``UserSession`` row and the cookie carries its random id; every request checks
that the row exists, belongs to the user and is not ended (``load_user``).
Signing out ends that row; a password change, disabling an account, a role
change, or an admin's "akhiri semua sesi" end every row of the user (and bump
``session_version``, which also invalidates every cookie already issued).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from flask import current_app, g, request, session
from flask_login import login_user
from sqlalchemy import CursorResult, Select, bindparam, delete, func, select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.extensions import db
from portal.models import Notification, User, UserSession
from portal.models.base import utcnow

SESSION_KEY = "sid"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User) -> str:
    """Record a new session of ``user``; return the id the cookie carries."""
    token = secrets.token_urlsafe(32)
    # The user's sessions that ended or expired long ago are of no further use.
    lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.created_at < utcnow() - lifetime - timedelta(days=30),
        )
    )
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def sign_in_browser(user: User) -> None:
    """Sign ``user`` in on this browser with a fresh server-side session."""
    token = open_session(user)
    session.clear()  # nothing from before the sign-in survives it (session fixation)
    login_user(user)
    session[SESSION_KEY] = token


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user of a signed-in browser, if still valid.

    The cookie carries ``<user id>:<session version>``; it must also name a session
    still open on the server (signing out ends it). One statement reads the account,
    its organisation (every page's header names it), whether the session is open and how
    many of its notifications are unread (the header counts them).
    """
    user_id, _, version = session_id.partition(":")
    token = session.get(SESSION_KEY)
    if not user_id.isdigit() or not token or not isinstance(token, str):
        return None
    lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    found = db.session.execute(
        _signed_in_account(),
        {"user_id": int(user_id), "token_hash": _hash(token), "since": utcnow() - lifetime},
    ).first()
    if found is None:
        return None
    user, unread = found
    if str(user.session_version) != version or not user.enabled:
        return None
    g.unread_with_account = unread
    return user


def unread_read_with_account() -> int | None:
    """How many notifications of the signed-in user were unread when his account was read
    at the start of this request (every page's header shows it: no statement of its own);
    None outside a page view (a POST may have read or sent some since)."""
    if request.method not in ("GET", "HEAD"):
        return None
    unread: int | None = g.get("unread_with_account")
    return unread


@functools.cache
def _signed_in_account() -> Select[User, int]:
    """The account ``user_id`` if the session ``token_hash`` is one of its open sessions,
    opened ``since``, with its unread notifications: built once, as every request asks it."""
    unread = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    open_session = select(UserSession.id).where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.user_id == User.id,
        UserSession.ended_at.is_(None),
        UserSession.created_at > bindparam("since"),
    )
    return (
        select(User, unread)
        .options(joinedload(User.bapas), joinedload(User.pemda), joinedload(User.opd))
        .where(User.id == bindparam("user_id"), open_session.exists())
    )


def end_session(token: str | None, reason: str = "signed_out") -> None:
    """End the one session the cookie names (sign-out)."""
    if not token or not isinstance(token, str):
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )


def end_all_sessions(user: User, reason: str) -> int:
    """End every open session of ``user``; return how many were open."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()
    # An UPDATE gives a CursorResult; Session.execute() is typed for every kind of statement.
    return int(cast(CursorResult[Any], result).rowcount or 0)


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions still open (the admin's account page lists them)."""
    lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.created_at > utcnow() - lifetime,
            )
            .order_by(UserSession.created_at.desc())
        )
    )


def end_sessions_by_admin(target: User, actor: User) -> int:
    """An admin ends all of a user's sessions (a lost phone, a leaked cookie)."""
    count = end_all_sessions(target, "ended_by_admin")
    audit.record("sessions_ended", "user", target.id, user=actor, sessions=count)
    return count
