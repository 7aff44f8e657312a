"""Agreements (Nota Kesepakatan) and their Rencana Kerja."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/kesepakatan")

from portal.agreements import routes  # noqa: E402, F401


@bp.app_template_global("addendum_action")
def _addendum_action(agreement: object) -> tuple[str, str]:
    """For expiry warnings: the (label, url) the reader can follow (see routes.addendum_action)."""
    from portal.agreements.routes import addendum_action

    return addendum_action(agreement)  # type: ignore[arg-type]


@bp.app_template_global("slots_to_extend")
def _slots_to_extend() -> list[tuple[object, list[object]]]:
    """For an OPD admin: his slots an addendum in force has left behind, by agreement."""
    from portal.agreements.routes import slots_to_extend

    return slots_to_extend()  # type: ignore[return-value]
