"""The OpenAPI 3.1 document, built from the routes that exist.

Each API view carries its own description through the :func:`doc` decorator;
:func:`build_document` walks the app's url_map, so the document lists exactly
the ``/api/v1`` routes that exist and a route without ``@doc`` is caught by the
test suite. Reusable schemas are registered with :func:`schema` next to the
endpoints that return them and referenced by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask import Flask

API_PREFIX = "/api/v1"
OPENAPI_VERSION = "3.1.0"
F = TypeVar("F", bound=Callable[..., Any])

SchemaLike = str | Mapping[str, Any]

_SCHEMAS: dict[str, dict[str, Any]] = {}

ERROR_DESCRIPTIONS: dict[int, str] = {
    401: "Token tidak ada, tidak sah, kedaluwarsa atau dicabut.",
    403: "Peran pemanggil tidak berwenang.",
    404: "Data tidak ada atau di luar organisasi pemanggil.",
    409: "Bertentangan dengan keadaan data (mis. `capacity_full`).",
    413: "Isi permintaan terlalu besar.",
    422: "Isian tidak sah (`details.fields`) atau melanggar aturan (`details.rules`).",
    429: "Batas jumlah permintaan terlampaui.",
    503: "Layanan sedang tidak tersedia (basis data tidak dapat dihubungi); coba lagi.",
}

_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer", "minimum": 0},
    "float": {"type": "number", "minimum": 0},
    "string": {"type": "string"},
    "default": {"type": "string"},
    "path": {"type": "string"},
    "uuid": {"type": "string", "format": "uuid"},
}
_RULE_ARG = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def ref(name: str) -> dict[str, str]:
    """A reference to a registered component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def as_schema(value: SchemaLike) -> dict[str, Any]:
    """A component name becomes a reference; a mapping is used as it is."""
    return ref(value) if isinstance(value, str) else dict(value)


def schema(name: str, definition: Mapping[str, Any]) -> dict[str, str]:
    """Register a component schema under ``name``; returns a reference to it."""
    existing = _SCHEMAS.get(name)
    if existing is not None and existing != dict(definition):
        raise ValueError(f"OpenAPI schema {name!r} registered twice with different content")
    _SCHEMAS[name] = dict(definition)
    return ref(name)


def schemas() -> dict[str, dict[str, Any]]:
    """All registered component schemas."""
    return dict(_SCHEMAS)


def typed(json_type: str | list[str], *names: str, **extra: Any) -> dict[str, dict[str, Any]]:
    """Properties ``names`` that share one plain schema, e.g. ``typed("integer", "id", "count")``.

    ``json_type`` may be a list (``["string", "null"]``); ``extra`` adds keywords such as
    ``format="date"``. Spread it into a ``properties`` mapping with ``**``.
    """
    return {name: {"type": json_type, **extra} for name in names}


def array_of(item: SchemaLike) -> dict[str, Any]:
    """An array of ``item``."""
    return {"type": "array", "items": as_schema(item)}


def nullable(value: SchemaLike) -> dict[str, Any]:
    """``value`` or null."""
    return {"anyOf": [as_schema(value), {"type": "null"}]}


def query(
    name: str,
    type_: str | Mapping[str, Any] = "string",
    description: str = "",
    required: bool = False,
) -> dict[str, Any]:
    """A query parameter; ``type_`` is a JSON type name or a full schema."""
    param_schema = {"type": type_} if isinstance(type_, str) else dict(type_)
    param: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": required,
        "schema": param_schema,
    }
    if description:
        param["description"] = description
    return param


def doc(
    summary: str,
    *,
    responses: Mapping[int, SchemaLike | None] | None = None,
    description: str = "",
    tags: Iterable[str] = (),
    parameters: Iterable[Mapping[str, Any]] = (),
    body: SchemaLike | None = None,
    errors: Iterable[int] = (),
    public: bool = False,
) -> Callable[[F], F]:
    """Describe an API view for the OpenAPI document (put it under ``@bp.get(...)``).

    ``responses`` maps success statuses to a schema or component name (None for
    no body, e.g. 204). ``body`` is the JSON request body. The error responses
    401, 403 and 429 are added unless ``public``; 404 when the path has
    parameters; 422 when there is a body; list others (e.g. 409) in ``errors``.
    Path parameters are taken from the route itself. Without ``tags`` an area's
    endpoint is tagged with the area's name.
    """

    def decorator(view: F) -> F:
        view._openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "description": description,
            "tags": list(tags),
            "parameters": [dict(p) for p in parameters],
            "body": body,
            "responses": dict(responses or {200: {"type": "object"}}),
            "errors": set(errors),
            "public": public,
        }
        return view

    return decorator


def openapi_path(rule: str) -> tuple[str, list[tuple[str, str]]]:
    """A werkzeug rule as an OpenAPI path, with its parameters (name, converter)."""
    params = [(m["name"], m["converter"] or "default") for m in _RULE_ARG.finditer(rule)]
    return _RULE_ARG.sub(lambda m: "{" + m["name"] + "}", rule), params


def _content(value: SchemaLike) -> dict[str, Any]:
    return {"application/json": {"schema": as_schema(value)}}


def operation_id(endpoint: str) -> str:
    """``api.<area>.<view>`` → ``api_<view>``: stable whichever area's blueprint holds the view."""
    return "api_" + endpoint.rsplit(".", 1)[-1]


def _default_tag(endpoint: str) -> str:
    """An area's endpoints (``api.<area>.<view>``) are tagged with the area; others with
    the first word of the view."""
    parts = endpoint.split(".")
    return parts[1] if len(parts) == 3 else parts[-1].split("_", 1)[0]


def _operation(meta: dict[str, Any], endpoint: str, path_params: list[tuple[str, str]]) -> dict:
    op: dict[str, Any] = {"operationId": operation_id(endpoint), "summary": meta["summary"]}
    if meta["description"]:
        op["description"] = meta["description"]
    op["tags"] = meta["tags"] or [_default_tag(endpoint)]
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": dict(_CONVERTER_SCHEMAS.get(conv, _CONVERTER_SCHEMAS["default"])),
        }
        for name, conv in path_params
    ]
    parameters += meta["parameters"]
    if parameters:
        op["parameters"] = parameters
    if meta["body"] is not None:
        op["requestBody"] = {"required": True, "content": _content(meta["body"])}
    responses: dict[str, Any] = {}
    for status, value in sorted(meta["responses"].items()):
        entry: dict[str, Any] = {"description": "Berhasil."}
        if value is not None:
            entry["content"] = _content(value)
        responses[str(status)] = entry
    errors = set(meta["errors"])
    if not meta["public"]:
        errors |= {401, 403, 429, 503}
    if path_params:
        errors.add(404)
    if meta["body"] is not None:
        errors |= {413, 422}
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    op["responses"] = responses
    op["security"] = [] if meta["public"] else [{"bearerAuth": []}]
    return op


def api_rules(app: Flask) -> list[Any]:
    """The url_map rules under /api/v1, in a stable order."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(API_PREFIX + "/")]
    return sorted(rules, key=lambda r: (r.rule, r.endpoint))


def undocumented_endpoints(app: Flask) -> list[str]:
    """API endpoints that have no ``@doc`` (the test suite requires none)."""
    views = app.view_functions
    return [r.endpoint for r in api_rules(app) if not hasattr(views[r.endpoint], "_openapi")]


def build_document(app: Flask) -> dict[str, Any]:
    """The full OpenAPI document for the routes registered on ``app``."""
    paths: dict[str, dict[str, Any]] = {}
    owners: dict[str, str] = {}
    for rule in api_rules(app):
        meta = getattr(app.view_functions[rule.endpoint], "_openapi", None)
        if meta is None:
            continue
        if owners.setdefault(operation_id(rule.endpoint), rule.endpoint) != rule.endpoint:
            raise ValueError(f"Two API views named like {rule.endpoint!r}: rename one")
        path, params = openapi_path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(meta, rule.endpoint, params)
    error_responses = {
        f"E{status}": {
            "description": text,
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for status, text in ERROR_DESCRIPTIONS.items()
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Portal Sinergi API",
            "version": "1",
            "description": (
                "API integrasi Portal Sinergi (pidana kerja sosial Bapas dan Pemda). "
                "Autentikasi: `Authorization: Bearer <token>` dengan token pribadi dari "
                "halaman profil atau `flask --app portal tokens create USERNAME`. "
                "Setiap galat berbentuk `{error, message, details}`."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(_SCHEMAS.items())),
            "responses": error_responses,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Token API pribadi (awalan `psk_`).",
                }
            },
        },
        "security": [{"bearerAuth": []}],
    }


schema(
    "Error",
    {
        "type": "object",
        "required": ["error", "message", "details"],
        "properties": {
            "error": {"type": "string", "description": "Kode galat yang stabil."},
            "message": {"type": "string", "description": "Penjelasan untuk manusia."},
            "details": {
                "type": "object",
                "properties": {
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    "rules": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
)
