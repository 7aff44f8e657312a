"""Agreement list and detail pages."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal import policy
from portal.agreements import bp
from portal.agreements.services import activities_by_stage, list_agreements, validity
from portal.extensions import db
from portal.models import Agreement
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
