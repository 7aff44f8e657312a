"""API.md "Agreements and addenda": propose, confirm, list (NK Pasal 15)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from portal import policy
from portal.agreements import addenda
from portal.agreements.services import list_agreements, validity
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import DATE, json_body, to_date
from portal.api.errors import ApiError
from portal.api.schemas import ORG_REF, org_ref
from portal.fields import LETTER_NUMBER
from portal.models import Addendum, AddendumStatus, Agreement

bp = Blueprint("agreements", __name__)

# Effective validity state → the API's status (API.md: draft, active, expired).
API_STATUS = {"draft": "draft", "active": "active", "expiring": "active", "expired": "expired"}

openapi.schema(
    "Agreement",
    {
        "type": "object",
        "required": [
            "id",
            "number_bapas",
            "number_pemda",
            "bapas",
            "pemda",
            "signed_on",
            "valid_until",
            "status",
        ],
        "properties": {
            **openapi.typed("integer", "id"),
            **openapi.typed("string", "title"),
            **openapi.typed(["string", "null"], "number_bapas", "number_pemda"),
            **openapi.typed(["string", "null"], "signed_on", format="date"),
            **openapi.typed(["integer", "null"], "days_left"),
            "bapas": ORG_REF,
            "pemda": ORG_REF,
            "valid_until": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Akhir masa berlaku, termasuk perpanjangan oleh adendum.",
            },
            "status": {
                "type": "string",
                "enum": ["draft", "active", "expired"],
                "description": "Keadaan berlaku hari ini (yang segera berakhir tetap `active`).",
            },
        },
    },
)

openapi.schema(
    "AddendumCreate",
    {
        "type": "object",
        "required": ["number_bapas", "number_pemda", "signed_on", "summary"],
        "additionalProperties": False,
        "properties": {
            "number_bapas": {
                "type": "string",
                "maxLength": LETTER_NUMBER,
                "description": "Tidak kosong; belum dipakai Addendum lain yang diusulkan "
                "atau berlaku.",
            },
            "number_pemda": {
                "type": "string",
                "maxLength": LETTER_NUMBER,
                "description": "Tidak kosong.",
            },
            "signed_on": {
                **DATE,
                "description": "Tidak di masa depan dan tidak sebelum kesepakatan ditandatangani.",
            },
            "valid_until": {
                "anyOf": [DATE, {"type": "null"}],
                "description": "Akhir masa berlaku baru; null bila tidak memperpanjang. "
                "Sesudah tanggal Addendum dan sesudah akhir masa berlaku sekarang.",
            },
            "summary": {
                "type": "string",
                "maxLength": 4000,
                "description": "Paling sedikit 10 karakter, tanpa menghitung spasi di awal "
                "dan akhir.",
            },
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
            **openapi.typed("integer", "id", "agreement_id"),
            **openapi.typed("string", "number_bapas", "number_pemda", "summary"),
            **openapi.typed("string", "signed_on", format="date"),
            **openapi.typed(["string", "null"], "valid_until", format="date"),
            **openapi.typed(["integer", "null"], "slots_extended"),
            **openapi.typed("boolean", "has_scan"),
            "status": {"type": "string", "enum": list(AddendumStatus.ALL)},
            "proposed_party": {"type": "string", "enum": ["bapas", "pemda", "both"]},
            "proposed_by": {"type": ["string", "null"], "description": "Nama pengusul."},
            "confirmed_by": {
                "type": ["string", "null"],
                "description": "Nama yang menyetujui (null bila belum berlaku).",
            },
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


def agreement_json(agreement: Agreement) -> dict[str, Any]:
    """An agreement with its effective validity."""
    state = validity(agreement)
    until = agreement.effective_valid_until
    return {
        "id": agreement.id,
        "title": agreement.title,
        "number_bapas": agreement.number_bapas,
        "number_pemda": agreement.number_pemda,
        "bapas": org_ref(agreement.bapas),
        "pemda": org_ref(agreement.pemda),
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "valid_until": until.isoformat() if until else None,
        "status": API_STATUS[state.state],
        "days_left": state.days_left,
    }


@bp.get("/agreements")
@require_api("agreement.view")
@openapi.doc(
    "Kesepakatan (NK) yang melibatkan organisasi pemanggil",
    responses={200: openapi.array_of("Agreement")},
)
def agreements() -> Response:
    """Agreements visible to the caller, newest first."""
    return jsonify([agreement_json(a) for a in list_agreements(api_user())])


def _visible_agreement(agreement_id: int) -> Agreement:
    return visible(Agreement, agreement_id, policy.can_see_agreement)


@bp.get("/agreements/<int:agreement_id>/addenda")
@require_api("agreement.view")
@openapi.doc(
    "Riwayat Addendum kesepakatan (diusulkan, berlaku, ditolak, ditarik)",
    responses={200: openapi.array_of("Addendum")},
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
)
def confirm(addendum_id: int) -> Response:
    """The other party agrees; with ``extend_slots`` the slots move with the agreement."""
    addendum = visible(Addendum, addendum_id, lambda u, a: policy.can_see_agreement(u, a.agreement))
    user = api_user()
    body = json_body("AddendumConfirm")
    if addendum.status != AddendumStatus.PROPOSED:
        raise ApiError(
            409, "already_decided", f"Addendum ini sudah {addendum.status_label.lower()}."
        )
    addenda.confirm_addendum(addendum, user, extend_slots=bool(body.get("extend_slots")))
    return jsonify(addendum_json(addendum))
