"""Work lists: the search, filters, sort and page of a list, read from and kept in the URL.

Every list parses its query string through ``parse_list`` with a ``ListSpec`` naming
what it accepts. Values are bounded (search text, ids, page numbers, dates); an
unknown value is dropped and an Indonesian message says why, so a pasted or edited
URL never fails with a 500 and never filters silently on something else.
``ListParams.args()`` gives back the kept values for links (pages, sort, export),
and ``export_response`` writes the same filtered rows as an Excel file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import BindParameter, Select, bindparam
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import audit, clock
from portal.exports import XLSX_MIMETYPE, single_sheet
from portal.extensions import db, plain_records
from portal.models import User
from portal.models.base import valid_id
from portal.pagination import MAX_PAGE, Page, PagedSelect, select_page

T = TypeVar("T")

SEARCH_MAX = 100
PER_PAGE = 50
# What a list sorts by: a mapped attribute (``Slot.title``) or an expression of them.
SortColumn = ColumnElement[Any] | QueryableAttribute[Any]
# An export holds the whole filtered list, up to this many rows.
EXPORT_MAX = 20_000
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


@dataclass(frozen=True)
class ListSpec:
    """What a list accepts: its sort keys (key → label), choice filters and id filters."""

    sorts: Mapping[str, str]
    default_sort: str
    default_desc: bool = True
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ids: Sequence[str] = ()
    dates: bool = False
    # Exact-match text filters (an action code, a user name), bounded like the search.
    texts: Sequence[str] = ()


@dataclass
class ListParams:
    """The validated parameters of one request to a list."""

    spec: ListSpec
    q: str = ""
    chosen: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""
    desc: bool = True
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    def args(self, **override: Any) -> dict[str, str]:
        """The non-empty parameters as query arguments (page left out unless given)."""
        values: dict[str, Any] = {"q": self.q, **self.chosen}
        values.update({name: str(value) for name, value in self.ids.items()})
        if self.date_from:
            values["dari"] = self.date_from.isoformat()
        if self.date_to:
            values["sampai"] = self.date_to.isoformat()
        if self.sort != self.spec.default_sort or self.desc != self.spec.default_desc:
            values["urut"] = self.sort
            values["arah"] = "turun" if self.desc else "naik"
        values.update(override)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def key(self) -> tuple[Any, ...]:
        """What the list's statement is made of: the search, filters, dates and sort (not
        the page)."""
        return (
            self.q,
            tuple(sorted(self.chosen.items())),
            tuple(sorted(self.ids.items())),
            self.date_from,
            self.date_to,
            self.sort,
            self.desc,
        )

    def sort_args(self, key: str) -> dict[str, str]:
        """Arguments of a column header's link: sort by ``key``, flipping the direction."""
        desc = not self.desc if key == self.sort else self.spec.default_desc
        return self.args(urut=key, arah="turun" if desc else "naik")

    def ordered(self, stmt: Select, columns: Mapping[str, Sequence[SortColumn]]) -> Select:
        """``stmt`` ordered by the chosen sort's columns, then by the last one as a tie-break."""
        cols = columns[self.sort]
        return stmt.order_by(*[c.desc() if self.desc else c.asc() for c in cols])

    def within_dates(self, stmt: Select, column: Any) -> Select:
        """``stmt`` limited to rows whose ``column`` falls in the chosen dates."""
        if self.date_from:
            stmt = stmt.where(column >= self.date_from)
        if self.date_to:
            stmt = stmt.where(column <= self.date_to)
        return stmt

    def within_days(self, stmt: Select, column: Any) -> Select:
        """``stmt`` limited to rows whose timestamp ``column`` falls on the chosen local days."""
        if self.date_from:
            start = datetime.combine(self.date_from, time(), clock.zone())
            stmt = stmt.where(column >= start.astimezone(UTC))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), clock.zone())
            stmt = stmt.where(column < end.astimezone(UTC))
        return stmt


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        value = date.fromisoformat(text[:10])
    except ValueError:
        errors[name] = "Tanggal tidak valid; gunakan format TTTT-BB-HH."
        return None
    if not EARLIEST <= value <= LATEST:
        errors[name] = "Tanggal di luar rentang yang dapat dicari (2000–2100)."
        return None
    return value


def parse_list(args: MultiDict[str, str] | Mapping[str, str], spec: ListSpec) -> ListParams:
    """The list parameters of ``args`` checked against ``spec``; errors in Indonesian."""
    params = ListParams(spec=spec, sort=spec.default_sort, desc=spec.default_desc)
    errors = params.errors
    params.q = (args.get("q") or "").strip()[:SEARCH_MAX]
    for name, allowed in spec.choices.items():
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            errors[name] = "Pilihan tidak dikenal; saringan ini diabaikan."
        elif value:
            params.chosen[name] = value
    for name in spec.texts:
        value = (args.get(name) or "").strip()[:SEARCH_MAX]
        if value:
            params.chosen[name] = value
    for name in spec.ids:
        text = (args.get(name) or "").strip()
        if not text:
            continue
        number = int(text) if text.isdigit() and len(text) <= 12 else None
        if not valid_id(number):
            errors[name] = "Pilihan tidak dikenal; saringan ini diabaikan."
        else:
            assert number is not None
            params.ids[name] = number
    if spec.dates:
        params.date_from = _date((args.get("dari") or "").strip(), "dari", errors)
        params.date_to = _date((args.get("sampai") or "").strip(), "sampai", errors)
        if params.date_from and params.date_to and params.date_to < params.date_from:
            errors["sampai"] = "Tanggal akhir sebelum tanggal awal; rentang diabaikan."
            params.date_from = params.date_to = None
    sort = (args.get("urut") or "").strip()
    if sort and sort not in spec.sorts:
        errors["urut"] = "Urutan tidak dikenal; urutan bawaan dipakai."
    elif sort:
        params.sort = sort
    direction = (args.get("arah") or "").strip()
    if direction in ("naik", "turun"):
        params.desc = direction == "turun"
    elif direction:
        errors["arah"] = "Arah urutan tidak dikenal; gunakan naik atau turun."
    page_text = (args.get("page") or "").strip()
    if page_text:
        if page_text.isdigit() and 1 <= len(page_text) <= 6 and 1 <= int(page_text) <= MAX_PAGE:
            params.page = int(page_text)
        else:
            errors["page"] = "Nomor halaman tidak valid; halaman pertama ditampilkan."
    return params


def export_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """The filtered list as an .xlsx attachment; every text cell stays text."""
    data = single_sheet(title, headers, rows, heading=title)
    return Response(
        data,
        mimetype=XLSX_MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


def columns(model: Any, names: str) -> list[Any]:
    """The mapped columns ``names`` (separated by spaces) of ``model``: what a list's plain
    rows carry."""
    return [getattr(model, name) for name in names.split()]


# The ids of a page's rows in a statement built once (``in_order``).
PAGE_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)


def in_order(stmt: Select[*tuple[Any, ...]], ids: Sequence[int]) -> list[Any]:
    """The rows of ``stmt`` (its first column the id) in the order of ``ids``: a page's rows
    read by primary key once its ids are sorted and paged on the indexes. A statement built
    once selects its rows with ``PAGE_IDS`` (the ids are bound here). ``stmt`` selects
    columns, never mapped objects; its rows are named tuples (``plain_records``)."""
    found = {row[0]: row for row in plain_records(stmt, {"ids": list(ids)})}
    return [found[i] for i in ids if i in found]


def list_page(stmt: Select | PagedSelect, params: ListParams) -> Page:
    """The page of ``stmt`` the list's URL asks for, PER_PAGE rows (past the end: empty)."""
    return select_page(stmt, params.page, PER_PAGE)


def reader_key(user: User) -> tuple[Any, ...]:
    """What a reader's scope is made of (his account, role and offices), and the database's
    kind: the key of the statements built once per reader."""
    dialect = db.session.get_bind().dialect.name
    return (user.id, user.role, user.bapas_id, user.pemda_id, user.opd_id, user.enabled, dialect)


# Lists' statements, built once per reader and filters (``built``, ``built_once``).
_BUILT: dict[tuple[Any, ...], Any] = {}
_BUILT_MAX = 2000


def built_once(name: str, user: User, params: ListParams, build: Callable[[], T]) -> tuple[T, str]:
    """What ``build()`` makes of the list ``name``'s statements for ``user`` and ``params``,
    built once per reader's scope and the list's filters, with the name its kept total and
    pages go by (``total_key``), made with them.

    ``build`` may read nothing but the reader's scope and ``params`` (no records, no
    clock but its zone): what a view reads at run time (a page's bounds, a day) is a bound
    parameter. A statement built afresh costs its construction and its cache key at every
    view: 5-8% of a placement list's instructions.
    """
    key = list_key(name, user, params)
    return kept(key, lambda: (build(), total_key(key)))


def list_key(name: str, user: User, params: ListParams) -> tuple[Any, ...]:
    """What the list ``name``'s statements for ``user`` and ``params`` are made of."""
    return (name, *reader_key(user), params.key(), clock.zone().key)


def total_key(key: tuple[Any, ...]) -> str:
    """The name of a list's kept total (``kept_total``) for its ``list_key``."""
    return hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()


def kept(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``build()``'s statements for ``key``, built at the first view and kept (at most
    _BUILT_MAX keys): ``built_once``'s store, keyed by what the statements are made of."""
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        found = _BUILT[key] = build()
    return cast(T, found)


def built(
    name: str,
    user: User,
    params: ListParams,
    build: Callable[[], Select[Any]],
    *,
    keep_total: bool = False,
    count_cap: int | None = None,
) -> PagedSelect:
    """The statement of the list ``name`` that ``build()`` makes for ``user`` and ``params``,
    with its page and count (``built_once``); with ``keep_total`` its count is kept between
    views until a change is saved (``kept_total``: lists of business records only)."""
    key = list_key(name, user, params)
    return kept(
        key, lambda: PagedSelect(build(), total_key(key) if keep_total else None, count_cap)
    )


def exported_list(
    list_name: str,
    object_type: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    filename: str,
    client_ids: Iterable[int] = (),
) -> Response:
    """A list leaving the portal as Excel: each client it names a recorded read (as on his
    page), the export itself in the audit log, then the file."""
    for client_id in client_ids:
        audit.record("client_viewed", "client", client_id, page=f"{list_name}.xlsx")
    audit.record("list_exported", object_type, None, list=list_name, rows=len(rows))
    return export_response(filename, title, headers, rows)
