"""Reading a record's rows in the order its pages show them (ties go by id)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select

from portal.extensions import db

T = TypeVar("T")


def newest_first(model: type[T], where: ColumnElement[bool], newest: Any) -> list[T]:
    """The rows of ``model`` that ``where`` selects, the latest ``newest`` first."""
    ident = model.id  # type: ignore[attr-defined]
    return list(
        db.session.scalars(select(model).where(where).order_by(newest.desc(), ident.desc()))
    )


def within(model: type[T], where: ColumnElement[bool], day: Any, start: date, end: date) -> list[T]:
    """The rows of ``model`` that ``where`` selects dated ``start`` to ``end``, oldest first."""
    ident = model.id  # type: ignore[attr-defined]
    stmt = select(model).where(where, day >= start, day <= end).order_by(day, ident)
    return list(db.session.scalars(stmt))
