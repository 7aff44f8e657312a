"""Today's attendance list in SQL: who works today at the user's sites, 50 cards a page.

A card is a working placement in the user's scope that is scheduled today (within its
dates and with a window on today's weekday in its schedule) or already has a record
today. The weekday is read from the schedule in SQL: the counts are one pass over the
user's working placements (from his scope's index), the page one query, and only the
placements shown are loaded as records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, and_, case, cast, exists, func, literal, not_, or_, select
from sqlalchemy.orm import contains_eager, joinedload, load_only
from sqlalchemy.sql.elements import ColumnElement

from portal import policy
from portal.extensions import db
from portal.models import Attendance, Client, Placement, Slot, User
from portal.models.placement import with_slot_and_client
from portal.pagination import Page
from portal.statuses import PlacementStatus

PER_PAGE = 50


def works_on(weekday: int) -> ColumnElement[bool]:
    """SQL: the placement's weekly schedule has a window on ``weekday`` (Monday = 0)."""
    if db.session.get_bind().dialect.name == "postgresql":
        each = func.json_array_elements(Placement.schedule).table_valued("value")
        day = func.json_extract_path_text(each.c.value, "weekday")
    else:
        each = func.json_each(Placement.schedule).table_valued("value")
        day = func.json_extract(each.c.value, "$.weekday")
    return select(literal(1)).select_from(each).where(cast(day, Integer) == weekday).exists()


def scheduled_on(day: date) -> ColumnElement[bool]:
    """SQL over a placement joined to its client: within its dates on ``day`` and scheduled
    that weekday."""
    return and_(
        Placement.start_date <= day,
        Placement.deadline >= day,
        Client.deadline >= day,
        works_on(day.weekday()),
    )


def working(user: User, *columns: Any) -> Select[Any]:
    """``columns`` of the working placements the user records attendance for."""
    query = with_slot_and_client(select(*columns).select_from(Placement))
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


def _placements(
    user: User, condition: ColumnElement[bool], offset: int, limit: int
) -> list[Placement]:
    """``limit`` placements from ``offset``, with the columns of their client and slot the
    page reads."""
    query = (
        working(user, Placement)
        .where(condition)
        .options(
            load_only(
                Placement.id,
                Placement.client_id,
                Placement.slot_id,
                Placement.status,
                Placement.start_date,
                Placement.deadline,
                Placement.schedule,
            ),
            contains_eager(Placement.slot).load_only(Slot.id, Slot.title),
            contains_eager(Placement.client).load_only(
                Client.id, Client.code, Client.full_name, Client.deadline
            ),
        )
        .order_by(Slot.title, Placement.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


# The records to verify and the other placements: the first few on today's page, each
# with its count and a link to the whole list.
SHOWN = 10


def _waiting(user: User, day: date) -> tuple[ColumnElement[bool], ...]:
    """SQL: the user's records of earlier days still to verify."""
    return (
        Attendance.placement_id.in_(working(user, Placement.id)),
        Attendance.superseded_by_id.is_(None),
        Attendance.verified.is_(False),
        Attendance.work_date != day,
    )


def waiting_count(user: User, day: date) -> int:
    """How many of the user's records of earlier days wait for verification."""
    counted = select(func.count()).select_from(Attendance).where(*_waiting(user, day))
    return db.session.scalar(counted) or 0


def waiting_records(user: User, day: date, offset: int, limit: int) -> list[Attendance]:
    """The user's records of earlier days still to verify, newest first, each with the
    client it names."""
    query = (
        select(Attendance)
        .where(*_waiting(user, day))
        .options(
            joinedload(Attendance.placement)
            .load_only(Placement.id, Placement.client_id)
            .joinedload(Placement.client)
            .load_only(Client.id, Client.code, Client.full_name)
        )
        .order_by(Attendance.work_date.desc(), Attendance.time_in, Attendance.id)
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def waiting_page(user: User, day: date, page: int) -> Page:
    """Page ``page`` (clamped) of the records waiting for verification, 50 a page."""
    total = waiting_count(user, day)
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(page, 1), pages)
    found = waiting_records(user, day, (number - 1) * PER_PAGE, PER_PAGE) if total else []
    return Page(found, number, pages, total)


@dataclass(frozen=True)
class TodayList:
    """One page of today's cards, and the first of the other placements and of the records
    waiting, with their counts."""

    page: Page
    records: dict[int, list[Attendance]]
    others: list[Placement]
    others_total: int
    waiting: list[Attendance]
    waiting_total: int


def today_list(user: User, day: date, page: int) -> TodayList:
    """Page ``page`` of today's cards (clamped to the pages there are), with their records
    of ``day``; the first SHOWN other working placements and records still to verify."""
    listed = _on_the_list(day)
    # Both counts in one pass over the user's working placements.
    total, working_total = db.session.execute(
        working(user, func.coalesce(func.sum(case((listed, 1), else_=0)), 0), func.count())
    ).one()
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(page, 1), pages)
    cards = _placements(user, listed, (number - 1) * PER_PAGE, PER_PAGE) if total else []
    records: dict[int, list[Attendance]] = {p.id: [] for p in cards}
    if cards:
        for r in db.session.scalars(
            select(Attendance)
            .where(Attendance.placement_id.in_(list(records)), *_live_on(day))
            .order_by(Attendance.time_in)
        ):
            records[r.placement_id].append(r)
    others_total = working_total - total
    others = _placements(user, not_(listed), 0, SHOWN) if others_total else []
    waiting_total = waiting_count(user, day)
    waiting = waiting_records(user, day, 0, SHOWN) if waiting_total else []
    return TodayList(
        Page(cards, number, pages, total), records, others, others_total, waiting, waiting_total
    )


def scheduled_today_count(user: User, day: date) -> int:
    """Working placements at the user's sites scheduled on ``day`` (the dashboard widget)."""
    return db.session.scalar(working(user, func.count()).where(scheduled_on(day))) or 0
