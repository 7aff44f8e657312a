"""Paging, and numbers from the query string, bounded: a page number beyond any real page is
no error.

``db.paginate`` reads ``page`` and ``per_page`` from the query string by itself
and turns ``?page=100000000000000000000`` into an ``OverflowError`` (a 500).
List pages call ``paginate`` here instead: the page number is read with
``query_int`` (digits only, clamped), the page size is fixed by the view.

``select_page`` reads a page of a statement and the list's total in two plain
statements, and none for the total when the first page is not full. Given a
``PagedSelect`` (the two built on first use and kept, the page's bounds bound at each view:
``listing.built``) it builds nothing, and with its ``total_key`` the total, and each
page's ids, are kept between views until a change is saved (``cache.cached``).
(``db.paginate`` also adds a wildcard loader option and a de-duplication to both,
which cost a list about 0.35 ms a view and serve only joined collections; no list
pages those.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from flask import request
from sqlalchemy import Integer, Select, bindparam, func, select

from portal import cache
from portal.extensions import db, plain_records, plain_rows

MAX_PAGE = 100_000

T = TypeVar("T")


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


def paginate(stmt: Select[Any], per_page: int = 50) -> Page:
    """The page of ``stmt`` the query string asks for (a bounded number), ``per_page`` rows;
    past the last page: no rows."""
    return select_page(stmt, page_number(), per_page)


# A page's bounds, bound at each view.
_LIMIT = bindparam("page_limit", type_=Integer())
_OFFSET = bindparam("page_offset", type_=Integer())


def bounded(stmt: Select[Any]) -> Select[Any]:
    """``stmt`` cut to a page whose bounds are bound at each view (``bounds``)."""
    return stmt.limit(_LIMIT).offset(_OFFSET)


def bounds(offset: int, limit: int) -> dict[str, int]:
    """The values of a ``bounded`` statement's page bounds."""
    return {"page_limit": limit, "page_offset": offset}


@dataclass(frozen=True)
class PagedSelect:
    """A list's statement as ``select_page`` runs it: one page of it (its bounds bound at
    each view) and the count of all its rows, each built when first needed, then kept.
    With a ``total_key`` (the list, its reader and filters) the count's value is kept too
    (``kept_total``)."""

    stmt: Select[Any]
    total_key: str | None = None
    # Count no further than this (an ever-growing log): the page says "more than".
    count_cap: int | None = None

    @cached_property
    def page(self) -> Select[Any]:
        return bounded(self.stmt)

    @cached_property
    def count(self) -> Select[Any]:
        rows = self.stmt.order_by(None)
        if self.count_cap is not None:
            # Its first column alone: a subquery cut by a LIMIT is not merged into the count,
            # and SQLite would read every column of 20,001 rows (3.5 ms; the id: 0.9 ms).
            first = rows.selected_columns[0]
            rows = rows.with_only_columns(first, maintain_column_froms=True).limit(
                self.count_cap + 1
            )
        return select(func.count()).select_from(rows.subquery())

    @cached_property
    def plain(self) -> bool:
        """Whether the statement selects columns only (ids, or a list's rows), no mapped
        objects: then it is run without the ORM's loading (``plain_rows``)."""
        return not any(d["expr"] is d["entity"] for d in self.stmt.column_descriptions)

    @cached_property
    def ids(self) -> bool:
        """Whether the statement selects one column only (a list's ids)."""
        return self.plain and len(self.stmt.selected_columns) == 1


def select_page(stmt: Select[Any] | PagedSelect, number: int, per_page: int) -> Page:
    """Page ``number`` of ``stmt`` (its ids, its mapped objects, or its rows of several
    columns as named tuples, in its order), ``per_page`` rows, with the number of rows of
    the whole statement; past the last page: no rows. A statement of ids with a
    ``total_key`` has its page's ids kept with the total (``kept_page``)."""
    statements = stmt if isinstance(stmt, PagedSelect) else PagedSelect(stmt)
    key = statements.total_key
    if key is not None and statements.ids:
        items, total = kept_page(
            f"{key}:{per_page}", number, lambda: _page_and_total(statements, number, per_page)
        )
    else:
        items, total = _page_and_total(statements, number, per_page)
    cap = statements.count_cap
    if cap is not None and total > cap:
        return Page(items, number, -(-cap // per_page), cap, more=True)
    return Page(items, number, max(1, -(-total // per_page)), total)


def _page_and_total(statements: PagedSelect, number: int, per_page: int) -> tuple[list[Any], int]:
    values = bounds((number - 1) * per_page, per_page)
    if statements.ids:
        items = list(plain_rows(statements.page, values).scalars())
    elif statements.plain:
        items = plain_records(statements.page, values)
    else:
        items = list(db.session.scalars(statements.page, values))
    if number == 1 and len(items) < per_page:
        total = len(items)  # the whole list is on this page
    elif statements.total_key is None:
        total = plain_rows(statements.count).scalar() or 0
    else:
        total = kept_total(statements.total_key, statements.count)
    return items, total


def kept_total(key: str, count: Select[Any]) -> int:
    """The value of ``count`` (a list's rows counted), ``key`` naming the list, its reader
    and filters: counted once, then kept until a change to a business record is saved on
    any instance (``cache.cached``), at most CACHE_SECONDS. Counting reads every row of the
    list's scope (a PK's 900 placements: 0.2 ms on SQLite, 1.5 ms on PostgreSQL) at every
    view of every page; the rows of a page are read afresh at each. Only for a list of
    business records: audit rows and sign-ins are no change to the cache.
    """
    return cache.cached("list_total", key, lambda: plain_rows(count).scalar() or 0)


def kept_page(key: str, number: int, read: Callable[[], T]) -> T:
    """``read()``'s ids of page ``number`` of the list ``key`` names (its reader and
    filters), with its count: read once, then kept as its total is (``kept_total``).
    Sorting a Bapas's 2,000 placements for their first page cost 0.6 ms on SQLite and 1.8
    ms on PostgreSQL at every view; the rows shown are read afresh from the ids."""
    return cache.cached("list_page", f"{key}:{number}", read)


@dataclass(frozen=True)
class Page:
    """One page of rows already in memory, in the shape the ``pagination`` macro reads."""

    items: list[Any]
    page: int
    pages: int
    total: int
    # The list holds more rows than ``total``: its count stopped there (``count_cap``).
    more: bool = False

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
