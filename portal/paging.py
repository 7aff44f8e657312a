"""Paging a list already in memory, in the shape the ``pagination`` macro reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    """One page of rows with what the pagination macro needs."""

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


def page_of(rows: Sequence[Any], page: int | None, per_page: int) -> Page:
    """Rows of page ``page`` (1-based, clamped to the pages there are)."""
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(page or 1, 1), pages)
    start = (number - 1) * per_page
    return Page(list(rows[start : start + per_page]), number, pages, len(rows))
