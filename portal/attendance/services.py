"""Writing attendance: record, verify, correct. Every rule is checked here.

Routes and the API call these functions; they flush and write the audit log,
the request commits once. A refusal raises ``Refused`` (rule codes or bad
input) before anything is added to the session.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Row,
    ScalarSelect,
    Select,
    bindparam,
    false,
    func,
    select,
    true,
)
from sqlalchemy.orm import QueryableAttribute

from portal import audit, cache, clock, policy
from portal.attendance import photos
from portal.attendance.ledger import Ledger, ScheduledPeriod, WorkDay, build_ledger
from portal.attendance.rules import (
    ALREADY_VERIFIED,
    PLACEMENT_NOT_ACTIVE,
    DayContext,
    Interval,
    check_attendance,
    minutes_between,
)
from portal.events import attendance_recorded
from portal.extensions import db
from portal.locking import lock_client, refresh
from portal.models import Attendance, AttendanceMonth, Client, Placement, PlacementStatus, User
from portal.models.base import utcnow
from portal.refusals import Refused, RuleViolation, case_closed
from portal.statuses import ClientStatus

# Placements on which work may be recorded, and those whose schedule the ledger follows.
WORKING = PlacementStatus.WORKING
COUNTED = (
    PlacementStatus.ACCEPTED,
    PlacementStatus.ACTIVE,
    PlacementStatus.COMPLETED,
    PlacementStatus.ENDED,
)
LIVE = Attendance.superseded_by_id.is_(None)


def verified_minutes_of(
    client_id: ColumnElement[int] | QueryableAttribute[int],
) -> ScalarSelect[int]:
    """The ledger's ``minutes_verified`` of the client ``client_id`` (an outer query's
    column) as one SQL value: a list's page reads its rows' hours with its rows. Summed
    from the months kept per placement (``AttendanceMonth``: verified and live records),
    a dozen rows a client instead of a year of records."""
    return (
        select(func.coalesce(func.sum(AttendanceMonth.minutes), 0))
        .join(Placement, Placement.id == AttendanceMonth.placement_id)
        .where(Placement.client_id == client_id)
        .scalar_subquery()
    )


@dataclass
class AttendanceInput:
    """A day's record as entered."""

    work_date: date
    time_in: time
    time_out: time
    activity: str = ""
    photo: bytes | None = None


def ensure_case_open(client: Client) -> None:
    """Refuse any write on a closed case."""
    if client.status == ClientStatus.CLOSED:
        raise case_closed()


def ensure_step(client: Client, allowed: bool, code: str, message: str) -> None:
    """Refuse a write on a closed case, or one the record's status does not allow (``code``)."""
    ensure_case_open(client)
    if not allowed:
        raise Refused.rule(code, message)


def live_records_of_client(client_id: int) -> list[Attendance]:
    """The client's attendance records that count (not replaced by a correction)."""
    return list(
        db.session.scalars(
            select(Attendance)
            .join(Placement, Attendance.placement_id == Placement.id)
            .where(Placement.client_id == client_id, LIVE)
            .order_by(Attendance.work_date, Attendance.time_in)
            .execution_options(populate_existing=True)
        )
    )


def _context(placement: Placement, work_date: date, exclude_id: int | None) -> DayContext:
    client = placement.client
    records = [r for r in live_records_of_client(client.id) if r.id != exclude_id]
    verified = sum(r.minutes for r in records if r.verified)
    pending = sum(r.minutes for r in records if not r.verified)
    same_day = tuple(Interval(r.time_in, r.time_out) for r in records if r.work_date == work_date)
    return DayContext(
        today=clock.today(),
        period_start=placement.start_date,
        deadline=min(placement.deadline, client.deadline),
        minutes_ordered=client.hours_ordered * 60,
        minutes_verified=verified,
        minutes_pending=pending,
        same_day=same_day,
        health_cleared=bool(client.health_cleared),
    )


def _check(placement: Placement, entry: AttendanceInput, exclude_id: int | None = None) -> None:
    ensure_step(
        placement.client,
        placement.status in WORKING,
        PLACEMENT_NOT_ACTIVE,
        "Penempatan belum diterima OPD atau sudah berakhir: kehadiran tidak dapat dicatat.",
    )
    found = check_attendance(
        entry.work_date,
        entry.time_in,
        entry.time_out,
        _context(placement, entry.work_date, exclude_id),
    )
    if found:
        raise Refused(violations=found)


def _clean_activity(entry: AttendanceInput) -> str:
    activity = (entry.activity or "").strip()
    if len(activity) > 500:
        raise Refused({"activity": ["Uraian kegiatan maksimal 500 karakter."]})
    return activity


def _photo(entry: AttendanceInput) -> bytes | None:
    if entry.photo is None:
        return None
    try:
        return photos.clean_photo(entry.photo)
    except Refused as error:
        raise Refused({"photo": [str(error)]}) from error


def record_attendance(placement: Placement, entry: AttendanceInput, user: User) -> Attendance:
    """Add a day's work to a placement, unverified; the first record makes it active."""
    lock_client(placement.client_id)  # the day's hours and the hours owed are the client's
    refresh(placement)
    activity = _clean_activity(entry)
    _check(placement, entry)
    record = _new_record(placement, entry, activity, _photo(entry), None, user)
    if placement.status == PlacementStatus.ACCEPTED:
        placement.status = PlacementStatus.ACTIVE
        audit.record("placement_activated", "placement", placement.id, user=user)
    audit.saved(record, "attendance_recorded", user, placement_id=placement.id, **_hours(record))
    attendance_recorded.send(record, user=user)
    return record


def verify_attendance(record: Attendance, user: User) -> Attendance:
    """Mark a record verified: from now on its hours count as served."""
    lock_client(record.placement.client_id)
    refresh(record)
    ensure_step(
        record.placement.client,
        record.superseded_by_id is None and not record.verified,
        ALREADY_VERIFIED,
        "Kehadiran ini sudah diverifikasi atau diganti.",
    )
    record.verified = True
    record.verified_by_id = user.id
    record.verified_at = utcnow()
    audit.note(
        record,
        "attendance_verified",
        user,
        placement_id=record.placement_id,
        minutes=record.minutes,
    )
    return record


def correct_attendance(
    record: Attendance, entry: AttendanceInput, reason: str, user: User
) -> Attendance:
    """Change a record. A verified one is kept and replaced by a new record (superseded_by)."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Refused({"reason": ["Tuliskan alasan koreksi (minimal 5 karakter)."]})
    lock_client(record.placement.client_id)
    refresh(record)
    if record.superseded_by_id is not None:
        raise Refused(
            violations=[
                RuleViolation(ALREADY_VERIFIED, "Kehadiran ini sudah diganti oleh koreksi lain.")
            ]
        )
    placement = record.placement
    refresh(placement)
    activity = _clean_activity(entry)
    _check(placement, entry, exclude_id=record.id)
    photo = _photo(entry)
    before = _snapshot(record)
    if not record.verified:
        record.work_date = entry.work_date
        record.time_in = entry.time_in
        record.time_out = entry.time_out
        record.minutes = minutes_between(entry.time_in, entry.time_out)
        record.activity = activity
        record.correction_reason = reason
        record.photo_path = _stored(photo, record.photo_path)
        audit.note(
            record,
            "attendance_changed",
            user,
            before=before,
            after=_snapshot(record),
            reason=reason,
        )
        return record

    replacement = _new_record(placement, entry, activity, photo, record.photo_path, user)
    replacement.correction_reason = reason
    if policy.can_verify_attendance(user, placement):
        # The OPD side corrects what it verified: the correction is verified by the same act.
        replacement.verified = True
        replacement.verified_by_id = user.id
        replacement.verified_at = utcnow()
    db.session.add(replacement)
    db.session.flush()
    record.superseded_by_id = replacement.id
    audit.note(
        record,
        "attendance_corrected",
        user,
        before=before,
        after=_snapshot(replacement),
        replacement_id=replacement.id,
        reason=reason,
    )
    return replacement


def _stored(photo: bytes | None, current: str | None) -> str | None:
    """Where a new photo is kept; without one, the record keeps ``current``."""
    if photo is None:
        return current
    return photos.store_photo(photo, current_app.config["UPLOAD_FOLDER"])


def _new_record(
    placement: Placement,
    entry: AttendanceInput,
    activity: str,
    photo: bytes | None,
    photo_path: str | None,
    user: User,
) -> Attendance:
    """An unverified record of ``entry`` by ``user``, with the new photo or ``photo_path``."""
    return Attendance(
        placement_id=placement.id,
        work_date=entry.work_date,
        time_in=entry.time_in,
        time_out=entry.time_out,
        minutes=minutes_between(entry.time_in, entry.time_out),
        activity=activity,
        photo_path=_stored(photo, photo_path),
        verified=False,
        recorded_by_id=user.id,
    )


def _hours(record: Attendance) -> dict[str, Any]:
    """The day and hours of a record, as the audit log keeps them."""
    return {
        "date": record.work_date.isoformat(),
        "time_in": f"{record.time_in:%H:%M}",
        "time_out": f"{record.time_out:%H:%M}",
        "minutes": record.minutes,
    }


def _snapshot(record: Attendance) -> dict[str, object]:
    return {**_hours(record), "activity": record.activity, "verified": record.verified}


# --- reading ----------------------------------------------------------------


def periods_of(placements: list[Placement]) -> list[ScheduledPeriod]:
    """The weekly schedules of the client's working placements, as ledger periods."""
    return [
        ScheduledPeriod(
            frozenset(int(w["weekday"]) for w in p.schedule or []),
            p.start_date,
            min(p.deadline, p.client.deadline),
        )
        for p in placements
        if p.status in COUNTED
    ]


def verified_minutes(client_id: int) -> int:
    """The ledger's ``minutes_verified`` of one client, read in SQL (``verified_minutes_of``)."""
    return int(db.session.scalar(_verified_minutes(), {"client_id": client_id}) or 0)


@functools.cache
def _verified_minutes() -> Select[int]:
    return select(verified_minutes_of(bindparam("client_id")))


def client_ledger(client: Client, placements: list[Placement] | None = None) -> Ledger:
    """The hours ledger of a client across all his placements (``placements``, when the
    page has read them all already: one statement less)."""
    given = {"client_id": client.id}
    if placements is None:
        placements = list(db.session.scalars(_placements_of_client(), given))
    # Plain columns (the records' days, minutes and state), not a record object per day.
    work = [
        WorkDay(day, minutes, verified)
        for day, minutes, verified in db.session.execute(_work_days_of_client(), given)
    ]
    return build_ledger(
        client.hours_ordered * 60,
        client.deadline,
        clock.today(),
        periods_of(placements),
        work,
        excused=excused_days([client.id]).get(client.id, ()),
    )


def kept_client_ledger(client: Client, placements: list[Placement] | None = None) -> Ledger:
    """``client_ledger`` for a page that shows it (his supervision record), kept as a list's
    ledgers are (``kept_ledgers``: until any change is saved): each view read his year of
    attendance and excused days again and walked them. Never for a rule: those read afresh."""
    key = f"{clock.today().isoformat()}:{client.id}"
    return cache.cached("client_ledger", key, lambda: client_ledger(client, placements), local=True)


# A client's ledger is asked on each view of his pages: its statements are built once.
@functools.cache
def _placements_of_client() -> Select[Placement]:
    return select(Placement).where(Placement.client_id == bindparam("client_id"))


@functools.cache
def _work_days_of_client() -> Select[date, int, bool]:
    return (
        select(Attendance.work_date, Attendance.minutes, Attendance.verified)
        .join(Placement, Attendance.placement_id == Placement.id)
        .where(Placement.client_id == bindparam("client_id"), LIVE)
        .order_by(Attendance.work_date, Attendance.time_in)
    )


def minutes_worked(client_ids: list[int]) -> dict[int, int]:
    """Minutes of the clients' live attendance records (verified or not), in one query: what
    the ledger takes off the ordered hours for ``minutes_owed``."""
    found = db.session.execute(
        select(Placement.client_id, func.sum(Attendance.minutes))
        .join(Placement, Attendance.placement_id == Placement.id)
        .where(Placement.client_id.in_(client_ids), LIVE)
        .group_by(Placement.client_id)
    )
    return {client_id: int(total or 0) for client_id, total in found}


def excused_days(client_ids: list[int]) -> dict[int, set[date]]:
    """Days excused by a session's acceptable absence (sick, permit...), per client."""
    found: dict[int, set[date]] = {}
    for client_id, day in db.session.execute(_excused_days(), {"client_ids": client_ids}):
        found.setdefault(client_id, set()).add(day)
    return found


@functools.cache
def _excused_days() -> Select[int, date]:
    from portal.models.work_session import WorkSession

    return select(WorkSession.client_id, WorkSession.session_date).where(
        WorkSession.client_id.in_(bindparam("client_ids", expanding=True)),
        WorkSession.outcome == "acceptable_absence",
    )


def kept_ledgers(clients: Sequence[Client | Row[Any]]) -> dict[int, Ledger]:
    """``ledgers_for`` of a list's page, kept briefly like the reminders (``portal.cache``:
    any saved change starts afresh), so going back from a record to its list does not
    walk the page's year of attendance again. Hours and dates only, never a name. Kept as
    objects in each process (``local``): unpickling a page's fifty cost 0.06 ms a view."""
    key = f"{clock.today().isoformat()}:{','.join(str(c.id) for c in clients)}"
    return cache.cached("ledgers", key, lambda: ledgers_for(clients), local=True)


# Each of the 128 weekday sets ``Placement.weekdays`` holds (Monday = bit 0), as read.
_WEEKDAYS_OF_BITS = tuple(frozenset(d for d in range(7) if bits >> d & 1) for bits in range(128))


def ledgers_for(
    clients: Sequence[Client | Row[Any]],
    absences: bool = True,
    within: Select[Any] | None = None,
) -> dict[int, Ledger]:
    """Ledgers of many clients with two queries (lists, reminders), keyed by client id.

    ``clients`` are records or rows with ``id``, ``deadline`` and ``hours_ordered``.

    Without ``absences`` the records are summed in SQL (one row per client and
    state, plus today's), which keeps the navbar's reminder count cheap.

    ``within``: the statement that selected the clients' ids (a Bapas's or a PK's), read
    by the queries in place of a list of thousands of ids (PostgreSQL plans and binds
    such a list at about 10 ms a thousand).
    """
    ids = [c.id for c in clients]
    if not ids:
        return {}
    chosen: Any = ids if within is None else within
    # The schedules as plain columns (periods_of's rule), not a record per placement: their
    # weekdays as the bits kept beside each schedule, not the schedule's JSON.
    deadlines = {c.id: c.deadline for c in clients}
    periods: dict[int, list[ScheduledPeriod]] = {i: [] for i in ids}
    for client_id, bits, start, deadline in db.session.execute(
        select(
            Placement.client_id, Placement.weekdays, Placement.start_date, Placement.deadline
        ).where(Placement.client_id.in_(chosen), Placement.status.in_(COUNTED))
    ):
        if client_id not in periods:
            continue  # selected by ``within`` after ``clients`` were read
        weekdays = _WEEKDAYS_OF_BITS[bits]
        periods[client_id].append(
            ScheduledPeriod(weekdays, start, min(deadline, deadlines[client_id]))
        )
    today = clock.today()
    work: dict[int, list[WorkDay]] = {i: [] for i in ids}
    joined = select(Placement.client_id).join(Attendance, Attendance.placement_id == Placement.id)
    rows: Iterable[tuple[Any, ...]]
    if absences:
        rows = db.session.execute(
            joined.add_columns(Attendance.work_date, Attendance.minutes, Attendance.verified).where(
                Placement.client_id.in_(chosen), LIVE
            )
        )
    else:
        # One summed row per client and state, plus who already worked today. The verified
        # minutes come from the months kept per placement (the same rule: verified, live),
        # the few still to verify from their records.
        served = db.session.execute(
            select(Placement.client_id, func.sum(AttendanceMonth.minutes), true())
            .join(AttendanceMonth, AttendanceMonth.placement_id == Placement.id)
            .where(Placement.client_id.in_(chosen))
            .group_by(Placement.client_id)
        ).all()
        waiting = db.session.execute(
            joined.add_columns(func.sum(Attendance.minutes), false())
            .where(Placement.client_id.in_(chosen), LIVE, Attendance.verified.is_(False))
            .group_by(Placement.client_id)
        ).all()
        worked_today = set(
            db.session.scalars(
                joined.where(Placement.client_id.in_(chosen), LIVE, Attendance.work_date == today)
            )
        )
        # A date stands for each sum: a past day, which never counts among the days left.
        past = [
            (cid, today - timedelta(days=1), total, ok) for cid, total, ok in [*served, *waiting]
        ]
        rows = past + [(cid, today, 0, True) for cid in worked_today]
    for client_id, when, minutes, verified in rows:
        if client_id in work:
            work[client_id].append(WorkDay(when, int(minutes), bool(verified)))
    excused = excused_days(ids) if absences else {}
    return {
        c.id: build_ledger(
            c.hours_ordered * 60,
            c.deadline,
            today,
            periods[c.id],
            work[c.id],
            absences=absences,
            excused=excused.get(c.id, ()),
        )
        for c in clients
    }
