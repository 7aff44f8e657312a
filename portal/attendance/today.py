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


def _placements(user: User, condition: ColumnElement[bool], offset: int) -> list[Placement]:
    """The placements of one page, with the columns of their client and slot the page reads."""
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
        .limit(PER_PAGE)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class TodayList:
    """One page of today's cards, the other placements and the records waiting."""

    page: Page
    records: dict[int, list[Attendance]]
    others: list[Placement]
    others_total: int
    waiting: list[Attendance]
    waiting_total: int


def today_list(user: User, day: date, page: int) -> TodayList:
    """Page ``page`` of today's cards (clamped to the pages there are), with their records
    of ``day``; the first 50 other working placements and records still to verify."""
    listed = _on_the_list(day)
    # Both counts in one pass over the user's working placements.
    total, working_total = db.session.execute(
        working(user, func.coalesce(func.sum(case((listed, 1), else_=0)), 0), func.count())
    ).one()
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(page, 1), pages)
    cards = _placements(user, listed, (number - 1) * PER_PAGE) if total else []
    records: dict[int, list[Attendance]] = {p.id: [] for p in cards}
    if cards:
        for r in db.session.scalars(
            select(Attendance)
            .where(Attendance.placement_id.in_(list(records)), *_live_on(day))
            .order_by(Attendance.time_in)
        ):
            records[r.placement_id].append(r)
    others_total = working_total - total
    others = _placements(user, not_(listed), 0) if others_total else []
    # Still to verify from earlier days: the newest 50 and how many there are.
    earlier = (
        Attendance.placement_id.in_(working(user, Placement.id)),
        Attendance.superseded_by_id.is_(None),
        Attendance.verified.is_(False),
        Attendance.work_date != day,
    )
    waiting_total = (
        db.session.scalar(select(func.count()).select_from(Attendance).where(*earlier)) or 0
    )
    waiting = (
        list(
            db.session.scalars(
                select(Attendance)
                .where(*earlier)
                # Each row names its client: loaded with the rows, not one by one.
                .options(
                    joinedload(Attendance.placement)
                    .load_only(Placement.id, Placement.client_id)
                    .joinedload(Placement.client)
                    .load_only(Client.id, Client.code, Client.full_name)
                )
                .order_by(Attendance.work_date.desc(), Attendance.time_in)
                .limit(PER_PAGE)
            )
        )
        if waiting_total
        else []
    )
    return TodayList(
        Page(cards, number, pages, total), records, others, others_total, waiting, waiting_total
    )


def scheduled_today_count(user: User, day: date) -> int:
    """Working placements at the user's sites scheduled on ``day`` (the dashboard widget)."""
    return db.session.scalar(working(user, func.count()).where(scheduled_on(day))) or 0
