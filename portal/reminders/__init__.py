"""Reminders: what waits for each user, on a page and as a count in the navbar."""

from flask import Blueprint

bp = Blueprint("reminders", __name__, url_prefix="/pengingat")

from portal.reminders import routes  # noqa: E402, F401
