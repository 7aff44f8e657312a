"""Column helpers shared by the models."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, DateTime, ForeignKey, Table, event, inspect, select, update
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from portal.models.client import Client

# Largest value an Integer primary key holds in every database the portal runs on.
MAX_ID = 2**31 - 1


def valid_id(value: int | None) -> bool:
    """True for a number that can be a record id (a larger one would overflow SQLite)."""
    return value is not None and 0 < value <= MAX_ID


def set_totals(
    connection: Connection,
    table: Table,
    values: dict[str, Any],
    ids: Iterable[int] | None,
    lock: bool = False,
) -> None:
    """Set a total kept on rows of ``table`` (``values``: column -> SQL recounting it) for
    ``ids``, or every row when None. ``lock``: on PostgreSQL the rows are locked first, in
    id order, so two writers never wait on each other crosswise, and the count that follows
    reads what the writer before committed. The lock is FOR NO KEY UPDATE (a total is no
    key): the rows that were just added and refer to these (a session to its placement)
    hold a key-share lock on them, which FOR UPDATE would wait for, crosswise."""
    chosen = sorted(set(ids)) if ids is not None else None
    if chosen == []:
        return
    stmt = update(table).values(**values)
    if chosen is not None:
        if lock:
            lock_rows(connection, table, chosen)
        stmt = stmt.where(table.c.id.in_(chosen))
    connection.execute(stmt)


def lock_rows(connection: Connection, table: Table, ids: list[int]) -> None:
    """On PostgreSQL, lock the rows ``ids`` (sorted) of ``table`` in id order, FOR NO KEY
    UPDATE, before a total kept on them or beside them is recounted (``set_totals``)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            select(table.c.id)
            .where(table.c.id.in_(ids))
            .order_by(table.c.id)
            .with_for_update(key_share=True)
        )


def _keys_touched(session: Session, model: type, key: str, watched: tuple[str, ...]) -> set[int]:
    """Values of ``key`` of the ``model`` rows this flush adds, deletes or changes in one
    of ``watched`` (when ``key`` itself changes, its old value too)."""
    keys: set[int] = set()
    for obj in list(session.new) + list(session.deleted):
        if isinstance(obj, model) and getattr(obj, key) is not None:
            keys.add(getattr(obj, key))
    for obj in session.dirty:
        if not isinstance(obj, model):
            continue
        state = inspect(obj)
        for name in watched:
            history = state.attrs[name].history
            if history.has_changes():
                keys.add(getattr(obj, key))
                if name == key:
                    keys.update(v for v in history.deleted if v is not None)
    return keys


def recount_on_flush(
    model: type, key: str, watched: tuple[str, ...], recount: Callable[[Session, set[int]], None]
) -> None:
    """Keep a total kept on rows right: every flush notes the ``key`` of each ``model`` row
    it adds, deletes or changes in ``watched``; once the flush has written, ``recount`` sets
    the totals of those keys in the same transaction."""
    note_key = f"portal.recount.{model.__name__}.{key}"

    def note(session: Session, _context: Any) -> None:
        keys = _keys_touched(session, model, key, watched)
        if keys:
            session.info.setdefault(note_key, set()).update(keys)

    def apply(session: Session, _context: Any) -> None:
        keys = session.info.pop(note_key, None)
        if keys:
            recount(session, keys)

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
