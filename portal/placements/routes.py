"""Placement pages: the list per role, one placement, the OPD's decision, the PK's status."""

from __future__ import annotations

import json
from dataclasses import fields
from functools import lru_cache
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal import audit, policy
from portal.attendance.services import verified_minutes
from portal.clients.listing import pk_and_opd_choices
from portal.clients.services import view_client
from portal.documents.pdf import pdf_response
from portal.extensions import db
from portal.forms import refusal_errors, show_refused
from portal.listing import EXPORT_MAX, built, exported_list, list_page, parse_list
from portal.matching.profiles import windows_from_dicts
from portal.models import Placement, Slot
from portal.placements.case_plan import (
    KINDS,
    PARTS,
    CasePlanData,
    case_plan_of,
    current_data,
    lampiran_i_pdf,
    save_case_plan,
)
from portal.placements.listing import PLACEMENT_LIST, placement_list, placement_rows
from portal.placements.services import (
    STATUS_COLOURS,
    STATUS_LABELS,
    change_status,
    decide_placement,
    site_needs,
)
from portal.refusals import Refused
from portal.web import ensure_visible, require, visible_or_404

bp = Blueprint("placements", __name__, url_prefix="/penempatan")


def schedule_text(items: list[dict]) -> str:
    """'Senin 08:00–12:00, Selasa ...'."""
    try:
        return ", ".join(w.label() for w in windows_from_dicts(items)) or "—"
    except ValueError:
        return "—"


@lru_cache(maxsize=256)
def schedule_text_of(raw: str | None) -> str:
    """``schedule_text`` of a schedule's JSON text (the list reads the text, not the list)."""
    return schedule_text(json.loads(raw) if raw else [])


def _placement_or_404(placement_id: int) -> Placement:
    # Its page draws the slot, the OPD and the client.
    return visible_or_404(
        Placement,
        placement_id,
        policy.can_see_placement,
        joinedload(Placement.slot).joinedload(Slot.opd),
        joinedload(Placement.client),
    )


def _list_choices() -> dict[str, list[tuple[int, str]]]:
    """The PKs and OPDs the filters offer: those of the user's own placements."""
    return pk_and_opd_choices(current_user)


@bp.route("/")
@require("placement.view")
def index() -> str:
    """Placements in the user's scope; search, filters, sort and page kept in the URL."""
    params = parse_list(request.args, PLACEMENT_LIST)
    ids = built(
        "placements",
        current_user,
        params,
        lambda: placement_list(current_user, params, ids_only=True),
        keep_total=True,
    )
    page = list_page(ids, params)
    return render_template(
        "placements/index.html",
        placements=placement_rows(page.items),
        page=page,
        params=params,
        statuses=PLACEMENT_LIST.choices["status"],
        choices=_list_choices(),
        labels=STATUS_LABELS,
        colours=STATUS_COLOURS,
        schedule_text=schedule_text_of,
        identity=policy.sees_client_identity(current_user),
    )


@bp.route("/daftar.xlsx")
@require("placement.view")
def index_xlsx() -> Response:
    """The filtered list of placements as an Excel file, the same rows as the page."""
    params = parse_list(request.args, PLACEMENT_LIST)
    rows = db.session.scalars(placement_list(current_user, params).limit(EXPORT_MAX)).unique().all()
    identity = policy.sees_client_identity(current_user)
    headers = ["Kode klien"]
    if identity:
        headers.append("Nama klien")
    headers += ["Slot", "OPD", "Jadwal", "Mulai", "Batas akhir", "Jam", "Status", "Dipesan"]
    data = []
    for p in rows:
        line: list[Any] = [p.client.code]
        if identity:
            line.append(p.client.full_name)
        line += [
            p.slot.title,
            p.slot.opd.short_name,
            schedule_text(p.schedule),
            p.start_date,
            p.deadline,
            p.hours_planned,
            STATUS_LABELS.get(p.status, p.status),
            p.booked_at,
        ]
        data.append(line)
    shown = sorted({p.client_id for p in rows}) if identity else []
    return exported_list(
        "placements",
        "placement",
        "Daftar Penempatan",
        headers,
        data,
        filename="penempatan",
        client_ids=shown,
    )


@bp.route("/<int:placement_id>")
@require("placement.view")
def detail(placement_id: int) -> str:
    """One placement: the OPD sees the client code, schedule and the site's needs only."""
    placement = _placement_or_404(placement_id)
    if policy.sees_client_identity(current_user):
        view_client(placement.client, current_user, page="placement")
    served = verified_minutes(placement.client_id) / 60
    return _detail_page(placement, policy.sees_client_identity(current_user), served, {})


def _detail_page(
    placement: Placement, identity: bool, served: float, errors: dict[str, list[str]]
) -> str:
    return render_template(
        "placements/detail.html",
        p=placement,
        labels=STATUS_LABELS,
        colours=STATUS_COLOURS,
        schedule_text=schedule_text,
        needs=site_needs(placement.client),
        identity=identity,
        served=served,
        errors=errors,
    )


@bp.route("/<int:placement_id>/keputusan", methods=["POST"])
@require("placement.decide")
def decide(placement_id: int) -> str | tuple[str, int] | Response:
    """The OPD admin accepts or declines a booking."""
    placement = _placement_or_404(placement_id)
    accept = request.form.get("accept") == "1"
    try:
        decide_placement(placement, accept, request.form.get("reason", ""), current_user)
    except Refused as refused:
        placement = _placement_or_404(placement_id)
        return _detail_page(placement, False, 0.0, refusal_errors(refused)), 422
    flash(
        f"Penempatan {placement.client.code} diterima."
        if accept
        else f"Penempatan {placement.client.code} ditolak; kursi dibebaskan.",
        "success",
    )
    return redirect(url_for("placements.detail", placement_id=placement.id))


@bp.route("/<int:placement_id>/status", methods=["POST"])
@require("placement.book")
def status(placement_id: int) -> Response:
    """The PK starts, completes or ends a placement."""
    placement = _placement_or_404(placement_id)
    try:
        change_status(
            placement, request.form.get("status", ""), request.form.get("reason", ""), current_user
        )
    except Refused as refused:
        show_refused(refused)
    else:
        flash(f"Status penempatan: {STATUS_LABELS[placement.status]}.", "success")
    return redirect(url_for("placements.detail", placement_id=placement_id))


# --- case plan (Lampiran I) ---------------------------------------------------------


def _bapas_placement(placement_id: int) -> Placement:
    placement = _placement_or_404(placement_id)
    ensure_visible(policy.sees_client_identity(current_user))
    return placement


@bp.route("/<int:placement_id>/rencana", methods=["GET", "POST"])
@require("placement.book")
def case_plan(placement_id: int) -> str | tuple[str, int] | Response:
    """The ten parts of the case plan, prefilled, edited by the PK."""
    placement = _bapas_placement(placement_id)
    data = current_data(placement)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        for f in fields(CasePlanData):
            raw = request.form.get(f.name, "")
            if f.name == "total_hours":
                data.total_hours = int(raw) if raw.strip().isdigit() else None
            else:
                setattr(data, f.name, raw)
        try:
            save_case_plan(placement, data, current_user)
        except Refused as refused:
            errors = refusal_errors(refused)
        else:
            flash("Rencana penempatan tersimpan.", "success")
            return redirect(url_for("placements.case_plan", placement_id=placement.id))
    view_client(placement.client, current_user, page="case_plan")
    return render_template(
        "placements/case_plan.html",
        p=placement,
        plan=data,
        parts=PARTS,
        kinds=KINDS,
        saved=case_plan_of(placement) is not None,
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/<int:placement_id>/lampiran-i.pdf")
@require("placement.book")
def case_plan_pdf(placement_id: int) -> Response:
    """Lampiran I (Tempat Kerja Sosial Klien) as an A4 PDF."""
    placement = _bapas_placement(placement_id)
    audit.record("document_printed", "placement", placement.id, document="lampiran_i")
    view_client(placement.client, current_user, page="lampiran_i")
    return pdf_response(lampiran_i_pdf(placement), f"lampiran-i-{placement.client.code}.pdf")
