"""Sign-in, sign-out, password and profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import oidc, routes  # noqa: E402, F401 - routes register on bp
