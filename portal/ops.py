"""Operations: health probes, request ids, JSON logs and optional error reporting.

* ``GET /healthz`` answers 200 while the process serves requests (liveness).
* ``GET /readyz`` answers 200 when the database (and Redis, when the rate-limit
  store is Redis) answers, otherwise 503 naming the part that failed (readiness).
* Every request carries an id: the caller's ``X-Request-ID`` when it is a plain
  token, otherwise a new one. It is echoed in the response, written on every log
  line and in the audit log.
* Logs are JSON lines on standard error (``PORTAL_LOG_FORMAT=text`` for plain text).
* With ``PORTAL_SENTRY_DSN`` set (and the ``sentry`` extra installed), unhandled
  errors are reported to Sentry without any request data, user, local variable or
  message text: only the error's type and where in the code it happened.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Blueprint, Flask, current_app, g, has_request_context, jsonify, request
from sqlalchemy import text
from werkzeug.wrappers import Response

from portal.extensions import csrf, db, limiter

bp = Blueprint("ops", __name__)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
access_log = logging.getLogger("portal.access")


# --- probes ----------------------------------------------------------------------


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process is up and serving requests."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """Ready for traffic: every backing service the portal needs answers."""
    checks = {"database": _check_database()}
    redis_url = _redis_url(current_app)
    if redis_url:
        checks["redis"] = _check_redis(redis_url)
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        current_app.logger.warning("readiness: database unavailable", exc_info=True)
        return "unavailable"
    return "ok"


def _redis_url(app: Flask) -> str | None:
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    return uri if uri.startswith(("redis://", "rediss://", "redis+unix://")) else None


def _check_redis(url: str) -> str:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure (or no redis package) means "not ready"
        current_app.logger.warning("readiness: redis unavailable", exc_info=True)
        return "unavailable"
    return "ok"


# --- request ids -----------------------------------------------------------------


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if not has_request_context():
        return None
    return g.get("request_id")


def _assign_request_id() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    if request.endpoint not in {"ops.healthz", "ops.readyz", "static"}:
        access_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started
                else None,
            },
        )
    return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


# --- logging ---------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of each line."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """One handler on the root logger: JSON lines (or text) with the request id."""
    handler = _StderrHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_FORMAT", "json") == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    handler.set_name("portal")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "portal"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Flask's own handler would print every app.logger line a second time.
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)


# --- error reporting -------------------------------------------------------------

# Keys of a Sentry event that may carry what a person typed, saw or is.
_DROPPED_EVENT_KEYS = ("request", "user", "breadcrumbs", "extra", "contexts", "tags", "logentry")


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keep only the error's type and code location; drop anything about people.

    Exception messages can quote a client's name or NIK (a database error repeats
    the row), so their text is removed too; frames keep file, function and line
    but no local variables or source context.
    """
    request_id = event.get("tags", {}).get("request_id") if event.get("tags") else None
    for key in _DROPPED_EVENT_KEYS:
        event.pop(key, None)
    event.pop("message", None)
    event.pop("server_name", None)
    for exception in (event.get("exception") or {}).get("values", []) or []:
        exception["value"] = ""
        stack = exception.get("stacktrace") or {}
        for frame in stack.get("frames", []) or []:
            for key in ("vars", "pre_context", "context_line", "post_context"):
                frame.pop(key, None)
    for thread in (event.get("threads") or {}).get("values", []) or []:
        for frame in (thread.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    if request_id:
        event["tags"] = {"request_id": request_id}
    return event


def init_sentry(app: Flask, transport: Any = None) -> bool:
    """Start Sentry when ``SENTRY_DSN`` is set; returns whether it was started."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": app.config.get("ENV_NAME"),
        "include_local_variables": False,
        "include_source_context": False,
        "max_breadcrumbs": 0,
        "traces_sample_rate": 0,
        "before_send": scrub_event,
        "integrations": [FlaskIntegration()],
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)

    @app.before_request
    def _tag_request() -> None:
        sentry_sdk.set_tag("request_id", g.get("request_id"))

    return True


def init_app(app: Flask) -> None:
    """Probes, request ids, logging and error reporting for the app."""
    app.before_request(_assign_request_id)
    app.after_request(_finish_request)
    csrf.exempt(bp)
    app.register_blueprint(bp)
    configure_logging(app)
    init_sentry(app)
