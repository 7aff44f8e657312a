"""Planned work sessions of a placement and the outcome recorded for each.

A confirmed placement's weekly schedule is turned into one session per planned
work day (``portal.sessions.services.generate_sessions``). The PJ lokasi, the
OPD admin or the PK records one outcome per session; an ``attended`` outcome
is an ordinary attendance record (``attendance_id``), so the one hours ledger
keeps counting verified attendance only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, scoped_session

from portal import cache
from portal.extensions import Model
from portal.fields import LETTER_NUMBER
from portal.models.attendance import Attendance
from portal.models.base import ClientRecord, UTCDateTime, recount_on_flush, set_totals, utcnow
from portal.models.client import Client
from portal.models.placement import Placement
from portal.models.slot import Slot
from portal.models.supervision import ConductCase
from portal.models.user import User


class WorkSession(Model):
    """One planned work day of a placement (UK Community Payback's "appointment")."""

    __tablename__ = "work_session"
    # A site's week and a client's month are read by (placement or client, date); a Bapas's
    # or an OPD's sessions in the list's order (date, start, id) off their own index.
    __table_args__ = (
        Index("ix_work_session_placement_id_session_date", "placement_id", "session_date"),
        Index("ix_work_session_client_id_session_date", "client_id", "session_date"),
        Index(
            "ix_work_session_bapas_id_session_date",
            "bapas_id",
            "session_date",
            "start",
            "id",
            "placement_id",
        ),
        Index(
            "ix_work_session_opd_id_session_date",
            "opd_id",
            "session_date",
            "start",
            "id",
            "placement_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"))
    # Denormalised from the placement: the 8 hours a day rule is per client across placements.
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    # Denormalised from the placement's client and slot, which never change (``session_keys``
    # is the reference): the client's Bapas and the slot's OPD.
    bapas_id: Mapped[int | None] = mapped_column(ForeignKey("bapas.id"))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    session_date: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(Integer)
    # planned, recorded, cancelled ("verified" is read from the attendance record)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    # attended, sent_home, acceptable_absence, unacceptable_absence
    outcome: Mapped[str | None] = mapped_column(String(30))
    # acceptable_absence: sick, permit, force_majeure, site_closed
    reason_code: Mapped[str] = mapped_column(String(30), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # sent_home: the client's own conduct (True) or not (False)
    client_fault: Mapped[bool | None] = mapped_column(Boolean)
    attendance_id: Mapped[int | None] = mapped_column(ForeignKey("attendance.id"))
    conduct_case_id: Mapped[int | None] = mapped_column(ForeignKey("conduct_case.id"))
    # Optional GPS evidence: metres from the slot's location when the outcome was taken.
    distance_m: Mapped[float | None] = mapped_column(Float)
    makeup: Mapped[bool] = mapped_column(Boolean, default=False)
    # acceptable_absence: the letter (a doctor's, the permit...) as a stored file, if any.
    evidence_name: Mapped[str | None] = mapped_column(String(80))
    evidence_type: Mapped[str | None] = mapped_column(String(40))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The business day the outcome was taken on (undo is allowed that day only).
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement] = relationship()
    attendance: Mapped[Attendance | None] = relationship()
    conduct_case: Mapped[ConductCase | None] = relationship()
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])


# --- the Bapas and the OPD of a session ------------------------------------------------
# Set when the session is written (through the ORM when it is added or moved to another
# placement; the planner and bulk loads set them on their rows).


def session_keys(placement_ids: Iterable[int]) -> Any:
    """SQL: (placement id, the client's Bapas, the slot's OPD) of ``placement_ids`` - the
    reference for ``WorkSession.bapas_id`` and ``opd_id``."""
    return (
        select(Placement.id, Client.bapas_id, Slot.opd_id)
        .join(Client, Client.id == Placement.client_id)
        .join(Slot, Slot.id == Placement.slot_id)
        .where(Placement.id.in_(sorted(set(placement_ids))))
    )


@event.listens_for(WorkSession, "before_insert")
def _keys_of_a_new_session(_mapper: Any, connection: Connection, target: WorkSession) -> None:
    if target.bapas_id is None or target.opd_id is None:
        _set_keys(connection, target)


@event.listens_for(WorkSession, "before_update")
def _keys_of_a_moved_session(_mapper: Any, connection: Connection, target: WorkSession) -> None:
    if inspect(target).attrs.placement_id.history.has_changes():
        _set_keys(connection, target)


def _set_keys(connection: Connection, target: WorkSession) -> None:
    placement_id = target.placement_id or target.placement.id
    _, target.bapas_id, target.opd_id = connection.execute(session_keys([placement_id])).one()


# --- sessions counted on the placement -------------------------------------------------
# ``Placement.session_count`` is the number of work_session rows of the placement
# (``session_counts`` is the reference). Every flush that adds, deletes or moves a session
# recounts its placements in the same transaction; bulk writes that bypass the ORM call
# ``recount_sessions`` themselves.


def session_counts(placement_ids: Iterable[int]) -> Any:
    """SQL: (placement id, number of sessions) of ``placement_ids`` - the reference count."""
    return (
        select(WorkSession.placement_id, func.count(WorkSession.id))
        .where(WorkSession.placement_id.in_(sorted(set(placement_ids))))
        .group_by(WorkSession.placement_id)
    )


def recount_sessions(connection: Connection, placement_ids: Iterable[int] | None = None) -> None:
    """Set ``Placement.session_count`` of ``placement_ids`` (all when None) from the sessions."""
    placement = Placement.__table__
    counted = (
        select(func.count(WorkSession.id))
        .where(WorkSession.placement_id == placement.c.id)
        .scalar_subquery()
    )
    # Locked first on PostgreSQL: the count then reads the sessions committed meanwhile.
    set_totals(connection, placement, {"session_count": counted}, placement_ids, lock=True)


def sessions_written(session: Session | scoped_session[Any], placement_ids: Iterable[int]) -> None:
    """Recount the sessions of ``placement_ids`` after a bulk write, in ``session``."""
    ids = set(placement_ids)
    # Written on the connection (an executemany of a batch's sessions): the cached figures
    # and lists' totals are recomputed after the commit, as after any saved change.
    cache.changed(session)
    recount_sessions(session.connection(), ids)
    for obj in session.identity_map.values():
        if isinstance(obj, Placement) and obj.id in ids:
            session.expire(obj, ["session_count"])


# A session added, deleted or moved to another placement changes the placements' counts.
recount_on_flush(WorkSession, "placement_id", ("placement_id",), sessions_written)


class OutcomeReceipt(Model):
    """An idempotency key of an outcome already applied: a resend is answered, not redone."""

    __tablename__ = "outcome_receipt"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("work_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Permit(ClientRecord, Model):
    """Permission to leave town for given dates (Bapas Magelang SOP "Pohon Ketan").

    The PK examines the request, the TPP decides, the Kepala Bapas signs a
    numbered letter; all within 14 working days of the request reaching the PK.
    Signing excuses the sessions in its dates (acceptable absence, reason
    permit) and plans make-up sessions where the deadline allows.
    """

    __tablename__ = "permit"

    destination: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    # requested → examined → approved | refused; approved → signed
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    examination: Mapped[str] = mapped_column(Text, default="")
    examined_on: Mapped[date | None] = mapped_column(Date)
    tpp_on: Mapped[date | None] = mapped_column(Date)
    tpp_notes: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[str | None] = mapped_column(String(LETTER_NUMBER), unique=True)
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    excused_sessions: Mapped[int] = mapped_column(Integer, default=0)
    shortfall_minutes: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])


class PlacementChange(Model):
    """A move of a placed client to another slot or schedule (NK Pasal 14, force majeure).

    The PK proposes; the OPD that receives the client (the new slot's, or the
    same slot's for a new schedule) agrees or refuses. Agreed, it keeps the
    hours served and the history: a new schedule re-plans the same placement,
    a new place ends the old placement from that day and starts a new one.
    """

    __tablename__ = "placement_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    new_slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    # proposed → agreed | refused
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    new_placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"))

    placement: Mapped[Placement] = relationship(foreign_keys=[placement_id])
    new_slot: Mapped[Slot] = relationship()
