"""API.md "Agreements and addenda": propose, confirm, list (NK Pasal 15)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response

from portal import policy
from portal.agreements import addenda
from portal.api import bp, openapi
from portal.api.auth import api_user, ensure_found, require_api
from portal.api.body import DATE, json_body, to_date
from portal.api.errors import ApiError
from portal.extensions import db
from portal.models import Addendum, AddendumStatus, Agreement

openapi.schema(
    "AddendumCreate",
    {
        "type": "object",
        "required": ["number_bapas", "number_pemda", "signed_on", "summary"],
        "additionalProperties": False,
        "properties": {
            "number_bapas": {"type": "string", "maxLength": 120},
            "number_pemda": {"type": "string", "maxLength": 120},
            "signed_on": DATE,
            "valid_until": {
                "anyOf": [DATE, {"type": "null"}],
                "description": "Akhir masa berlaku baru; null bila tidak memperpanjang.",
            },
            "summary": {"type": "string", "maxLength": 4000},
        },
    },
)
openapi.schema(
    "AddendumConfirm",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extend_slots": {
                "type": "boolean",
                "description": "Slot yang berakhir pada akhir lama ikut berakhir pada akhir baru.",
            }
        },
    },
)
openapi.schema(
    "Addendum",
    {
        "type": "object",
        "required": [
            "id",
            "agreement_id",
            "status",
            "number_bapas",
            "number_pemda",
            "signed_on",
            "valid_until",
            "proposed_by",
            "confirmed_by",
        ],
        "properties": {
            "id": {"type": "integer"},
            "agreement_id": {"type": "integer"},
            "status": {"type": "string", "enum": list(AddendumStatus.ALL)},
            "number_bapas": {"type": "string"},
            "number_pemda": {"type": "string"},
            "signed_on": {"type": "string", "format": "date"},
            "valid_until": {"type": ["string", "null"], "format": "date"},
            "summary": {"type": "string"},
            "proposed_party": {"type": "string", "enum": ["bapas", "pemda", "both"]},
            "proposed_by": {"type": ["string", "null"], "description": "Nama pengusul."},
            "confirmed_by": {
                "type": ["string", "null"],
                "description": "Nama yang menyetujui (null bila belum berlaku).",
            },
            "slots_extended": {"type": ["integer", "null"]},
            "has_scan": {"type": "boolean"},
        },
    },
)


def addendum_json(a: Addendum) -> dict[str, Any]:
    """The API's view of an addendum."""
    return {
        "id": a.id,
        "agreement_id": a.agreement_id,
        "status": a.status,
        "number_bapas": a.number_bapas,
        "number_pemda": a.number_pemda,
        "signed_on": a.signed_on.isoformat(),
        "valid_until": a.new_valid_until.isoformat() if a.new_valid_until else None,
        "summary": a.summary,
        "proposed_party": a.proposed_party,
        "proposed_by": a.proposed_by.full_name if a.proposed_by else None,
        "confirmed_by": a.decided_by.full_name if a.in_force and a.decided_by else None,
        "slots_extended": a.slots_extended,
        "has_scan": bool(a.scan_name),
    }


def _visible_agreement(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    ensure_found(agreement is not None and policy.can_see_agreement(api_user(), agreement))
    assert agreement is not None
    return agreement


@bp.get("/agreements/<int:agreement_id>/addenda")
@require_api("agreement.view")
@openapi.doc(
    "Riwayat Addendum kesepakatan (diusulkan, berlaku, ditolak, ditarik)",
    responses={200: openapi.array_of("Addendum")},
    tags=["agreements"],
)
def list_addenda(agreement_id: int) -> Response:
    """Every addendum of the agreement, newest first."""
    agreement = _visible_agreement(agreement_id)
    return jsonify([addendum_json(a) for a in addenda.addenda_of(agreement)])


@bp.post("/agreements/<int:agreement_id>/addenda")
@require_api("agreement.addendum")
@openapi.doc(
    "Usulkan Addendum (berlaku setelah disetujui pihak lain, Pasal 15)",
    body="AddendumCreate",
    responses={201: "Addendum"},
    tags=["agreements"],
)
def propose(agreement_id: int) -> tuple[Response, int]:
    """A party (Kepala Bapas, Setda) or the admin proposes an addendum."""
    agreement = _visible_agreement(agreement_id)
    body = json_body("AddendumCreate")
    user = api_user()
    data = addenda.AddendumInput(
        number_bapas=body["number_bapas"],
        number_pemda=body["number_pemda"],
        signed_on=to_date(body["signed_on"]),
        valid_until=to_date(body.get("valid_until")),
        summary=body["summary"],
    )
    row = addenda.propose_addendum(agreement, data, user)
    return jsonify(addendum_json(row)), 201


@bp.post("/addenda/<int:addendum_id>/confirm")
@require_api("agreement.addendum")
@openapi.doc(
    "Setujui Addendum: hanya pihak yang lain (atau admin); pengusul sendiri 403",
    body="AddendumConfirm",
    responses={200: "Addendum"},
    errors=(409,),
    tags=["agreements"],
)
def confirm(addendum_id: int) -> Response:
    """The other party agrees; with ``extend_slots`` the slots move with the agreement."""
    addendum = db.session.get(Addendum, addendum_id)
    user = api_user()
    ensure_found(addendum is not None and policy.can_see_agreement(user, addendum.agreement))
    assert addendum is not None
    body = json_body("AddendumConfirm")
    if addendum.status != AddendumStatus.PROPOSED:
        raise ApiError(
            409, "already_decided", f"Addendum ini sudah {addendum.status_label.lower()}."
        )
    addenda.confirm_addendum(addendum, user, extend_slots=bool(body.get("extend_slots")))
    return jsonify(addendum_json(addendum))
