"""Single sign-on accounts: match the identity provider's claims to a portal account.

The rules, in order:

1. An account already linked to the provider's subject (``oidc_subject``) is it.
2. Else an account whose e-mail equals the provider's *verified* e-mail, not yet
   linked to another subject, is linked to this subject (the admin invites a
   person by creating his account with the e-mail the provider knows).
3. Else nobody matches: no account is made, the person is told to ask the admin.

A disabled account is never signed in. Every outcome is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import User
from portal.models.base import utcnow

MSG_NO_ACCOUNT = (
    "Identitas SSO Anda belum terhubung dengan akun Portal Sinergi. Minta admin sistem "
    "membuatkan akun dengan alamat email Anda, lalu masuk lagi dengan SSO."
)
MSG_DISABLED = "Akun ini dinonaktifkan. Hubungi admin sistem."
MSG_EMAIL_TAKEN = (
    "Alamat email Anda sudah terhubung dengan identitas SSO lain. Hubungi admin sistem."
)
MSG_NO_SUBJECT = "Penyedia identitas tidak mengirim identitas pengguna (sub). Hubungi admin sistem."


@dataclass
class SsoResult:
    """Outcome of an SSO sign-in: ``user`` is set only when he may sign in."""

    user: User | None
    message: str = ""


def _claim_str(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _verified_email(claims: dict[str, Any]) -> str | None:
    email = _claim_str(claims, "email").lower()
    verified = claims.get("email_verified")
    if email and "@" in email and (verified is True or verified == "true"):
        return email
    return None


def sign_in_with_claims(claims: dict[str, Any]) -> SsoResult:
    """Find or link the account for verified ``claims``; the caller commits."""
    subject = _claim_str(claims, "sub")
    if not subject:
        audit.record("sso_refused", "user", None, reason="no_subject")
        return SsoResult(None, MSG_NO_SUBJECT)

    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None:
        email = _verified_email(claims)
        if email:
            user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            audit.record("sso_refused", "user", None, reason="no_account")
            return SsoResult(None, MSG_NO_ACCOUNT)
        if user.oidc_subject not in (None, subject):
            audit.record("sso_refused", "user", user.id, reason="email_linked_elsewhere")
            return SsoResult(None, MSG_EMAIL_TAKEN)
        if not user.enabled:
            return _refuse_disabled(user)
        user.oidc_subject = subject
        audit.record("sso_linked", "user", user.id, user=user, email=email)

    if not user.enabled:
        return _refuse_disabled(user)
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, user=user, method="sso")
    return SsoResult(user)


def _refuse_disabled(user: User) -> SsoResult:
    audit.record("login_refused_disabled", "user", user.id, user=user, method="sso")
    return SsoResult(None, MSG_DISABLED)
