"""Today's attendance list in SQL: who works today at the user's sites, 25 cards a page.

A card is a working placement in the user's scope that is scheduled today (within its
dates and with a window on today's weekday, read from the weekdays kept with its
schedule) or already has a record today. The cards and the records to verify are each
one query over the user's working placements (from his scope's index) that returns the
page's ids with their count, the cards' also with the count of the working placements:
the other placements are as many as the working ones less the cards. Only the rows
shown are then read. The statements are built once per reader
(his scope) with the day, the page and the ids bound at each request. The ids and
counts of a page are kept until a change is saved (``_kept_ids``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from portal import policy
from portal.extensions import db, plain_records, plain_rows
from portal.listing import PAGE_IDS, in_order, kept, reader_key, total_key
from portal.models import Attendance, Client, Placement, Slot, User
from portal.models.placement import with_slot_and_client
from portal.pagination import Page, bounded, bounds, kept_page
from portal.statuses import PlacementStatus

T = TypeVar("T")

# Today's cards, each with its one-tap buttons: 25 a page on a phone. Lists of one line
# a record (the records to verify) hold 50.
CARDS_PER_PAGE = 25
PER_PAGE = 50

# The day of the list, and its weekday's bit in ``Placement.weekdays`` (``_on``).
DAY = bindparam("day", type_=Date())
WEEKDAY = bindparam("weekday", type_=Integer())


def _on(day: date) -> dict[str, Any]:
    """The values of DAY and WEEKDAY for ``day``."""
    return {"day": day, "weekday": 1 << day.weekday()}


# The same values written into the SQL, for the dashboard's count: psycopg prepares a
# statement run five times, and PostgreSQL's generic plan for a day it does not know read
# a province's placements of every date (a PJ's count 1.2 -> 6 ms from its sixth run).
DAY_IN_SQL = bindparam("day", type_=Date(), literal_execute=True)
WEEKDAY_IN_SQL = bindparam("weekday", type_=Integer(), literal_execute=True)


def _scheduled(day: Any = DAY, weekday: Any = WEEKDAY) -> ColumnElement[bool]:
    """SQL over a placement joined to its client: within its dates on DAY and with a window
    on its weekday (the schedule's weekdays kept as bits, ``schedule_weekdays``)."""
    return and_(
        Placement.start_date <= day,
        Placement.deadline >= day,
        Client.deadline >= day,
        Placement.weekdays.op("&")(weekday) != 0,
    )


def working(user: User, *columns: Any, site: bool = True) -> Select[Any]:
    """``columns`` of the working placements the user records attendance for, joined to their
    client, and to their slot when ``site`` or the user's scope reads it (not ``site``: a
    Bapas's placements are found without a slot row each)."""
    query = select(*columns).select_from(Placement)
    if site or policy.placements_scope_reads_site(user):
        query = with_slot_and_client(query)
    else:
        query = query.join(Client, Placement.client_id == Client.id)
    # The Bapas side: its clients (a PK his own); the OPD side: the placements at its sites.
    # On SQLite the status is compared as "status || ''": most placements of a scope are
    # working, so SQLite (no statistics) must start from the scope's index, not from every
    # working one. PostgreSQL's statistics choose well, and the expression would blind them.
    status: ColumnElement[str] = Placement.status.expression
    if db.session.get_bind().dialect.name == "sqlite":
        status = Placement.status + ""
    else:
        # A PK's cards: his Bapas's 1,200 of a province's 12,000 working (3.4 -> 1.5 ms).
        query = query.where(*policy.placements_within_bapas(user))
    return query.where(policy.placements_scope(user), status.in_(PlacementStatus.WORKING))


def _live_today() -> tuple[ColumnElement[bool], ...]:
    return (Attendance.superseded_by_id.is_(None), Attendance.work_date == DAY)


def _on_the_list() -> ColumnElement[bool]:
    """SQL: the placement has a card on DAY (scheduled, or a record of the day)."""
    recorded = exists().where(Attendance.placement_id == Placement.id, *_live_today())
    return or_(_scheduled(), recorded)


@dataclass(frozen=True)
class _Paged:
    """The statements of a paged list of ids: one page (``bounded``) with the count
    read beside the ids (``counted``), or without it (``plain``, the count known), and the
    count alone (a page past the end)."""

    counted: Select[Any]
    plain: Select[Any]
    count: Select[Any]


def _paged(ids: Select[Any], order: Sequence[tuple[Any, bool]]) -> _Paged:
    """The statements paging the ids ``ids`` selects in ``order`` ((column, descending)).

    The rows are counted in a subquery and ordered and cut outside it: told of the limit,
    PostgreSQL would read the sites in title order (a parallel scan of every slot) to stop
    early, which the count never lets it do.
    """
    keys = [column.label(f"key_{n}") for n, (column, _) in enumerate(order)]
    mine = ids.add_columns(func.count().over().label("total"), *keys).subquery()
    by_key = [
        mine.c[key.name].desc() if desc else mine.c[key.name]
        for key, (_, desc) in zip(keys, order, strict=True)
    ]
    by = [column.desc() if desc else column for column, desc in order]
    return _Paged(
        bounded(select(mine.c[0], mine.c.total).order_by(*by_key)),
        bounded(ids.order_by(*by)),
        select(func.count()).select_from(ids.subquery()),
    )


def _page(
    paged: _Paged, values: dict[str, Any], page: int, per_page: int, total: int | None = None
) -> Page:
    """Page ``page`` (clamped to the pages there are) of ``paged``'s ids, with ``values``
    bound, and how many there are: one statement, the count read beside the ids (the sort
    reads them all anyway); only a page past the end counts apart, then reads the last
    page. A ``total`` known already is not counted again."""

    def bound(number: int) -> dict[str, Any]:
        return {**values, **bounds((number - 1) * per_page, per_page)}

    if total is not None:
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        found_ids = list(plain_rows(paged.plain, bound(page)).scalars()) if total else []
        return Page(found_ids, page, pages, total)
    found = list(plain_rows(paged.counted, bound(page)))
    if not found and page > 1:
        total = plain_rows(paged.count, values).scalar() or 0
        page = max(1, -(-total // per_page))
        found = list(plain_rows(paged.counted, bound(page))) if total else []
    total = found[0][1] if found else 0
    return Page([r[0] for r in found], page, max(1, -(-total // per_page)), total)


def _cards_and_working(user: User) -> Select[Any]:
    """A page of today's cards by site (``bounded``), each id with the count of the
    cards and of every working placement (the others are the difference): one statement
    over the working placements instead of a count of them beside the cards' (1.7 ms on a
    PK's province page on PostgreSQL)."""
    # Whether each has a card, told once (a subquery), then counted over all of them.
    flagged = (
        working(user, Placement.id)
        .add_columns(case((_on_the_list(), 1), else_=0).label("listed"), Slot.title.label("key_0"))
        .subquery()
    )
    every = select(
        *flagged.c,
        func.sum(flagged.c.listed).over().label("cards"),
        func.count().over().label("working"),
    ).subquery()
    return bounded(
        select(every.c.id, every.c.cards, every.c.working)
        .where(every.c.listed == 1)
        .order_by(every.c.key_0, every.c.id)
    )


@dataclass(frozen=True)
class _Reads:
    """A reader's statements of today's list (his scope in each; the day bound)."""

    cards_and_working: Select[Any]
    cards_count: Select[Any]
    others: _Paged
    working: Select[Any]
    scheduled: Select[Any]
    waiting: _Paged


def _build(user: User) -> _Reads:
    by_site = [(Slot.title, False), (Placement.id, False)]
    listed = _on_the_list()
    waiting = select(Attendance.id).where(
        Attendance.placement_id.in_(working(user, Placement.id, site=False)),
        Attendance.superseded_by_id.is_(None),
        Attendance.verified.is_(False),
        Attendance.work_date != DAY,
    )
    newest = [(Attendance.work_date, True), (Attendance.time_in, False), (Attendance.id, False)]
    return _Reads(
        cards_and_working=_cards_and_working(user),
        cards_count=select(func.count()).select_from(
            working(user, Placement.id).where(listed).subquery()
        ),
        others=_paged(working(user, Placement.id).where(not_(listed)), by_site),
        working=working(user, func.count(), site=False),
        scheduled=working(user, func.count(), site=False).where(
            _scheduled(DAY_IN_SQL, WEEKDAY_IN_SQL)
        ),
        waiting=_paged(waiting, newest),
    )


def _reads(user: User) -> _Reads:
    """The reader's statements, built once: kept by what his scope reads (``policy``'s scope
    of placements: his role, account, Bapas and OPD) and the database's kind."""
    return kept(("attendance-today", *reader_key(user)), lambda: _build(user))


def _in_order(stmt: Select[*tuple[Any, ...]], page: Page) -> Page:
    """``page`` with the rows ``stmt`` (built once, its first column the id, its rows chosen
    by ``PAGE_IDS``) reads in place of their ids, in the page's order."""
    rows = in_order(stmt, page.items) if page.items else []
    return Page(rows, page.page, page.pages, page.total)


# The rows shown, read by the page's ids with statements built once: a card's or another
# placement's dates and schedule, client and site; a waiting record's day, hours and
# state, and the client it names; the cards' records of the day.
_PLACEMENT_ROWS = with_slot_and_client(
    select(
        Placement.id,
        Placement.start_date,
        Placement.deadline,
        # Its text: a card reads its day's windows from it, parsed once per schedule.
        cast(Placement.schedule, String).label("schedule"),
        Client.deadline.label("client_deadline"),
        Client.code,
        Client.full_name,
        Slot.title,
    )
).where(Placement.id.in_(PAGE_IDS))
_WAITING_ROWS = (
    select(
        Attendance.id,
        Attendance.placement_id,
        Attendance.work_date,
        Attendance.time_in,
        Attendance.time_out,
        Attendance.minutes,
        Attendance.verified,
        Attendance.superseded_by_id,
        Client.code,
        Client.full_name,
    )
    .join(Placement, Placement.id == Attendance.placement_id)
    .join(Client, Client.id == Placement.client_id)
    .where(Attendance.id.in_(PAGE_IDS))
)
_RECORDS_OF_DAY = (
    select(
        Attendance.id,
        Attendance.placement_id,
        Attendance.time_in,
        Attendance.time_out,
        Attendance.minutes,
        Attendance.verified,
        Attendance.superseded_by_id,
    ).where(Attendance.placement_id.in_(PAGE_IDS), *_live_today())
).order_by(Attendance.time_in)


# The records to verify and the other placements: the first few on today's page, each
# with its count and a link to the whole list.
SHOWN = 10


def _kept_ids(what: str, user: User, day: date, page: int, read: Callable[[], T]) -> T:
    """``read()``'s ids and counts of the list ``what`` of ``user`` on ``day``, page ``page``:
    read once, then kept until a change to a business record is saved on any instance
    (``pagination.kept_page``). Sorting and counting read every working placement or record
    waiting of the reader's scope (a PK's 600 and 1,200: 4.4 ms of 11 on SQLite, 11.7 of 27
    on PostgreSQL); the rows shown, and the records of the day, are read afresh at each view."""
    return kept_page(total_key(("attendance-today", what, *reader_key(user), day)), page, read)


def waiting_page(user: User, day: date, page: int, per_page: int = PER_PAGE) -> Page:
    """Page ``page`` (clamped) of the user's records of earlier days still to verify, newest
    first, each with the client it names: sorted and counted on the index of records to
    verify (kept, ``_kept_ids``), then the page's records read."""
    page_ids = _kept_ids(
        f"waiting-{per_page}",
        user,
        day,
        page,
        lambda: _page(_reads(user).waiting, _on(day), page, per_page),
    )
    return _in_order(_WAITING_ROWS, page_ids)


@dataclass(frozen=True)
class TodayList:
    """One page of today's cards with their records of the day, and the first of the other
    placements and of the records waiting, with their counts."""

    page: Page
    records: dict[int, list[Any]]
    others: Page
    waiting: Page

    @property
    def others_total(self) -> int:
        return self.others.total

    @property
    def waiting_total(self) -> int:
        return self.waiting.total


@dataclass(frozen=True)
class _TodayIds:
    """The ids of a page of today's list: its cards, and the first other placements and
    records waiting, each with its count."""

    cards: Page
    others: Page
    waiting: Page


def _today_ids(user: User, day: date, page: int) -> _TodayIds:
    """The ids of page ``page`` of today's list (clamped to the pages there are)."""
    reads, values = _reads(user), _on(day)

    # The cards' ids by site with the counts of the cards and of the working placements.
    def cards_on(number: int) -> list[Any]:
        page_bounds = bounds((number - 1) * CARDS_PER_PAGE, CARDS_PER_PAGE)
        return list(plain_rows(reads.cards_and_working, {**values, **page_bounds}))

    found = cards_on(page)
    if not found and page > 1:
        # A page past the end: the last page there is, if any.
        total = plain_rows(reads.cards_count, values).scalar() or 0
        page = max(1, -(-total // CARDS_PER_PAGE))
        found = cards_on(page) if total else []
    if found:
        total, working_total = found[0][1], found[0][2]
        pages = max(1, -(-total // CARDS_PER_PAGE))
        cards = Page([row[0] for row in found], page, pages, total)
    else:
        # No card at all: the working placements counted apart.
        cards = Page([], 1, 1, 0)
        working_total = plain_rows(reads.working).scalar() or 0
    # The others are the working placements without a card, read only when there are any.
    others_total = max(0, working_total - cards.total)
    others = _page(reads.others, values, 1, SHOWN, others_total)
    return _TodayIds(cards, others, _page(reads.waiting, values, 1, SHOWN))


def today_list(user: User, day: date, page: int) -> TodayList:
    """Page ``page`` of today's cards (clamped to the pages there are), with their records
    of ``day``; the first SHOWN other working placements and records still to verify. The
    ids and counts are kept (``_kept_ids``); the rows shown are read from them."""
    ids = _kept_ids("cards", user, day, page, lambda: _today_ids(user, day, page))
    cards = _in_order(_PLACEMENT_ROWS, ids.cards)
    records: dict[int, list[Any]] = {p.id: [] for p in cards.items}
    if records:
        for r in plain_records(_RECORDS_OF_DAY, {**_on(day), "ids": list(records)}):
            records[r.placement_id].append(r)
    return TodayList(
        cards,
        records,
        _in_order(_PLACEMENT_ROWS, ids.others),
        _in_order(_WAITING_ROWS, ids.waiting),
    )


def scheduled_today_count(user: User, day: date) -> int:
    """Working placements at the user's sites scheduled on ``day`` (the dashboard widget)."""
    return plain_rows(_reads(user).scheduled, _on(day)).scalar() or 0
