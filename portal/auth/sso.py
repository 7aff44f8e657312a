"""Single sign-on accounts: match the identity provider's claims to a portal account.

The rules, in order:

1. An account already linked to the provider's subject (``oidc_subject``) is it.
2. Else an account whose e-mail equals the provider's *verified* e-mail, not yet
   linked to another subject, is linked to this subject.
3. Else a new, disabled account is made from the claims (role and organisation
   from the configured claims when they are valid, else none) for an admin to
   approve; the person is told that his account waits for approval.

A disabled account is never signed in. Every outcome is written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import Bapas, Opd, Pemda, Role, User
from portal.models.base import utcnow

# The least-privileged role, given to a new account whose claims name no valid role;
# the admin sets the right role when approving it.
FALLBACK_ROLE = Role.SITE_SUPERVISOR

MSG_PENDING = (
    "Akun Anda untuk Portal Sinergi telah dicatat dan menunggu persetujuan admin sistem. "
    "Anda dapat masuk dengan SSO setelah akun diaktifkan."
)
MSG_STILL_PENDING = (
    "Akun Anda masih menunggu persetujuan admin sistem. "
    "Anda dapat masuk dengan SSO setelah akun diaktifkan."
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
    created: User | None = None


@dataclass(frozen=True)
class ClaimNames:
    """Which claims carry the portal role and organisation code."""

    role: str = "portal_role"
    org: str = "portal_org"


def _claim_str(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _verified_email(claims: dict[str, Any]) -> str | None:
    email = _claim_str(claims, "email").lower()
    verified = claims.get("email_verified")
    if email and "@" in email and (verified is True or verified == "true"):
        return email
    return None


def organisation_from_claim(role: str, value: str) -> dict[str, int]:
    """The organisation columns for ``role`` from an org code ('MDN', 'opd:NGAWI-DINSOS').

    Returns an empty dict when the code names no organisation of the kind the
    role belongs to, so a wrong claim never gives access elsewhere.
    """
    code = value.split(":", 1)[1] if ":" in value else value
    code = code.strip()
    if not code or role == Role.ADMIN:
        return {}
    if role in Role.BAPAS_ROLES:
        bapas = db.session.scalar(select(Bapas).where(func.upper(Bapas.code) == code.upper()))
        return {"bapas_id": bapas.id} if bapas else {}
    if role in Role.OPD_ROLES:
        opd = db.session.scalar(select(Opd).where(func.upper(Opd.code) == code.upper()))
        return {"opd_id": opd.id} if opd else {}
    if role == Role.SETDA:
        pemda = db.session.scalar(select(Pemda).where(func.upper(Pemda.code) == code.upper()))
        return {"pemda_id": pemda.id} if pemda else {}
    return {}


def _unique_username(claims: dict[str, Any], subject: str) -> str:
    base = _claim_str(claims, "preferred_username") or _claim_str(claims, "email").split("@")[0]
    base = re.sub(r"[^a-z0-9._-]+", "", base.lower())[:60] or "sso"
    candidate, n = base, 1
    while db.session.scalar(select(User.id).where(User.username == candidate)) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _create_pending_account(claims: dict[str, Any], subject: str, names: ClaimNames) -> User:
    role_claim = _claim_str(claims, names.role).lower()
    role = role_claim if role_claim in Role.ALL else FALLBACK_ROLE
    org = organisation_from_claim(role, _claim_str(claims, names.org))
    email = _verified_email(claims)
    if email and db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        email = None
    full_name = (_claim_str(claims, "name") or _claim_str(claims, "email") or subject)[:160]
    user = User(
        username=_unique_username(claims, subject),
        full_name=full_name,
        email=email,
        role=role,
        enabled=False,
        oidc_subject=subject,
        password_hash=None,
        **org,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "sso_account_created",
        "user",
        user.id,
        user=user,
        role=role,
        role_claim=role_claim or None,
        organisation=_claim_str(claims, names.org) or None,
        organisation_matched=bool(org),
    )
    return user


def _refuse_disabled(user: User) -> SsoResult:
    audit.record("login_refused_disabled", "user", user.id, user=user, method="sso")
    # An account made by SSO that never signed in is waiting for approval.
    pending = user.password_hash is None and user.last_login_at is None
    return SsoResult(None, MSG_STILL_PENDING if pending else MSG_DISABLED)


def sign_in_with_claims(claims: dict[str, Any], names: ClaimNames | None = None) -> SsoResult:
    """Find, link or create the account for verified ID-token ``claims``; the caller commits."""
    names = names or ClaimNames()
    subject = _claim_str(claims, "sub")
    if not subject:
        audit.record("sso_refused", "user", None, reason="no_subject")
        return SsoResult(None, MSG_NO_SUBJECT)

    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None:
        email = _verified_email(claims)
        if email:
            user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None:
            if user.oidc_subject not in (None, subject):
                audit.record("sso_refused", "user", user.id, reason="email_linked_elsewhere")
                return SsoResult(None, MSG_EMAIL_TAKEN)
            if not user.enabled:
                return _refuse_disabled(user)
            user.oidc_subject = subject
            audit.record("sso_linked", "user", user.id, user=user, email=email)
        else:
            created = _create_pending_account(claims, subject, names)
            return SsoResult(None, MSG_PENDING, created=created)

    if not user.enabled:
        return _refuse_disabled(user)
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, user=user, method="sso")
    return SsoResult(user)
