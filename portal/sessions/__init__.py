"""Planned work sessions of placements, their outcomes, the PJ's roster and the calendars."""

from flask import Blueprint

bp = Blueprint("sessions", __name__, url_prefix="/sesi")

from portal.sessions import change_routes, list_routes, permit_routes, routes  # noqa: E402, F401
