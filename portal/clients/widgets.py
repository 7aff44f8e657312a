"""Dashboard widgets: the Bapas side's clients by placement state, the OPD's pending requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal import policy
from portal.clients.services import waiting_count
from portal.dashboard.widgets import widget
from portal.extensions import db
from portal.models import Client, Placement, PlacementStatus, Role, Slot, User


def _count_placements(user: User, status: str) -> int:
    return (
        db.session.scalar(
            select(func.count(Placement.id))
            .join(Slot, Slot.id == Placement.slot_id)
            .join(Client, Client.id == Placement.client_id)
            .where(policy.placements_scope(user), Placement.status == status)
        )
        or 0
    )


@widget("clients/_widget_bapas.html", roles={Role.PK, Role.KEPALA_BAPAS}, order=3)
def bapas_clients(user: User) -> dict[str, Any]:
    """Clients waiting for a placement, bookings awaiting the OPD, placements under way."""
    return {
        "waiting": waiting_count(user),
        "booked": _count_placements(user, PlacementStatus.BOOKED),
        "active": _count_placements(user, PlacementStatus.ACCEPTED)
        + _count_placements(user, PlacementStatus.ACTIVE),
    }


@widget("clients/_widget_opd.html", roles={Role.OPD_ADMIN}, order=4)
def opd_requests(user: User) -> dict[str, Any]:
    """Booking requests at the OPD's slots awaiting a decision."""
    return {"booked": _count_placements(user, PlacementStatus.BOOKED)}
