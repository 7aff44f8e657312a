"""Enforcement from the records: a missed session opens a violation record by itself.

An ``unacceptable_absence`` (or a ``sent_home`` for the client's own conduct)
counts toward a violation record of category ``absence``; when the absences
not yet on a record reach the Bapas's threshold (``Bapas.absences_for_case``,
default 1) the record is written through the conduct service
(``record_conduct``), so it follows the same ladder: the PK proposes the
team, the team examines within 7 days (Pedoman 2.3.3), the TPP decides.

``announce_missed`` is the single place where "a session was missed" is
told; it writes the audit entry the PK's reminders and notifications read.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import ConductCase, User
from portal.models.work_session import WorkSession
from portal.notifications import service as notifications
from portal.refusals import Refused, RuleViolation
from portal.sessions import rules

CASE_IN_PROGRESS = "CASE_IN_PROGRESS"


def _uncounted(client_id: int) -> list[WorkSession]:
    rows = db.session.scalars(
        select(WorkSession)
        .where(
            WorkSession.client_id == client_id,
            WorkSession.conduct_case_id.is_(None),
            WorkSession.outcome.in_((rules.UNACCEPTABLE_ABSENCE, rules.SENT_HOME)),
        )
        .order_by(WorkSession.session_date)
    )
    return [s for s in rows if rules.counts_toward_case(s.outcome, s.client_fault)]


def _description(sessions: list[WorkSession]) -> str:
    parts = []
    for s in sessions:
        what = rules.OUTCOMES[s.outcome or ""].lower()
        line = f"{s.session_date:%d-%m-%Y} {s.start:%H:%M}–{s.end:%H:%M}: {what}"
        if s.reason:
            line += f" ({s.reason})"
        parts.append(line)
    site = sessions[-1].placement.slot.title
    return f"Tercatat dari sesi kerja di {site}: " + "; ".join(parts) + "."


def after_missed_session(session: WorkSession, user: User) -> ConductCase | None:
    """Open the violation record when the threshold is reached; tell the PK either way."""
    case = None
    if rules.counts_toward_case(session.outcome, session.client_fault):
        client = session.placement.client
        pending = _uncounted(client.id)
        if rules.opens_case(len(pending), client.bapas.absences_for_case):
            from portal.supervision.services import record_conduct

            case = record_conduct(
                client,
                "violation",
                max(s.session_date for s in pending),
                _description(pending),
                user,
                category="absence",
            )
            for s in pending:
                s.conduct_case_id = case.id
            db.session.flush()
    announce_missed(session, case, user)
    return case


def announce_missed(session: WorkSession, case: ConductCase | None, user: User) -> None:
    """The one call site for "session missed": the PK is told here."""
    audit.record(
        "session_missed",
        "work_session",
        session.id,
        user=user,
        client_id=session.client_id,
        outcome=session.outcome,
        conduct_case_id=case.id if case else None,
    )
    notifications.session_missed(session.placement, session.session_date)


def before_undo(session: WorkSession, user: User) -> None:
    """Undoing an absence takes it off its violation record (the record goes if it was its only
    cause and nothing was done on it yet); a record already in progress refuses the undo."""
    case = session.conduct_case
    if case is None:
        return
    if case.status != "recorded":
        raise Refused(
            violations=[
                RuleViolation(
                    CASE_IN_PROGRESS,
                    "Pelanggaran dari sesi ini sudah diproses tim: hasil tidak dapat dibatalkan.",
                )
            ]
        )
    others = db.session.scalars(
        select(WorkSession).where(
            WorkSession.conduct_case_id == case.id, WorkSession.id != session.id
        )
    ).all()
    session.conduct_case_id = None
    db.session.flush()
    if not others:
        audit.record("conduct_withdrawn", "conduct_case", case.id, user=user, session_id=session.id)
        db.session.delete(case)
        db.session.flush()
