"""Agreements (Nota Kesepakatan) and their Rencana Kerja."""

from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/kesepakatan")

from portal.agreements import routes  # noqa: E402, F401
