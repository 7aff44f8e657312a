"""Agreements (Nota Kesepakatan) and their Rencana Kerja."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint

if TYPE_CHECKING:
    from portal.models import Agreement

bp = Blueprint("agreements", __name__, url_prefix="/kesepakatan")

from portal.agreements import routes  # noqa: E402, F401


@bp.app_template_global("addendum_action")
def _addendum_action(agreement: Agreement) -> tuple[str, str]:
    """For expiry warnings: the (label, url) the reader can follow (see routes.addendum_action)."""
    from portal.agreements.routes import addendum_action

    return addendum_action(agreement)


@bp.app_template_global("slots_to_extend")
def _slots_to_extend() -> list[tuple[Agreement, list[Any]]]:
    """For an OPD admin: his slots an addendum in force has left behind, by agreement."""
    from portal.agreements.routes import slots_to_extend

    return slots_to_extend()


@bp.app_template_global("expired_agreements")
def _expired_agreements() -> list[tuple[object, object]]:
    """The reader's agreements that have ended, with their validity (for a notice on pages
    where publishing or booking has stopped)."""
    from flask_login import current_user

    from portal.agreements.services import list_agreements, validity

    if not current_user.is_authenticated:
        return []
    rows = [(a, validity(a)) for a in list_agreements(current_user)]
    return [(a, v) for a, v in rows if v.state == "expired"]
