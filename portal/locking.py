"""Row locks for rules that read other rows before they write.

A rule such as "at most 8 hours a day across placements" reads the client's
records, decides, then writes. Two requests doing that at once would both see
the old state. Every such check-and-write first takes the lock of the row that
owns the state (the client, the slot, the Bapas register) and only then reads:

- on PostgreSQL, ``SELECT ... FOR UPDATE`` on that row; a second transaction
  waits until the first commits or rolls back, then reads what it wrote
  (READ COMMITTED: every later statement sees the committed rows);
- on SQLite, a no-op ``UPDATE`` of the row, which takes the database's single
  write lock at once, so writers run one after another (``busy_timeout`` makes
  the next one wait).

Lock order, to avoid deadlocks: client before slot before Bapas. The lock lasts
until the request's transaction ends. The locked object is refreshed from the
database, so attributes read after the lock are current.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select, update

from portal.extensions import Model, db
from portal.models import Bapas, Client, Slot

M = TypeVar("M", bound=Model)


def lock_row(model: type[M], row_id: int) -> M | None:
    """Lock one row for the rest of the transaction and return it, fresh (None if absent)."""
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(table).where(table.c.id == row_id).values(id=table.c.id),
            execution_options={"synchronize_session": False},
        )
        query = select(model).where(table.c.id == row_id)
    else:
        query = select(model).where(table.c.id == row_id).with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def lock_client(client_id: int) -> Client:
    """Lock a client: attendance, bookings, summons and closure of one client run one at a time."""
    client = lock_row(Client, client_id)
    if client is None:
        raise LookupError(client_id)
    return client


def lock_slot(slot_id: int) -> Slot | None:
    """Lock a slot: its seats are counted and taken one booking at a time."""
    return lock_row(Slot, slot_id)


def lock_bapas(bapas_id: int) -> Bapas:
    """Lock a Bapas: its yearly register numbers are handed out one at a time."""
    bapas = lock_row(Bapas, bapas_id)
    if bapas is None:
        raise LookupError(bapas_id)
    return bapas


def refresh(obj: object) -> None:
    """Re-read an object already loaded, after taking a lock (its state may have changed)."""
    db.session.refresh(obj)
