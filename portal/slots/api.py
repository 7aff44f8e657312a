"""Slot endpoints of the integration API (shared/API.md): list, create, change.

They call the same services as the web pages, so every rule holds in both.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import codes, policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.body import DATE, NOT_BLANK, SCHEDULE_ITEM, json_body, to_date
from portal.api.errors import ApiError
from portal.api.schemas import ID, ORG_REF, org_ref
from portal.extensions import db
from portal.models import JobCategory, Slot
from portal.models.base import valid_id
from portal.slots import services
from portal.slots.rules import MAX_CAPACITY

bp = Blueprint("slots", __name__)

openapi.schema(
    "Opd",
    {
        "type": "object",
        "required": ["id", "name", "pemda", "agreement_id"],
        "properties": {
            **openapi.typed("integer", "id"),
            **openapi.typed("string", "code", "name", "short_name"),
            "pemda": ORG_REF,
            "agreement_id": {
                "type": ["integer", "null"],
                "description": "Kesepakatan yang mengikat Pemda OPD ini (terlihat oleh pemanggil).",
            },
        },
    },
)
openapi.schema(
    "JobCategory",
    {
        "type": "object",
        "required": ["code", "name", "examples"],
        "properties": {
            **openapi.typed("string", "code", "name"),
            "examples": {"type": "array", "items": {"type": "string"}},
        },
    },
)

_FIELDS: dict[str, Any] = {
    "title": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NOT_BLANK},
    "category": {"type": "string", "enum": list(codes.JOB_CATEGORIES)},
    "sector": {"type": "string", "enum": list(codes.SECTORS)},
    "place_type": {
        "type": "string",
        "enum": list(codes.PLACE_TYPES),
        "description": "Kode jenis tempat (Pedoman tabel 1).",
    },
    "tasks": {"type": "string"},
    "description": {"type": "string"},
    "address": {"type": "string", "minLength": 1, "maxLength": 300, "pattern": NOT_BLANK},
    "lat": {"type": "number", "minimum": -90, "maximum": 90},
    "lng": {"type": "number", "minimum": -180, "maximum": 180},
    "capacity": {"type": "integer", "minimum": 1, "maximum": MAX_CAPACITY},
    "schedule": {"type": "array", "items": SCHEDULE_ITEM},
    "valid_from": DATE,
    "valid_until": DATE,
    "facilities": {
        "type": "array",
        "items": {"type": "string", "enum": list(codes.FACILITIES)},
        "uniqueItems": True,
    },
    "risks": {
        "type": "array",
        "items": {"type": "string", "enum": list(codes.RISKS)},
        "uniqueItems": True,
    },
    "physical_risk_skill": {"type": "string", "maxLength": 300},
    "complaint_contact": {
        "type": "string",
        "maxLength": 300,
        "description": "Media keluhan/pengaduan bagi klien (Pedoman 2.3.1 f.3); wajib untuk "
        "terbit. Fasilitas complaint_channel mengikutinya.",
    },
    "supervisor_name": {"type": "string", "minLength": 1, "maxLength": 160, "pattern": NOT_BLANK},
    "supervisor_position": {"type": "string", "maxLength": 160},
    "supervisor_phone": {"type": "string", "maxLength": 40},
    "supervisor_user_id": {"type": ["integer", "null"]},
}

openapi.schema(
    "Slot",
    {
        "type": "object",
        "required": [
            "id", "opd_id", "title", "category", "description", "address", "lat", "lng",
            "capacity", "occupied", "schedule", "valid_from", "valid_until", "facilities",
            "risks", "status",
        ],
        "properties": {
            **_FIELDS,
            **openapi.typed("integer", "id", "opd_id", "agreement_id", "free"),
            **openapi.typed("string", "opd_name"),
            **openapi.typed("boolean", "unpaid_confirmed"),
            "occupied": {
                "type": "integer",
                "description": "Kursi terisi: penempatan dipesan, diterima atau berjalan.",
            },
            "status": {"type": "string", "enum": list(codes.SLOT_STATUSES)},
        },
    },
)  # fmt: skip
openapi.schema(
    "SlotCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "title", "category", "sector", "place_type", "address", "lat", "lng", "capacity",
            "valid_from", "valid_until", "supervisor_name", "unpaid_confirmed",
        ],
        "properties": {
            **_FIELDS,
            "unpaid_confirmed": {
                "const": True,
                "description": "Wajib true: pekerjaan tidak dibayar dan tidak komersial.",
                "x-message": "Harus true: pekerjaan tidak dibayar dan tidak bersifat komersial.",
            },
            "status": {"type": "string", "enum": ["draft", "published"], "default": "draft"},
        },
    },
)  # fmt: skip
openapi.schema(
    "SlotPatch",
    {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            **_FIELDS,
            "unpaid_confirmed": {"type": "boolean"},
            "status": {
                "type": "string",
                "enum": ["published", "closed"],
                "description": "published: terbitkan (atau buka lagi); closed: tutup.",
            },
        },
    },
)


def slot_json(slot: Slot, occupied: int) -> dict[str, Any]:
    """A slot as the API's resource."""
    return {
        "id": slot.id,
        "opd_id": slot.opd_id,
        "opd_name": slot.opd.name,
        "agreement_id": slot.agreement_id,
        "title": slot.title,
        "category": slot.category,
        "sector": slot.sector,
        "place_type": slot.place_type,
        "tasks": slot.tasks,
        "description": slot.description,
        "address": slot.address,
        "lat": slot.lat,
        "lng": slot.lng,
        "capacity": slot.capacity,
        "occupied": occupied,
        "free": services.free_seats(slot, occupied),
        "schedule": [
            {"weekday": w["weekday"], "start": w["start"], "end": w["end"]} for w in slot.schedule
        ],
        "valid_from": slot.valid_from.isoformat(),
        "valid_until": slot.valid_until.isoformat(),
        "facilities": list(slot.facilities),
        "risks": list(slot.risks),
        "physical_risk_skill": slot.physical_risk_skill,
        "complaint_contact": slot.complaint_contact,
        "supervisor_name": slot.supervisor_name,
        "supervisor_position": slot.supervisor_position,
        "supervisor_phone": slot.supervisor_phone,
        "supervisor_user_id": slot.supervisor_user_id,
        "unpaid_confirmed": slot.unpaid_confirmed,
        "status": slot.status,
    }


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}
    for key in ("valid_from", "valid_until"):
        if key in values:
            values[key] = to_date(values[key])
    if "lat" in values:
        values["lat"] = float(values["lat"])
    if "lng" in values:
        values["lng"] = float(values["lng"])
    # JSON's 3.0 is the integer 3 (the schema says so): the rules take ints.
    capacity = values.get("capacity")
    if isinstance(capacity, float) and capacity.is_integer():
        values["capacity"] = int(capacity)
    if isinstance(values.get("schedule"), list):
        values["schedule"] = [
            {**w, "weekday": int(w["weekday"])}
            if isinstance(w, dict) and isinstance(w.get("weekday"), float)
            else w
            for w in values["schedule"]
        ]
    return values


def _flag(name: str) -> bool:
    return (request.args.get(name) or "").lower() in ("1", "true", "yes")


@bp.get("/slots")
@require_api("slot.view")
@openapi.doc(
    "Lokasi kerja terbit yang boleh dilihat pemanggil",
    responses={200: openapi.array_of("Slot")},
    parameters=[
        openapi.query("opd_id", ID, "Hanya lokasi OPD ini."),
        openapi.query(
            "category", {"type": "string", "enum": list(codes.JOB_CATEGORIES)}, "Kategori."
        ),
        openapi.query("available", "boolean", "true: hanya yang masih ada kursi kosong."),
        openapi.query(
            "facility", {"type": "string", "enum": list(codes.FACILITIES)}, "Punya fasilitas ini."
        ),
    ],
    errors=(422,),
)
def list_slots() -> Response:
    """Published slots of the caller's scope, filtered."""
    opd_id = request.args.get("opd_id", "")
    category = request.args.get("category") or None
    facility = request.args.get("facility") or None
    problems: dict[str, list[str]] = {}
    if opd_id and not (opd_id.isdigit() and valid_id(int(opd_id))):
        problems["opd_id"] = ["Harus berupa bilangan bulat positif (id OPD)."]
    if category and category not in codes.JOB_CATEGORIES:
        problems["category"] = ["Kategori tidak dikenal."]
    if facility and facility not in codes.FACILITIES:
        problems["facility"] = ["Fasilitas tidak dikenal."]
    if problems:
        raise ApiError(422, "validation_error", None, {"fields": problems})
    filters = services.SlotFilters(
        opd_id=int(opd_id) if opd_id else None,
        category=category,
        facility=facility,
        available=_flag("available"),
    )
    rows = db.session.execute(services.slots_query(api_user(), filters, published_only=True))
    return jsonify([slot_json(slot, occupied) for slot, occupied in rows])


@bp.post("/slots")
@require_api("slot.manage")
@openapi.doc(
    "Buat lokasi kerja OPD pemanggil (draf atau langsung terbit)",
    body="SlotCreate",
    responses={201: "Slot"},
)
def create_slot() -> tuple[Response, int]:
    """A new slot of the caller's own OPD."""
    data = json_body("SlotCreate")
    slot = services.create_slot(
        api_user(), _values(data), publish=data.get("status") == "published"
    )
    return jsonify(slot_json(slot, 0)), 201


@bp.patch("/slots/<int:slot_id>")
@require_api("slot.manage")
@openapi.doc(
    "Ubah, terbitkan atau tutup lokasi kerja OPD pemanggil",
    body="SlotPatch",
    responses={200: "Slot"},
)
def patch_slot(slot_id: int) -> Response:
    """Change fields; capacity never below the seats in use; status published or closed."""
    user = api_user()
    slot = visible(Slot, slot_id, policy.can_manage_slot)
    data = json_body("SlotPatch")
    values = _values(data)
    if values:
        services.update_slot(user, slot, values)
    if data.get("status") == "published" and slot.status != "published":
        services.publish_slot(user, slot)
    elif data.get("status") == "closed" and slot.status != "closed":
        services.close_slot(user, slot)
    return jsonify(slot_json(slot, services.seats_in_use(slot.id)))


@bp.get("/opds")
@require_api("partner.view")
@openapi.doc(
    "Perangkat Daerah mitra yang terlihat oleh pemanggil",
    responses={200: openapi.array_of("Opd")},
    tags=["opds"],
)
def opds() -> Response:
    """OPDs of the Pemdas the caller works with."""
    return jsonify(
        [
            {
                "id": opd.id,
                "code": opd.code,
                "name": opd.name,
                "short_name": opd.short_name,
                "pemda": org_ref(opd.pemda),
                "agreement_id": agreement_id,
            }
            for opd, agreement_id in services.partner_opds(api_user())
        ]
    )


@bp.get("/job-categories")
@require_api()
@openapi.doc(
    "Katalog jenis pekerjaan sosial",
    responses={200: openapi.array_of("JobCategory")},
    tags=["reference"],
)
def job_categories() -> Response:
    """The five groups of work of the catalogue, in order."""
    rows = db.session.scalars(select(JobCategory).order_by(JobCategory.sort, JobCategory.code))
    return jsonify([{"code": c.code, "name": c.name, "examples": list(c.examples)} for c in rows])
