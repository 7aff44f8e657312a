"""The sessions work list: one query for the page and the Excel file, in the user's scope.

The status a session shows (planned, recorded, verified, cancelled) is read from
its stored status, its outcome and its attendance record (``rules.status_of``);
the filter asks the same in SQL, so the list, its count and the export agree.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Date, Row, Select, and_, bindparam, case, false, func, select

from portal import policy
from portal.clients.listing import (
    client_and_site_conditions,
    client_and_site_filters,
    in_placement_scope,
    joined_as_read,
)
from portal.extensions import plain_rows
from portal.listing import (
    PAGE_IDS,
    PER_PAGE,
    ListParams,
    ListSpec,
    built_once,
    columns,
    in_order,
)
from portal.models import Attendance, Client, Opd, Placement, Slot, User
from portal.models.work_session import WorkSession
from portal.pagination import Page, bounded, bounds, kept_page, kept_total
from portal.sessions import rules

SESSION_LIST = ListSpec(
    sorts={
        "tanggal": "Tanggal",
        "kode": "Kode klien",
        "lokasi": "Lokasi kerja",
        "status": "Status",
    },
    default_sort="tanggal",
    choices={"status": rules.STATUSES, "hasil": rules.OUTCOMES},
    ids=("pk", "opd"),
    dates=True,
)

# What a row of the list and its export reads of the session.
SESSION_ROW = "id placement_id session_date start end minutes status outcome reason cancel_reason"

HEADERS = ["Tanggal", "Mulai", "Selesai", "Kode klien"]
IDENTITY_HEADERS = ["Nama klien"]
MORE_HEADERS = ["Lokasi kerja", "OPD", "Menit", "Status", "Hasil", "Alasan"]


def _verified(joined: bool = True) -> Any:
    """SQL: the session attended and its attendance record verified. ``joined``: the record
    is joined to the session; otherwise it is read by its key for each session (a join
    may hash the whole attendance table to count one user's sessions)."""
    if joined:
        verified = Attendance.verified.is_(True)
    else:
        verified = (
            select(Attendance.verified)
            .where(Attendance.id == WorkSession.attendance_id)
            .scalar_subquery()
            .is_(True)
        )
    return and_(WorkSession.outcome == rules.ATTENDED, verified)


def status_condition(status: str, joined: bool = True) -> Any:
    """SQL for ``rules.status_of(...) == status`` over a session (``joined``: to its
    attendance record)."""
    live = WorkSession.status != rules.CANCELLED
    if status == rules.CANCELLED:
        return WorkSession.status == rules.CANCELLED
    if status == rules.PLANNED:
        return and_(live, WorkSession.outcome.is_(None))
    if status == rules.VERIFIED:
        return and_(live, _verified(joined))
    if status == rules.RECORDED:
        return and_(live, WorkSession.outcome.is_not(None), ~_verified(joined))
    return false()


def _session_filters(stmt: Select[Any], params: ListParams, joined: bool = False) -> Select[Any]:
    """``stmt`` (over WorkSession) narrowed by the status, outcome and dates chosen.

    ``joined``: the attendance record is joined (the status reads it).
    """
    if "status" in params.chosen:
        stmt = stmt.where(status_condition(params.chosen["status"], joined))
    if "hasil" in params.chosen:
        stmt = stmt.where(WorkSession.outcome == params.chosen["hasil"])
    return params.within_dates(stmt, WorkSession.session_date)


def session_list(user: User, params: ListParams, ids_only: bool = False) -> Select[Any]:
    """The sessions of the list, filtered and ordered as ``params`` says: plain rows of the
    columns the list and its export show (``SESSION_ROW``, the client's, the site's and its
    OPD's, the attendance record's verified flag).

    ``ids_only``: their ids in order, so a page sorts narrow rows and reads 50 rows.
    """
    stmt = select(WorkSession.id) if ids_only else select(*_row_columns())
    stmt = in_placement_scope(
        stmt.join(Placement, Placement.id == WorkSession.placement_id),
        user,
    )
    # The attendance record tells a verified session from a recorded one: joined for the
    # rows shown, and for the ids only when the status filters or sorts them.
    if not ids_only or "status" in params.chosen or params.sort == "status":
        stmt = stmt.outerjoin(Attendance, Attendance.id == WorkSession.attendance_id)
    if not ids_only:
        stmt = stmt.join(Opd, Opd.id == Slot.opd_id)
    stmt = _session_filters(client_and_site_filters(stmt, user, params), params, joined=True)
    rank = case(
        (WorkSession.status == rules.CANCELLED, 3),
        (WorkSession.outcome.is_(None), 0),
        (_verified(), 2),
        else_=1,
    )
    return params.ordered(
        stmt,
        {
            "tanggal": [WorkSession.session_date, WorkSession.start, WorkSession.id],
            "kode": [Client.code, WorkSession.session_date, WorkSession.id],
            "lokasi": [Slot.title, WorkSession.session_date, WorkSession.id],
            "status": [rank, WorkSession.session_date, WorkSession.id],
        },
    )


def _row_columns() -> list[Any]:
    return [
        *columns(WorkSession, SESSION_ROW),
        Client.id.label("client_id"),
        Client.code,
        Client.full_name,
        Slot.title,
        Opd.short_name.label("opd_name"),
        Attendance.verified,
    ]


def session_rows(ids: Sequence[int]) -> list[Row[Any]]:
    """The list's rows of the sessions ``ids`` (already chosen in the user's scope), in that
    order: read by primary key in one statement."""
    return in_order(_session_rows(), ids)


@functools.cache
def _session_rows() -> Select[Any]:
    # Built once (a statement built afresh costs its construction and cache key each view).
    return (
        select(*_row_columns())
        .join(Placement, Placement.id == WorkSession.placement_id)
        .join(Client, Client.id == Placement.client_id)
        .join(Slot, Slot.id == Placement.slot_id)
        .join(Opd, Opd.id == Slot.opd_id)
        .outerjoin(Attendance, Attendance.id == WorkSession.attendance_id)
        .where(WorkSession.id.in_(PAGE_IDS))
    )


def _placements_listed(user: User, params: ListParams) -> Select[Any]:
    """Ids of the placements whose sessions the list shows: the user's, searched and filtered.

    Joined to the client and the slot only when the scope, the search or the PK or OPD
    chosen read them: a Kepala Bapas's or an OPD admin's count and page read the office's
    placements, not a client or slot row each.
    """
    conditions = [policy.placements_scope(user), *client_and_site_conditions(user, params)]
    return joined_as_read(select(Placement.id), *conditions).where(*conditions)


# The newest page is looked for among the list's sessions of the newest day there is, then
# of the last week, five weeks, half a year; a list of at most SORT_MAX sessions is sorted
# outright.
WINDOWS = (0, 7, 35, 182)
SORT_MAX = 2_000

_DAY = WorkSession.session_date
# The first day of a window (``_Reads.in_window``), bound at each view.
SINCE = bindparam("since", type_=Date())


@dataclass(frozen=True)
class _Reads:
    """A reader's statements of the list for one search, filters and sort (``built_once``):
    the count, and the page's ids (bounds bound at each view) read off his office's index
    (``in_office``), among the sessions of a window of days (``in_window``, from the day
    ``edge`` reads), or by sorting the list's own sessions (``ordered``). Only a list by
    date, without a status or outcome chosen, has the first three."""

    total: Select[Any]
    ordered: Select[Any]
    in_office: Select[Any] | None = None
    edge: Select[Any] | None = None
    in_window: Select[Any] | None = None


def _build(user: User, params: ListParams) -> _Reads:
    listed = _placements_listed(user, params)
    if params.chosen or params.date_from or params.date_to:
        counted = _session_filters(select(func.count()).select_from(WorkSession), params)
        total = counted.where(WorkSession.placement_id.in_(listed))
    else:
        # Every session of the placements listed: the counts kept on the placements.
        total = listed.with_only_columns(func.coalesce(func.sum(Placement.session_count), 0))
    ordered = bounded(session_list(user, params, ids_only=True))
    if params.sort != "tanggal" or params.chosen:
        return _Reads(total, ordered)
    order = {"tanggal": [WorkSession.session_date, WorkSession.start, WorkSession.id]}
    office = policy.sessions_office(user)
    if office is not None:
        # The office's (office, date, start, id) index in the list's order: a page of index
        # entries for the office's whole list (no search, PK or OPD chosen), a few pages'
        # worth for a PK among his colleagues' sessions (his placements kept).
        condition, exact = office
        mine = select(WorkSession.id).where(condition)
        if not (exact and not (params.q or params.ids)):
            # "+ 0": the planners would start from the placements' index and sort all their
            # sessions (SQLite has no statistics; PostgreSQL's guess a tenth of a PK's
            # placements); this leaves them the office's index, already in order.
            mine = mine.where((WorkSession.placement_id + 0).in_(listed))
        in_office = bounded(params.ordered(params.within_dates(mine, _DAY), order))
        return _Reads(total, ordered, in_office=in_office)
    # Without an office (a PJ): each placement's days through its (placement, date) index,
    # the days of a window at the edge the list starts from.
    edge = select(func.max(_DAY) if params.desc else func.min(_DAY))
    mine = params.within_dates(
        select(WorkSession.id).where(WorkSession.placement_id.in_(listed)), _DAY
    )
    window = _DAY >= SINCE if params.desc else _DAY <= SINCE
    return _Reads(
        total, ordered, edge=edge, in_window=bounded(params.ordered(mine.where(window), order))
    )


def _in_window(reads: _Reads, params: ListParams, offset: int, wanted: int) -> list[int]:
    """The page's ids read among the list's sessions of a few days at the edge the list
    starts from (the newest, or the oldest, day of all sessions), however many sessions
    others have. Empty when no window held the page."""
    if reads.edge is None or reads.in_window is None:
        return []
    edge = plain_rows(reads.edge).scalar()
    if edge is None:
        return []
    # The chosen dates move the edge in: the first day of the list, not of all sessions.
    if params.desc and params.date_to:
        edge = min(edge, params.date_to)
    elif not params.desc and params.date_from:
        edge = max(edge, params.date_from)
    for days in WINDOWS:
        since = edge - timedelta(days) if params.desc else edge + timedelta(days)
        values = {**bounds(offset, PER_PAGE), "since": since}
        ids = list(plain_rows(reads.in_window, values).scalars())
        if len(ids) == wanted:
            return ids
    return []


def session_page(user: User, params: ListParams) -> Page:
    """The ids of the sessions on the page the URL asks for, in order, and their count.

    Unfiltered, the count adds up the placements' kept counts; filtered, it counts the
    user's placements' sessions through their index (never the sessions of others). The
    newest-first page is read off the index of the user's Bapas or OPD (a PJ's: among the
    list's sessions of the last days); other sorts, filters and short lists order the list's
    own sessions. The statements are built once per reader and filters.
    """
    reads, key = built_once("sessions", user, params, lambda: _build(user, params))
    # The count and the page's ids, kept until a change is saved (``kept_page``).
    return kept_page(
        key, params.page, lambda: _page_ids(reads, params, kept_total(key, reads.total))
    )


def _page_ids(reads: _Reads, params: ListParams, total: int) -> Page:
    """The ids of the page the URL asks for of a list of ``total`` sessions."""
    offset = (params.page - 1) * PER_PAGE
    wanted = max(0, min(PER_PAGE, total - offset))
    ids: list[int] = []
    # Newest (or oldest) first, a long list: off the index of the user's Bapas or OPD, in
    # order; without one, read the days at that edge; if the page was not among them (the
    # list's sessions are old), sort the list's own sessions.
    if wanted and params.sort == "tanggal" and not params.chosen and total > SORT_MAX:
        if reads.in_office is not None:
            ids = list(plain_rows(reads.in_office, bounds(offset, PER_PAGE)).scalars())
        else:
            ids = _in_window(reads, params, offset, wanted)
    if len(ids) < wanted:
        ids = list(plain_rows(reads.ordered, bounds(offset, PER_PAGE)).scalars())
    return Page(ids, params.page, -(-total // PER_PAGE), total)


def status_of(row: Any) -> str:
    """The status code a row of ``session_list`` shows."""
    return rules.status_of(row.status, row.outcome, row.verified)


def export_rows(sessions: Sequence[Any], identity: bool) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the Excel file (client names only for the Bapas side)."""
    headers = HEADERS + (IDENTITY_HEADERS if identity else []) + MORE_HEADERS
    rows = []
    for s in sessions:
        line: list[Any] = [
            s.session_date,
            f"{s.start:%H:%M}",
            f"{s.end:%H:%M}",
            s.code,
        ]
        if identity:
            line.append(s.full_name)
        line += [
            s.title,
            s.opd_name,
            s.minutes,
            rules.STATUSES[status_of(s)],
            rules.OUTCOMES.get(s.outcome or "", ""),
            s.reason or s.cancel_reason or "",
        ]
        rows.append(line)
    return headers, rows
