"""Writing the audit log. Services call ``record`` inside the request's transaction."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from portal.extensions import db
from portal.models import AuditLog, User
from portal.ops import current_request_id


def record(
    action: str,
    object_type: str = "",
    object_id: int | str | None = None,
    user: User | None = None,
    **details: Any,
) -> AuditLog:
    """Add an audit row for ``action`` on a record; the caller's commit saves it."""
    actor = user
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()  # noqa: SLF001 - the real User, not the proxy
    ip = ua = ""
    if has_request_context():
        ip = request.remote_addr or ""
        ua = (request.user_agent.string or "")[:300]
    entry = AuditLog(
        user_id=actor.id if actor else None,
        username=actor.username if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        ip=ip,
        user_agent=ua,
        details=details,
        request_id=current_request_id(),
    )
    db.session.add(entry)
    return entry
