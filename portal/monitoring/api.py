"""Monitoring API: GET /reports/summary and GET /agreements/{id}/workplan (shared/API.md).

Both answer from the same functions as the pages: ``indicators.public_view`` (small
cells already "< 3") and ``workplan.workplan_progress``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from portal import clock, policy
from portal.api import openapi
from portal.api.auth import api_user, require_api, visible
from portal.api.errors import ApiError, validation_error
from portal.api.schemas import ID
from portal.extensions import db
from portal.models import Agreement
from portal.monitoring import facts, indicators, services, workplan

bp = Blueprint("monitoring", __name__)

COUNT = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [indicators.SMALL]}],
    "description": 'Jumlah orang; 1 atau 2 ditulis "< 3" (kerahasiaan klien).',
}
NUMBER_OR_NULL = {"type": ["number", "null"]}
PERCENT = {
    "type": ["number", "null"],
    "description": (
        "Persen 0-100, satu desimal; null bila tidak ada dasar atau bertumpu pada 1-2 orang."
    ),
}

openapi.schema(
    "OpdIndicators",
    {
        "type": "object",
        "required": ["opd_id", "opd", "slots", "capacity", "occupied", "utilisation_percent"],
        "properties": {
            **openapi.typed("integer", "opd_id", "slots", "capacity"),
            **openapi.typed("string", "opd"),
            **openapi.typed("number", "hours_planned", "hours_verified"),
            "occupied": COUNT,
            "utilisation_percent": PERCENT,
            "clients": COUNT,
        },
    },
)
openapi.schema(
    "ReportSummary",
    {
        "type": "object",
        "required": [
            "clients_total", "clients_active", "placements_total", "hours_ordered",
            "hours_verified", "completion_rate", "ready_for_society_percent", "slots_total",
            "capacity_total", "utilisation_percent", "by_opd",
        ],
        "properties": {
            "agreement_ids": {"type": "array", "items": {"type": "integer"}},
            **openapi.typed(["integer", "null"], "opd_id"),
            **openapi.typed("number", "hours_ordered", "hours_verified"),
            **openapi.typed("integer", "partners_this_year", "partners_last_year", "slots_total"),
            **openapi.typed("integer", "capacity_total"),
            "period": {
                "type": "object",
                "properties": {
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                },
            },
            "clients_total": COUNT,
            "clients_waiting": COUNT,
            "clients_active": COUNT,
            "clients_completed": COUNT,
            "clients_terminated": COUNT,
            "clients_without_breach": COUNT,
            "placements_total": COUNT,
            "hours_verified_percent": PERCENT,
            "completion_rate": {
                "type": ["number", "null"],
                "description": "Selesai ÷ (selesai + berakhir tanpa selesai), 0-1.",
            },
            "ready_for_society_percent": PERCENT,
            "community_empowerment_percent": PERCENT,
            "community_acceptance_percent": PERCENT,
            "clients_in_community": COUNT,
            "occupied_total": COUNT,
            "utilisation_percent": PERCENT,
            "days_to_first_work": {
                "type": "object",
                "properties": {"clients": COUNT, "mean": NUMBER_OR_NULL, "median": NUMBER_OR_NULL},
            },
            "by_opd": openapi.array_of("OpdIndicators"),
            "by_month": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "month": {"type": "string"},
                        "received": COUNT,
                        "started": COUNT,
                        "hours_verified": {"type": "number"},
                        "completed": COUNT,
                        "violations": COUNT,
                    },
                },
            },
            "violations_by_type": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string"},
                        "label": {"type": "string"},
                        "count": COUNT,
                    },
                },
            },
        },
    },
)  # fmt: skip
openapi.schema(
    "WorkplanActivity",
    {
        "type": "object",
        "required": ["id", "stage", "activity", "responsible", "output", "progress_percent",
                     "status"],
        "properties": {
            **openapi.typed("integer", "id", "seq", "stage"),
            **openapi.typed("string", "stage_name", "activity", "responsible", "output"),
            **openapi.typed("string", "status_label"),
            **openapi.typed(["string", "null"], "period_start", "period_end", format="date"),
            **openapi.typed(["string", "null"], "metric"),
            **openapi.typed(["integer", "null"], "progress_percent"),
            **openapi.typed("number", "expected_percent"),
            "progress_source": {"type": "string", "enum": ["derived", "manual", "none"]},
            "status": {"type": "string", "enum": list(workplan.STATUSES)},
        },
    },
)  # fmt: skip


ISO_DATE = "Tanggal tidak sah (format TTTT-BB-HH)."


@bp.get("/reports/summary")
@require_api("monitoring.view")
@openapi.doc(
    "Ringkasan indikator monitoring untuk lingkup pemanggil",
    description='Agregat saja, tanpa identitas klien; jumlah orang 1-2 ditulis "< 3".',
    parameters=[
        openapi.query("agreement_id", ID, "Satu kesepakatan (bawaan: semua dalam lingkup)"),
        openapi.query("opd_id", ID, "Satu Perangkat Daerah"),
        openapi.query("start", {"type": "string", "format": "date"}, "Awal periode"),
        openapi.query("end", {"type": "string", "format": "date"}, "Akhir periode"),
    ],
    responses={200: "ReportSummary"},
    errors=(404, 422),
    tags=["reports"],
)
def reports_summary() -> Response:
    """Aggregates for the caller's agreements, by OPD and month, small cells hidden."""
    errors: dict[str, list[str]] = {}
    agreement_id = services.number_filter(request.args, "agreement_id", errors)
    opd_id = services.number_filter(request.args, "opd_id", errors)
    start = services.date_filter(request.args, "start", errors, date.fromisoformat, ISO_DATE)
    end = services.date_filter(request.args, "end", errors, date.fromisoformat, ISO_DATE)
    if errors:
        raise validation_error(errors)
    try:
        selection = services.select_scope(api_user(), agreement_id, opd_id, start, end)
    except LookupError as err:
        raise ApiError(404, "not_found", "Kesepakatan tidak ditemukan.") from err
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    body: dict[str, Any] = {
        "agreement_ids": list(selection.filters.agreement_ids),
        "opd_id": selection.filters.opd_id,
        **view,
    }
    return jsonify(body)


@bp.get("/agreements/<int:agreement_id>/workplan")
@require_api("agreement.view")
@openapi.doc(
    "Rencana Kerja kesepakatan dengan capaian dan status",
    responses={200: openapi.array_of("WorkplanActivity")},
    tags=["agreements"],
)
def agreement_workplan(agreement_id: int) -> Response:
    """Every activity with its progress (derived or reported) and traffic-light status."""
    agreement = visible(Agreement, agreement_id, policy.can_see_agreement)
    progress = workplan.workplan_progress(db.session, agreement, clock.today())
    return jsonify(
        [
            {
                "id": p.activity.id,
                "seq": p.activity.seq,
                "stage": p.activity.stage,
                "stage_name": p.activity.stage_name,
                "activity": p.activity.activity,
                "responsible": p.activity.responsible_opd.name
                if p.activity.responsible_opd
                else p.activity.responsible,
                "output": p.activity.output,
                "period_start": p.activity.period_start.isoformat()
                if p.activity.period_start
                else None,
                "period_end": p.activity.period_end.isoformat() if p.activity.period_end else None,
                "metric": p.activity.metric,
                "progress_percent": p.percent,
                "progress_source": p.source,
                "expected_percent": p.expected,
                "status": p.status,
                "status_label": p.status_label,
            }
            for p in progress
        ]
    )
