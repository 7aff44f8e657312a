"""Session endpoints of the API (shared/API.md "Sessions") and the client's conduct record.

An outcome may carry an idempotency key (header ``Idempotency-Key`` or body
``key``): a resend with the same key answers the session again without doing
anything twice. An outcome on a session that already has one is a 409 with
the session as it stands.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from portal import audit, policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import TIME, json_body, to_date, to_time
from portal.api.errors import ApiError, validation_error
from portal.extensions import db
from portal.models import Client, ConductCase, Placement
from portal.models.work_session import WorkSession
from portal.refusals import Refused
from portal.sessions import rules, services

bp = Blueprint("sessions", __name__)

openapi.schema(
    "Session",
    {
        "type": "object",
        "required": [
            "id",
            "placement_id",
            "date",
            "start",
            "end",
            "status",
            "outcome",
            "minutes_credited",
        ],
        "properties": {
            **openapi.typed("integer", "id", "placement_id", "minutes_credited"),
            **openapi.typed("string", "date", format="date"),
            **openapi.typed("string", "start", "end", "reason", "reason_code"),
            **openapi.typed("boolean", "makeup"),
            **openapi.typed(["number", "null"], "distance_m"),
            "status": {"type": "string", "enum": list(rules.STATUSES)},
            "outcome": {"type": ["string", "null"], "enum": [*rules.OUTCOMES, None]},
        },
    },
)
openapi.schema(
    "SessionOutcome",
    {
        "type": "object",
        "required": ["outcome"],
        "additionalProperties": False,
        "properties": {
            "outcome": {"type": "string", "enum": list(rules.OUTCOMES)},
            "time_in": TIME,
            "time_out": TIME,
            "activity": {"type": "string", "maxLength": 500},
            "reason": {"type": "string", "maxLength": 1000},
            "reason_code": {"type": "string", "enum": ["", *rules.ABSENCE_REASONS]},
            "client_fault": {"type": "boolean"},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lng": {"type": "number", "minimum": -180, "maximum": 180},
            "key": {"type": "string", "maxLength": 80},
        },
    },
)
openapi.schema(
    "ConductRecord",
    {
        "type": "object",
        "required": ["id", "category", "date", "status"],
        "properties": {
            **openapi.typed("integer", "id"),
            **openapi.typed("string", "kind", "category", "status"),
            **openapi.typed("string", "date", format="date"),
            **openapi.typed(["string", "null"], "team_deadline", format="date"),
        },
    },
)


def session_json(session: WorkSession) -> dict[str, Any]:
    """The API's view of a session (no client identity in it)."""
    return {
        "id": session.id,
        "placement_id": session.placement_id,
        "date": session.session_date.isoformat(),
        "start": f"{session.start:%H:%M}",
        "end": f"{session.end:%H:%M}",
        "status": services.session_status(session),
        "outcome": session.outcome,
        "minutes_credited": services.minutes_credited(session),
        "reason": session.reason,
        "reason_code": session.reason_code,
        "makeup": session.makeup,
        "distance_m": session.distance_m,
    }


def _period() -> tuple[date | None, date | None]:
    problems: dict[str, list[str]] = {}
    found: list[date | None] = []
    for name in ("from", "to"):
        raw = request.args.get(name) or None
        try:
            found.append(to_date(raw))
        except ValueError:
            problems[name] = ["Tanggal tidak sah (format YYYY-MM-DD)."]
            found.append(None)
    if problems:
        raise validation_error(problems)
    return found[0], found[1]


@bp.get("/placements/<int:placement_id>/sessions")
@require_api("placement.view")
@openapi.doc(
    "Sesi kerja terjadwal satu penempatan",
    description="Status: planned, recorded, verified, cancelled.",
    responses={200: openapi.array_of("Session")},
    parameters=[
        openapi.query("from", {"type": "string", "format": "date"}, "Sejak tanggal ini."),
        openapi.query("to", {"type": "string", "format": "date"}, "Sampai tanggal ini."),
    ],
)
def list_sessions(placement_id: int) -> Response:
    """The placement's sessions for the client's Bapas, the slot's OPD and its PJ."""
    if not policy.on_placement_side(api_user()):
        raise ApiError(403)
    placement = visible(Placement, placement_id, policy.can_see_placement)
    first, last = _period()
    rows = services.sessions_of_placement(placement, first, last)
    return jsonify([session_json(s) for s in rows])


@bp.post("/sessions/<int:session_id>/outcome")
@require_api("attendance.record")
@openapi.doc(
    "Catat hasil satu sesi",
    description=(
        "attended (jam datang/pulang, kegiatan), sent_home (alasan, client_fault), "
        "acceptable_absence (reason_code: sick, permit, force_majeure, site_closed), "
        "unacceptable_absence. Jam hadir mengikuti aturan kehadiran (422 dengan kodenya). "
        "Header Idempotency-Key (atau key): kiriman ulang tidak dicatat dua kali. "
        "409 bila sesi sudah punya hasil atau dibatalkan."
    ),
    body="SessionOutcome",
    responses={200: "Session"},
    errors=(409,),
)
def post_outcome(session_id: int) -> Response:
    """Record a session's outcome (PJ or OPD admin of the slot, the client's PK)."""
    session = visible(WorkSession, session_id, services.can_record)
    data = json_body("SessionOutcome")
    key = request.headers.get("Idempotency-Key") or data.get("key")
    entry = services.OutcomeInput(
        outcome=data["outcome"],
        time_in=to_time(data.get("time_in")),
        time_out=to_time(data.get("time_out")),
        activity=data.get("activity", ""),
        reason=data.get("reason", ""),
        reason_code=data.get("reason_code", ""),
        client_fault=data.get("client_fault"),
        lat=data.get("lat"),
        lng=data.get("lng"),
    )
    try:
        services.record_outcome(session, entry, api_user(), key)
    except Refused as refused:
        if refused.status == 409:  # changed meanwhile: show the session as it now is
            refused.details["session"] = session_json(session)
        raise
    return jsonify(session_json(session))


@bp.get("/clients/<int:client_id>/conduct")
@require_api("client.view")
@openapi.doc(
    "Catatan perilaku dan pelanggaran klien",
    description="Absen tanpa alasan sah dari sesi kerja tercatat dengan category absence.",
    responses={200: openapi.array_of("ConductRecord")},
    tags=["clients"],
)
def client_conduct(client_id: int) -> Response:
    """The client's violation (and good conduct) records, oldest first."""
    visible(Client, client_id, policy.can_see_client)
    audit.record("client_viewed", "client", client_id, user=api_user(), part="conduct")
    rows = db.session.scalars(
        select(ConductCase)
        .where(ConductCase.client_id == client_id)
        .order_by(ConductCase.occurred_on, ConductCase.id)
    )
    return jsonify(
        [
            {
                "id": c.id,
                "kind": c.kind,
                "category": c.category,
                "date": c.occurred_on.isoformat(),
                "status": c.status,
                "team_deadline": c.team_deadline.isoformat() if c.team_deadline else None,
            }
            for c in rows
        ]
    )
