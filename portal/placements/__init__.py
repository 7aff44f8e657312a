"""Placements: bookings of clients into slots, confirmed by the OPD."""

from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/penempatan")
# Matching and booking start from a client, so their pages keep the client's paths.
booking_bp = Blueprint("booking", __name__, url_prefix="/klien")

from portal.placements import booking, routes  # noqa: E402, F401
