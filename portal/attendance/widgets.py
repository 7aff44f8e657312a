"""Dashboard widgets of the attendance area: today's work for the OPD side, the PK's clients."""

from __future__ import annotations

from typing import Any

from portal import clock
from portal.dashboard.widgets import widget
from portal.models import User


@widget("attendance/_widget_today.html", shown_to="attendance.verify", order=5)
def attendance_today(user: User) -> dict[str, Any]:
    """How many clients are scheduled today at the user's sites and how many records wait."""
    from portal.attendance.routes import scheduled_today
    from portal.reminders.services import reminder_counts

    waiting = reminder_counts(user).get("verify", 0)
    return {"scheduled": scheduled_today(user), "waiting": waiting, "day": clock.today()}


@widget("supervision/_widget_pk.html", shown_to="supervision.manage", order=5)
def supervision_attention(user: User) -> dict[str, Any]:
    """What needs the Bapas's attention: reminders by kind."""
    from portal.reminders.kinds import KIND_LABELS
    from portal.reminders.services import reminder_counts

    return {"counts": reminder_counts(user), "labels": KIND_LABELS}
