"""Writing the audit log. Services call ``record`` inside the request's transaction."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from portal.database import READ_ONLY_METHODS
from portal.extensions import db
from portal.models import AuditLog, User
from portal.models.base import utcnow
from portal.ops import current_request_id

T = TypeVar("T")

# The log names a record by its table; accounts have always been logged as "user".
_OBJECT_TYPES = {"user_account": "user"}


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
    if has_request_context() and request.method in READ_ONLY_METHODS:
        # A read's row joins the session when the request commits (``transactions``): on
        # SQLite a write holds the database's one write lock until the commit, and added
        # now it would hold it while the page renders, one worker's reads after another's.
        g.setdefault("audit_reads", []).append(entry)
    else:
        db.session.add(entry)
    return entry


def reads_recorded() -> list[AuditLog]:
    """The rows of this read-only request's audited reads, to add before its commit."""
    return list(g.pop("audit_reads", [])) if has_request_context() else []


# What an audit row holds besides its id (the model's columns: one added there is saved).
_COLUMNS = [c.key for c in AuditLog.__table__.columns if not c.primary_key]
# Built once: every audited read inserts its rows with it, on the session's connection (an
# ORM bulk insert costs its own statement and unit of work for one row; audit rows change
# no cached figure and no record a rule reads: ``portal.cache`` ignores the table).
_INSERT = insert(AuditLog.__table__)


def save_reads(entries: list[AuditLog]) -> None:
    """Insert ``entries`` (``reads_recorded``) in the session's transaction, in one
    statement: rows that are only ever added need no unit of work. Changes pending in the
    session are flushed by the commit that follows: an audit row depends on none of them."""
    if entries:
        rows = [{name: getattr(entry, name) for name in _COLUMNS} for entry in entries]
        for row in rows:
            row["at"] = row["at"] or utcnow()
        db.session.connection().execute(_INSERT, rows)


def object_type_of(row: Any) -> str:
    """The name under which the log knows ``row``'s kind of record."""
    table = str(row.__tablename__)
    return _OBJECT_TYPES.get(table, table)


def note(row: Any, action: str, user: User | None = None, **details: Any) -> AuditLog:
    """Flush the pending changes, then log ``action`` on ``row`` (its kind and id)."""
    db.session.flush()
    return record(action, object_type_of(row), row.id, user=user, **details)


def saved(
    row: T,
    action: str,
    user: User | None = None,
    *,
    about: Any = None,
    id_key: str = "",
    **details: Any,
) -> T:
    """Add the new ``row``, flush it and log ``action`` on it, or on ``about`` when given.

    With ``id_key`` the new row's id, known only after the flush, joins the details.
    """
    db.session.add(row)
    db.session.flush()
    if id_key:
        details[id_key] = row.id  # type: ignore[attr-defined]
    note(row if about is None else about, action, user, **details)
    return row
