"""Change of place or time of a placed client (NK Pasal 14: force majeure and the like).

The PK proposes a new slot and/or schedule with a reason; the receiving OPD
(the new slot's, or the same slot's for a new schedule) agrees or refuses.
Agreed, the hours served and the history stay: a new schedule re-plans the
same placement from tomorrow (the past is never touched); a new place ends
the old placement today, cancels its future sessions, and starts a new
accepted placement tomorrow whose sessions carry on with what is still owed.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from portal import audit, clock, policy
from portal.attendance.services import WORKING, client_ledger, ensure_case_open, ensure_step
from portal.extensions import db
from portal.locking import lock_slot
from portal.matching.profiles import schedule_windows, windows_from_dicts, windows_to_dicts
from portal.models import Placement, PlacementStatus, Slot, User
from portal.models.base import utcnow
from portal.models.work_session import PlacementChange
from portal.refusals import Refused, RuleViolation
from portal.sessions.services import cancel_future_sessions, generate_sessions

CAPACITY_FULL = "CAPACITY_FULL"
NOT_PROPOSED = "NOT_PROPOSED"


def can_decide(user: User, change: PlacementChange) -> bool:
    """The OPD admin of the receiving slot's OPD."""
    return (
        policy.may(user, "placement.decide")
        and user.opd_id is not None
        and change.new_slot.opd_id == user.opd_id
    )


def propose_change(
    placement: Placement,
    new_slot_id: int | None,
    schedule: list[dict[str, Any]],
    reason: str,
    user: User,
) -> PlacementChange:
    """The PK proposes a new place and/or time for a working placement."""
    ensure_case_open(placement.client)
    fields: dict[str, list[str]] = {}
    if placement.status not in WORKING:
        fields["placement"] = ["Hanya penempatan yang sedang berjalan yang dapat dipindah."]
    windows = schedule_windows(schedule, fields)
    if len(reason.strip()) < 10:
        fields["reason"] = ["Tuliskan alasannya (minimal 10 karakter), mis. keadaan kahar."]
    slot = db.session.get(Slot, new_slot_id) if new_slot_id else placement.slot
    if (
        slot is None
        or slot.status != "published"
        or slot.agreement.bapas_id != placement.client.bapas_id
    ):
        fields["new_slot_id"] = ["Pilih lokasi kerja terbit dalam kesepakatan Bapas ini."]
    same = slot is not None and slot.id == placement.slot_id
    if (
        same
        and windows
        and windows_to_dicts(windows) == windows_to_dicts(windows_from_dicts(placement.schedule))
    ):
        fields["schedule"] = ["Tempat dan jadwal sama dengan yang sekarang."]
    if fields:
        raise Refused(fields)
    assert slot is not None
    change = PlacementChange(
        placement_id=placement.id,
        new_slot_id=slot.id,
        schedule=windows_to_dicts(windows),
        reason=reason.strip(),
        status="proposed",
        proposed_by_id=user.id,
    )
    return audit.saved(
        change,
        "placement_change_proposed",
        user,
        about=placement,
        id_key="change_id",
        new_slot_id=slot.id,
    )


def decide_change(
    change: PlacementChange, accept: bool, reason: str, user: User
) -> PlacementChange:
    """The receiving OPD agrees (the change takes effect) or refuses with a reason."""
    placement = change.placement
    ensure_step(
        placement.client,
        change.status == "proposed" and placement.status in WORKING,
        NOT_PROPOSED,
        "Usulan ini sudah diputus atau penempatan berakhir.",
    )
    reason = reason.strip()
    if not accept and len(reason) < 5:
        raise Refused({"decision_reason": ["Tuliskan alasan penolakan."]})
    change.decided_by_id = user.id
    change.decided_at = utcnow()
    change.decision_reason = reason
    if not accept:
        change.status = "refused"
        audit.note(placement, "placement_change_refused", user)
        return change
    if change.new_slot_id == placement.slot_id:
        placement.schedule = list(change.schedule)
        db.session.flush()
        generate_sessions(placement, user)
    else:
        change.new_placement_id = _move(placement, change, user).id
    change.status = "agreed"
    audit.note(
        placement,
        "placement_change_agreed",
        user,
        change_id=change.id,
        new_placement_id=change.new_placement_id,
    )
    return change


def _move(placement: Placement, change: PlacementChange, user: User) -> Placement:
    from portal.placements.engine import occupied_counts  # the placements package imports this

    slot = lock_slot(change.new_slot_id)
    assert slot is not None
    if occupied_counts([slot.id]).get(slot.id, 0) >= slot.capacity:
        raise Refused(violations=[RuleViolation(CAPACITY_FULL, "Kuota lokasi tujuan sudah penuh.")])
    today = clock.today()
    client = placement.client
    # The old placement ran until today: its future sessions are cancelled, its past stays.
    placement.status = PlacementStatus.ENDED
    placement.ended_at = utcnow()
    placement.end_reason = f"Dipindahkan ke {slot.title} (NK Pasal 14): {change.reason}"
    placement.deadline = max(today, placement.start_date)
    cancel_future_sessions(placement, "Dipindahkan ke lokasi lain.", user)
    owed_hours = math.ceil(client_ledger(client).minutes_owed / 60)
    moved = Placement(
        client_id=client.id,
        slot_id=slot.id,
        status=PlacementStatus.ACCEPTED,
        start_date=today + timedelta(days=1),
        deadline=client.deadline,
        schedule=list(change.schedule),
        hours_planned=owed_hours,
        booked_by_id=change.proposed_by_id,
        decided_by_id=user.id,
        decided_at=utcnow(),
        decision_reason=f"Pemindahan (NK Pasal 14): {change.reason}",
    )
    db.session.add(moved)
    db.session.flush()
    generate_sessions(moved, user)
    return moved


def pending_for(user: User) -> list[PlacementChange]:
    """Proposals waiting for the user's OPD."""
    if not policy.may(user, "placement.decide") or user.opd_id is None:
        return []
    return list(
        db.session.scalars(
            select(PlacementChange)
            .join(Slot, PlacementChange.new_slot_id == Slot.id)
            .where(Slot.opd_id == user.opd_id, PlacementChange.status == "proposed")
            .order_by(PlacementChange.proposed_at)
        )
    )


def can_propose(user: User, placement: Placement) -> bool:
    """The client's PK (or the Kepala Bapas of his Bapas)."""
    return policy.may(user, "placement.book") and policy.can_see_placement(user, placement)
