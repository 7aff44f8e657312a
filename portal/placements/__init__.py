"""Placements: bookings of clients into slots, confirmed by the OPD."""

from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/penempatan")

from portal.placements import routes  # noqa: E402, F401
