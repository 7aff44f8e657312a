"""Demo sessions: the demo placements' sessions as they were planned on their first day.

The attendance and client builders call ``plan_from_start`` before they record
the past weeks' attendance, so each recorded day fills its planned session
(``attach_attendance``) as on a real site; a day left empty stays a session
without outcome (overdue for the PK and the Kepala Bapas). ``build_demo_sessions``
runs last and re-plans every running placement from today (in one batch), as the portal does
after any change. Both go through ``generate_sessions`` (the clock set back to
the placement's first day for the past), so every rule of a plan holds.
Idempotent: a placement that has sessions before today is not planned again
from its start, and a plan that has not changed is left as it is.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal import clock
from portal.attendance.services import WORKING
from portal.extensions import db
from portal.models import Client, Placement
from portal.models.work_session import WorkSession
from portal.sessions.services import generate_many, generate_sessions
from portal.statuses import ClientStatus


def plan_from_start(placement: Placement) -> None:
    """Plan the placement's sessions as on its first day, when it started before today."""
    today = clock.today()
    if placement.start_date >= today or placement.status not in WORKING:
        return
    earlier = db.session.scalar(
        select(func.count(WorkSession.id)).where(
            WorkSession.placement_id == placement.id, WorkSession.session_date < today
        )
    )
    if earlier:
        return
    with clock.frozen_at(placement.start_date):
        generate_sessions(placement)


def build_demo_sessions() -> None:
    """Every running demo placement planned from today to its deadline."""
    running = db.session.scalars(
        select(Placement)
        .join(Client, Placement.client_id == Client.id)
        .where(Placement.status.in_(WORKING), Client.status != ClientStatus.CLOSED)
        .order_by(Placement.id)
    ).all()
    generate_many(list(running))
    db.session.flush()
