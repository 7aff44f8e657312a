"""The API's own endpoints: the document, the caller, agreements, OPDs, the job catalogue."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from portal import policy
from portal.agreements.services import list_agreements, validity
from portal.api import bp, openapi
from portal.api.auth import api_user, require_api
from portal.extensions import db, limiter
from portal.models import Agreement, JobCategory, Opd, Role, User

# Effective validity state → the API's status (API.md: draft, active, expired).
API_STATUS = {"draft": "draft", "active": "active", "expiring": "active", "expired": "expired"}

ORG_REF = openapi.schema(
    "OrganisationRef",
    {
        "type": "object",
        "required": ["id", "code", "name"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
        },
    },
)
openapi.schema(
    "Me",
    {
        "type": "object",
        "required": ["username", "role", "organisation"],
        "properties": {
            "username": {"type": "string"},
            "full_name": {"type": "string"},
            "role": {"type": "string", "enum": list(Role.ALL)},
            "organisation": {
                "type": "object",
                "required": ["type", "id", "name"],
                "description": "Untuk admin sistem: type dan id null.",
                "properties": {
                    "type": {"type": ["string", "null"], "enum": ["bapas", "pemda", "opd", None]},
                    "id": {"type": ["integer", "null"]},
                    "name": {"type": "string"},
                },
            },
        },
    },
)
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
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "number_bapas": {"type": ["string", "null"]},
            "number_pemda": {"type": ["string", "null"]},
            "bapas": ORG_REF,
            "pemda": ORG_REF,
            "signed_on": {"type": ["string", "null"], "format": "date"},
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
            "days_left": {"type": ["integer", "null"]},
        },
    },
)
openapi.schema(
    "Opd",
    {
        "type": "object",
        "required": ["id", "name", "pemda", "agreement_id"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
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
            "code": {"type": "string"},
            "name": {"type": "string"},
            "examples": {"type": "array", "items": {"type": "string"}},
        },
    },
)


def org_ref(org: Any) -> dict[str, Any]:
    """A Bapas, Pemda or OPD as ``{id, code, name}``."""
    return {"id": org.id, "code": org.code, "name": org.name}


def me_json(user: User) -> dict[str, Any]:
    """The caller as API.md's ``me`` resource."""
    org = user.organisation
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": {
            "type": user.organisation_type,
            "id": org.id if org is not None else None,
            "name": user.organisation_name,
        },
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


@bp.get("/openapi.json")
@limiter.exempt
@openapi.doc("Dokumen OpenAPI ini", public=True, tags=["meta"])
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of every endpoint that exists."""
    return jsonify(openapi.build_document(current_app))


@bp.get("/me")
@require_api()
@openapi.doc("Akun pemanggil: peran dan organisasi", responses={200: "Me"}, tags=["me"])
def me() -> Response:
    """Who the token belongs to."""
    return jsonify(me_json(api_user()))


@bp.get("/agreements")
@require_api("agreement.view")
@openapi.doc(
    "Kesepakatan (NK) yang melibatkan organisasi pemanggil",
    responses={200: openapi.array_of("Agreement")},
    tags=["agreements"],
)
def agreements() -> Response:
    """Agreements visible to the caller, newest first."""
    return jsonify([agreement_json(a) for a in list_agreements(api_user())])


def visible_opds(user: User) -> list[tuple[Opd, int | None]]:
    """OPDs the caller may see, each with the visible agreement that binds its Pemda."""
    visible = db.session.scalars(
        select(Agreement).where(policy.agreements_scope(user)).order_by(Agreement.id)
    )
    by_pemda: dict[int, int] = {}
    for agreement in visible:
        by_pemda.setdefault(agreement.pemda_id, agreement.id)
    stmt = (
        select(Opd)
        .where(policy.opds_scope(user))
        .options(selectinload(Opd.pemda))
        .order_by(Opd.pemda_id, Opd.name)
    )
    return [(opd, by_pemda.get(opd.pemda_id)) for opd in db.session.scalars(stmt)]


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
            for opd, agreement_id in visible_opds(api_user())
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
