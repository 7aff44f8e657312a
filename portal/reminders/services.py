"""What waits for a user: attendance to verify, bookings to answer, evaluations due,
team deadlines, deadlines the pace will miss, recommendations and closures to sign.

A handful of queries per user (ledgers are computed in one batch), so the
navbar count can be shown on every page.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from portal import cache, clock, policy
from portal.attendance.services import LIVE, WORKING, ledgers_for
from portal.extensions import db
from portal.models import (
    Assessment,
    Attendance,
    Client,
    ConductCase,
    Placement,
    Slot,
    User,
)
from portal.models.placement import with_slot_and_client
from portal.reminders.kinds import Reminder
from portal.reminders.sessions import session_reminders, team_reminders
from portal.statuses import ClientStatus
from portal.supervision import rules
from portal.web import url_pattern


def reminders_for(user: User) -> list[Reminder]:
    """The user's reminders, computed once per request and kept briefly (``portal.cache``:
    any saved change starts afresh), as the dashboard, the navbar and the page all ask."""
    return cache.cached(
        "reminders", f"{user.id}:{clock.today().isoformat()}", lambda: _compute(user)
    )


def reminder_counts(user: User) -> dict[str, int]:
    """How many of the user's reminders there are of each kind (the dashboard's widgets),
    kept like the reminders: a few numbers to read back instead of every reminder."""

    def count() -> dict[str, int]:
        return dict(Counter(r.kind for r in reminders_for(user)))

    return cache.cached("reminder_counts", f"{user.id}:{clock.today().isoformat()}", count)


def _compute(user: User) -> list[Reminder]:
    """Everything waiting for ``user``, most urgent first."""
    found: list[Reminder] = []
    if policy.on_opd_side(user):
        found += _attendance_to_verify(user)
    if policy.may(user, "placement.decide"):
        found += _bookings_to_answer(user)
    if policy.on_bapas_side(user):
        found += _bapas_reminders(user)
    found += session_reminders(user) + team_reminders(user)
    return sorted(found, key=lambda r: (not r.urgent, r.due or date.max, r.kind))


def _attendance_to_verify(user: User) -> list[Reminder]:
    # Plain columns, not records: one query however many records wait.
    columns = (
        Attendance.placement_id,
        Attendance.work_date,
        Attendance.time_in,
        Attendance.time_out,
        Client.code,
        Slot.title,
    )
    waiting = select(*columns).join(Placement, Attendance.placement_id == Placement.id)
    rows = db.session.execute(
        with_slot_and_client(waiting)
        .where(
            policy.placements_at_my_sites_scope(user),
            LIVE,
            Attendance.verified.is_(False),
            Client.status != ClientStatus.CLOSED,
        )
        .order_by(Attendance.work_date)
    )
    today = clock.today()
    return [
        Reminder(
            "verify",
            f"Verifikasi kehadiran {code}",
            f"{work_date:%d-%m-%Y} {time_in:%H:%M}–{time_out:%H:%M} · {title}",
            url_for("attendance.placement", placement_id=placement_id),
            work_date,
            urgent=(today - work_date).days >= 3,
        )
        for placement_id, work_date, time_in, time_out, code, title in rows
    ]


def _bookings_to_answer(user: User) -> list[Reminder]:
    rows = db.session.scalars(
        select(Placement)
        .join(Slot, Placement.slot_id == Slot.id)
        .where(Slot.opd_id == user.opd_id, Placement.status == "booked")
        .options(contains_eager(Placement.slot), joinedload(Placement.client))
        .order_by(Placement.booked_at)
    )
    return [
        Reminder(
            "booking",
            f"Jawab pemesanan {p.client.code}",
            f"{p.slot.title} · mulai {p.start_date:%d-%m-%Y}",
            _decision_url(p.id),
            p.start_date,
            urgent=p.start_date <= clock.today() + timedelta(days=3),
        )
        for p in rows
    ]


def _decision_url(placement_id: int) -> str:
    """Where the OPD answers a booking: the placement page of issue 7 once it is merged."""
    if "placements.detail" in current_app.view_functions:
        return url_for("placements.detail", placement_id=placement_id)
    return url_for("attendance.placement", placement_id=placement_id)


def _bapas_reminders(user: User) -> list[Reminder]:
    today = clock.today()
    # The columns the reminders read, not whole records: a Bapas has thousands of clients.
    # The user's open cases; the queries below read this statement, not a list of thousands
    # of ids (a Kepala Bapas's 2,000).
    mine = select(Client.id).where(policy.clients_scope(user), Client.status != ClientStatus.CLOSED)
    if policy.is_pk(user):
        mine = mine.where(Client.pk_id == user.id)
    query = mine.add_columns(
        Client.code,
        Client.full_name,
        Client.start_date,
        Client.deadline,
        Client.hours_ordered,
    )
    clients: list[Any] = list(db.session.execute(query))
    if not clients:
        return []
    by_id = {c.id: c for c in clients}
    ledgers = ledgers_for(clients, absences=False, within=mine)
    done: dict[int, set[str]] = {c.id: set() for c in clients}
    for client_id, kind in db.session.execute(
        select(Assessment.client_id, Assessment.kind).where(
            Assessment.client_id.in_(mine), Assessment.kind.in_(rules.ONCE_ONLY_KINDS)
        )
    ):
        if client_id in done:
            done[client_id].add(kind)
    working = set(
        db.session.scalars(
            select(Placement.client_id).where(
                Placement.client_id.in_(mine), Placement.status.in_(WORKING)
            )
        )
    )
    found: list[Reminder] = []
    pk = policy.is_pk(user)
    supervision = url_pattern("supervision.client", "client_id")  # the route built once
    for c in clients:
        ledger = ledgers[c.id]
        page = supervision(c.id)
        if pk and c.id in working:
            for e in rules.evaluations_due(
                c.start_date,
                c.deadline,
                ledger.minutes_ordered,
                ledger.minutes_verified,
                today,
                done[c.id],
            ):
                found.append(
                    Reminder("evaluation", f"{e.label}: {c.full_name}", c.code, page, e.due_on)
                )
        if ledger.pace_warning and c.id in working:
            found.append(
                Reminder(
                    "pace",
                    f"{c.full_name}: batas akhir {c.deadline:%d-%m-%Y} tidak terkejar",
                    f"sisa {ledger.minutes_owed // 60} jam, {ledger.working_days_left} hari kerja",
                    page,
                    c.deadline,
                    urgent=True,
                )
            )
        if ledger.served:
            found.append(
                Reminder(
                    "closure",
                    f"{c.full_name}: seluruh jam terverifikasi",
                    "Siapkan penilaian akhir dan surat pengakhiran.",
                    url_for("supervision.close", client_id=c.id),
                    today,
                )
            )
    cases = db.session.scalars(
        select(ConductCase).where(
            ConductCase.client_id.in_(mine),
            ConductCase.status.in_(("team_proposed", "decided")),
        )
    )
    for case in cases:
        c = by_id.get(case.client_id)
        if c is None:
            continue  # a case opened after the clients were read
        url = url_for("supervision.conduct", case_id=case.id)
        if case.status == "team_proposed" and case.team_deadline is not None:
            if case.team_deadline <= today + timedelta(days=rules.TEAM_WARNING_DAYS):
                late = case.team_deadline < today
                found.append(
                    Reminder(
                        "team",
                        f"Pemeriksaan tim {c.full_name}"
                        + (
                            " terlambat"
                            if late
                            else f" paling lambat {case.team_deadline:%d-%m-%Y}"
                        ),
                        rules.CONDUCT_KINDS[case.kind],
                        url,
                        case.team_deadline,
                        urgent=True,
                    )
                )
        elif (
            case.status == "decided"
            and case.tpp_outcome == "recommend_jaksa"
            and policy.is_head_of_bapas(user)
        ):
            found.append(
                Reminder(
                    "recommendation",
                    f"Tandatangani rekomendasi kepada Jaksa: {c.full_name}",
                    f"Sidang TPP {case.tpp_session_on:%d-%m-%Y}" if case.tpp_session_on else "",
                    url,
                    case.tpp_session_on,
                )
            )
    return found
