"""Dashboard widgets of the monitoring area (Setda, Kepala Bapas, admin)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import g

from portal import clock, policy
from portal.agreements.services import list_agreements, validity
from portal.agreements.validity import WARNING_STEPS
from portal.dashboard.widgets import widget
from portal.extensions import db
from portal.models import User
from portal.monitoring import facts, indicators, services, workplan


def _progress(agreement: Any, today: Any) -> list[workplan.ActivityProgress]:
    """An agreement's Rencana Kerja progress, computed once per request for all widgets."""
    cache = g.setdefault("workplan_progress", {})
    if agreement.id not in cache:
        cache[agreement.id] = workplan.workplan_progress(db.session, agreement, today)
    return cache[agreement.id]


@widget("monitoring/_widget_agreements.html", shown_to="monitoring.view", order=5)
def monitoring_agreements(user: User) -> dict[str, Any]:
    """Validity of each monitored agreement with the 60/30/7-day warning step reached."""
    rows = []
    for agreement in services.monitored_agreements(user):
        v = validity(agreement)
        rows.append({"agreement": agreement, "validity": v, "step": v.warning_step})
    return {"rows": rows, "steps": WARNING_STEPS}


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
    """Traffic-light counts of each signed agreement's Rencana Kerja."""
    today = clock.today()
    rows = []
    for agreement in services.monitored_agreements(user):
        if not agreement.activities:
            continue
        progress = _progress(agreement, today)
        counts = Counter(p.status for p in progress)
        rows.append({"agreement": agreement, "counts": counts, "total": len(progress)})
    return {"rows": rows, "statuses": workplan.STATUSES}


@widget("monitoring/_widget_my_activities.html", shown_to="workplan.own_activities", order=25)
def my_workplan_activities(user: User) -> dict[str, Any]:
    """Rencana Kerja activities the user reports on, with their status."""
    today = clock.today()
    rows: list[workplan.ActivityProgress] = []
    for agreement in list_agreements(user):
        if not agreement.activities:
            continue
        mine = [a for a in agreement.activities if policy.can_report_workplan(user, a)]
        if not mine:
            continue
        progress = _progress(agreement, today)
        rows.extend(p for p in progress if p.activity in mine)
    return {"rows": rows}
