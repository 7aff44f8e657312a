"""Permits to leave town (Bapas Magelang SOP "Pohon Ketan"): request, examination by the PK,
decision of the TPP, signature of the Kepala Bapas on a numbered letter.

Signing puts the permit in force: every session of the client in its dates
without an outcome becomes an ``acceptable_absence`` (reason ``permit``) and
the placements are re-planned, which adds make-up sessions up to the
deadline. ``preview`` runs the same steps inside a savepoint and rolls them
back, so the pages can say before approval whether the hours will still fit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select

from portal import audit, clock
from portal.attendance.services import WORKING, ensure_case_open, ensure_step
from portal.extensions import db
from portal.locking import lock_client
from portal.models import Client, Placement, User
from portal.models.base import utcnow
from portal.models.work_session import Permit, WorkSession
from portal.refusals import Refused
from portal.sessions import rules
from portal.sessions.services import generate_sessions

WRONG_STEP = "WRONG_STEP"


@dataclass(frozen=True)
class PermitEffect:
    """What signing does: sessions excused, make-up sessions planned, hours that no longer fit."""

    excused: int
    makeup: int
    shortfall_minutes: int


def _step(permit: Permit, expected: tuple[str, ...], label: str) -> None:
    ensure_step(
        permit.client,
        permit.status in expected,
        WRONG_STEP,
        f"Langkah '{label}' tidak dapat dilakukan: izin "
        f"{rules.PERMIT_STATUSES.get(permit.status, permit.status).lower()}.",
    )


def request_permit(
    client: Client,
    destination: str,
    purpose: str,
    first_day: date | None,
    last_day: date | None,
    user: User,
) -> Permit:
    """The PK registers the client's request (received today: the 14 working days start)."""
    ensure_case_open(client)
    today = clock.today()
    fields = rules.check_permit(first_day, last_day, destination, purpose, today, client.deadline)
    if fields:
        raise Refused(fields)
    assert first_day is not None
    assert last_day is not None
    permit = Permit(
        client_id=client.id,
        destination=destination.strip()[:200],
        purpose=purpose.strip(),
        first_day=first_day,
        last_day=last_day,
        received_on=today,
        status="requested",
        created_by_id=user.id,
    )
    return audit.saved(permit, "permit_requested", user, client_id=client.id)


def examine_permit(permit: Permit, examination: str, user: User) -> Permit:
    """The PK's examination of the request."""
    _step(permit, ("requested",), "pemeriksaan PK")
    if len(examination.strip()) < 5:
        raise Refused({"examination": ["Tuliskan hasil pemeriksaan (minimal 5 karakter)."]})
    permit.examination = examination.strip()
    permit.examined_on = clock.today()
    permit.status = "examined"
    audit.note(permit, "permit_examined", user)
    return permit


def decide_permit(permit: Permit, approve: bool, notes: str, user: User) -> Permit:
    """The TPP session's decision."""
    _step(permit, ("examined",), "sidang TPP")
    if not approve and len(notes.strip()) < 5:
        raise Refused({"tpp_notes": ["Tuliskan alasan penolakan."]})
    permit.tpp_on = clock.today()
    permit.tpp_notes = notes.strip()
    permit.status = "approved" if approve else "refused"
    audit.note(permit, "permit_decided", user, approved=approve)
    return permit


def _apply(permit: Permit, user: User, reason: str) -> PermitEffect:
    sessions = db.session.scalars(
        select(WorkSession).where(
            WorkSession.client_id == permit.client_id,
            WorkSession.session_date.between(permit.first_day, permit.last_day),
            WorkSession.status == rules.PLANNED,
            WorkSession.outcome.is_(None),
        )
    ).all()
    for s in sessions:
        s.outcome = rules.ACCEPTABLE_ABSENCE
        s.reason_code = "permit"
        s.reason = reason
        s.status = rules.RECORDED
        s.outcome_by_id = user.id
        s.outcome_at = utcnow()
        s.outcome_on = clock.today()
    db.session.flush()
    created = shortfall = 0
    for placement in db.session.scalars(
        select(Placement).where(
            Placement.client_id == permit.client_id, Placement.status.in_(WORKING)
        )
    ):
        result = generate_sessions(placement, user)
        created += result.created
        shortfall = max(shortfall, result.shortfall_minutes)
    return PermitEffect(len(sessions), created, shortfall)


def preview(permit: Permit, user: User) -> PermitEffect:
    """What signing would do, computed and rolled back."""
    savepoint = db.session.begin_nested()
    try:
        return _apply(permit, user, "pratinjau")
    finally:
        savepoint.rollback()


def next_number(bapas_id: int, year: int) -> int:
    """The next permit letter number of the Bapas in a year."""
    last = db.session.scalar(
        select(func.max(Permit.seq))
        .join(Client, Permit.client_id == Client.id)
        .where(Client.bapas_id == bapas_id, Permit.year == year)
    )
    return (last or 0) + 1


def sign_permit(permit: Permit, user: User) -> PermitEffect:
    """The Kepala Bapas signs: the letter gets its number and the permit takes effect."""
    _step(permit, ("approved",), "tanda tangan Kepala Bapas")
    lock_client(permit.client_id)
    today = clock.today()
    client = permit.client
    seq = next_number(client.bapas_id, today.year)
    permit.seq = seq
    permit.year = today.year
    permit.number = f"{seq:03d}/IZIN-LK/{client.bapas.code}/{today.year}"
    permit.signed_on = today
    permit.signed_by_id = user.id
    permit.status = "signed"
    db.session.flush()
    effect = _apply(permit, user, f"Izin keluar kota Nomor {permit.number}")
    permit.excused_sessions = effect.excused
    permit.shortfall_minutes = effect.shortfall_minutes
    audit.note(permit, "permit_signed", user, number=permit.number, **asdict(effect))
    return effect
