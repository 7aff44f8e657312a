"""Work sessions: generate them from a placement's schedule, record outcomes, undo, cancel.

``generate_sessions(placement)`` is the one entry point that plans (or re-plans)
a placement's future sessions; it is called when the OPD accepts a booking
and after any event that changes what is still owed. The past is never
touched: only sessions after today without an outcome are moved.

An ``attended`` outcome goes through ``portal.attendance.services`` (the same
rules, the same ledger); absences go through ``portal.sessions.enforcement``.
Functions flush and audit; the caller's request commits once.
"""

from __future__ import annotations

from collections import defaultdict
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, insert, select

from portal import audit, clock, policy
from portal.attendance.services import (
    WORKING,
    AttendanceInput,
    ensure_case_open,
    minutes_worked,
    record_attendance,
)
from portal.events import attendance_recorded, placement_ended
from portal.extensions import db
from portal.matching.profiles import windows_from_dicts
from portal.models import Attendance, Client, Placement, User
from portal.models.base import utcnow
from portal.models.work_session import (
    OutcomeReceipt,
    WorkSession,
    session_keys,
    sessions_written,
)
from portal.refusals import Refused, RuleViolation
from portal.sessions import enforcement, rules
from portal.statuses import ClientStatus


@dataclass(frozen=True)
class PlanResult:
    """What a (re)generation did, and the minutes owed that no longer fit before the deadline."""

    created: int
    removed: int
    shortfall_minutes: int


@dataclass
class OutcomeInput:
    """An outcome as entered on the roster or sent to the API."""

    outcome: str
    time_in: time | None = None
    time_out: time | None = None
    activity: str = ""
    reason: str = ""
    reason_code: str = ""
    client_fault: bool | None = None
    photo: bytes | None = None
    lat: float | None = None
    lng: float | None = None


# Set while an outcome records its own attendance: that record needs no session found for it.
_RECORDING_OUTCOME: ContextVar[bool] = ContextVar("recording_outcome", default=False)


def attach_attendance(record: Attendance, user: User) -> WorkSession | None:
    """A day recorded on the attendance pages (not through a session) fills that day's open
    session of the placement, so the session is not left looking missed."""
    if _RECORDING_OUTCOME.get():
        return None
    candidates = db.session.scalars(
        select(WorkSession)
        .where(
            WorkSession.placement_id == record.placement_id,
            WorkSession.session_date == record.work_date,
            WorkSession.status == rules.PLANNED,
            WorkSession.outcome.is_(None),
        )
        .order_by(WorkSession.start)
    ).all()
    # The session whose window the record overlaps, else the day's first one.
    session = next(
        (s for s in candidates if s.start < record.time_out and record.time_in < s.end),
        candidates[0] if candidates else None,
    )
    if session is None:
        return None
    session.outcome = rules.ATTENDED
    session.status = rules.RECORDED
    session.attendance_id = record.id
    session.outcome_by_id = user.id
    session.outcome_at = utcnow()
    session.outcome_on = clock.today()
    db.session.flush()
    return session


def _lock_client(client_id: int) -> None:
    """Hold the client's row until commit (PostgreSQL; SQLite writes one at a time anyway)."""
    db.session.execute(select(Client.id).where(Client.id == client_id).with_for_update())


def _locked(session: WorkSession) -> WorkSession:
    return db.session.scalars(
        select(WorkSession)
        .where(WorkSession.id == session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _movable(placement_id: int, today: date) -> list[WorkSession]:
    return list(
        db.session.scalars(
            select(WorkSession).where(
                WorkSession.placement_id == placement_id,
                WorkSession.session_date > today,
                WorkSession.outcome.is_(None),
                WorkSession.status == rules.PLANNED,
            )
        )
    )


def generate_sessions(placement: Placement, user: User | None = None) -> PlanResult:
    """Plan the placement's sessions from today (or its start) to its deadline.

    Keeps every session on or before today and every one with an outcome;
    replaces the planned future ones with the new plan (those that stay the
    same keep their id). A placement that is not accepted or active, or a
    closed case, has its future sessions cancelled instead.
    """
    return generate_many([placement], user)[placement.id]


# Rows of a client's sessions as the planner reads them (no ORM objects).
_ROW = (
    WorkSession.id,
    WorkSession.client_id,
    WorkSession.placement_id,
    WorkSession.session_date,
    WorkSession.start,
    WorkSession.end,
    WorkSession.minutes,
    WorkSession.outcome,
    WorkSession.status,
)
_CHUNK = 500  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def generate_many(placements: list[Placement], user: User | None = None) -> dict[int, PlanResult]:
    """``generate_sessions`` for many placements at once, keyed by placement id.

    Reads what the plans need in three queries whatever the number (the
    clients' rows, locked; their sessions; the minutes they have worked),
    plans in Python, then deletes and inserts in bulk. Placements of the same
    client are planned in turn, each seeing the plan of the one before (the
    8-hour day is across placements).
    """
    db.session.flush()  # placements just added have their ids and client ids
    today = clock.today()
    unique = list({p.id: p for p in placements}.values())
    client_ids = sorted({p.client_id for p in unique})
    clients: dict[int, Client] = {}
    for ids in _chunks(client_ids):
        # Held until commit on PostgreSQL, in id order (two batches never wait on each other).
        clients.update(
            (c.id, c)
            for c in db.session.scalars(
                select(Client).where(Client.id.in_(ids)).order_by(Client.id).with_for_update()
            )
        )
    results: dict[int, PlanResult] = {}
    running: list[Placement] = []
    for placement in unique:
        if (
            placement.status not in WORKING
            or clients[placement.client_id].status == ClientStatus.CLOSED
        ):
            removed = cancel_future_sessions(placement, "Penempatan tidak lagi berjalan.")
            results[placement.id] = PlanResult(0, removed, 0)
        else:
            running.append(placement)
    if not running:
        return results
    client_ids = sorted({p.client_id for p in running})
    rows: dict[int, list[tuple]] = defaultdict(list)
    worked: dict[int, int] = {}
    for ids in _chunks(client_ids):
        for row in db.session.execute(select(*_ROW).where(WorkSession.client_id.in_(ids))):
            rows[row.client_id].append(tuple(row))
        worked.update(minutes_worked(ids))
    # Each new session names its placement's Bapas and OPD.
    keys: dict[int, dict[str, int]] = {}
    for ids in _chunks([p.id for p in running]):
        for pid, bapas_id, opd_id in db.session.execute(session_keys(ids)):
            keys[pid] = {"bapas_id": bapas_id, "opd_id": opd_id}
    drop_all: list[int] = []
    new_all: list[dict] = []
    now = utcnow()
    for placement in running:
        client = clients[placement.client_id]
        mine = rows[client.id]
        plan, drop, new, shortfall = _replan(placement, client, mine, worked, today, now)
        dropped = set(drop)
        # What this plan leaves is what the client's next placement in the batch sees.
        mine[:] = [r for r in mine if r[0] not in dropped] + [
            (None, client.id, placement.id, n["session_date"], n["start"], n["end"],
             n["minutes"], None, rules.PLANNED)
            for n in new
        ]  # fmt: skip
        drop_all += drop
        new_all += [{**n, **keys[placement.id]} for n in new]
        result = PlanResult(len(new), len(drop), shortfall)
        results[placement.id] = result
        if new or drop:
            audit.record("sessions_planned", "placement", placement.id, user=user, **asdict(result))
    for ids in _chunks(drop_all):
        db.session.execute(delete(WorkSession).where(WorkSession.id.in_(ids)))
    if new_all:
        # One executemany for the whole batch (a placement of 240 hours is some 60 sessions).
        db.session.connection().execute(insert(WorkSession.__table__), new_all)
    if drop_all or new_all:
        sessions_written(db.session, [p.id for p in running])
    return results


def _replan(
    placement: Placement,
    client: Client,
    mine: list[tuple],
    worked: dict[int, int],
    today: date,
    now: datetime,
) -> tuple[list[rules.PlannedSession], list[int], list[dict], int]:
    """The new plan of one placement from the client's session rows: (plan, ids to delete,
    rows to insert, minutes owed that no longer fit)."""
    windows = [
        rules.Window(w.weekday, w.start, w.end) for w in windows_from_dicts(placement.schedule)
    ]
    movable = [
        r
        for r in mine
        if r[2] == placement.id and r[3] > today and r[7] is None and r[8] == rules.PLANNED
        and r[0] is not None
    ]  # fmt: skip
    movable_ids = {r[0] for r in movable}
    # Everything else of the client that still takes his time: sessions without outcome
    # (committed minutes) and the days already used (the 8-hour cap across placements).
    committed = 0
    previous_last: date | None = None
    busy: dict[date, int] = defaultdict(int)
    skip: set[date] = set()
    for sid, _cid, pid, day, _start, _end, minutes, outcome, status in mine:
        if sid is not None and sid in movable_ids:
            continue
        if pid == placement.id:
            skip.add(day)
        if status == rules.CANCELLED:
            continue
        if pid == placement.id:
            previous_last = max(previous_last or day, day)
        if outcome is None:
            committed += minutes
        if outcome in (None, rules.ATTENDED) and pid != placement.id:
            busy[day] += minutes
    # The ledger's minutes owed: ordered minus every live attendance record's minutes.
    owed = max(client.hours_ordered * 60 - worked.get(client.id, 0), 0) - committed
    first = max(placement.start_date, today)
    last = min(placement.deadline, client.deadline)
    plan = rules.plan_sessions(windows, first, last, owed, busy, skip)

    wanted = {p.key: p for p in plan}
    keep: set[tuple[date, time, time]] = set()
    drop: list[int] = []
    for r in sorted(movable, key=lambda r: r[0]):
        previous_last = max(previous_last or r[3], r[3])
        k = (r[3], r[4], r[5])
        if k in wanted and k not in keep:
            keep.add(k)
        else:
            drop.append(r[0])
    new = [
        {
            "placement_id": placement.id,
            "client_id": client.id,
            "session_date": p.day,
            "start": p.start,
            "end": p.end,
            "minutes": p.minutes,
            "status": rules.PLANNED,
            "reason_code": "",
            "reason": "",
            "cancel_reason": "",
            # Beyond the end of the earlier plan: it makes up for a missed session.
            "makeup": previous_last is not None and p.day > previous_last,
            "created_at": now,
        }
        for k, p in wanted.items()
        if k not in keep
    ]
    planned = sum(p.minutes for p in plan)
    return plan, drop, new, max(owed - planned, 0)


def cancel_future_sessions(placement: Placement, reason: str, user: User | None = None) -> int:
    """Cancel the placement's planned sessions after today (ended, declined, closed)."""
    today = clock.today()
    count = 0
    for s in _movable(placement.id, today):
        s.status = rules.CANCELLED
        s.cancel_reason = reason
        count += 1
    if count:
        audit.note(placement, "sessions_cancelled", user, count=count)
    return count


def _conflict_if_taken(session: WorkSession) -> None:
    if session.status == rules.CANCELLED:
        raise Refused.conflict("conflict", "Sesi ini sudah dibatalkan (jadwal berubah).")
    if session.outcome is not None:
        label = rules.OUTCOMES[session.outcome]
        raise Refused.conflict("conflict", f"Sesi ini sudah tercatat: {label}.")


def record_outcome(
    session: WorkSession, entry: OutcomeInput, user: User, key: str | None = None
) -> tuple[WorkSession, bool]:
    """Record the outcome of a session; returns (session, replayed).

    With an idempotency ``key`` already applied, nothing is done again and
    ``replayed`` is True. An outcome on a session that already has one (or was
    cancelled) raises a 409 ``Refused``.
    """
    key = (key or "").strip()[:80] or None
    # Parallel sends (a retry racing the first, the PK and the PJ at once) are answered in
    # turn: the client's row, then the session's, are locked before anything is read.
    _lock_client(session.client_id)
    session = _locked(session)
    if key is not None:
        receipt = db.session.get(OutcomeReceipt, key)
        if receipt is not None:
            if receipt.session_id != session.id:
                raise Refused({"key": ["Kunci idempotensi sudah dipakai untuk sesi lain."]})
            return session, True
    placement = session.placement
    ensure_case_open(placement.client)
    _conflict_if_taken(session)
    if session.session_date > clock.today():
        raise Refused(
            violations=[
                RuleViolation(
                    rules.FUTURE_SESSION,
                    "Sesi ini belum terjadi: hasilnya dicatat pada harinya atau sesudahnya.",
                )
            ]
        )
    fields = rules.check_outcome(
        entry.outcome,
        entry.reason_code,
        entry.reason or "",
        entry.client_fault,
        entry.time_in is not None and entry.time_out is not None,
    )
    if fields:
        raise Refused(fields)
    if entry.outcome == rules.ATTENDED:
        assert entry.time_in is not None
        assert entry.time_out is not None
        token = _RECORDING_OUTCOME.set(True)
        try:
            record = record_attendance(
                placement,
                AttendanceInput(
                    session.session_date, entry.time_in, entry.time_out, entry.activity, entry.photo
                ),
                user,
            )
        finally:
            _RECORDING_OUTCOME.reset(token)
        session.attendance_id = record.id
    session.outcome = entry.outcome
    session.status = rules.RECORDED
    session.reason = (entry.reason or "").strip()
    session.reason_code = entry.reason_code if entry.outcome == rules.ACCEPTABLE_ABSENCE else ""
    session.client_fault = entry.client_fault if entry.outcome == rules.SENT_HOME else None
    session.outcome_by_id = user.id
    session.outcome_at = utcnow()
    session.outcome_on = clock.today()
    if entry.lat is not None and entry.lng is not None:
        slot = placement.slot
        session.distance_m = round(rules.distance_m(entry.lat, entry.lng, slot.lat, slot.lng), 1)
    if key is not None:
        db.session.add(OutcomeReceipt(key=key, session_id=session.id, user_id=user.id))
    audit.note(
        session,
        "session_outcome",
        user,
        placement_id=placement.id,
        date=session.session_date.isoformat(),
        outcome=entry.outcome,
        reason_code=session.reason_code,
        distance_m=session.distance_m,
    )
    if entry.outcome != rules.ATTENDED:
        enforcement.after_missed_session(session, user)
        # The hours of a missed session are still owed: plan a make-up session.
        generate_sessions(placement, user)
    return session, False


def undo_outcome(session: WorkSession, user: User) -> WorkSession:
    """Take back an outcome on the day it was recorded (before verification)."""
    _lock_client(session.client_id)
    session = _locked(session)
    ensure_case_open(session.placement.client)
    record = session.attendance
    verified = record is not None and record.verified
    if session.outcome is None or not rules.may_undo(session.outcome_on, clock.today(), verified):
        raise Refused(
            violations=[
                RuleViolation(
                    rules.UNDO_EXPIRED,
                    "Hasil hanya dapat dibatalkan pada hari yang sama dan sebelum diverifikasi.",
                )
            ]
        )
    before = session.outcome
    enforcement.before_undo(session, user)
    if record is not None:
        session.attendance_id = None
        db.session.flush()
        db.session.delete(record)
    session.outcome = None
    session.status = rules.PLANNED
    session.reason = ""
    session.reason_code = ""
    session.client_fault = None
    session.distance_m = None
    session.outcome_by_id = None
    session.outcome_at = None
    session.outcome_on = None
    audit.note(session, "session_outcome_undone", user, outcome=before)
    generate_sessions(session.placement, user)
    return session


# --- reading ----------------------------------------------------------------


def session_status(session: WorkSession) -> str:
    """API.md's status of one session."""
    verified = session.attendance.verified if session.attendance is not None else None
    return rules.status_of(session.status, session.outcome, verified)


def minutes_credited(session: WorkSession) -> int:
    """Minutes that count toward the sentence: a verified, live attendance record's."""
    record = session.attendance
    while record is not None and record.superseded_by_id is not None:
        record = db.session.get(Attendance, record.superseded_by_id)
    if session.outcome == rules.ATTENDED and record is not None and record.verified:
        return record.minutes
    return 0


def sessions_of_placement(
    placement: Placement, first: date | None = None, last: date | None = None
) -> list[WorkSession]:
    """The placement's sessions, cancelled ones included, in date order."""
    query = select(WorkSession).where(WorkSession.placement_id == placement.id)
    if first is not None:
        query = query.where(WorkSession.session_date >= first)
    if last is not None:
        query = query.where(WorkSession.session_date <= last)
    return list(db.session.scalars(query.order_by(WorkSession.session_date, WorkSession.start)))


def can_record(user: User, session: WorkSession) -> bool:
    """The PJ and OPD admin of the slot, or the client's PK."""
    return policy.can_record_attendance(user, session.placement)


EVIDENCE_FOLDER = "sessions"


def attach_evidence(
    session: WorkSession, filename: str, data: bytes, upload_folder: str, max_bytes: int, user: User
) -> WorkSession:
    """Keep the letter of an acceptable absence (a doctor's letter, the permit...)."""
    from portal.monitoring import evidence

    ensure_case_open(session.placement.client)
    if session.outcome != rules.ACCEPTABLE_ABSENCE:
        raise Refused({"evidence": ["Bukti hanya untuk absen dengan alasan sah."]})
    try:
        checked = evidence.check_file(filename, data, max_bytes)
    except Refused as error:
        raise Refused({"evidence": [str(error)]}) from error
    old = session.evidence_name
    session.evidence_name = evidence.store(upload_folder, checked, EVIDENCE_FOLDER)
    session.evidence_type = checked.content_type
    db.session.flush()
    if old:
        evidence.remove(upload_folder, [old], EVIDENCE_FOLDER)
    audit.note(
        session,
        "session_evidence_added",
        user,
        sha256=checked.sha256,
        content_type=checked.content_type,
    )
    return session


# Sessions follow what happens to attendance and placements elsewhere.
attendance_recorded.connect(attach_attendance)
placement_ended.connect(cancel_future_sessions)
