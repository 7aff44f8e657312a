"""Agreement list and detail pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import clock, policy, uploads
from portal.agreements import addenda
from portal.agreements.forms import AddendumForm, AgreementForm
from portal.agreements.rules import AgreementInput, one_year_after
from portal.agreements.services import (
    activities_by_stage,
    expired_agreements_of,
    list_agreements,
    save_agreement,
    validity,
)
from portal.agreements.validity import URGENCY, states_counted
from portal.extensions import db
from portal.forms import show_refused
from portal.models import Addendum, Agreement, Bapas, Pemda
from portal.refusals import Refused
from portal.web import require, upload_limit, visible_or_404

bp = Blueprint("agreements", __name__, url_prefix="/kesepakatan")


@bp.route("/")
@require("agreement.view")
def index() -> str:
    """Agreements the user is a party to, all or those in one state (``?keadaan=``, the
    links of the dashboard's validity widget)."""
    rows = [(a, validity(a)) for a in list_agreements(current_user)]
    state = request.args.get("keadaan", "")
    if state not in URGENCY:
        state = ""
    return render_template(
        "agreements/index.html",
        rows=[(a, v) for a, v in rows if not state or v.state == state],
        total=len(rows),
        state=state,
        states=states_counted(v for _, v in rows),
    )


@bp.route("/<int:agreement_id>")
@require("agreement.view")
def detail(agreement_id: int) -> str:
    """One agreement: parties, numbers, validity, Rencana Kerja and addenda."""
    agreement = _visible_agreement(agreement_id)
    left_behind = []
    if policy.may(current_user, "slot.manage") and current_user.opd_id is not None:
        left_behind = addenda.slots_left_behind(agreement, current_user.opd_id)
    pending = addenda.pending_addendum(agreement)
    may_confirm = may_withdraw = False
    if pending is not None:
        may_confirm = policy.can_confirm_addendum(current_user, agreement, pending.proposed_party)
        may_withdraw = policy.can_withdraw_addendum(current_user, agreement, pending.proposed_party)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        validity=validity(agreement),
        stages=activities_by_stage(agreement),
        history=addenda.addenda_of(agreement),
        pending=pending,
        may_confirm=may_confirm,
        may_withdraw=may_withdraw,
        may_propose=policy.can_propose_addendum(current_user, agreement),
        party=policy.agreement_party(current_user, agreement),
        left_behind=left_behind,
    )


def _agreement_form_page(form: AgreementForm, agreement: Agreement | None) -> str | Response:
    form.bapas_id.choices = [
        (b.id, b.name) for b in db.session.scalars(select(Bapas).order_by(Bapas.name))
    ]
    form.pemda_id.choices = [
        (p.id, p.name) for p in db.session.scalars(select(Pemda).order_by(Pemda.name))
    ]
    if form.validate_on_submit():
        valid_until = form.valid_until.data
        if valid_until is None and form.signed_on.data is not None:
            valid_until = one_year_after(form.signed_on.data)
        data = AgreementInput(
            status=form.status.data or "draft",
            number_bapas=form.number_bapas.data or "",
            number_pemda=form.number_pemda.data or "",
            signed_on=form.signed_on.data,
            valid_until=valid_until,
        )
        try:
            saved = save_agreement(
                agreement,
                bapas_id=form.bapas_id.data,
                pemda_id=form.pemda_id.data,
                title=form.title.data or "",
                data=data,
                signatory_bapas=form.signatory_bapas.data or "",
                signatory_pemda=form.signatory_pemda.data or "",
                notes=form.notes.data or "",
            )
        except Refused as err:
            form.show_refused(err)
        else:
            flash("Kesepakatan tersimpan.", "success")
            return redirect(url_for("agreements.detail", agreement_id=saved.id))
    return render_template("agreements/form.html", form=form, agreement=agreement)


@bp.route("/baru", methods=["GET", "POST"])
@require("agreement.manage")
def create() -> str | Response:
    """Record a new agreement between a Bapas and a Pemda."""
    return _agreement_form_page(AgreementForm(), None)


@bp.route("/<int:agreement_id>/ubah", methods=["GET", "POST"])
@require("agreement.manage")
def edit(agreement_id: int) -> str | Response:
    """Change an agreement: e.g. a draft that has been signed becomes active."""
    agreement = db.get_or_404(Agreement, agreement_id)
    return _agreement_form_page(AgreementForm(obj=agreement), agreement)


# --- addenda (NK Pasal 15) -----------------------------------------------------------


def _visible_agreement(agreement_id: int) -> Agreement:
    return visible_or_404(Agreement, agreement_id, policy.can_see_agreement)


def _visible_addendum(addendum_id: int) -> Addendum:
    return visible_or_404(
        Addendum, addendum_id, lambda u, r: policy.can_see_agreement(u, r.agreement)
    )


@bp.route("/<int:agreement_id>/addendum", methods=["GET", "POST"])
@require("agreement.addendum")
def addendum_new(agreement_id: int) -> str | Response:
    """A party proposes an addendum; the admin records one both parties signed."""
    agreement = _visible_agreement(agreement_id)
    if not policy.can_propose_addendum(current_user, agreement):
        abort(403)
    pending = addenda.pending_addendum(agreement)
    if pending is not None and request.method == "GET":
        flash("Masih ada Addendum yang menunggu persetujuan: putuskan atau tarik dulu.", "warning")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id, _anchor="addendum"))
    form = AddendumForm()
    admin = policy.is_admin(current_user)
    if form.validate_on_submit():
        scan = addenda.Scan.of(request.files.get(form.scan.name))
        data = addenda.AddendumInput(
            number_bapas=form.number_bapas.data or "",
            number_pemda=form.number_pemda.data or "",
            signed_on=form.signed_on.data,
            valid_until=form.valid_until.data,
            summary=form.summary.data or "",
        )
        folder = current_app.config["UPLOAD_FOLDER"]
        where: dict[str, Any] = {
            "scan": scan,
            "upload_folder": folder,
            "max_bytes": upload_limit(),
        }
        try:
            if admin:
                addenda.record_signed_addendum(
                    agreement,
                    data,
                    current_user,
                    extend_slots=bool(form.extend_slots.data),
                    **where,
                )
            else:
                addenda.propose_addendum(agreement, data, current_user, **where)
        except Refused as refused:
            show_refused(refused, form, flash_rest=True)
        else:
            flash(
                "Addendum tercatat dan berlaku."
                if admin
                else "Addendum diusulkan; berlaku setelah disetujui pihak lain.",
                "success",
            )
            return redirect(
                url_for("agreements.detail", agreement_id=agreement.id, _anchor="addendum")
            )
    elif request.method == "GET":
        form.signed_on.data = clock.today()
        end = agreement.effective_valid_until
        if end is not None:
            # another year from the old end, or from today if that is long past
            form.valid_until.data = one_year_after(end)
            if form.valid_until.data <= clock.today():
                form.valid_until.data = one_year_after(clock.today())
    return render_template(
        "agreements/addendum_form.html",
        agreement=agreement,
        form=form,
        validity=validity(agreement),
        admin=admin,
        max_mb=upload_limit() // (1024 * 1024),
    )


def _decision(addendum_id: int, step: str) -> Response:
    addendum = _visible_addendum(addendum_id)
    try:
        if step == "confirm":
            addenda.confirm_addendum(
                addendum, current_user, extend_slots=request.form.get("extend_slots") == "y"
            )
            message = "Addendum disetujui dan berlaku."
            if addendum.slots_extended:
                message += f" {addendum.slots_extended} slot ikut diperpanjang."
        elif step == "refuse":
            addenda.refuse_addendum(addendum, current_user, request.form.get("reason", ""))
            message = "Addendum ditolak."
        else:
            addenda.withdraw_addendum(addendum, current_user)
            message = "Usulan Addendum ditarik."
    except Refused as refused:
        show_refused(refused)
    else:
        flash(message, "success")
    return redirect(
        url_for("agreements.detail", agreement_id=addendum.agreement_id, _anchor="addendum")
    )


@bp.route("/addendum/<int:addendum_id>/setujui", methods=["POST"])
@require("agreement.addendum")
def addendum_confirm(addendum_id: int) -> Response:
    """The other party agrees: the addendum binds (and, if asked, the slots move with it)."""
    return _decision(addendum_id, "confirm")


@bp.route("/addendum/<int:addendum_id>/tolak", methods=["POST"])
@require("agreement.addendum")
def addendum_refuse(addendum_id: int) -> Response:
    """The other party does not agree, with a reason."""
    return _decision(addendum_id, "refuse")


@bp.route("/addendum/<int:addendum_id>/tarik", methods=["POST"])
@require("agreement.addendum")
def addendum_withdraw(addendum_id: int) -> Response:
    """The proposing party withdraws its proposal."""
    return _decision(addendum_id, "withdraw")


@bp.route("/addendum/<int:addendum_id>/pindaian")
@require("agreement.view")
def addendum_scan(addendum_id: int) -> Response:
    """The signed scan, only for the parties; always as a download."""
    addendum = _visible_addendum(addendum_id)
    path = addenda.scan_path(current_app.config["UPLOAD_FOLDER"], addendum)
    if path is None or not path.is_file():
        abort(404)
    return uploads.serve(path, "application/pdf", addendum.scan_original or "addendum.pdf")


@bp.route("/<int:agreement_id>/perpanjang-slot", methods=["POST"])
@require("slot.manage")
def extend_slots(agreement_id: int) -> Response:
    """The OPD admin moves his slots that ended with the old end date, in one step."""
    agreement = _visible_agreement(agreement_id)
    count = addenda.extend_opd_slots(agreement, current_user)
    end = agreement.effective_valid_until
    flash(
        f"{count} slot diperpanjang sampai {end.strftime('%d-%m-%Y') if end else '—'}.",
        "success" if count else "info",
    )
    if request.form.get("back") == "slots":
        return redirect(url_for("slots.index"))
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


@bp.app_template_global("addendum_action")
def addendum_action(agreement: Agreement) -> tuple[str, str]:
    """Where an expiry warning leads this reader: the addendum step he may take, else the
    explanation of what expiry means."""
    detail_url = url_for("agreements.detail", agreement_id=agreement.id)
    if not current_user.is_authenticated:
        return "Lihat kesepakatan", detail_url
    pending = addenda.pending_shown(agreement)
    if pending is not None:
        if policy.can_confirm_addendum(current_user, agreement, pending.proposed_party):
            return "Tinjau dan setujui Addendum", detail_url + "#addendum-pending"
        if policy.can_withdraw_addendum(current_user, agreement, pending.proposed_party):
            return "Lihat usulan Addendum Anda", detail_url + "#addendum-pending"
    elif policy.can_propose_addendum(current_user, agreement):
        label = "Catat Addendum" if policy.is_admin(current_user) else "Usulkan Addendum"
        return label, url_for("agreements.addendum_new", agreement_id=agreement.id)
    return "Apa artinya?", detail_url + "#masa-berlaku"


@bp.app_template_global("slots_to_extend")
def slots_to_extend() -> list[tuple[Agreement, list[Any]]]:
    """The OPD admin's slots that ended with an agreement's old end, by agreement."""
    if not policy.may(current_user, "slot.manage") or current_user.opd is None:
        return []
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.pemda_id == current_user.opd.pemda_id)
    )
    found = []
    for agreement in agreements:
        slots = addenda.slots_left_behind(agreement, current_user.opd_id)
        if slots:
            found.append((agreement, slots))
    return found


@bp.app_template_global("expired_agreements")
def expired_agreements() -> list[tuple[Agreement, Any]]:
    """The reader's agreements that have ended, with their validity (for a notice on pages
    where publishing or booking has stopped)."""
    if not current_user.is_authenticated:
        return []
    return expired_agreements_of(current_user)
