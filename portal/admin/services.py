"""Account administration rules: role and organisation must fit together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select

from portal import audit, policy
from portal.auth.services import password_problem, set_password
from portal.auth.sessions import end_all_sessions
from portal.extensions import db
from portal.models import AuditLog, Bapas, Client, Opd, Pemda, Role, User
from portal.refusals import Refused

# Which kind of organisation each role belongs to.
ROLE_ORG_TYPE: dict[str, str | None] = {
    Role.ADMIN: None,
    Role.OPD_ADMIN: "opd",
    Role.SITE_SUPERVISOR: "opd",
    Role.PK: "bapas",
    Role.KEPALA_BAPAS: "bapas",
    Role.SETDA: "pemda",
}


@dataclass
class UserData:
    """What the admin form gives for an account."""

    username: str
    full_name: str
    email: str | None
    role: str
    organisation: str  # "bapas:1", "pemda:2", "opd:3" or "" for admins
    nip: str | None = None
    phone: str = ""
    position: str = ""
    enabled: bool = True
    password: str | None = None


def organisation_choices() -> list[tuple[str, str]]:
    """All organisations as (value, label) for a select box."""
    choices: list[tuple[str, str]] = [("", "— (admin sistem) —")]
    choices += [
        (f"bapas:{b.id}", b.name) for b in db.session.scalars(select(Bapas).order_by(Bapas.name))
    ]
    choices += [
        (f"pemda:{p.id}", p.name) for p in db.session.scalars(select(Pemda).order_by(Pemda.name))
    ]
    for opd in db.session.scalars(select(Opd).order_by(Opd.pemda_id, Opd.name)):
        choices.append((f"opd:{opd.id}", f"{opd.name} ({opd.pemda.short_name})"))
    return choices


def _parse_org(value: str) -> tuple[str | None, int | None]:
    kind, _, raw_id = value.partition(":")
    if not kind:
        return None, None
    if kind not in ("bapas", "pemda", "opd") or not raw_id.isdigit():
        raise Refused.on_field("organisation", "Organisasi tidak dikenal.")
    model = {"bapas": Bapas, "pemda": Pemda, "opd": Opd}[kind]
    if db.session.get(model, int(raw_id)) is None:
        raise Refused.on_field("organisation", "Organisasi tidak dikenal.")
    return kind, int(raw_id)


def save_user(data: UserData, user: User | None = None) -> User:
    """Create or change an account after checking role, organisation and uniqueness."""
    if data.role not in Role.ALL:
        raise Refused.on_field("role", "Peran tidak dikenal.")
    kind, org_id = _parse_org(data.organisation)
    expected = ROLE_ORG_TYPE[data.role]
    if kind != expected:
        needed = {
            "opd": "sebuah OPD",
            "bapas": "sebuah Bapas",
            "pemda": "sebuah Pemda",
            None: "tanpa organisasi",
        }
        raise Refused.on_field(
            "organisation",
            f"Peran {Role.LABELS[data.role]} harus terhubung dengan {needed[expected]}.",
        )
    username = data.username.strip().lower()
    clash = db.session.scalar(select(User).where(func.lower(User.username) == username))
    if clash is not None and clash is not user:
        raise Refused.on_field("username", "Nama pengguna sudah dipakai.")
    email = (data.email or "").strip().lower() or None
    if email:
        clash = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if clash is not None and clash is not user:
            raise Refused.on_field("email", "Email sudah dipakai akun lain.")
    if user is None and not data.password:
        raise Refused.on_field("password", "Kata sandi awal wajib diisi.")
    if data.password:
        problem = password_problem(data.password, username)
        if problem:
            raise Refused.on_field("password", problem)

    creating = user is None
    if user is None:
        user = User(username=username, role=data.role, full_name=data.full_name)
        db.session.add(user)
    was_enabled = user.enabled if not creating else True
    old_role = user.role
    user.username = username
    user.full_name = data.full_name.strip()
    user.email = email
    user.nip = (data.nip or "").strip() or None
    user.phone = data.phone.strip()
    user.position = data.position.strip()
    user.role = data.role
    user.bapas_id = org_id if kind == "bapas" else None
    user.pemda_id = org_id if kind == "pemda" else None
    user.opd_id = org_id if kind == "opd" else None
    user.enabled = data.enabled
    if data.password:
        set_password(user, data.password)
    elif not creating and (was_enabled and not data.enabled or old_role != data.role):
        end_all_sessions(user, "account_changed")  # a disabled or re-roled account is signed out
    audit.note(
        user,
        "user_created" if creating else "user_changed",
        role=data.role,
        organisation=data.organisation,
        enabled=data.enabled,
    )
    return user


# What the audit list and its file show of a row.
AUDIT_COLUMNS = (
    AuditLog.id,
    AuditLog.at,
    AuditLog.username,
    AuditLog.action,
    AuditLog.object_type,
    AuditLog.object_id,
    AuditLog.ip,
)


def audit_query(viewer: User, action: str = "", username: str = "") -> Select[*tuple[Any, ...]]:
    """What the list shows of the audit rows the viewer may read (``AUDIT_COLUMNS``): all
    for admin; his Bapas's for a Kepala Bapas."""
    stmt: Select[*tuple[Any, ...]] = select(*AUDIT_COLUMNS).order_by(
        AuditLog.at.desc(), AuditLog.id.desc()
    )
    if not policy.is_admin(viewer):
        bapas_users = select(User.id).where(User.bapas_id == viewer.bapas_id)
        bapas_clients = select(func.cast(Client.id, AuditLog.object_id.type)).where(
            Client.bapas_id == viewer.bapas_id
        )
        stmt = stmt.where(
            or_(
                AuditLog.user_id.in_(bapas_users),
                (AuditLog.object_type == "client") & AuditLog.object_id.in_(bapas_clients),
            )
        )
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if username:
        stmt = stmt.where(AuditLog.username == username.strip().lower())
    return stmt
