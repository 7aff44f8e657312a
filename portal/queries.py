"""Reading a record's rows in the order its pages show them (ties go by id)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.interfaces import ORMOption

from portal.extensions import db
from portal.models import Agreement, Opd, Placement, Slot

T = TypeVar("T")


def newest_first(
    model: type[T], where: ColumnElement[bool], newest: Any, *options: ORMOption
) -> list[T]:
    """The rows of ``model`` that ``where`` selects, the latest ``newest`` first."""
    ident = model.id  # type: ignore[attr-defined]
    stmt = select(model).where(where).options(*options).order_by(newest.desc(), ident.desc())
    return list(db.session.scalars(stmt))


def of_client(model: type[T], client_id: int, newest: str) -> list[T]:
    """The client's rows of ``model`` (a table with ``client_id``), the latest by the column
    ``newest`` first: ``newest_first`` for the sections of a client's pages."""
    table: Any = model  # a mapped class (hashable), whatever T it stands for
    rows: list[T] = list(db.session.scalars(_of_client(table, newest), {"client_id": client_id}))
    return rows


@functools.cache
def _of_client(model: Any, newest: str) -> Select[Any]:
    # Built once per table: a record page asks each of its sections on every view, and a
    # statement built afresh costs its construction and cache key each time (~75 us).
    columns: Any = model
    return (
        select(model)
        .where(columns.client_id == bindparam("client_id"))
        .order_by(getattr(columns, newest).desc(), columns.id.desc())
    )


def placements_of(client_id: int, newest_booked_first: bool = True) -> list[Placement]:
    """The client's placements, each with its slot and the slot's OPD: the latest booked
    first (his record), or ``newest_booked_first=False`` by start date (his supervision)."""
    stmt = _placements_of(newest_booked_first)
    return list(db.session.scalars(stmt, {"client_id": client_id}))


@functools.cache
def _placements_of(newest_booked_first: bool) -> Select[Placement]:
    # Built once for each order: every view of a client's record or supervision asks.
    # Of the slot and its OPD only what those pages name (the title, the OPD's names):
    # their other 60 columns cost PostgreSQL's driver a third of the statement.
    order = Placement.booked_at.desc() if newest_booked_first else Placement.start_date
    return (
        select(Placement)
        .where(Placement.client_id == bindparam("client_id"))
        .options(
            joinedload(Placement.slot)
            .load_only(Slot.title)
            .joinedload(Slot.opd)
            .load_only(Opd.name, Opd.short_name)
        )
        .order_by(order)
    )


def agreements(where: ColumnElement[bool], *options: ORMOption) -> list[Agreement]:
    """The agreements that ``where`` selects, the latest signed first and drafts last."""
    stmt = (
        select(Agreement)
        .where(where)
        .options(*options)
        .order_by(Agreement.signed_on.desc().nulls_last(), Agreement.id)
    )
    return list(db.session.scalars(stmt))


def within(model: type[T], where: ColumnElement[bool], day: Any, start: date, end: date) -> list[T]:
    """The rows of ``model`` that ``where`` selects dated ``start`` to ``end``, oldest first."""
    ident = model.id  # type: ignore[attr-defined]
    stmt = select(model).where(where, day >= start, day <= end).order_by(day, ident)
    return list(db.session.scalars(stmt))
