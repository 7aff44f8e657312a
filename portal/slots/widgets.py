"""Dashboard widgets of the slots area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from portal import cache, policy
from portal.dashboard.widgets import widget
from portal.extensions import db
from portal.models import Slot, User


def _totals(user: User) -> dict[str, Any]:
    """Slots in the user's scope by status and their seats, kept briefly (``portal.cache``)."""
    return cache.cached("slot-totals", str(user.id), lambda: _count_slots(user))


def _count_slots(user: User) -> dict[str, Any]:
    used = Slot.occupied
    rows = db.session.execute(
        select(
            Slot.status,
            func.count(),
            func.sum(Slot.capacity),
            func.sum(used),
            func.sum(case((Slot.capacity > used, Slot.capacity - used), else_=0)),
        )
        .where(policy.slots_scope(user))
        .group_by(Slot.status)
    ).all()
    by_status = {s: (n, cap or 0, occ or 0, free or 0) for s, n, cap, occ, free in rows}
    published = by_status.get("published", (0, 0, 0, 0))
    return {
        "drafts": by_status.get("draft", (0,))[0],
        "published": published[0],
        "closed": by_status.get("closed", (0,))[0],
        "capacity": published[1],
        "used": published[2],
        "free": published[3],
    }


@widget("slots/_widget_opd.html", shown_to="slot.manage", order=10)
def opd_slots(user: User) -> dict[str, Any]:
    """The OPD's slots by status and the seats used and free in published ones."""
    return _totals(user)


@widget("slots/_widget_bapas.html", shown_to="placement.book", order=30)
def bapas_slots(user: User) -> dict[str, Any]:
    """Published slots offered to the Bapas and their free seats."""
    return _totals(user)
