"""Booking a client into a slot, and the placement's life: booked → accepted | declined →
active → completed | ended.

``book_placement`` re-checks every hard rule on the server and takes the seat
atomically: the slot row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL), the
placement is inserted, and the seats are counted again inside the same
transaction, after the lock and the insert. On SQLite the insert takes the
database's write lock, so a concurrent booking waits and then counts ours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from portal import audit, clock
from portal.codes import FACILITIES, RISKS, SPECIAL_NEED_REQUIREMENTS
from portal.extensions import db
from portal.locking import lock_client, lock_slot, refresh
from portal.matching.profiles import PlacementRequest, schedule_windows, windows_to_dicts
from portal.matching.ranking import SlotTable, evaluate
from portal.matching.rules import check_placement, need_label
from portal.models import Client, Placement, PlacementStatus, User
from portal.models.base import utcnow
from portal.notifications import service as notifications
from portal.placements.engine import (
    client_needs,
    client_profile,
    occupied_counts,
    slot_profile,
    thresholds,
)
from portal.refusals import Refused
from portal.sessions.services import generate_sessions

STATUS_LABELS: dict[str, str] = {
    PlacementStatus.BOOKED: "Menunggu konfirmasi OPD",
    PlacementStatus.ACCEPTED: "Diterima OPD",
    PlacementStatus.DECLINED: "Ditolak OPD",
    PlacementStatus.ACTIVE: "Sedang berjalan",
    PlacementStatus.COMPLETED: "Selesai",
    PlacementStatus.ENDED: "Dihentikan",
}
STATUS_COLOURS: dict[str, str] = {
    PlacementStatus.BOOKED: "warning",
    PlacementStatus.ACCEPTED: "success",
    PlacementStatus.DECLINED: "danger",
    PlacementStatus.ACTIVE: "primary",
    PlacementStatus.COMPLETED: "secondary",
    PlacementStatus.ENDED: "dark",
}
# Which status may follow which, and which role family moves it.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlacementStatus.BOOKED: (PlacementStatus.ACCEPTED, PlacementStatus.DECLINED),
    PlacementStatus.ACCEPTED: (PlacementStatus.ACTIVE, PlacementStatus.ENDED),
    PlacementStatus.ACTIVE: (PlacementStatus.COMPLETED, PlacementStatus.ENDED),
}


def holding_placement(client: Client) -> Placement | None:
    """The client's placement that holds a seat, if any."""
    return db.session.scalar(
        select(Placement).where(
            Placement.client_id == client.id,
            Placement.status.in_(PlacementStatus.SEAT_HOLDING),
        )
    )


def book_placement(
    client: Client,
    slot_id: int,
    start_date: date | None,
    schedule: list[dict[str, Any]],
    actor: User,
) -> Placement:
    """Book ``client`` into the slot with a weekly schedule, re-checking every rule."""
    lock_client(client.id)  # one seat-holding placement per client, checked under the lock
    fields: dict[str, list[str]] = {}
    if start_date is None:
        fields["start_date"] = ["Wajib diisi."]
    windows = schedule_windows(schedule, fields)
    current = holding_placement(client)
    if current is not None:
        fields["client_id"] = [
            f"Klien sudah memiliki penempatan ({STATUS_LABELS[current.status].lower()}) "
            f"di {current.slot.title}."
        ]
    if fields:
        raise Refused(fields)
    assert start_date is not None

    slot = lock_slot(slot_id)
    if slot is None or slot.agreement.bapas_id != client.bapas_id:
        raise Refused.not_found("Slot tidak ditemukan.")

    profile = client_profile(client)
    hours = math.ceil(profile.hours_remaining)
    request = PlacementRequest(start_date=start_date, schedule=windows, hours_planned=hours)
    occupied = occupied_counts([slot.id]).get(slot.id, 0)
    sp = slot_profile(slot, occupied)
    violations = check_placement(profile, sp, request, today=clock.today(), thresholds=thresholds())
    if violations:
        if [v.code for v in violations] == ["CAPACITY_FULL"]:
            raise Refused.capacity_full()
        raise Refused(violations=violations)

    score = float(evaluate(profile, SlotTable.build([sp]), clock.today(), thresholds()).scores[0])
    placement = Placement(
        client_id=client.id,
        slot_id=slot.id,
        status=PlacementStatus.BOOKED,
        start_date=start_date,
        deadline=client.deadline,
        schedule=windows_to_dicts(windows),
        hours_planned=hours,
        score=score,
        booked_by_id=actor.id,
    )
    over = False
    with db.session.begin_nested() as savepoint:
        db.session.add(placement)
        db.session.flush()
        # Counted again after our insert, inside the transaction that holds the lock.
        if occupied_counts([slot.id]).get(slot.id, 0) > slot.capacity:
            over = True
            savepoint.rollback()
    if over:
        raise Refused.capacity_full()
    client.status = "placed"
    audit.record(
        "placement_booked", "placement", placement.id, client_code=client.code, slot_id=slot.id
    )
    notifications.booking_requested(placement)
    return placement


def decide_placement(placement: Placement, accept: bool, reason: str, actor: User) -> Placement:
    """The OPD accepts or declines a booking; declining needs a reason and frees the seat."""
    reason = (reason or "").strip()
    lock_client(placement.client_id)  # two decisions at once: the second sees the first
    refresh(placement)
    if placement.status != PlacementStatus.BOOKED:
        raise Refused.conflict(
            "already_decided",
            f"Penempatan ini sudah {STATUS_LABELS[placement.status].lower()}.",
        )
    if not accept and not reason:
        raise Refused({"reason": ["Alasan penolakan wajib diisi."]})
    if len(reason) > 1000:
        raise Refused({"reason": ["Maksimal 1000 karakter."]})
    placement.status = PlacementStatus.ACCEPTED if accept else PlacementStatus.DECLINED
    placement.decided_by_id = actor.id
    placement.decided_at = utcnow()
    placement.decision_reason = reason
    if not accept:
        placement.client.status = "registered"
    audit.note(placement, "placement_accepted" if accept else "placement_declined", reason=reason)
    # Accepted: its work days are planned; declined: nothing was planned.
    generate_sessions(placement, actor)
    notifications.booking_decided(placement)
    return placement


def change_status(placement: Placement, status: str, reason: str, actor: User) -> Placement:
    """The PK starts (accepted → active), completes or ends a placement."""
    reason = (reason or "").strip()
    lock_client(placement.client_id)
    refresh(placement)
    allowed = TRANSITIONS.get(placement.status, ())
    if status not in allowed or status in (PlacementStatus.ACCEPTED, PlacementStatus.DECLINED):
        raise Refused(
            {"status": [f"Tidak dapat mengubah status dari '{STATUS_LABELS[placement.status]}'."]}
        )
    if status == PlacementStatus.ENDED and not reason:
        raise Refused({"reason": ["Alasan penghentian wajib diisi."]})
    placement.status = status
    if status in (PlacementStatus.COMPLETED, PlacementStatus.ENDED):
        placement.ended_at = utcnow()
        placement.end_reason = reason
    placement.client.status = {
        PlacementStatus.ACTIVE: "active",
        PlacementStatus.COMPLETED: "completed",
        PlacementStatus.ENDED: "registered",
    }[status]
    audit.note(placement, f"placement_{status}", reason=reason)
    # Completed or ended: the planned days after today are cancelled (the past stays).
    generate_sessions(placement, actor)
    return placement


@dataclass(frozen=True)
class SiteNeed:
    """A special need that concerns the site, as the OPD reads it (no diagnosis)."""

    label: str
    requires: list[str]


def site_needs(client: Client) -> list[SiteNeed]:
    """Special needs that ask something of the site; the OPD sees these, nothing else."""
    out = []
    for need in sorted(client_needs(client)):
        req = SPECIAL_NEED_REQUIREMENTS.get(need)
        if not req or not (req["facilities"] or req["forbidden_risks"]):
            continue
        requires = [FACILITIES[f] for f in req["facilities"]]
        requires += [f"tanpa {RISKS[r].lower()}" for r in req["forbidden_risks"]]
        out.append(SiteNeed(need_label(need), requires))
    return out
