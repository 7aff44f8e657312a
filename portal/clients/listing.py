"""The client list: filters read from the URL and one query for the page and its Excel file."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, exists, select
from sqlalchemy.sql.util import find_tables

from portal import cache, policy
from portal.attendance.services import verified_minutes_of
from portal.clients.services import summons_violation_of
from portal.listing import PAGE_IDS, ListParams, columns, in_order
from portal.models import Client, Placement, PlacementStatus, Slot, User
from portal.models.base import valid_id

CLIENT_STATUSES = {
    "registered": "Belum ditempatkan",
    "placed": "Dipesan",
    "active": "Sedang bekerja",
    "completed": "Jam terpenuhi",
    "closed": "Selesai",
}
SEARCH_MAX = 100


@dataclass(frozen=True)
class ClientFilters:
    """Search text, status and PK of the client list (unknown values dropped)."""

    q: str = ""
    status: str = ""
    pk_id: int | None = None

    def form(self) -> dict[str, str]:
        """The values as the filter form shows them (the PK only when chosen)."""
        values = {"q": self.q, "status": self.status}
        if self.pk_id is not None:
            values["pk"] = str(self.pk_id)
        return values

    def args(self) -> dict[str, str]:
        """The chosen values as query arguments (pages, export)."""
        return {k: v for k, v in self.form().items() if v}


def client_filters(args: Mapping[str, str]) -> ClientFilters:
    """The filters of ``args``, bounded: long search text cut, unknown status or PK dropped."""
    status = args.get("status", "")
    pk_text = (args.get("pk") or "").strip()
    pk_id = int(pk_text) if pk_text.isdigit() and len(pk_text) <= 12 else None
    return ClientFilters(
        q=(args.get("q") or "").strip()[:SEARCH_MAX],
        status=status if status in CLIENT_STATUSES else "",
        pk_id=pk_id if valid_id(pk_id) else None,
    )


def clients_query(user: User, filters: ClientFilters) -> Select[Any]:
    """The clients ``user`` may see that match ``filters``, newest code first."""
    query = select(Client).where(policy.clients_scope(user))
    if filters.q:
        like = f"%{filters.q}%"
        query = query.where(Client.code.ilike(like) | Client.full_name.ilike(like))
    if filters.status:
        query = query.where(Client.status == filters.status)
    if filters.pk_id is not None:
        query = query.where(Client.pk_id == filters.pk_id)
    return query.order_by(Client.code.desc())


# What the client and supervision lists show of a client.
CLIENT_ROW = "id code full_name status is_child hours_ordered start_date deadline"


def client_rows(ids: Sequence[int], working: bool = False) -> list[Row[Any]]:
    """The list's rows of the clients ``ids`` (already chosen in the user's scope), with
    their PK's name, in that order: read by primary key in one statement. ``working``:
    with ``working``, whether the client has a placement at work (accepted or running)."""
    return in_order(_client_rows(working), ids)


def client_list_rows(ids: Sequence[int]) -> list[Row[Any]]:
    """``client_rows`` with what the client list shows beside each client, read with the
    rows: ``minutes_verified`` (the ledger's), ``placement_status`` (the status of his
    latest booked placement) and ``summons_violation`` (``summons_violations``)."""
    return in_order(_client_list_rows(), ids)


# Built once: a list page reads its rows on every view, and a statement built afresh
# costs its construction and cache key each time. The page's ids are bound as "ids".
@functools.cache
def _client_rows(working: bool) -> Select[Any]:
    stmt = select(*columns(Client, CLIENT_ROW), User.full_name.label("pk_name"))
    if working:
        at_work = Placement.client_id == Client.id, Placement.status.in_(PlacementStatus.WORKING)
        stmt = stmt.add_columns(exists().where(*at_work).label("working"))
    return stmt.outerjoin(User, User.id == Client.pk_id).where(Client.id.in_(PAGE_IDS))


@functools.cache
def _client_list_rows() -> Select[Any]:
    latest = (
        select(Placement.status)
        .where(Placement.client_id == Client.id)
        .order_by(Placement.booked_at.desc(), Placement.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = select(
        *columns(Client, CLIENT_ROW),
        User.full_name.label("pk_name"),
        verified_minutes_of(Client.id).label("minutes_verified"),
        latest.label("placement_status"),
        summons_violation_of(Client.id).label("summons_violation"),
    )
    return stmt.outerjoin(User, User.id == Client.pk_id).where(Client.id.in_(PAGE_IDS))


def in_placement_scope(stmt: Select[Any], user: User) -> Select[Any]:
    """``stmt`` (selecting from Placement) joined to the slot and client, in ``user``'s scope."""
    return (
        stmt.join(Slot, Slot.id == Placement.slot_id)
        .join(Client, Client.id == Placement.client_id)
        .where(policy.placements_scope(user))
    )


def joined_as_read(stmt: Select[Any], *expressions: Any) -> Select[Any]:
    """``stmt`` (selecting from Placement) joined to the client and to the slot only when
    ``expressions`` (its conditions and order) read them: each placement has one of each,
    so a join never repeats a row, and one not read is not made."""
    read = {
        table
        for e in expressions
        for table in find_tables(
            e.__clause_element__() if hasattr(e, "__clause_element__") else e,
            check_columns=True,
        )
    }
    if Client.__table__ in read:
        stmt = stmt.join(Client, Client.id == Placement.client_id)
    if Slot.__table__ in read:
        stmt = stmt.join(Slot, Slot.id == Placement.slot_id)
    return stmt


def client_and_site_filters(stmt: Select[Any], user: User, params: ListParams) -> Select[Any]:
    """``stmt`` (joined to Client and Slot) narrowed by a work list's search, PK and OPD."""
    return stmt.where(*client_and_site_conditions(user, params))


def client_and_site_conditions(user: User, params: ListParams) -> list[ColumnElement[bool]]:
    """A work list's search, PK and OPD as conditions on Client and Slot.

    The search matches the client's code and the slot's title, and the client's name
    only for those who may see names.
    """
    conditions: list[ColumnElement[bool]] = []
    if params.q:
        like = f"%{params.q}%"
        found = Client.code.ilike(like) | Slot.title.ilike(like)
        if policy.sees_client_identity(user):
            found = found | Client.full_name.ilike(like)
        conditions.append(found)
    if "pk" in params.ids:
        conditions.append(Client.pk_id == params.ids["pk"])
    if "opd" in params.ids:
        conditions.append(Slot.opd_id == params.ids["opd"])
    return conditions


def pk_and_opd_choices(user: User) -> dict[str, list[tuple[int, str]]]:
    """The PKs and OPDs a work list's filters offer: the Bapas side's own (none for others).

    Kept like other figures (``portal.cache``: any saved change starts afresh): every
    page of the placement and session lists shows the filters."""
    from portal.clients.services import pks_of_bapas  # clients.services imports the lists
    from portal.slots.services import opd_choices

    if not policy.sees_client_identity(user):
        return {"pk": [], "opd": []}

    def choices() -> dict[str, list[tuple[int, str]]]:
        pks = pks_of_bapas(user.bapas_id) if user.bapas_id else []
        return {"pk": [(u.id, u.full_name) for u in pks], "opd": list(opd_choices(user))}

    return cache.cached("list_choices", str(user.id), choices)
