"""The placement list: a narrow query for the page's ids and count, one for its 50 rows.

The ids query joins the client and the slot only where the user's scope, the filters
or the sort read them (a Bapas reads the client, an OPD the slot), so a page sorts
narrow index rows of the user's own placements; the rows shown are then loaded by
their ids with their client, slot and OPD in one statement.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Select, String, case, cast, select
from sqlalchemy.orm import contains_eager

from portal import policy
from portal.clients.listing import client_and_site_conditions, joined_as_read
from portal.extensions import db
from portal.listing import PAGE_IDS, ListParams, ListSpec, SortColumn, columns, in_order
from portal.models import Client, Opd, Placement, PlacementStatus, Slot, User
from portal.placements.services import STATUS_LABELS

# A status filter of its own: the placements the Bapas dashboard counts as running.
RUNNING = "berjalan"
PLACEMENT_LIST = ListSpec(
    sorts={
        "antrian": "Menunggu keputusan dahulu",
        "dipesan": "Tanggal pesan",
        "mulai": "Tanggal mulai",
        "kode": "Kode klien",
    },
    default_sort="antrian",
    choices={"status": {**STATUS_LABELS, RUNNING: "Diterima / berjalan"}},
    ids=("pk", "opd"),
    dates=True,
)


def placement_list(user: User, params: ListParams, ids_only: bool = False) -> Select[Any]:
    """The placements of the list in ``user``'s scope, filtered and ordered as ``params`` says.

    ``ids_only``: their ids in order, joined only to the tables the conditions read.
    """
    # The scope, search, PK and OPD read the client or the slot; the rest the placement.
    conditions = [policy.placements_scope(user), *client_and_site_conditions(user, params)]
    if db.session.get_bind().dialect.name == "postgresql":
        # A PK's page of a province's 18,000 placements: 6.6 -> 1.7 ms.
        conditions += policy.placements_within_bapas(user)
    waiting = case((Placement.status == PlacementStatus.BOOKED, 1), else_=0)
    order: dict[str, list[SortColumn]] = {
        "antrian": [waiting, Placement.booked_at, Placement.id],
        "dipesan": [Placement.booked_at, Placement.id],
        "mulai": [Placement.start_date, Placement.id],
        "kode": [Client.code, Placement.id],
    }
    stmt = select(Placement.id if ids_only else Placement).where(*conditions)
    if ids_only:
        stmt = joined_as_read(stmt, *conditions, *order[params.sort])
    else:
        stmt = stmt.join(Client, Client.id == Placement.client_id)
        stmt = stmt.join(Slot, Slot.id == Placement.slot_id)
    if params.chosen.get("status") == RUNNING:
        stmt = stmt.where(Placement.status.in_((PlacementStatus.ACCEPTED, PlacementStatus.ACTIVE)))
    elif "status" in params.chosen:
        stmt = stmt.where(Placement.status == params.chosen["status"])
    stmt = params.within_dates(stmt, Placement.start_date)
    if not ids_only:
        # One query for the rows and their client, slot and OPD (no query per row).
        stmt = stmt.options(
            contains_eager(Placement.slot).joinedload(Slot.opd),
            contains_eager(Placement.client),
        )
    return params.ordered(stmt, order)


def placement_rows(ids: Sequence[int]) -> list[Row[Any]]:
    """What the list shows of the placements ``ids`` (already chosen in the user's scope),
    in that order: read by primary key in one statement, as plain rows."""
    return in_order(_placement_rows(), ids)


@functools.cache
def _placement_rows() -> Select[Any]:
    # Built once (a statement built afresh costs its construction and cache key each view).
    return (
        select(
            *columns(Placement, "id status start_date booked_at"),
            # The JSON text: most placements share a few schedules, each read once.
            cast(Placement.schedule, String).label("schedule"),
            *columns(Client, "code full_name"),
            Slot.title,
            Opd.short_name.label("opd_name"),
        )
        .join(Client, Client.id == Placement.client_id)
        .join(Slot, Slot.id == Placement.slot_id)
        .join(Opd, Opd.id == Slot.opd_id)
        .where(Placement.id.in_(PAGE_IDS))
    )
