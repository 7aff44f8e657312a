"""Supervision of placed clients: hours ledger, PK visits and assessments, conduct, closure."""

from flask import Blueprint

bp = Blueprint("supervision", __name__, url_prefix="/pengawasan")

from portal.supervision import routes  # noqa: E402, F401
