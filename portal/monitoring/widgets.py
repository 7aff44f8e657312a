"""Dashboard widgets of the monitoring area (Setda, Kepala Bapas, admin)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import g

from portal import clock, policy
from portal.agreements.services import list_agreements, ranked_agreements
from portal.agreements.validity import WARNING_STEPS, states_counted
from portal.dashboard.widgets import SHOWN, widget
from portal.extensions import db
from portal.models import User
from portal.monitoring import facts, indicators, services, workplan


def _progress(agreements: list[Any], today: Any) -> dict[int, list[workplan.ActivityProgress]]:
    """The agreements' Rencana Kerja progress, computed once per request for all widgets
    (the reports of every agreement not yet computed read in one query)."""
    cache = g.setdefault("workplan_progress", {})
    missing = [a for a in agreements if a.id not in cache]
    if missing:
        cache.update(workplan.workplans_progress(db.session, missing, today))
    return {a.id: cache[a.id] for a in agreements}


@widget("monitoring/_widget_agreements.html", shown_to="monitoring.view", order=5)
def monitoring_agreements(user: User) -> dict[str, Any]:
    """Validity of the monitored agreements that most need attention (ended, then in their
    60/30/7-day warning period), with how many are in each state."""
    ranked = ranked_agreements(user)  # those he monitors: the widget is for monitors only
    return {
        "rows": [
            {"agreement": a, "validity": v, "step": v.warning_step} for a, v in ranked[:SHOWN]
        ],
        "total": len(ranked),
        "states": states_counted(v for _, v in ranked),
        "steps": WARNING_STEPS,
    }


@widget("monitoring/_widget_indicators.html", shown_to="monitoring.view", order=10)
def monitoring_indicators(user: User) -> dict[str, Any]:
    """This year's headline indicators over all monitored agreements."""
    selection = services.select_scope(user)
    if not selection.chosen:
        return {"view": None, "year": clock.today().year}
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    return {"view": view, "year": clock.today().year}


@widget("monitoring/_widget_workplan.html", shown_to="monitoring.view", order=20)
def monitoring_workplan(user: User) -> dict[str, Any]:
    """Traffic-light counts of the signed agreements' Rencana Kerja, those with the most
    activities behind (not started or lagging) first."""
    today = clock.today()
    planned = [a for a in services.monitored_agreements(user) if a.activities]
    progress = _progress(planned, today)
    counts = {a.id: Counter(p.status for p in progress[a.id]) for a in planned}
    planned.sort(key=lambda a: -(counts[a.id]["not_started"] + counts[a.id]["lagging"]))
    rows = [{"agreement": a, "counts": counts[a.id], "total": len(progress[a.id])} for a in planned]
    return {"rows": rows[:SHOWN], "planned": len(rows), "statuses": workplan.STATUSES}


@widget("monitoring/_widget_my_activities.html", shown_to="workplan.own_activities", order=25)
def my_workplan_activities(user: User) -> dict[str, Any]:
    """Rencana Kerja activities the user reports on, with their status."""
    today = clock.today()
    mine = {
        agreement: [a for a in agreement.activities if policy.can_report_workplan(user, a)]
        for agreement in list_agreements(user)
    }
    reporting = [agreement for agreement, activities in mine.items() if activities]
    progress = _progress(reporting, today)
    rows = [
        p
        for agreement in reporting
        for p in progress[agreement.id]
        if p.activity in mine[agreement]
    ]
    return {"rows": rows}
