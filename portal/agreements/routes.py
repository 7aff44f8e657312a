"""Agreement list and detail pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import policy
from portal.agreements import bp
from portal.agreements.forms import AgreementForm
from portal.agreements.rules import AgreementInput, one_year_after
from portal.agreements.services import (
    AgreementError,
    activities_by_stage,
    list_agreements,
    save_agreement,
    validity,
)
from portal.extensions import db
from portal.models import Agreement, Bapas, Pemda
from portal.web import ensure_visible, require


@bp.route("/")
@require("agreement.view")
def index() -> str:
    """Agreements the user is a party to."""
    agreements = list_agreements(current_user)
    return render_template(
        "agreements/index.html",
        rows=[(a, validity(a)) for a in agreements],
    )


@bp.route("/<int:agreement_id>")
@require("agreement.view")
def detail(agreement_id: int) -> str:
    """One agreement: parties, numbers, validity, Rencana Kerja and addenda."""
    agreement = db.get_or_404(Agreement, agreement_id)
    ensure_visible(policy.can_see_agreement(current_user, agreement))
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        validity=validity(agreement),
        stages=activities_by_stage(agreement),
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
        except AgreementError as err:
            db.session.rollback()
            for field, message in err.errors.items():
                getattr(form, field).errors.append(message)
        else:
            db.session.commit()
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
