"""``GET /api/v1/notifications`` and ``POST /api/v1/notifications/{id}/read`` (API.md)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from portal.api import openapi
from portal.api.auth import api_user, ensure_found, require_api
from portal.models import Notification
from portal.notifications import service

bp = Blueprint("notifications", __name__)

openapi.schema(
    "Notification",
    {
        "type": "object",
        "required": ["id", "kind", "title", "body", "url", "created_at", "read"],
        "properties": {
            **openapi.typed("integer", "id"),
            **openapi.typed("string", "kind", "title", "body", "url"),
            **openapi.typed("boolean", "read"),
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
)


def notification_json(note: Notification) -> dict[str, Any]:
    """One notification as API.md lists it."""
    return {
        "id": note.id,
        "kind": note.kind,
        "title": note.title,
        "body": note.body,
        "url": note.url,
        "created_at": note.created_at.isoformat(),
        "read": note.read_at is not None,
    }


@bp.get("/notifications")
@require_api("notification.view")
@openapi.doc(
    "Kotak masuk pemanggil, terbaru lebih dulu",
    responses={200: openapi.array_of("Notification")},
)
def notifications() -> Response:
    """The caller's inbox, newest first (the latest 100)."""
    return jsonify([notification_json(n) for n in service.inbox(api_user(), limit=100)])


@bp.post("/notifications/<int:notification_id>/read")
@require_api("notification.view")
@openapi.doc(
    "Tandai pemberitahuan sudah dibaca",
    responses={200: "Notification"},
)
def notification_read(notification_id: int) -> Response:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    note = service.own_notification(api_user(), notification_id)
    ensure_found(note is not None)
    assert note is not None
    service.mark_read(note)
    return jsonify(notification_json(note))
