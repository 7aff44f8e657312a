"""Attendance: daily records of the work, their verification and the hours ledger."""

from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/kehadiran")

from portal.attendance import routes, widgets  # noqa: E402, F401
