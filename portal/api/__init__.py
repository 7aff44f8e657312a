"""The integration API at ``/api/v1`` (shared/API.md): one blueprint, bearer tokens, JSON errors.

How an area adds an endpoint
============================

1. Write the view in your area, e.g. ``portal/slots/api.py``, on this blueprint::

       from portal.api import bp, openapi
       from portal.api.auth import api_user, ensure_found, require_api
       from portal.api.body import DATE, SCHEDULE_ITEM, json_body
       from portal.api.errors import capacity_full, rule_error, validation_error

       SLOT = openapi.schema("Slot", {"type": "object", "properties": {...}})
       SLOT_CREATE = openapi.schema("SlotCreate", {
           "type": "object", "required": ["title"], "additionalProperties": False,
           "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 200},
                          "valid_from": DATE, "schedule": {"type": "array",
                          "items": SCHEDULE_ITEM}},
       })

       @bp.post("/slots")
       @require_api("slot.manage")               # 401 without a valid token, 403 by role
       @openapi.doc("Buat slot", body="SlotCreate", responses={201: "Slot"}, tags=["slots"])
       def create_slot():
           data = json_body("SlotCreate")       # 422 details.fields on bad shape/types
           slot = slot_services.create_slot(api_user(), data)   # the same service as the UI
           return slot_json(slot), 201   # the request commits; a refusal is answered 422

   ``@require_api(action)`` takes a ``portal.policy`` action (``None``: any role)
   and makes ``current_user`` / ``api_user()`` the token's owner, so services and
   ``audit.record`` work as in the web UI. For a record use
   ``ensure_found(policy.can_see_slot(api_user(), slot))`` (404 outside the
   organisation); ``web.ensure_visible`` and ``abort(404)`` also answer in JSON here.

2. Refuse with the helpers of ``portal.api.errors``: ``validation_error({field:
   [messages]})`` (422), ``rule_error(violations)`` (422 with ``details.rules``),
   ``capacity_full()`` (409) or ``ApiError(status, code, message, details)``.
   Raising one rolls the session back: nothing is written when a request fails.

3. Describe it with ``@openapi.doc(...)`` directly under the route decorator
   (or under ``@require_api``). Path parameters come from the route; 401, 403,
   429 (and 404 with path parameters, 422 with a body) are added for you; list
   others with ``errors=(409,)``. ``GET /api/v1/openapi.json`` is built from the
   url_map, so it lists exactly the routes that exist; ``tests/test_api_openapi.py``
   fails for a route without ``@doc`` and validates the document, and a
   schemathesis run calls every operation with a valid token looking for 5xx.

4. Register your module by adding one import line in the block at the bottom
   of this file.

The blueprint is exempt from CSRF (bearer tokens are not sent by browsers on
their own; the session cookie never authenticates the API) and rate limited per
user (``API_RATE_LIMIT``, e.g. ``300 per minute``).
"""

from __future__ import annotations

from flask import Blueprint, current_app
from werkzeug.exceptions import HTTPException

from portal.api.auth import anonymous_by_default, forget_request_state, rate_limit_key
from portal.api.errors import (
    ApiError,
    handle_api_error,
    handle_forbidden,
    handle_http_exception,
    handle_refused,
    handle_server_error,
)
from portal.api.openapi import API_PREFIX
from portal.extensions import csrf, limiter
from portal.refusals import Forbidden, Refused

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)

csrf.exempt(bp)
bp.before_request(anonymous_by_default)
bp.teardown_request(forget_request_state)
bp.register_error_handler(HTTPException, handle_http_exception)
bp.register_error_handler(500, handle_server_error)
bp.register_error_handler(Refused, handle_refused)
bp.register_error_handler(Forbidden, handle_forbidden)
# An ApiError raised from code shared with other views still answers as JSON.
bp.app_errorhandler(ApiError)(handle_api_error)


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.shared_limit(_api_rate_limit, scope="api", key_func=rate_limit_key)(bp)


def is_api_request(path: str) -> bool:
    """True for paths under /api/v1 (used to answer errors there in JSON)."""
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


# --- endpoint modules: one line per area -------------------------------------
from portal.agreements import api as agreements_api  # noqa: E402, F401
from portal.api import core  # noqa: E402, F401 - routes register on bp
from portal.attendance import api as attendance_api  # noqa: E402, F401 - issue 5
from portal.clients import api as clients_api  # noqa: E402, F401
from portal.monitoring import api as monitoring_api  # noqa: E402, F401
from portal.notifications import api as notifications_api  # noqa: E402, F401
from portal.placements import api as placements_api  # noqa: E402, F401
from portal.sessions import api as sessions_api  # noqa: E402, F401 - issue 14
from portal.slots import api as slots_api  # noqa: E402, F401 - issue 4
