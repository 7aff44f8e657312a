"""Today's attendance list in SQL: who works today at the user's sites, 50 cards a page.

A card is a working placement in the user's scope that is scheduled today (within its
dates and with a window on today's weekday in its schedule) or already has a record
today. The weekday is read from the schedule in SQL. Each part of the page (the cards,
the other placements, the records to verify) is one query over the user's working
placements (from his scope's index) that returns its rows with their count, and only
the rows shown are loaded as records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from portal import policy
from portal.extensions import db
from portal.listing import PAGE_IDS, in_order
from portal.models import Attendance, Client, Placement, Slot, User
from portal.models.placement import with_slot_and_client
from portal.pagination import Page
from portal.statuses import PlacementStatus

# Today's cards, each with its one-tap buttons: 25 a page on a phone. Lists of one line
# a record (the records to verify) hold 50.
CARDS_PER_PAGE = 25
PER_PAGE = 50


def works_on(weekday: int) -> ColumnElement[bool]:
    """SQL: the placement's weekly schedule has a window on ``weekday`` (Monday = 0), read
    from the weekdays kept with it (``schedule_weekdays``)."""
    return Placement.weekdays.op("&")(1 << weekday) != 0


def scheduled_on(day: date) -> ColumnElement[bool]:
    """SQL over a placement joined to its client: within its dates on ``day`` and scheduled
    that weekday."""
    return and_(
        Placement.start_date <= day,
        Placement.deadline >= day,
        Client.deadline >= day,
        works_on(day.weekday()),
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
    return query.where(policy.placements_scope(user), status.in_(PlacementStatus.WORKING))


def _live_on(day: date) -> tuple[ColumnElement[bool], ...]:
    return (Attendance.superseded_by_id.is_(None), Attendance.work_date == day)


def _on_the_list(day: date) -> ColumnElement[bool]:
    """SQL: the placement has a card today (scheduled, or a record of today)."""
    recorded = exists().where(Attendance.placement_id == Placement.id, *_live_on(day))
    return or_(scheduled_on(day), recorded)


def _page(
    ids: Select[Any],
    order: Sequence[tuple[Any, bool]],
    page: int,
    per_page: int,
    total: int | None = None,
) -> Page:
    """Page ``page`` (clamped to the pages there are) of the ids ``ids`` selects, in ``order``
    ((column, descending) pairs), and how many there are: one statement, the count read
    beside the ids (the sort reads them all anyway); only a page past the end counts apart,
    then reads the last page. A ``total`` known already is not counted again.

    The rows are counted in a subquery and ordered and cut outside it: told of the limit,
    PostgreSQL would read the sites in title order (a parallel scan of every slot) to stop
    early, which the count never lets it do.
    """
    if total is not None:
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        by = [column.desc() if desc else column for column, desc in order]
        cut = ids.order_by(*by).offset((page - 1) * per_page).limit(per_page)
        found_ids = list(db.session.scalars(cut)) if total else []
        return Page(found_ids, page, pages, total)
    keys = [column.label(f"key_{n}") for n, (column, _) in enumerate(order)]
    mine = ids.add_columns(func.count().over().label("total"), *keys).subquery()
    counted = select(mine.c[0], mine.c.total).order_by(
        *[
            mine.c[key.name].desc() if desc else mine.c[key.name]
            for key, (_, desc) in zip(keys, order, strict=True)
        ]
    )

    def rows(number: int) -> list[Any]:
        return list(db.session.execute(counted.offset((number - 1) * per_page).limit(per_page)))

    found = rows(page)
    if not found and page > 1:
        total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
        page = max(1, -(-(total or 0) // per_page))
        found = rows(page) if total else []
    total = found[0][1] if found else 0
    return Page([r[0] for r in found], page, max(1, -(-total // per_page)), total)


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
        Placement.schedule,
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
    select(Attendance)
    .where(
        Attendance.placement_id.in_(PAGE_IDS),
        Attendance.superseded_by_id.is_(None),
        Attendance.work_date == bindparam("day"),
    )
    .order_by(Attendance.time_in)
)


def _placements(
    user: User,
    condition: ColumnElement[bool],
    page: int,
    per_page: int,
    total: int | None = None,
) -> Page:
    """A page of the user's working placements meeting ``condition`` (``total`` of them when
    known), by slot: plain rows of the columns the page shows (its dates and schedule, the
    client's code, name and deadline, the slot's title)."""
    by_site = [(Slot.title, False), (Placement.id, False)]
    ids = _page(working(user, Placement.id).where(condition), by_site, page, per_page, total)
    return _in_order(_PLACEMENT_ROWS, ids)


# The records to verify and the other placements: the first few on today's page, each
# with its count and a link to the whole list.
SHOWN = 10


def waiting_page(user: User, day: date, page: int, per_page: int = PER_PAGE) -> Page:
    """Page ``page`` (clamped) of the user's records of earlier days still to verify, newest
    first, each with the client it names: sorted and counted on the index of records to
    verify, then the page's records read."""
    ids = select(Attendance.id).where(
        Attendance.placement_id.in_(working(user, Placement.id, site=False)),
        Attendance.superseded_by_id.is_(None),
        Attendance.verified.is_(False),
        Attendance.work_date != day,
    )
    newest = [(Attendance.work_date, True), (Attendance.time_in, False), (Attendance.id, False)]
    page_ids = _page(ids, newest, page, per_page)
    return _in_order(_WAITING_ROWS, page_ids)


@dataclass(frozen=True)
class TodayList:
    """One page of today's cards with their records of the day, and the first of the other
    placements and of the records waiting, with their counts."""

    page: Page
    records: dict[int, list[Attendance]]
    others: Page
    waiting: Page

    @property
    def others_total(self) -> int:
        return self.others.total

    @property
    def waiting_total(self) -> int:
        return self.waiting.total


def today_list(user: User, day: date, page: int) -> TodayList:
    """Page ``page`` of today's cards (clamped to the pages there are), with their records
    of ``day``; the first SHOWN other working placements and records still to verify."""
    listed = _on_the_list(day)
    cards = _placements(user, listed, page, CARDS_PER_PAGE)
    records: dict[int, list[Attendance]] = {p.id: [] for p in cards.items}
    if records:
        for r in db.session.scalars(_RECORDS_OF_DAY, {"ids": list(records), "day": day}):
            records[r.placement_id].append(r)
    # The others are the working placements without a card: counted as the difference
    # (the working ones are counted on the scope's indexes), read only when there are any.
    in_scope = db.session.scalar(working(user, func.count(), site=False)) or 0
    others_total = max(0, in_scope - cards.total)
    others = _placements(user, not_(listed), 1, SHOWN, others_total)
    return TodayList(cards, records, others, waiting_page(user, day, 1, SHOWN))


def scheduled_today_count(user: User, day: date) -> int:
    """Working placements at the user's sites scheduled on ``day`` (the dashboard widget)."""
    counted = working(user, func.count(), site=False).where(scheduled_on(day))
    return db.session.scalar(counted) or 0
