"""The integration API at ``/api/v1`` (shared/API.md): the toolkit every area's API builds on.

``portal.api`` knows no area. It gives bearer tokens (:mod:`.tokens`), the
``@require_api`` guard (:mod:`.auth`), JSON bodies checked against a schema
(:mod:`.body`), the one error shape (:mod:`.errors`), the OpenAPI document
(:mod:`.openapi`) and the schema pieces several areas share (:mod:`.schemas`).
Each area keeps its endpoints in its own ``api.py`` on a blueprint of its own;
the app factory nests them all under the ``/api/v1`` blueprint that
:func:`create_blueprint` builds, so every one of them answers errors in JSON, is
exempt from CSRF and shares the per-user rate limit.

How an area adds an endpoint
============================

1. Write the view in your area's ``api.py``, e.g. ``portal/slots/api.py``, on
   the area's own blueprint (named after the area; its endpoints are then
   ``api.<area>.<view>``)::

       from flask import Blueprint

       from portal.api import openapi
       from portal.api.auth import api_user, ensure_found, require_api
       from portal.api.body import DATE, SCHEDULE_ITEM, json_body
       from portal.api.errors import capacity_full, rule_error, validation_error

       bp = Blueprint("slots", __name__)

       SLOT = openapi.schema("Slot", {"type": "object", "properties": {...}})
       SLOT_CREATE = openapi.schema("SlotCreate", {
           "type": "object", "required": ["title"], "additionalProperties": False,
           "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 200},
                          "valid_from": DATE, "schedule": {"type": "array",
                          "items": SCHEDULE_ITEM}},
       })

       @bp.post("/slots")
       @require_api("slot.manage")               # 401 without a valid token, 403 by role
       @openapi.doc("Buat slot", body="SlotCreate", responses={201: "Slot"})  # tag: the area
       def create_slot():
           data = json_body("SlotCreate")       # 422 details.fields on bad shape/types
           slot = slot_services.create_slot(api_user(), data)   # the same service as the UI
           return slot_json(slot), 201   # the request commits; a refusal is answered 422

   Paths are written without ``/api/v1``: the parent blueprint adds it.
   ``@require_api(action)`` takes a ``portal.policy`` action (``None``: any role)
   and makes ``current_user`` / ``api_user()`` the token's owner, so services and
   ``audit.record`` work as in the web UI. For a record in the path use
   ``slot = visible(Slot, slot_id, policy.can_see_slot)`` (``portal.api.auth``:
   404 when missing or outside the organisation, alike); ``ensure_found(...)``,
   ``web.ensure_visible`` and ``abort(404)`` also answer in JSON here. Schema
   pieces shared by areas are in ``portal.api.schemas`` (``ID`` for a record id
   in a body or query string, ``ORG_REF``/``org_ref``); properties of one plain
   type are declared together with ``openapi.typed("integer", "id", "count")``.

2. Refuse with the helpers of ``portal.api.errors``: ``validation_error({field:
   [messages]})`` (422), ``rule_error(violations)`` (422 with ``details.rules``),
   ``capacity_full()`` (409) or ``ApiError(status, code, message, details)``.
   Raising one rolls the session back: nothing is written when a request fails.

3. Describe it with ``@openapi.doc(...)`` directly under the route decorator
   (or under ``@require_api``). Path parameters come from the route; 401, 403,
   429 (and 404 with path parameters, 422 with a body) are added for you; list
   others with ``errors=(409,)``. The operationId is ``api_<view name>``, so
   view names stay unique across areas. ``GET /api/v1/openapi.json`` is built
   from the url_map, so it lists exactly the routes that exist;
   ``tests/test_api_openapi.py`` fails for a route without ``@doc`` and
   validates the document, and a schemathesis run calls every operation with a
   valid token looking for 5xx.

4. A new area's blueprint is registered by adding it to the list in
   ``register_blueprints`` of the app factory (``portal/__init__.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, current_app, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.api import openapi
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


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# One limit object for every app built: the per-user budget is shared by all areas
# (the limiter applies a blueprint's limit to the blueprints nested in it).
RATE_LIMIT = limiter.shared_limit(_api_rate_limit, scope="api", key_func=rate_limit_key)


@limiter.exempt
@openapi.doc("Dokumen OpenAPI ini", public=True, tags=["meta"])
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of every endpoint that exists."""
    return jsonify(openapi.build_document(current_app))


def create_blueprint(areas: Iterable[Blueprint]) -> Blueprint:
    """The ``/api/v1`` blueprint with the areas' API blueprints nested in it.

    The parent's before/teardown hooks and error handlers apply to every nested
    blueprint. CSRF exemption is looked up on the innermost blueprint of a
    request, so each area's blueprint is exempted as well: bearer tokens are not
    sent by browsers on their own and the session cookie never authenticates
    the API.
    """
    bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
    bp.before_request(anonymous_by_default)
    bp.teardown_request(forget_request_state)
    bp.register_error_handler(HTTPException, handle_http_exception)
    bp.register_error_handler(500, handle_server_error)
    bp.register_error_handler(Refused, handle_refused)
    bp.register_error_handler(Forbidden, handle_forbidden)
    # An ApiError raised from code shared with other views still answers as JSON.
    bp.app_errorhandler(ApiError)(handle_api_error)
    bp.add_url_rule("/openapi.json", view_func=openapi_document, methods=["GET"])
    csrf.exempt(bp)
    RATE_LIMIT(bp)
    for area in areas:
        csrf.exempt(area)
        bp.register_blueprint(area)
    return bp
