"""Schema pieces and JSON shapes that several areas' API modules share."""

from __future__ import annotations

from typing import Any

from portal.api import openapi
from portal.models.base import MAX_ID

# A record id in a body or a query string (a path's <int:...> is bounded by the URL converter).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

ORG_REF = openapi.schema(
    "OrganisationRef",
    {
        "type": "object",
        "required": ["id", "code", "name"],
        "properties": {
            **openapi.typed("integer", "id"),
            **openapi.typed("string", "code", "name"),
        },
    },
)


def org_ref(org: Any) -> dict[str, Any]:
    """A Bapas, Pemda or OPD as ``{id, code, name}``."""
    return {"id": org.id, "code": org.code, "name": org.name}
