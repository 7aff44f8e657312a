"""Landing dashboards: each role sees what it needs first."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.agreements.services import ranked_agreements
from portal.dashboard.widgets import SHOWN, widgets_for
from portal.web import require

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def home() -> Response:
    """Send visitors to sign in and users to their dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


@bp.route("/beranda")
@require("dashboard.view")
def index() -> str:
    """The role's own dashboard: its agreements, the most urgent first, and its widgets."""
    user = current_user._get_current_object()  # noqa: SLF001 - the User, read by every widget
    agreements = ranked_agreements(user)
    warnings = [(a, v) for a, v in agreements if v.state in ("expiring", "expired")]
    return render_template(
        f"dashboard/{user.role}.html",
        agreements=agreements[:SHOWN],
        agreements_total=len(agreements),
        expiry_warnings=warnings[:SHOWN],
        more_warnings=len(warnings[SHOWN:]),
        widgets=widgets_for(user),
    )
