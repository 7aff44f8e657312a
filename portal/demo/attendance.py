"""Demo data of the attendance area: a few weeks of attendance and PK visits.

Runs after the other areas' builders. It works on whatever demo placements
exist (none is fine) and skips a placement that already has attendance, so it
can run again. Records go through the services, so every rule holds.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal import clock
from portal.attendance.services import (
    WORKING,
    AttendanceInput,
    record_attendance,
    verify_attendance,
)
from portal.demo.sessions import plan_from_start
from portal.demo.visits import has_visits, record_visit
from portal.extensions import db
from portal.models import Attendance, Opd, Placement, Slot, User
from portal.refusals import Refused

DEMO_WEEKS = 3
# Every seventh scheduled day is left empty, to show a possible absence.
ABSENCE_EVERY = 7


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def build_attendance_demo() -> None:
    """Give the demo PJ his Dinas Sosial sites and fill recent weeks of attendance."""
    pj, pk = _user("pj.dinsos"), _user("pk.madiun")
    if pj is None or pk is None:
        return
    dinsos = db.session.scalar(select(Opd).where(Opd.code == "NGAWI-DINSOS"))
    if dinsos is not None:
        for slot in db.session.scalars(
            select(Slot).where(Slot.opd_id == dinsos.id, Slot.supervisor_user_id.is_(None))
        ):
            slot.supervisor_user_id = pj.id
    placements = list(
        db.session.scalars(
            select(Placement).where(Placement.status.in_(WORKING)).order_by(Placement.id)
        )
    )
    for placement in placements:
        has_work = db.session.scalar(
            select(func.count(Attendance.id)).where(Attendance.placement_id == placement.id)
        )
        if has_work:
            continue
        verifier = pj if placement.slot.supervisor_user_id == pj.id else None
        # The sessions as planned on the first day: each day recorded below fills its own.
        plan_from_start(placement)
        _fill(placement, pk, verifier)
        _visit(placement, pk)
    db.session.flush()


def _fill(placement: Placement, recorder: User, verifier: User | None) -> None:
    today = clock.today()
    first = max(placement.start_date, today - timedelta(weeks=DEMO_WEEKS))
    day, n = first, 0
    while day < today:
        windows = [w for w in placement.schedule or [] if int(w["weekday"]) == day.weekday()]
        if windows:
            n += 1
            if n % ABSENCE_EVERY:
                window = windows[0]
                entry = AttendanceInput(
                    day,
                    datetime.strptime(window["start"], "%H:%M").time(),
                    datetime.strptime(window["end"], "%H:%M").time(),
                    placement.slot.tasks or placement.slot.title,
                )
                # A day the rules refuse (e.g. the hours are all worked) is simply skipped.
                with contextlib.suppress(Refused):
                    record = record_attendance(placement, entry, verifier or recorder)
                    # The last days still wait for the PJ, as on a real site.
                    if verifier is not None and (today - day).days > 3:
                        verify_attendance(record, verifier)
        day += timedelta(days=1)


def _visit(placement: Placement, pk: User) -> None:
    if has_visits(placement) or placement.client.bapas_id != pk.bapas_id:
        return
    on = max(placement.start_date, clock.today() - timedelta(days=7))
    if on > clock.today():
        return
    note = "Kunjungan rutin: klien bekerja rajin, dua kali datang terlambat (demo)."
    record_visit(placement, pk, on, late=True, stage="preparation", note=note)
