"""Dashboard widgets: the Bapas side's clients by placement state, the OPD's pending requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal import cache, policy
from portal.clients.services import waiting_count
from portal.dashboard.widgets import widget
from portal.extensions import db
from portal.models import Client, Placement, PlacementStatus, Slot, User


def _placement_counts(user: User) -> dict[str, int]:
    """Placements in the user's scope by status: one grouped count, kept briefly
    (``portal.cache``: any saved change starts afresh)."""

    def count() -> dict[str, int]:
        rows = db.session.execute(
            select(Placement.status, func.count(Placement.id))
            .join(Slot, Slot.id == Placement.slot_id)
            .join(Client, Client.id == Placement.client_id)
            .where(policy.placements_scope(user))
            .group_by(Placement.status)
        )
        return {status: n for status, n in rows}

    return cache.cached("placement-counts", str(user.id), count)


@widget("clients/_widget_bapas.html", shown_to="client.view", order=3)
def bapas_clients(user: User) -> dict[str, Any]:
    """Clients waiting for a placement, bookings awaiting the OPD, placements under way."""
    counts = _placement_counts(user)
    return {
        "waiting": cache.cached("waiting-clients", str(user.id), lambda: waiting_count(user)),
        "booked": counts.get(PlacementStatus.BOOKED, 0),
        "active": counts.get(PlacementStatus.ACCEPTED, 0) + counts.get(PlacementStatus.ACTIVE, 0),
    }


@widget("clients/_widget_opd.html", shown_to="placement.decide", order=4)
def opd_requests(user: User) -> dict[str, Any]:
    """Booking requests at the OPD's slots awaiting a decision."""
    return {"booked": _placement_counts(user).get(PlacementStatus.BOOKED, 0)}
