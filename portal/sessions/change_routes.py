"""Change of place or time pages: the PK's proposal, the receiving OPD's decision."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import audit, codes
from portal.extensions import db
from portal.forms import refusal_errors, show_refused
from portal.models import Agreement, Placement, Slot
from portal.models.work_session import PlacementChange
from portal.refusals import Refused
from portal.sessions import changes
from portal.sessions.routes import bp
from portal.web import ensure_visible, require


def _schedule_from_form() -> list[dict[str, Any]]:
    found = []
    for day in range(7):
        if request.form.get(f"day{day}"):
            found.append(
                {
                    "weekday": day,
                    "start": request.form.get(f"start{day}", ""),
                    "end": request.form.get(f"end{day}", ""),
                }
            )
    return found


@bp.route("/penempatan/<int:placement_id>/pindah", methods=["GET", "POST"])
@require("placement.book")
def propose_change(placement_id: int) -> str | Response:
    """The PK proposes another slot or schedule (NK Pasal 14)."""
    placement = db.get_or_404(Placement, placement_id)
    ensure_visible(changes.can_propose(current_user, placement))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        slot_id = request.form.get("new_slot_id", "")
        try:
            changes.propose_change(
                placement,
                int(slot_id) if slot_id.isdigit() else None,
                _schedule_from_form(),
                request.form.get("reason", ""),
                current_user,
            )
        except Refused as refusal:
            errors = refusal_errors(refusal)
        else:
            flash("Usulan pemindahan dikirim ke OPD penerima untuk disetujui.", "success")
            return redirect(url_for("supervision.client", client_id=placement.client_id))
    audit.record("client_viewed", "client", placement.client_id, user=current_user, page="move")
    slots = db.session.scalars(
        select(Slot)
        .join(Agreement, Slot.agreement_id == Agreement.id)
        .where(Agreement.bapas_id == placement.client.bapas_id, Slot.status == "published")
        .order_by(Slot.title)
        .limit(300)
    ).all()
    current = {int(w["weekday"]): w for w in placement.schedule or []}
    pending = db.session.scalars(
        select(PlacementChange).where(
            PlacementChange.placement_id == placement.id, PlacementChange.status == "proposed"
        )
    ).all()
    return render_template(
        "sessions/change_form.html",
        placement=placement,
        client=placement.client,
        slots=slots,
        current=current,
        errors=errors,
        form=request.form,
        weekdays=codes.WEEKDAYS,
        pending=pending,
    )


@bp.get("/perubahan")
@require("placement.decide")
def changes_to_decide() -> str:
    """Moves waiting for the OPD admin's agreement (client code only)."""
    return render_template(
        "sessions/changes.html", rows=changes.pending_for(current_user), weekdays=codes.WEEKDAYS
    )


@bp.post("/perubahan/<int:change_id>/putus")
@require("placement.decide")
def decide_change(change_id: int) -> Response:
    """The receiving OPD agrees or refuses."""
    change = db.get_or_404(PlacementChange, change_id)
    ensure_visible(changes.can_decide(current_user, change))
    try:
        changes.decide_change(
            change,
            request.form.get("decision") == "agree",
            request.form.get("decision_reason", ""),
            current_user,
        )
    except Refused as refusal:
        show_refused(refusal)
    else:
        flash(
            "Pemindahan disetujui: jadwal sesi diperbarui."
            if change.status == "agreed"
            else "Pemindahan ditolak.",
            "success",
        )
    return redirect(url_for("sessions.changes_to_decide"))
