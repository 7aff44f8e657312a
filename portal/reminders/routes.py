"""The reminders page and the navbar count."""

from __future__ import annotations

from typing import Any

from flask import g, render_template
from flask_login import current_user

from portal import policy
from portal.reminders import bp
from portal.reminders.services import KIND_LABELS, reminders_for
from portal.web import require


def _mine() -> list[Any]:
    """The signed-in user's reminders, computed once per request."""
    if "reminders" not in g:
        g.reminders = reminders_for(current_user)
    return g.reminders


@bp.route("/")
@require("reminder.view")
def index() -> str:
    """Everything waiting for the user, grouped by kind."""
    groups: dict[str, list[Any]] = {}
    for r in _mine():
        groups.setdefault(r.kind, []).append(r)
    return render_template("reminders/index.html", groups=groups, labels=KIND_LABELS)


@bp.app_context_processor
def _reminder_badge() -> dict[str, Any]:
    """``reminder_count()`` for the navbar; lazy, so pages that do not show it pay nothing."""

    def reminder_count() -> int | None:
        if not current_user.is_authenticated or not policy.may(current_user, "reminder.view"):
            return None
        return len(_mine())

    return {"reminder_count": reminder_count}
