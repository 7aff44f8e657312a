"""Permit pages: the client's requests, one permit's steps with the SOP clock, the letter PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import audit, clock, policy
from portal.documents.pdf import pdf_response, render_pdf
from portal.extensions import db
from portal.forms import refusal_errors, show_refused
from portal.models.work_session import Permit
from portal.refusals import Refused
from portal.sessions import permits, rules
from portal.sessions.routes import bp
from portal.web import require, visible_client, visible_or_404


def _permit(permit_id: int) -> Permit:
    return visible_or_404(Permit, permit_id, lambda u, r: policy.can_see_client(u, r.client))


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        return None


@bp.route("/klien/<int:client_id>/izin", methods=["GET", "POST"])
@require("supervision.manage")
def client_permits(client_id: int) -> str | Response:
    """The client's permits to leave town, and a new request (PK, Kepala Bapas)."""
    client = visible_client(client_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            permit = permits.request_permit(
                client,
                request.form.get("destination", ""),
                request.form.get("purpose", ""),
                _day("first_day"),
                _day("last_day"),
                current_user,
            )
        except Refused as refusal:
            errors = refusal_errors(refusal, rules=False)
            if refusal.violations:
                show_refused(Refused(violations=refusal.violations))
        else:
            flash("Permohonan izin dicatat; batas 14 hari kerja mulai hari ini.", "success")
            return redirect(url_for("sessions.permit", permit_id=permit.id))
    audit.record("client_viewed", "client", client.id, user=current_user, page="permits")
    rows = db.session.scalars(
        select(Permit).where(Permit.client_id == client.id).order_by(Permit.created_at.desc())
    ).all()
    return render_template(
        "sessions/permits.html",
        client=client,
        rows=rows,
        errors=errors,
        form=request.form,
        statuses=rules.PERMIT_STATUSES,
        clock_of=lambda p: rules.permit_clock(p.received_on, clock.today()),
    )


@bp.get("/izin/<int:permit_id>")
@require("supervision.manage")
def permit(permit_id: int) -> str:
    """One permit: its steps, the 14 working-day clock, and what signing would do."""
    found = _permit(permit_id)
    audit.record("client_viewed", "client", found.client_id, user=current_user, page="permit")
    effect = None
    if found.status in ("examined", "approved"):
        effect = permits.preview(found, current_user)
    return render_template(
        "sessions/permit.html",
        permit=found,
        client=found.client,
        effect=effect,
        statuses=rules.PERMIT_STATUSES,
        sop_clock=rules.permit_clock(found.received_on, clock.today()),
        is_head=policy.is_head_of_bapas(current_user),
    )


def _act(permit_id: int, step: Any, done: str) -> Response | str:
    found = _permit(permit_id)
    try:
        step(found)
    except Refused as refusal:
        show_refused(refusal)
    else:
        flash(done, "success")
    return redirect(url_for("sessions.permit", permit_id=permit_id))


@bp.post("/izin/<int:permit_id>/periksa")
@require("supervision.manage")
def permit_examine(permit_id: int) -> Response | str:
    """The PK's examination."""
    return _act(
        permit_id,
        lambda p: permits.examine_permit(p, request.form.get("examination", ""), current_user),
        "Hasil pemeriksaan PK disimpan.",
    )


@bp.post("/izin/<int:permit_id>/sidang")
@require("supervision.manage")
def permit_decide(permit_id: int) -> Response | str:
    """The TPP session's decision."""
    approve = request.form.get("decision") == "approve"
    return _act(
        permit_id,
        lambda p: permits.decide_permit(
            p, approve, request.form.get("tpp_notes", ""), current_user
        ),
        "Putusan sidang TPP disimpan.",
    )


@bp.post("/izin/<int:permit_id>/tandatangan")
@require("closure.sign")
def permit_sign(permit_id: int) -> Response | str:
    """The Kepala Bapas signs the numbered letter; the permit takes effect."""
    return _act(
        permit_id,
        lambda p: permits.sign_permit(p, current_user),
        "Surat izin ditandatangani; sesi pada tanggal izin menjadi absen sah.",
    )


@bp.get("/izin/<int:permit_id>/surat.pdf")
@require("supervision.manage")
def permit_pdf(permit_id: int) -> Response:
    """The signed permit letter."""
    from portal.supervision.documents import _common

    found = _permit(permit_id)
    if found.status != "signed":
        flash("Surat izin belum ditandatangani.", "warning")
        return redirect(url_for("sessions.permit", permit_id=permit_id))
    audit.record("document_printed", "client", found.client_id, document="permit_letter")
    audit.record("client_viewed", "client", found.client_id, user=current_user, page="permit")
    data = render_pdf("documents/permit_letter.html", permit=found, **_common(found.client))
    return pdf_response(data, f"surat-izin-{found.client.code}")
