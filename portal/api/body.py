"""Reading a JSON request body against the same schema the OpenAPI document shows.

``json_body(schema)`` returns the parsed object when it matches the JSON Schema
(2020-12, the dialect of OpenAPI 3.1), and raises a 422 ``validation_error``
with Indonesian messages per field otherwise. It checks shape and types only;
business rules stay in the services. Give a property ``"x-message"`` to replace
the generic message for that field (e.g. for a ``pattern``).

Field names in ``details.fields`` are dotted paths: ``schedule.0.start``. A body
that is not JSON, or not a JSON object, is reported under the field ``body``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from flask import request
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from portal.api import openapi
from portal.api.errors import validation_error

# Building blocks for request schemas.
DATE: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "x-message": "Tanggal tidak sah (format TTTT-BB-HH).",
}
TIME: dict[str, Any] = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "x-message": "Jam tidak sah (format JJ:MM).",
}
# A required text: something other than what Python's str.strip() removes (the server strips
# texts); spelled out so that ECMA and Python regular expressions agree.
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
WEEKDAY: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 6}
SCHEDULE_ITEM: dict[str, Any] = {
    "type": "object",
    "required": ["weekday", "start", "end"],
    "additionalProperties": False,
    "properties": {"weekday": WEEKDAY, "start": TIME, "end": TIME},
}

_TYPE_NAMES = {
    "string": "teks",
    "integer": "bilangan bulat",
    "number": "angka",
    "boolean": "true atau false",
    "array": "daftar",
    "object": "objek",
    "null": "null",
}


def _type_message(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return "Harus berupa " + " atau ".join(_TYPE_NAMES.get(n, n) for n in names) + "."


def _message(error: ValidationError) -> str:
    custom = error.schema.get("x-message") if isinstance(error.schema, Mapping) else None
    if custom and error.validator not in ("required", "additionalProperties"):
        return str(custom)
    kind, arg = error.validator, error.validator_value
    if kind == "type":
        return _type_message(arg)
    if kind == "enum":
        return "Harus salah satu dari: " + ", ".join(str(v) for v in arg) + "."
    if kind == "const":
        return f"Harus bernilai {str(arg).lower() if isinstance(arg, bool) else arg}."
    if kind == "minimum":
        return f"Minimal {arg}."
    if kind == "maximum":
        return f"Maksimal {arg}."
    if kind == "exclusiveMinimum":
        return f"Harus lebih dari {arg}."
    if kind == "exclusiveMaximum":
        return f"Harus kurang dari {arg}."
    if kind == "pattern" and arg == NOT_BLANK:
        return "Wajib diisi."
    if kind == "minLength":
        return "Wajib diisi." if arg == 1 else f"Minimal {arg} karakter."
    if kind == "maxLength":
        return f"Maksimal {arg} karakter."
    if kind == "minItems":
        return "Minimal satu butir." if arg == 1 else f"Minimal {arg} butir."
    if kind == "maxItems":
        return f"Maksimal {arg} butir."
    if kind == "uniqueItems":
        return "Tidak boleh ada butir yang sama."
    if kind == "format" and arg == "date":
        return "Tanggal tidak sah (format TTTT-BB-HH)."
    return "Isian tidak sah."


def _path(parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def schema_errors(data: Any, schema: openapi.SchemaLike) -> dict[str, list[str]]:
    """Indonesian messages per field for ``data`` against ``schema`` (empty when valid)."""
    # Component references (#/components/schemas/X) resolve against this root.
    root = {**openapi.as_schema(schema), "components": {"schemas": openapi.schemas()}}
    validator = Draft202012Validator(root, format_checker=FormatChecker())
    fields: dict[str, list[str]] = {}

    def add(parts: list[Any], message: str) -> None:
        bucket = fields.setdefault(_path(parts) or "body", [])
        if message not in bucket:
            bucket.append(message)

    for error in validator.iter_errors(data):
        for leaf in _leaves(error):
            base = list(leaf.absolute_path)
            if leaf.validator == "required":
                missing = [n for n in leaf.validator_value if n not in (leaf.instance or {})]
                for name in missing:
                    add([*base, name], "Wajib diisi.")
            elif leaf.validator == "additionalProperties" and isinstance(leaf.instance, dict):
                known = set(leaf.schema.get("properties", {}))
                for name in leaf.instance:
                    if name not in known:
                        add([*base, name], "Isian tidak dikenal.")
            else:
                add(base, _message(leaf))
    return fields


def _leaves(error: ValidationError) -> list[ValidationError]:
    # anyOf/oneOf report one error for the whole; its best sub-error says more.
    if error.validator in ("anyOf", "oneOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.relative_schema_path)))
        return [best] if best.validator != "type" else [error]
    return [error]


def json_body(schema: openapi.SchemaLike) -> dict[str, Any]:
    """The request's JSON object, validated against ``schema``; 422 when it does not fit."""
    data = request.get_json(silent=True)
    if data is None:
        raise validation_error(
            {"body": ["Isi permintaan harus berupa JSON (Content-Type: application/json)."]}
        )
    if not isinstance(data, dict):
        raise validation_error({"body": ["Isi permintaan harus berupa objek JSON."]})
    fields = schema_errors(data, schema)
    if fields:
        raise validation_error(fields)
    return data


def to_date(value: str | None) -> date | None:
    """An ISO date string (already validated) as a date."""
    return date.fromisoformat(value) if value else None


def to_time(value: str | None) -> time | None:
    """An ``HH:MM`` string (already validated) as a time."""
    return time.fromisoformat(value) if value else None
