"""Demo slots: realistic but plainly fictitious work places of several Ngawi OPDs.

Idempotent: a slot is found by its title and OPD and left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.demo import data
from portal.extensions import db
from portal.models import Opd, Role, Slot, User
from portal.models.base import utcnow
from portal.slots.services import agreement_for_opd

# One mapping per slot: the OPD's code, the Slot columns, and the schedule as
# [weekdays, start, end] windows (seeds/demo/slots.yaml).
DEMO_SLOTS: list[dict[str, Any]] = data.load("slots")


def build_demo_slots() -> None:
    """Create the demo slots that do not exist yet."""
    today = clock.today()
    supervisor = db.session.scalar(select(User).where(User.username == "pj.dinsos"))
    for item in DEMO_SLOTS:
        opd_code, title = item["opd"], item["title"]
        opd = db.session.scalar(select(Opd).where(Opd.code == opd_code))
        if opd is None:
            continue
        if db.session.scalar(select(Slot.id).where(Slot.title == title, Slot.opd_id == opd.id)):
            continue
        agreement = agreement_for_opd(opd)
        if agreement is None or agreement.signed_on is None:
            continue
        admin = db.session.scalar(
            select(User).where(User.opd_id == opd.id, User.role == Role.OPD_ADMIN)
        )
        until = agreement.effective_valid_until or date(today.year, 12, 31)
        values: dict[str, Any] = {
            "opd_id": opd.id,
            "agreement_id": agreement.id,
            "schedule": [
                w for days, start, end in item["schedule"] for w in data.week(days, start, end)
            ],
            # From well before today (the story's placements started weeks ago) to the
            # agreement's end, months ahead (the demo addendum keeps it in force).
            "valid_from": max(agreement.signed_on, today - timedelta(days=200)),
            "valid_until": until,
            "supervisor_name": f"Penanggung Jawab {opd.short_name} (Demo)",
            "supervisor_position": "Pengawas lapangan",
            "supervisor_phone": "0800-0000-0000",
            "facilities": [*item["facilities"], "complaint_channel"],
            "complaint_contact": f"Kotak pengaduan di kantor {opd.short_name}; "
            "telepon 0800-0000-0001 (Demo)",
            "unpaid_confirmed": True,
            "status": "published",
            "created_by_id": admin.id if admin else None,
            "description": "Data contoh untuk mencoba portal; bukan lokasi sebenarnya.",
        }
        # The slot's own columns (title, category, ..., a status other than published).
        values.update({k: v for k, v in item.items() if k not in ("opd", "schedule", "facilities")})
        if opd_code == "NGAWI-DINSOS" and supervisor is not None:
            # The demo PJ of Dinas Sosial supervises its sites (he verifies attendance there).
            values["supervisor_user_id"] = supervisor.id
            values["supervisor_name"] = supervisor.full_name
        slot = Slot(**values)
        if slot.status == "published":
            slot.published_at = utcnow()
        db.session.add(slot)
    db.session.flush()
