"""API.md: POST /clients, GET /clients/{id}, GET /clients/{id}/matches, POST /matching/batch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import clock, fields, law, policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import DATE, NOT_BLANK, SCHEDULE_ITEM, json_body, to_date
from portal.api.errors import ApiError
from portal.api.schemas import ID
from portal.attendance.services import ledgers_for
from portal.clients.services import (
    register_client,
    summons_violations,
    view_client,
)
from portal.clients.validation import DOCUMENT_CHECKS, LAT_RANGE, LNG_RANGE, ClientData
from portal.codes import JOB_CATEGORIES, SECTORS, SPECIAL_NEEDS
from portal.extensions import db
from portal.matching.assignment import propose_assignment
from portal.models import Client
from portal.placements.engine import (
    candidate_slots,
    client_profile,
    rank_for,
    thresholds,
)
from portal.placements.services import holding_placement

bp = Blueprint("clients", __name__)


def _text(max_length: int, required: bool = False) -> dict[str, Any]:
    filled = {"minLength": 1, "pattern": NOT_BLANK} if required else {}
    return {"type": "string", "maxLength": max_length, **filled}


# Coordinates within Indonesia, as the server checks them (validation.LAT_RANGE/LNG_RANGE).
LAT = {"type": "number", "minimum": LAT_RANGE[0], "maximum": LAT_RANGE[1]}
LNG = {"type": "number", "minimum": LNG_RANGE[0], "maximum": LNG_RANGE[1]}
PLACE = {
    "type": "object",
    "required": ["lat", "lng"],
    "additionalProperties": False,
    "properties": {"label": _text(fields.VICTIM_LABEL_MAX), "lat": LAT, "lng": LNG},
}
CLIENT_FIELDS: dict[str, Any] = {
    "full_name": _text(fields.CLIENT_TEXT["full_name"], True),
    "nik": {
        "type": ["string", "null"],
        "pattern": f"^([0-9]{{{fields.NIK_DIGITS}}})?$",
        "description": f"{fields.NIK_DIGITS} angka.",
    },
    "birth_place": _text(fields.CLIENT_TEXT["birth_place"]),
    "birth_date": DATE,
    "sex": {"type": "string", "enum": ["L", "P"]},
    "religion": _text(fields.CLIENT_TEXT["religion"]),
    "address": _text(fields.CLIENT_TEXT["address"], True),
    "home_lat": LAT,
    "home_lng": LNG,
    "father_name": _text(fields.CLIENT_TEXT["father_name"]),
    "mother_name": _text(fields.CLIENT_TEXT["mother_name"]),
    "physical_marks": _text(fields.CLIENT_TEXT["physical_marks"]),
    "fingerprints_taken": {"type": "boolean"},
    "is_child": {"type": "boolean"},
    "offence_date": {
        **DATE,
        "type": ["string", "null"],
        "description": "Tanggal tindak pidana: anak atau dewasa menurut umur pada tanggal ini "
        "(UU SPPA Pasal 20).",
    },
    "replaced_penalty": {
        "type": ["object", "null"],
        "description": "Pidana yang diganti (KUHP Pasal 85 ayat 7).",
        "oneOf": [
            {
                "type": "object",
                "required": ["kind", "months"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"const": "prison"},
                    "months": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": law.MAX_REPLACED_PRISON_MONTHS,
                    },
                },
            },
            {
                "type": "object",
                "required": ["kind", "amount"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"const": "fine"},
                    "amount": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": law.MAX_REPLACED_FINE,
                    },
                },
            },
            {"type": "null"},
        ],
    },
    "occupation": _text(fields.CLIENT_TEXT["occupation"]),
    "profession_sector": {"type": "string", "enum": list(SECTORS)},
    "offence": _text(fields.CLIENT_TEXT["offence"], True),
    "offence_via_profession": {"type": "boolean"},
    "victim_places": {"type": "array", "maxItems": fields.VICTIM_PLACES_MAX, "items": PLACE},
    "max_travel_km": {
        "type": ["number", "null"],
        "minimum": fields.TRAVEL_KM[0],
        "maximum": fields.TRAVEL_KM[1],
    },
    "decision_number": _text(fields.CLIENT_TEXT["decision_number"], True),
    "decision_date": DATE,
    "court": _text(fields.CLIENT_TEXT["court"], True),
    "execution_order_number": _text(fields.CLIENT_TEXT["execution_order_number"]),
    "execution_order_date": {**DATE, "type": ["string", "null"]},
    "hours_ordered": {"type": "integer", "minimum": 0, "maximum": 10000},
    "start_date": DATE,
    "deadline": DATE,
    "document_checks": {
        "type": "object",
        "additionalProperties": False,
        "properties": {k: {"type": "boolean"} for k in DOCUMENT_CHECKS},
    },
    "available": {"type": "array", "minItems": 1, "maxItems": 21, "items": SCHEDULE_ITEM},
    "skills": {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "string", "enum": list(JOB_CATEGORIES)},
    },
    "special_needs": {
        "type": "array",
        "uniqueItems": True,
        "items": {"type": "string", "enum": list(SPECIAL_NEEDS)},
    },
    "interests": _text(fields.CLIENT_TEXT["interests"]),
    "dependants": {
        "type": "integer",
        "minimum": fields.DEPENDANTS[0],
        "maximum": fields.DEPENDANTS[1],
    },
    "health_cleared": {"type": "boolean"},
    "requests_prayer_room": {"type": "boolean"},
    "physical_risk_skill": _text(fields.CLIENT_TEXT["physical_risk_skill"]),
    "vulnerable_contact_exception": {
        "type": "boolean",
        "description": "Hanya kepala_bapas yang boleh mengisi true (selain itu 403).",
    },
    "vulnerable_contact_reason": _text(fields.CLIENT_TEXT["vulnerable_contact_reason"]),
    "notes": _text(fields.CLIENT_TEXT["notes"]),
    "pk_id": {
        **ID,
        "type": ["integer", "null"],
        "description": "PK yang ditunjuk; wajib bila pemanggil kepala_bapas (PK: dirinya sendiri).",
    },
}
REQUIRED = [
    "full_name",
    "birth_date",
    "sex",
    "address",
    "home_lat",
    "home_lng",
    "decision_number",
    "decision_date",
    "court",
    "hours_ordered",
    "start_date",
    "deadline",
    "offence",
    "available",
]
openapi.schema(
    "ClientCreate",
    {
        "type": "object",
        "required": REQUIRED,
        "additionalProperties": False,
        "properties": CLIENT_FIELDS,
    },
)
PK_REF = {
    "type": ["object", "null"],
    "properties": {
        **openapi.typed("integer", "id"),
        **openapi.typed("string", "username", "full_name"),
    },
}
openapi.schema(
    "Client",
    {
        "type": "object",
        "required": ["id", "code", "pk", "bapas_id", "status", "full_name"],
        "properties": {
            **openapi.typed("integer", "id", "bapas_id"),
            **openapi.typed("string", "code", "status"),
            **openapi.typed("boolean", "summons_violation"),
            **openapi.typed("number", "hours_verified"),
            "pk": PK_REF,
            **{
                k: {
                    key: value
                    for key, value in v.items()
                    if key
                    not in ("minLength", "maxLength", "minimum", "maximum", "x-message", "pattern")
                }
                for k, v in CLIENT_FIELDS.items()
                if k != "pk_id"
            },
            # As stored (may be null), unlike the input fields above: later keys win.
            **openapi.typed(["string", "null"], "nik"),
            **openapi.typed(["number", "null"], "max_travel_km", "home_lat", "home_lng"),
        },
    },
)
openapi.schema(
    "Matches",
    {
        "type": "object",
        "required": ["eligible", "excluded"],
        "properties": {
            "eligible": openapi.array_of(
                {
                    "type": "object",
                    "required": ["slot_id", "score", "reasons"],
                    "properties": {
                        **openapi.typed("integer", "slot_id"),
                        **openapi.typed("number", "score"),
                        **openapi.typed(["number", "null"], "distance_km"),
                        "reasons": openapi.array_of({"type": "string"}),
                    },
                }
            ),
            "excluded": openapi.array_of(
                {
                    "type": "object",
                    "required": ["slot_id", "rules"],
                    "properties": {
                        "slot_id": {"type": "integer"},
                        "rules": openapi.array_of(
                            {
                                "type": "object",
                                "required": ["code", "message"],
                                "properties": {
                                    **openapi.typed("string", "code", "message"),
                                },
                            }
                        ),
                    },
                }
            ),
        },
    },
)
openapi.schema(
    "BatchRequest",
    {
        "type": "object",
        "required": ["client_ids"],
        "additionalProperties": False,
        "properties": {
            "client_ids": {
                "type": "array",
                "minItems": 1,
                "maxItems": 5000,
                "uniqueItems": True,
                "items": ID,
            }
        },
    },
)
openapi.schema(
    "BatchProposal",
    {
        "type": "object",
        "required": ["assignments", "unassigned"],
        "properties": {
            "assignments": openapi.array_of(
                {
                    "type": "object",
                    "required": ["client_id", "slot_id", "score"],
                    "properties": {
                        **openapi.typed("integer", "client_id", "slot_id"),
                        **openapi.typed("number", "score"),
                    },
                }
            ),
            "unassigned": openapi.array_of(
                {
                    "type": "object",
                    "required": ["client_id", "reason"],
                    "properties": {
                        **openapi.typed("integer", "client_id"),
                        **openapi.typed("string", "reason"),
                    },
                }
            ),
            "total_score": {"type": "number"},
        },
    },
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def client_json(client: Client) -> dict[str, Any]:
    """The full profile (Bapas callers only; reading it is audited by the caller)."""
    out: dict[str, Any] = {
        "id": client.id,
        "code": client.code,
        "bapas_id": client.bapas_id,
        "status": client.status,
        # Derived from the violation record a third ignored summons opens.
        "summons_violation": client.id in summons_violations([client.id]),
        "pk": (
            {"id": client.pk.id, "username": client.pk.username, "full_name": client.pk.full_name}
            if client.pk
            else None
        ),
        "hours_verified": round(ledgers_for([client], absences=False)[client.id].hours_verified, 2),
    }
    for name in CLIENT_FIELDS:
        if name == "pk_id":
            continue
        value = getattr(client, name)
        out[name] = _iso(value) if name.endswith("_date") or name == "deadline" else value
    out["replaced_penalty"] = client.replaced_penalty
    return out


def _data(body: dict[str, Any]) -> ClientData:
    values = dict(body)
    penalty = values.pop("replaced_penalty", None) or {}
    values["replaced_penalty_kind"] = penalty.get("kind", "")
    values["replaced_penalty_months"] = penalty.get("months")
    values["replaced_penalty_amount"] = penalty.get("amount")
    for name in (
        "birth_date",
        "decision_date",
        "execution_order_date",
        "start_date",
        "deadline",
        "offence_date",
    ):
        values[name] = to_date(values.get(name))
    values.setdefault("profession_sector", "other")
    return ClientData(**values)


@bp.post("/clients")
@require_api("client.manage")
@openapi.doc(
    "Daftarkan klien Bapas pemanggil",
    body="ClientCreate",
    responses={201: "Client"},
)
def create_client() -> tuple[Response, int]:
    """Register a client of the caller's Bapas; the same service as the web form."""
    body = json_body("ClientCreate")
    client = register_client(_data(body), api_user())
    return jsonify(client_json(client)), 201


def _visible_client(client_id: int) -> Client:
    return visible(Client, client_id, policy.can_see_client)


@bp.get("/clients/<int:client_id>")
@require_api("client.view")
@openapi.doc(
    "Profil lengkap klien (setiap pembacaan diaudit)", responses={200: "Client"}, tags=["clients"]
)
def get_client(client_id: int) -> Response:
    """The full profile; the read is written to the audit log."""
    client = _visible_client(client_id)
    view_client(client, api_user())
    return jsonify(client_json(client))


@bp.get("/clients/<int:client_id>/matches")
@require_api("placement.book")
@openapi.doc(
    "Slot yang dapat ditawarkan (urut skor) dan yang tidak (dengan aturan)",
    responses={200: "Matches"},
    tags=["matching"],
)
def client_matches(client_id: int) -> Response:
    """Eligible slots best first with reasons; excluded slots with every rule they break."""
    client = _visible_client(client_id)
    _, ranking = rank_for(client)
    return jsonify(
        {
            "eligible": [
                {
                    "slot_id": e.slot.id,
                    "score": e.score,
                    "distance_km": e.distance_km,
                    "reasons": e.reasons,
                }
                for e in ranking.eligible()
            ],
            "excluded": [
                {"slot_id": x.slot.id, "rules": [v.as_dict() for v in x.violations]}
                for x in ranking.excluded()
            ],
        }
    )


@bp.post("/matching/batch")
@require_api("placement.book")
@openapi.doc(
    "Usulan penempatan eksak untuk beberapa klien (tidak memesan apa pun)",
    body="BatchRequest",
    responses={200: "BatchProposal"},
    errors=(404,),
    tags=["matching"],
)
def matching_batch() -> Response:
    """The exact proposal for the given clients over the caller's Bapas's open slots."""
    body = json_body("BatchRequest")
    user = api_user()
    ids = body["client_ids"]
    clients = list(
        db.session.scalars(select(Client).where(Client.id.in_(ids), policy.clients_scope(user)))
    )
    if len(clients) != len(ids):
        raise ApiError(404, "not_found", "Satu atau lebih klien tidak ditemukan.")
    unassigned = []
    waiting = []
    for c in clients:
        current = holding_placement(c)
        if current is not None:
            unassigned.append({"client_id": c.id, "reason": "Klien sudah memiliki penempatan."})
        else:
            waiting.append(c)
    assignments: list[dict[str, Any]] = []
    total = 0.0
    if waiting:
        _, table = candidate_slots(user.bapas_id)
        ledgers = ledgers_for(waiting, absences=False)
        proposal = propose_assignment(
            [client_profile(c, ledgers[c.id].hours_verified) for c in waiting],
            table,
            today=clock.today(),
            thresholds=thresholds(),
        )
        assignments = [
            {"client_id": a.client_id, "slot_id": a.slot_id, "score": a.score}
            for a in proposal.assignments
        ]
        unassigned += [{"client_id": u.client_id, "reason": u.reason} for u in proposal.unassigned]
        total = proposal.total_score
    return jsonify({"assignments": assignments, "unassigned": unassigned, "total_score": total})
