"""Attendance endpoints of the API (shared/API.md): record a day, verify it.

They call the same services as the web pages, so every rule (8 hours a day
across placements, hours owed, period and deadline, overlap, closed case)
answers with the same codes.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from portal import policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import DATE, TIME, json_body, to_date, to_time
from portal.attendance.services import AttendanceInput, record_attendance, verify_attendance
from portal.models import Attendance, Placement

bp = Blueprint("attendance", __name__)

openapi.schema(
    "AttendanceCreate",
    {
        "type": "object",
        "required": ["date", "time_in", "time_out"],
        "additionalProperties": False,
        "properties": {
            "date": DATE,
            "time_in": TIME,
            "time_out": TIME,
            "activity": {"type": "string", "maxLength": 500},
        },
    },
)
openapi.schema(
    "Attendance",
    {
        "type": "object",
        "required": ["id", "placement_id", "date", "time_in", "time_out", "hours", "verified"],
        "properties": {
            **openapi.typed("integer", "id", "placement_id"),
            **openapi.typed("string", "date", format="date"),
            **openapi.typed("string", "time_in", "time_out", "activity"),
            **openapi.typed("boolean", "verified"),
            "hours": {"type": "number", "description": "Jam desimal, mis. 4.5"},
            "verified_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
)


def attendance_json(record: Attendance) -> dict[str, Any]:
    """The API's view of a record (no client identity in it)."""
    return {
        "id": record.id,
        "placement_id": record.placement_id,
        "date": record.work_date.isoformat(),
        "time_in": f"{record.time_in:%H:%M}",
        "time_out": f"{record.time_out:%H:%M}",
        "hours": round(record.minutes / 60, 2),
        "activity": record.activity,
        "verified": record.verified,
        "verified_at": record.verified_at.isoformat() if record.verified_at else None,
    }


@bp.post("/placements/<int:placement_id>/attendance")
@require_api("attendance.record")
@openapi.doc(
    "Catat kehadiran satu hari",
    description=(
        "Kehadiran belum diverifikasi. Ditolak (422, details.rules) dengan kode "
        "DAILY_HOURS_EXCEEDED, TOTAL_HOURS_EXCEEDED, DEADLINE_EXCEEDED, BEFORE_START, "
        "FUTURE_DATE, TIME_ORDER, ATTENDANCE_OVERLAP, PLACEMENT_NOT_ACTIVE, CASE_CLOSED."
    ),
    body="AttendanceCreate",
    responses={201: "Attendance"},
)
def create_attendance(placement_id: int) -> tuple[dict[str, Any], int]:
    """Record a day's work on a placement."""
    placement = visible(Placement, placement_id, policy.can_see_placement)
    data = json_body("AttendanceCreate")
    entry = AttendanceInput(
        to_date(data["date"]),  # type: ignore[arg-type]
        to_time(data["time_in"]),  # type: ignore[arg-type]
        to_time(data["time_out"]),  # type: ignore[arg-type]
        data.get("activity", ""),
    )
    record = record_attendance(placement, entry, api_user())
    return attendance_json(record), 201


@bp.post("/attendance/<int:attendance_id>/verify")
@require_api("attendance.verify")
@openapi.doc(
    "Verifikasi kehadiran",
    description="Hanya jam yang terverifikasi dihitung sebagai pidana yang telah dijalani.",
    responses={200: "Attendance"},
    errors=(422,),
)
def verify(attendance_id: int) -> dict[str, Any]:
    """Mark a record verified (PJ lokasi or OPD admin of the slot's OPD)."""
    record = visible(
        Attendance, attendance_id, lambda u, r: policy.can_see_placement(u, r.placement)
    )
    verify_attendance(record, api_user())
    return attendance_json(record)
