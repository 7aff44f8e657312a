"""The reminders page and the navbar count."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, g, render_template, request, session
from flask_login import current_user

from portal import policy
from portal.pagination import page_of
from portal.reminders.kinds import KIND_LABELS
from portal.reminders.services import reminder_counts, reminders_for
from portal.web import require

bp = Blueprint("reminders", __name__, url_prefix="/pengingat")


def _mine() -> list[Any]:
    """The signed-in user's reminders, computed once per request."""
    if "reminders" not in g:
        g.reminders = reminders_for(current_user)
    return g.reminders


# Each kind shows its first items on the overview; one kind alone is paged.
OVERVIEW_ITEMS = 10
PER_PAGE = 50


@bp.route("/")
@require("reminder.view")
def index() -> str:
    """Everything waiting for the user, grouped by kind; ``?jenis=`` pages one kind."""
    groups: dict[str, list[Any]] = {}
    for r in _mine():
        groups.setdefault(r.kind, []).append(r)
    kind = request.args.get("jenis", "")
    if kind in groups:
        page = page_of(groups[kind], PER_PAGE)
        return render_template(
            "reminders/index.html",
            groups={kind: page.items},
            totals={kind: page.total},
            page=page,
            kind=kind,
            labels=KIND_LABELS,
        )
    return render_template(
        "reminders/index.html",
        groups={k: items[:OVERVIEW_ITEMS] for k, items in groups.items()},
        totals={k: len(items) for k, items in groups.items()},
        page=None,
        kind="",
        labels=KIND_LABELS,
    )


# The navbar count is kept in the session this long: counting means reading every
# client's hours, too costly for every page of a Bapas with many clients.
BADGE_SECONDS = 60
BADGE_KEY = "reminder_badge"


@bp.before_app_request
def _forget_badge_after_changes() -> None:
    """A user's own change (any POST) may settle a reminder: count afresh afterwards."""
    if request.method == "POST":
        session.pop(BADGE_KEY, None)


@bp.app_context_processor
def _reminder_badge() -> dict[str, Any]:
    """``reminder_count()`` for the navbar; lazy, so pages that do not show it pay nothing."""

    def reminder_count() -> int | None:
        if not current_user.is_authenticated or not policy.may(current_user, "reminder.view"):
            return None
        cached = session.get(BADGE_KEY)
        now = time.time()
        if "reminders" not in g and cached and cached[0] == current_user.id and cached[2] > now:
            return int(cached[1])
        # The page's own list when it has one; else the kept counts (a few numbers, not
        # every reminder read back).
        count = (
            len(g.reminders) if "reminders" in g else sum(reminder_counts(current_user).values())
        )
        session[BADGE_KEY] = [current_user.id, count, now + BADGE_SECONDS]
        return count

    return {"reminder_count": reminder_count}
