"""Monitoring for the Setda and the Kepala Bapas: indicators, Rencana Kerja, reports, map."""

from flask import Blueprint

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

from portal.monitoring import routes, widgets  # noqa: E402, F401
