"""The API's one error shape: ``{"error": code, "message": Indonesian text, "details": {...}}``.

Raise :class:`ApiError` (or use the helpers) anywhere inside an API view or a
function it calls; the blueprint turns it into JSON and rolls the session back,
so nothing is written when a request fails. HTTP errors (``abort(404)``, 405,
413, 429, a crash) under ``/api/v1`` get the same shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.refusals import Forbidden, Refused

# Default code and Indonesian message per HTTP status.
STATUS_TEXT: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Permintaan tidak dapat diproses."),
    401: ("unauthorized", "Token API tidak ada, tidak sah, kedaluwarsa atau telah dicabut."),
    403: ("forbidden", "Peran Anda tidak berwenang melakukan tindakan ini."),
    404: ("not_found", "Data atau alamat tidak ditemukan."),
    405: ("method_not_allowed", "Metode HTTP ini tidak didukung pada alamat ini."),
    409: ("conflict", "Permintaan bertentangan dengan keadaan data saat ini."),
    413: ("payload_too_large", "Isi permintaan terlalu besar."),
    415: ("unsupported_media_type", "Isi permintaan harus berformat JSON."),
    422: ("validation_error", "Isian tidak sah. Belum ada yang disimpan."),
    429: ("rate_limited", "Terlalu banyak permintaan. Coba lagi sebentar lagi."),
    500: ("server_error", "Terjadi kesalahan pada server. Silakan coba lagi nanti."),
    503: ("service_unavailable", "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi."),
}


class ApiError(Exception):
    """An error answered as JSON with ``status``; ``code`` is a stable machine code."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        default_code, default_message = STATUS_TEXT.get(status, STATUS_TEXT[500])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.details = dict(details or {})
        self.headers = dict(headers or {})
        super().__init__(f"{status} {self.code}: {self.message}")


def validation_error(
    fields: Mapping[str, Iterable[str] | str], message: str | None = None
) -> ApiError:
    """422 ``validation_error`` with ``details.fields = {field: [messages]}``."""
    normalised = {
        name: [msgs] if isinstance(msgs, str) else list(msgs) for name, msgs in fields.items()
    }
    return ApiError(422, "validation_error", message, {"fields": normalised})


def rule_error(violations: Iterable[Any], message: str | None = None) -> ApiError:
    """422 ``rule_violation`` with ``details.rules = [{code, message}]``.

    Each violation is a ``(code, message)`` pair, a mapping with those keys, or an
    object with ``code`` and ``message`` attributes (e.g. the matching engine's
    ``RuleViolation``).
    """
    rules = []
    for v in violations:
        if isinstance(v, Mapping):
            code, text = v["code"], v["message"]
        elif isinstance(v, tuple):
            code, text = v
        else:
            code, text = v.code, v.message
        rules.append({"code": str(code), "message": str(text)})
    return ApiError(
        422,
        "rule_violation",
        message or "Permintaan ditolak karena melanggar aturan penempatan.",
        {"rules": rules},
    )


def capacity_full(message: str | None = None) -> ApiError:
    """409 ``capacity_full``: the slot has no free seat."""
    return ApiError(409, "capacity_full", message or "Kuota slot sudah penuh.")


def not_found(message: str | None = None) -> ApiError:
    """404: the record does not exist or lies outside the caller's organisation."""
    return ApiError(404, "not_found", message)


def error_response(error: ApiError) -> Response:
    """The JSON response for ``error``."""
    response = jsonify({"error": error.code, "message": error.message, "details": error.details})
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    if error.status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="portal-sinergi"')
    return response


def handle_api_error(error: ApiError) -> Response:
    """Blueprint handler: roll back whatever the request did, answer in the error shape."""
    db.session.rollback()
    return error_response(error)


RULE_MESSAGE = "Permintaan ditolak karena melanggar aturan. Belum ada yang disimpan."


def refused_error(refused: Refused) -> ApiError:
    """A service's refusal in the error shape: 422 ``validation_error`` or ``rule_violation``
    (``details.fields`` / ``details.rules``), or its conflict (409 ``capacity_full`` ...)."""
    code = refused.error_code()
    default = RULE_MESSAGE if code == "rule_violation" else None
    return ApiError(refused.status, code, refused.message or default, refused.error_details())


def handle_refused(refused: Refused) -> Response:
    """Blueprint handler: every service refusal, answered in one place."""
    db.session.rollback()
    return error_response(refused_error(refused))


def handle_forbidden(forbidden: Forbidden) -> Response:
    """Blueprint handler: a step the caller's role or party may not take (403)."""
    db.session.rollback()
    return error_response(ApiError(403, "forbidden", forbidden.message or None))


def handle_http_exception(error: HTTPException) -> Response:
    """Turn a werkzeug HTTP error (404, 405, 413, 429, ...) into the error shape."""
    db.session.rollback()
    status = error.code or 500
    details: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if status == 405:
        allowed = [m for m in (getattr(error, "valid_methods", None) or []) if m != "OPTIONS"]
        details["allowed_methods"] = sorted(allowed)
        if allowed:
            headers["Allow"] = ", ".join(sorted(allowed))
    if status == 429:
        details["limit"] = str(getattr(error, "description", "") or "")
        retry = error.get_headers() if hasattr(error, "get_headers") else []
        headers.update({k: v for k, v in retry if k.lower() == "retry-after"})
    return error_response(ApiError(status, None, None, details, headers))


def handle_server_error(error: Exception) -> Response:
    """Any crash inside the API: 500 in the error shape, no internals revealed."""
    db.session.rollback()
    return error_response(ApiError(500))
