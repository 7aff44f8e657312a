"""Numbers from the query string, bounded: a page number beyond any real page is no error.

``db.paginate`` reads ``page`` and ``per_page`` from the query string by itself
and turns ``?page=100000000000000000000`` into an ``OverflowError`` (a 500).
List pages call ``paginate`` here instead: the page number is read with
``query_int`` (digits only, clamped), the page size is fixed by the view.
"""

from __future__ import annotations

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
