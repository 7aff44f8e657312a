"""API.md "Me": who the bearer token belongs to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from portal.api import openapi
from portal.api.auth import api_user, require_api
from portal.models import Role, User

bp = Blueprint("auth", __name__)

openapi.schema(
    "Me",
    {
        "type": "object",
        "required": ["username", "role", "organisation"],
        "properties": {
            **openapi.typed("string", "username", "full_name"),
            "role": {"type": "string", "enum": list(Role.ALL)},
            "organisation": {
                "type": "object",
                "required": ["type", "id", "name"],
                "description": "Untuk admin sistem: type dan id null.",
                "properties": {
                    "type": {"type": ["string", "null"], "enum": ["bapas", "pemda", "opd", None]},
                    "id": {"type": ["integer", "null"]},
                    "name": {"type": "string"},
                },
            },
        },
    },
)


def me_json(user: User) -> dict[str, Any]:
    """The caller as API.md's ``me`` resource."""
    org = user.organisation
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": {
            "type": user.organisation_type,
            "id": org.id if org is not None else None,
            "name": user.organisation_name,
        },
    }


@bp.get("/me")
@require_api()
@openapi.doc("Akun pemanggil: peran dan organisasi", responses={200: "Me"}, tags=["me"])
def me() -> Response:
    """Who the token belongs to."""
    return jsonify(me_json(api_user()))
