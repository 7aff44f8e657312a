"""Receiving and profiling clients: registration, profile changes, summons, PK appointment.

The web forms and the API call these functions; they enforce the rules of
``portal.clients.validation``, the role rules (only the Kepala Bapas appoints a
PK or records the vulnerable-contact exception), write the audit log and flush.
The caller commits.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dc_fields
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Exists, Select, bindparam, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute

from portal import audit, clock, policy
from portal.attendance.services import verified_minutes_of
from portal.clients.validation import (
    MAX_SUMMONS,
    SUMMONS_OUTCOMES,
    ClientData,
    child_at_offence,
    validate_client,
)
from portal.extensions import db
from portal.locking import lock_client
from portal.models import (
    AuditLog,
    Bapas,
    Client,
    ConductCase,
    Placement,
    PlacementStatus,
    Role,
    Summons,
    User,
)
from portal.refusals import Forbidden, Refused
from portal.statuses import ClientStatus
from portal.supervision.services import record_conduct

# Fields copied as they are from ClientData to Client.
_PLAIN = [
    f.name
    for f in dc_fields(ClientData)
    if f.name not in ("pk_id", "vulnerable_contact_exception", "vulnerable_contact_reason")
]


def data_from_client(client: Client) -> ClientData:
    """The stored client as form data (for editing)."""
    values = {name: getattr(client, name) for name in _PLAIN}
    values["document_checks"] = dict(client.document_checks or {})
    values["victim_places"] = list(client.victim_places or [])
    values["special_needs"] = list(client.special_needs or [])
    values["skills"] = list(client.skills or [])
    values["available"] = list(client.available or [])
    return ClientData(
        **values,
        pk_id=client.pk_id,
        vulnerable_contact_exception=client.vulnerable_contact_exception,
        vulnerable_contact_reason=client.vulnerable_contact_reason,
    )


def _clean(data: ClientData) -> None:
    for name in ("full_name", "address", "decision_number", "court", "offence", "occupation"):
        setattr(data, name, (getattr(data, name) or "").strip())
    data.nik = (data.nik or "").strip() or None
    data.skills = sorted(set(data.skills))
    data.special_needs = sorted(set(data.special_needs))
    data.document_checks = {k: bool(v) for k, v in data.document_checks.items() if v}
    if data.birth_date and data.offence_date and data.birth_date < data.offence_date:
        # Child or adult is decided by age on the day of the offence (UU SPPA Pasal 20).
        data.is_child = child_at_offence(data.birth_date, data.offence_date)
    if data.replaced_penalty_kind == "prison":
        data.replaced_penalty_amount = None
    elif data.replaced_penalty_kind == "fine":
        data.replaced_penalty_months = None


def _pk_of_bapas(pk_id: int | None, bapas_id: int) -> User | None:
    if pk_id is None:
        return None
    user = db.session.get(User, pk_id)
    if user is None or not policy.is_pk(user) or user.bapas_id != bapas_id or not user.enabled:
        return None
    return user


def next_client_code(bapas: Bapas, year: int) -> str:
    """The next free code of the Bapas for the year, e.g. ``MDN-2026-0007``."""
    prefix = f"{bapas.code}-{year}-"
    last = db.session.scalar(select(func.max(Client.code)).where(Client.code.like(prefix + "%")))
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _apply_exception(client: Client, data: ClientData, actor: User) -> None:
    changed = bool(data.vulnerable_contact_exception) != bool(
        client.vulnerable_contact_exception
    ) or (
        data.vulnerable_contact_exception
        and data.vulnerable_contact_reason.strip() != (client.vulnerable_contact_reason or "")
    )
    if not changed:
        return
    if not policy.may(actor, "client.vulnerable_exception"):
        raise Forbidden(
            "Hanya Kepala Bapas yang dapat mencatat pengecualian kontak dengan kelompok rentan.",
            "vulnerable_contact_exception",
        )
    client.vulnerable_contact_exception = bool(data.vulnerable_contact_exception)
    client.vulnerable_contact_reason = (
        data.vulnerable_contact_reason.strip() if data.vulnerable_contact_exception else ""
    )
    client.vulnerable_contact_by_id = actor.id if data.vulnerable_contact_exception else None
    audit.record(
        "vulnerable_exception_set"
        if data.vulnerable_contact_exception
        else "vulnerable_exception_removed",
        "client",
        client.id,
    )


def register_client(data: ClientData, actor: User) -> Client:
    """Register a client of the actor's Bapas; refused input saves nothing."""
    if actor.bapas_id is None or not policy.may(actor, "client.manage"):
        raise Forbidden("Hanya PK atau Kepala Bapas yang dapat mendaftarkan klien.", "full_name")
    _clean(data)
    errors = validate_client(data, clock.today())
    if policy.may(actor, "client.assign_pk"):
        pk = _pk_of_bapas(data.pk_id, actor.bapas_id)
        if pk is None:
            errors.setdefault("pk_id", []).append("Pilih PK dari Bapas Anda.")
    else:
        pk = actor
    if data.vulnerable_contact_exception and not policy.may(actor, "client.vulnerable_exception"):
        raise Forbidden(
            "Hanya Kepala Bapas yang dapat mencatat pengecualian kontak dengan kelompok rentan.",
            "vulnerable_contact_exception",
        )
    if errors:
        raise Refused(errors)
    bapas = db.session.get(Bapas, actor.bapas_id)
    assert bapas is not None
    client = Client(bapas_id=bapas.id, created_by_id=actor.id, status="registered")
    for name in _PLAIN:
        setattr(client, name, getattr(data, name))
    client.pk_id = pk.id if pk else None
    if policy.may(actor, "client.assign_pk"):
        client.appointed_by_id = actor.id
        client.appointed_on = clock.today()
    client.vulnerable_contact_exception = False
    client.vulnerable_contact_reason = ""
    # The code is unique: two registrations racing for the same number make one
    # insert fail; that one takes the next number.
    for _attempt in range(10):
        client.code = next_client_code(bapas, clock.today().year)
        try:
            with db.session.begin_nested():
                db.session.add(client)
                db.session.flush()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - ten collisions in a row
        raise Refused({"full_name": ["Kode klien tidak dapat dibuat; coba lagi."]})
    _apply_exception(client, data, actor)
    audit.record("client_registered", "client", client.id, code=client.code)
    return client


def update_client(client: Client, data: ClientData, actor: User) -> Client:
    """Change the registration and profile; refused input changes nothing."""
    _clean(data)
    errors = validate_client(data, clock.today())
    if errors:
        raise Refused(errors)
    _apply_exception(client, data, actor)
    changed = [name for name in _PLAIN if getattr(client, name) != getattr(data, name)]
    for name in changed:
        setattr(client, name, getattr(data, name))
    audit.note(client, "client_updated", fields=sorted(changed))
    return client


def view_client(client: Client, actor: User, page: str | None = None) -> None:
    """Record that ``actor`` read the full record, or a page or document showing the
    client's identity (``page`` names it), as NK Pasal 9 requires."""
    details = {"page": page} if page else {}
    audit.record("client_viewed", "client", client.id, user=actor, **details)


def assign_pk(
    client: Client, pk_id: int | None, number: str, on: date | None, actor: User
) -> Client:
    """The Kepala Bapas appoints (or replaces) the client's PK by surat perintah."""
    if not policy.may(actor, "client.assign_pk"):
        raise Forbidden("Hanya Kepala Bapas yang dapat menunjuk PK.", "pk_id")
    errors: dict[str, list[str]] = {}
    pk = _pk_of_bapas(pk_id, client.bapas_id)
    if pk is None:
        errors["pk_id"] = ["Pilih PK dari Bapas ini."]
    if not number.strip():
        errors["appointment_number"] = ["Nomor surat perintah wajib diisi."]
    if on is None:
        errors["appointed_on"] = ["Wajib diisi."]
    elif on > clock.today():
        errors["appointed_on"] = ["Tanggal surat perintah tidak boleh di masa depan."]
    if errors:
        raise Refused(errors)
    assert pk is not None
    before = client.pk_id
    client.pk_id = pk.id
    client.appointment_number = number.strip()
    client.appointed_on = on
    client.appointed_by_id = actor.id
    audit.note(client, "pk_assigned", pk=pk.username, previous_pk_id=before)
    return client


SUMMONS_VIOLATION = "summons_ignored"  # the violation category a third ignored summons opens


def record_summons(
    client: Client, sent_on: date | None, outcome: str, note: str, actor: User
) -> Summons:
    """Record a summons (up to three); a third unanswered one opens a violation record."""
    errors: dict[str, list[str]] = {}
    lock_client(client.id)  # the count of summons sent so far, read under the lock
    if client.status == ClientStatus.CLOSED:
        raise Refused({"sent_on": ["Perkara klien sudah ditutup."]})
    sent = select(func.count(Summons.id)).where(Summons.client_id == client.id)
    count = db.session.scalar(sent) or 0
    if count >= MAX_SUMMONS:
        errors["sent_on"] = ["Panggilan paling banyak tiga kali."]
    if sent_on is None:
        errors["sent_on"] = ["Wajib diisi."]
    elif sent_on > clock.today():
        errors["sent_on"] = ["Tanggal panggilan tidak boleh di masa depan."]
    if outcome not in SUMMONS_OUTCOMES:
        errors["outcome"] = ["Pilih hasil panggilan."]
    if errors:
        raise Refused(errors)
    assert sent_on is not None
    summons = Summons(
        client_id=client.id, seq=count + 1, sent_on=sent_on, outcome=outcome, note=note.strip()
    )
    db.session.add(summons)
    audit.note(client, "summons_recorded", seq=summons.seq, outcome=outcome)
    if summons.seq == MAX_SUMMONS and outcome == "absent_without_reason":
        # Pedoman 2.2: the absence is a violation. It is a ConductCase like any other
        # (team, TPP, Jaksa) and the only thing monitoring counts as the breach.
        record_conduct(
            client,
            "violation",
            sent_on,
            f"Panggilan ke-{summons.seq} Kepala Bapas tanggal {sent_on.strftime('%d-%m-%Y')} "
            "tidak dihadiri tanpa alasan sah (Pedoman 2.2)."
            + (f" Catatan: {summons.note}" if summons.note else ""),
            actor,
            category=SUMMONS_VIOLATION,
        )
    return summons


def _is_summons_violation() -> tuple[ColumnElement[bool], ...]:
    """What makes a conduct record the violation a third ignored summons opens."""
    return (ConductCase.kind == "violation", ConductCase.category == SUMMONS_VIOLATION)


def summons_violation_of(client_id: ColumnElement[int] | QueryableAttribute[int]) -> Exists:
    """Whether the client ``client_id`` (an outer query's column) has the violation record
    a third ignored summons opens: ``summons_violations`` as one SQL value for a list."""
    return exists().where(ConductCase.client_id == client_id, *_is_summons_violation())


def summons_violations(client_ids: Iterable[int]) -> dict[int, ConductCase]:
    """The violation record a third ignored summons opened, per client (lists, pages, API)."""
    ids = list(client_ids)
    if not ids:
        return {}
    rows = db.session.scalars(_summons_violations(), {"client_ids": ids})
    return {case.client_id: case for case in rows}


@functools.cache
def _summons_violations() -> Select[ConductCase]:
    # Built once: every client record and list asks (a statement built afresh costs its
    # construction and cache key at each view).
    return (
        select(ConductCase)
        .where(
            ConductCase.client_id.in_(bindparam("client_ids", expanding=True)),
            *_is_summons_violation(),
        )
        .order_by(ConductCase.id)
    )


@dataclass(frozen=True)
class RecordHead:
    """A client with the two figures his record shows above its sections."""

    client: Client
    served_minutes: int  # the ledger's verified minutes (``verified_minutes_of``)
    summons_case_id: int | None  # the violation a third ignored summons opened


def record_head(client_id: int) -> RecordHead | None:
    """The client ``client_id`` with his verified minutes and his summons violation, read in
    one statement (his record asked three: each a round trip to PostgreSQL); None when
    there is no such client."""
    row = db.session.execute(_record_head(), {"client_id": client_id}).first()
    if row is None:
        return None
    client, minutes, case_id = row
    return RecordHead(client, int(minutes or 0), case_id)


@functools.cache
def _record_head() -> Select[Client, int, int | None]:
    # The last such case, as ``summons_violations`` keeps it.
    case = (
        select(ConductCase.id)
        .where(ConductCase.client_id == Client.id, *_is_summons_violation())
        .order_by(ConductCase.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(Client, verified_minutes_of(Client.id), case).where(
        Client.id == bindparam("client_id")
    )


def client_readers(client: Client, limit: int = 50) -> list[AuditLog]:
    """Who read the client's full record, newest first."""
    return list(
        db.session.scalars(
            select(AuditLog)
            .where(
                AuditLog.action == "client_viewed",
                AuditLog.object_type == "client",
                AuditLog.object_id == str(client.id),
            )
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
        )
    )


def _waiting(user: User) -> tuple[Any, ...]:
    holding = exists().where(
        Placement.client_id == Client.id,
        Placement.status.in_(PlacementStatus.SEAT_HOLDING + (PlacementStatus.COMPLETED,)),
    )
    return (policy.clients_scope(user), ~holding, Client.closed_at.is_(None))


def waiting_clients(user: User) -> list[Client]:
    """Clients in the user's scope still waiting for a placement."""
    return list(db.session.scalars(select(Client).where(*_waiting(user)).order_by(Client.code)))


def waiting_count(user: User) -> int:
    """How many clients ``waiting_clients`` would list, counted in SQL."""
    return db.session.scalar(select(func.count()).select_from(Client).where(*_waiting(user))) or 0


def pks_of_bapas(bapas_id: int) -> list[User]:
    """The enabled PKs of a Bapas, for appointment."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.bapas_id == bapas_id, User.role == Role.PK, User.enabled.is_(True))
            .order_by(User.full_name)
        )
    )
