"""Paging, and numbers from the query string, bounded: a page number beyond any real page is
no error.

``db.paginate`` reads ``page`` and ``per_page`` from the query string by itself
and turns ``?page=100000000000000000000`` into an ``OverflowError`` (a 500).
List pages call ``paginate`` here instead: the page number is read with
``query_int`` (digits only, clamped), the page size is fixed by the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination

from portal.extensions import db

MAX_PAGE = 100_000


def query_int(name: str, default: int, minimum: int, maximum: int) -> int:
    """An integer query-string value within [minimum, maximum]; ``default`` when absent or bad."""
    raw = (request.args.get(name) or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return default
    if len(raw) > 18:  # beyond any real value, and beyond a 64-bit integer
        return maximum
    return min(max(int(raw), minimum), maximum)


def page_number(name: str = "page") -> int:
    """The page asked for, 1 to MAX_PAGE (a larger number asks for the last possible page)."""
    return query_int(name, 1, 1, MAX_PAGE)


def paginate(stmt: Any, per_page: int = 50, error_out: bool = True) -> Pagination:
    """``db.paginate`` with a bounded page number and a page size the client cannot change."""
    return db.paginate(
        stmt, page=page_number(), per_page=per_page, max_per_page=per_page, error_out=error_out
    )


@dataclass(frozen=True)
class Page:
    """One page of rows already in memory, in the shape the ``pagination`` macro reads."""

    items: list[Any]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(rows: Sequence[Any], per_page: int, page: int | None = None) -> Page:
    """Rows of page ``page`` (default: the query string's), clamped to the pages there are."""
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(page if page is not None else page_number(), 1), pages)
    start = (number - 1) * per_page
    return Page(list(rows[start : start + per_page]), number, pages, len(rows))
