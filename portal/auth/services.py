"""Account rules: password hashing, sign-in with throttling, password change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from portal import audit
from portal.config import DEMO_PASSWORD
from portal.extensions import db
from portal.models import LoginThrottle, User
from portal.models.base import utcnow

MAX_LOCK = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10


@dataclass
class SignInResult:
    """Outcome of a sign-in attempt; ``user`` is set only on success."""

    user: User | None
    message: str = ""
    wait_seconds: int = 0


def hash_password(password: str) -> str:
    """Hash a password with the configured modern scheme (scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def set_password(user: User, password: str) -> None:
    """Give the user a new password and end his other sessions."""
    user.password_hash = hash_password(password)
    if user.id is None:
        return
    from portal.auth.sessions import end_all_sessions

    end_all_sessions(user, "password_changed")


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if password == DEMO_PASSWORD:
        return "Kata sandi demo tidak boleh dipakai."
    if username and username.lower() in password.lower():
        return "Kata sandi tidak boleh memuat nama pengguna."
    if password.isdigit() or password.isalpha():
        return "Kata sandi harus memuat huruf dan angka atau simbol."
    return None


def _throttle(key: str) -> LoginThrottle:
    row = db.session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0)
        db.session.add(row)
    return row


def sign_in(username: str, password: str) -> SignInResult:
    """Check a username and password, counting consecutive failures per username.

    After ``LOGIN_MAX_FAILURES`` failures the username is locked for
    ``LOGIN_LOCK_SECONDS``, doubling with each further failure (at most 15
    minutes). Attempts during a lock are refused without checking the password,
    so guessing gains nothing; the right password works again after the wait.
    """
    key = username.strip().lower()[:120]
    now = utcnow()
    row = _throttle(key)
    if row.locked_until and row.locked_until > now:
        wait = int((row.locked_until - now).total_seconds()) + 1
        audit.record("login_throttled", "user", None, attempted=key)
        return SignInResult(
            None,
            f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {wait} detik.",
            wait,
        )
    user = db.session.scalar(select(User).where(func.lower(User.username) == key))
    ok = (
        user is not None
        and user.password_hash is not None
        and check_password_hash(user.password_hash, password)
    )
    if ok and user is not None and not user.enabled:
        audit.record("login_refused_disabled", "user", user.id, user=user)
        return SignInResult(None, "Akun ini dinonaktifkan. Hubungi admin sistem.")
    if not ok:
        row.failures += 1
        row.updated_at = now
        limit = current_app.config["LOGIN_MAX_FAILURES"]
        if row.failures >= limit:
            base = timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
            row.locked_until = now + min(base * 2 ** (row.failures - limit), MAX_LOCK)
        audit.record("login_failed", "user", user.id if user else None, attempted=key)
        return SignInResult(None, "Nama pengguna atau kata sandi salah.")
    assert user is not None
    row.failures = 0
    row.locked_until = None
    user.last_login_at = now
    audit.record("login", "user", user.id, user=user)
    return SignInResult(user)


def change_password(user: User, current: str, new: str) -> str | None:
    """Change the user's password; returns the reason for a refusal, or None."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        return "Kata sandi saat ini salah."
    problem = password_problem(new, user.username)
    if problem:
        return problem
    set_password(user, new)
    audit.record("password_changed", "user", user.id, user=user)
    return None


def accounts_with_demo_password() -> list[str]:
    """Usernames of enabled accounts whose password is still the demo password."""
    users = db.session.scalars(select(User).where(User.enabled.is_(True)))
    return [
        u.username
        for u in users
        if u.password_hash and check_password_hash(u.password_hash, DEMO_PASSWORD)
    ]


def refuse_demo_passwords(app: Flask) -> None:
    """In production, refuse to start while any account still has the demo password."""
    with app.app_context():
        try:
            offenders = accounts_with_demo_password()
        except Exception:  # noqa: BLE001 - a database without tables has no demo accounts yet
            db.session.rollback()
            return
    if offenders:
        raise RuntimeError(
            "Mode produksi ditolak: akun berikut masih memakai kata sandi demo: "
            + ", ".join(sorted(offenders))
        )
