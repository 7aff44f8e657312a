"""Column helpers shared by the models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, ForeignKey, event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from portal.models.client import Client

# Largest value an Integer primary key holds in every database the portal runs on.
MAX_ID = 2**31 - 1


def valid_id(value: int | None) -> bool:
    """True for a number that can be a record id (a larger one would overflow SQLite)."""
    return value is not None and 0 < value <= MAX_ID


def recount_on_flush(
    changed: Callable[[Session], set[int]], recount: Callable[[Session, set[int]], None]
) -> None:
    """Keep a total kept on rows right: every flush notes the rows ``changed`` says it
    touches, and once the flush has written, ``recount`` sets them in the same transaction."""
    key = f"portal.recount.{recount.__module__}.{recount.__qualname__}"

    def note(session: Session, _context: Any) -> None:
        ids = changed(session)
        if ids:
            session.info.setdefault(key, set()).update(ids)

    def apply(session: Session, _context: Any) -> None:
        ids = session.info.pop(key, None)
        if ids:
            recount(session, ids)

    event.listen(Session, "after_flush", note)
    event.listen(Session, "after_flush_postexec", apply)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite forgets the zone of a stored datetime; PostgreSQL keeps it. This type
    makes both return aware UTC datetimes so comparisons never mix the two kinds.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ClientRecord:
    """Mixed into every record kept about one client: its id and the client it is about."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)

    @declared_attr
    def client(cls) -> Mapped[Client]:
        return relationship("Client")


class AgreementRecord:
    """Mixed into every record kept about one agreement: its id and the agreement's id."""

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)


class Created:
    """Mixed into a record that keeps when it was created (UTC)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
