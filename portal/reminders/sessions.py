"""Reminders that come from sessions: a session left without an outcome, and a violation
record waiting for the PK to propose the team (Pedoman 2.3.3: the team examines within 7 days
of the record; shown red once that day has passed)."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from portal import clock, policy
from portal.extensions import db
from portal.models import Client, ConductCase, Placement, Slot, User
from portal.models.work_session import WorkSession
from portal.reminders.kinds import Reminder
from portal.sessions import rules
from portal.statuses import ClientStatus
from portal.supervision.rules import TEAM_DAYS


def session_reminders(user: User) -> list[Reminder]:
    """Sessions before today without an outcome (PJ, OPD admin: their sites; PK: his clients)."""
    today = clock.today()
    query = (
        select(WorkSession.session_date, WorkSession.start, Client.code, Client.id, Slot.title)
        .join(Placement, WorkSession.placement_id == Placement.id)
        .join(Slot, Placement.slot_id == Slot.id)
        .join(Client, Placement.client_id == Client.id)
        .where(
            WorkSession.outcome.is_(None),
            WorkSession.status == rules.PLANNED,
            WorkSession.session_date <= rules.overdue_until(today),
            Client.status != ClientStatus.CLOSED,
        )
        .order_by(WorkSession.session_date)
    )
    if policy.on_opd_side(user):
        query = query.where(policy.placements_at_my_sites_scope(user))
        url = url_for("sessions.roster")
    elif policy.is_pk(user):
        query = query.where(policy.clients_scope(user))
        url = ""
    else:
        return []
    found = []
    for day, start, code, client_id, title in db.session.execute(query.limit(200)):
        link = url or url_for("sessions.calendar", client_id=client_id)
        found.append(
            Reminder(
                "session",
                f"Sesi {code} {day:%d-%m-%Y} belum ada hasilnya",
                f"{start:%H:%M} · {title}",
                link,
                day,
                urgent=(today - day).days >= 2,
            )
        )
    return found


def team_reminders(user: User) -> list[Reminder]:
    """Violation records on which no team was proposed yet: "propose the team"."""
    if not policy.on_bapas_side(user):
        return []
    today = clock.today()
    rows = db.session.execute(
        select(ConductCase.id, ConductCase.occurred_on, ConductCase.category, Client.full_name)
        .join(Client, ConductCase.client_id == Client.id)
        .where(
            policy.clients_scope(user),
            ConductCase.kind == "violation",
            ConductCase.status == "recorded",
            Client.status != ClientStatus.CLOSED,
        )
    )
    found = []
    for case_id, occurred_on, category, name in rows:
        due = occurred_on + timedelta(days=TEAM_DAYS)
        late = due < today
        found.append(
            Reminder(
                "propose_team",
                f"Usulkan tim pemeriksa: {name}"
                + (" (terlambat)" if late else f" paling lambat {due:%d-%m-%Y}"),
                "Pelanggaran dari sesi kerja" if category == "absence" else "Pelanggaran",
                url_for("supervision.conduct", case_id=case_id),
                due,
                urgent=late,
            )
        )
    return found
