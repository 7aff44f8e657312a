"""Totals kept beside the records they count, checked and set again from those records.

The portal keeps a few totals on rows so that lists and dashboards need not count: the
seats held on each slot, the sessions of each placement, each placement's Bapas, OPD and
schedule weekdays, and each placement's verified minutes per month. Every write through
the ORM keeps them; rows changed outside it (an import, a repair in SQL) leave them stale
until ``recount_all`` sets them again from their references (``flask recount``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, update

from portal.models import AttendanceMonth, Placement, Slot
from portal.models.attendance import recount_months
from portal.models.placement import fill_keys, recount_seats, schedule_weekdays
from portal.models.work_session import recount_sessions


def _weekdays(connection: Connection) -> None:
    """Set ``Placement.weekdays`` where it differs from its schedule's (``schedule_weekdays``)."""
    table = Placement.__table__
    rows = connection.execute(select(table.c.id, table.c.schedule, table.c.weekdays))
    for placement_id, schedule, kept in rows.all():
        bits = schedule_weekdays(schedule)
        if bits != kept:
            connection.execute(
                update(table).where(table.c.id == placement_id).values(weekdays=bits)
            )


@dataclass(frozen=True)
class Kept:
    """A kept total: its label, its table, the columns it is, and how it is set again."""

    label: str
    table: Table
    columns: tuple[str, ...]
    recount: Callable[[Connection], None]

    def read(self, connection: Connection) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        """The total of every row, by the row's primary key."""
        keys = list(self.table.primary_key.columns)
        values = [self.table.c[name] for name in self.columns]
        rows = connection.execute(select(*keys, *values)).all()
        return {tuple(row[: len(keys)]): tuple(row[len(keys) :]) for row in rows}


KEPT = (
    Kept("kursi terisi per slot", Slot.__table__, ("occupied",), recount_seats),
    Kept("jumlah sesi per penempatan", Placement.__table__, ("session_count",), recount_sessions),
    Kept("Bapas dan OPD per penempatan", Placement.__table__, ("bapas_id", "opd_id"), fill_keys),
    Kept("hari jadwal per penempatan", Placement.__table__, ("weekdays",), _weekdays),
    Kept(
        "menit terverifikasi per penempatan dan bulan",
        AttendanceMonth.__table__,
        ("first_day", "minutes"),
        recount_months,
    ),
)


def recount_all(connection: Connection) -> dict[str, int]:
    """Set every kept total from its records, in the caller's transaction; how many rows of
    each were wrong (a month kept that has no verified minutes, or missing, counts too)."""
    wrong: dict[str, int] = {}
    for kept in KEPT:
        before = kept.read(connection)
        kept.recount(connection)
        after = kept.read(connection)
        wrong[kept.label] = sum(before.get(key) != after.get(key) for key in before | after)
    return wrong
