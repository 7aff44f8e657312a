"""Receiving and profiling clients, and matching them to slots (the PK's workflow)."""

from flask import Blueprint

bp = Blueprint("clients", __name__, url_prefix="/klien")

from portal.clients import document_routes, list_routes, routes, stage_one, widgets  # noqa: E402, F401
