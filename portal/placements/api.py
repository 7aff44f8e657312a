"""API.md: POST /placements, GET /placements/{id}, POST /placements/{id}/decision."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from portal import policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import DATE, SCHEDULE_ITEM, json_body, to_date
from portal.api.errors import ApiError
from portal.api.schemas import ID
from portal.attendance.services import ledgers_for
from portal.models import Client, Placement, PlacementStatus
from portal.placements.services import (
    book_placement,
    decide_placement,
    site_needs,
)

bp = Blueprint("placements", __name__)

openapi.schema(
    "PlacementCreate",
    {
        "type": "object",
        "required": ["client_id", "slot_id", "start_date", "schedule"],
        "additionalProperties": False,
        "properties": {
            "client_id": ID,
            "slot_id": ID,
            "start_date": DATE,
            "schedule": {"type": "array", "maxItems": 21, "items": SCHEDULE_ITEM},
        },
    },
)
openapi.schema(
    "Placement",
    {
        "type": "object",
        "required": [
            "id",
            "client_id",
            "client_code",
            "slot_id",
            "status",
            "start_date",
            "deadline",
            "hours_ordered",
            "hours_verified",
            "hours_remaining",
        ],
        "properties": {
            **openapi.typed("integer", "id", "client_id", "slot_id"),
            **openapi.typed("string", "start_date", "deadline", format="date"),
            **openapi.typed("number", "hours_ordered", "hours_planned", "hours_verified"),
            **openapi.typed("number", "hours_remaining"),
            **openapi.typed("string", "decision_reason"),
            "client_code": {
                "type": "string",
                "description": "Kode klien; nama tidak pernah dikirim.",
            },
            "status": {
                "type": "string",
                "enum": list(PlacementStatus.SEAT_HOLDING) + ["declined", "completed", "ended"],
            },
            "schedule": openapi.array_of(SCHEDULE_ITEM),
            "site_needs": openapi.array_of(
                {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string"},
                        "requires": openapi.array_of({"type": "string"}),
                    },
                }
            ),
        },
    },
)
openapi.schema(
    "PlacementDecision",
    {
        "type": "object",
        "required": ["accept"],
        "additionalProperties": False,
        "properties": {
            "accept": {"type": "boolean"},
            "reason": {"type": "string", "maxLength": 1000},
        },
    },
)


def placement_json(p: Placement) -> dict[str, Any]:
    """A placement as API.md shows it: the client by id and code, never by name."""
    # The client's ledger (verified, not superseded), the same figure as every page.
    verified = round(ledgers_for([p.client], absences=False)[p.client_id].hours_verified, 2)
    ordered = p.client.hours_ordered
    return {
        "id": p.id,
        "client_id": p.client_id,
        "client_code": p.client.code,
        "slot_id": p.slot_id,
        "status": p.status,
        "start_date": p.start_date.isoformat(),
        "deadline": p.deadline.isoformat(),
        "schedule": p.schedule,
        "hours_ordered": ordered,
        "hours_planned": p.hours_planned,
        "hours_verified": verified,
        "hours_remaining": max(0.0, math.floor((ordered - verified) * 100) / 100),
        "decision_reason": p.decision_reason,
        "site_needs": [{"label": n.label, "requires": n.requires} for n in site_needs(p.client)],
    }


@bp.post("/placements")
@require_api("placement.book")
@openapi.doc(
    "Pesan penempatan (semua aturan diperiksa ulang; kursi diambil secara atomik)",
    body="PlacementCreate",
    responses={201: "Placement"},
    errors=(404, 409),
)
def create_placement() -> tuple[Response, int]:
    """Book a client into a slot: 422 with rule codes, 409 when the slot is full."""
    body = json_body("PlacementCreate")
    user = api_user()
    client = visible(Client, body["client_id"], policy.can_see_client)
    placement = book_placement(
        client, body["slot_id"], to_date(body["start_date"]), body["schedule"], user
    )
    return jsonify(placement_json(placement)), 201


def _visible_placement(placement_id: int) -> Placement:
    return visible(Placement, placement_id, policy.can_see_placement)


@bp.get("/placements/<int:placement_id>")
@require_api("placement.view")
@openapi.doc("Satu penempatan", responses={200: "Placement"}, tags=["placements"])
def get_placement(placement_id: int) -> Response:
    """The placement for the client's Bapas or the slot's OPD (API.md: nobody else, 403)."""
    if not policy.on_placement_side(api_user()):
        raise ApiError(403)
    return jsonify(placement_json(_visible_placement(placement_id)))


@bp.post("/placements/<int:placement_id>/decision")
@require_api("placement.decide")
@openapi.doc(
    "Keputusan OPD: terima atau tolak (alasan wajib; menolak membebaskan kursi)",
    body="PlacementDecision",
    responses={200: "Placement"},
    errors=(409,),
)
def decide(placement_id: int) -> Response:
    """The slot's OPD accepts or declines a booking."""
    placement = _visible_placement(placement_id)
    body = json_body("PlacementDecision")
    if placement.status != PlacementStatus.BOOKED:
        raise ApiError(409, "already_decided", "Penempatan ini sudah diputuskan.")
    decide_placement(placement, body["accept"], body.get("reason", ""), api_user())
    return jsonify(placement_json(placement))
