"""Engine behaviour shared by every database connection.

SQLite is made to behave like PostgreSQL where it matters: foreign keys are
enforced, and transactions start with an explicit BEGIN so that SAVEPOINTs
work (pysqlite's own transaction handling breaks them; this is SQLAlchemy's
documented recipe). A database file runs in WAL mode (readers never wait for
the writer, the writer never fails on readers) and every connection waits up to
five seconds for a lock instead of failing with "database is locked", so
several gunicorn workers can share the embedded default.

A request that may write (any method but GET/HEAD/OPTIONS) begins with
``BEGIN IMMEDIATE`` on SQLite: it takes the database's write lock before its
first read, so writing requests run one after another and a rule's
check-and-write sees the previous request's commit (``portal.locking`` does the
same on PostgreSQL with row locks). Otherwise two requests that both read
before writing would dead-lock on SQLite's lock upgrade and one would fail.
A GET writes only its reads' audit rows, at its end (``portal.transactions``): its
read transaction ends and the rows are written in one holding the write lock from
its start (``write_after_reading``), as a read snapshot cannot write once another
worker has written since its first read. A GET view that writes itself and meets
such a refusal (``snapshot_aged``) is run again holding the lock from the start
(``write_from_start``; ``portal.web.require``).

On PostgreSQL a GET reads outside a transaction until it first writes
(``_read_outside_transaction``): each of its SELECTs commits by itself, as under READ
COMMITTED each already saw its own snapshot, and the BEGIN and COMMIT that framed them
cost two round trips of every page. Any other statement (a write, a SELECT ... FOR
UPDATE, an advisory lock, any SQL text) first returns the connection to transactions,
so whatever the request writes from there is one transaction, committed or rolled back
whole at its end. The audit row of a page that only read is one INSERT committing by
itself (``write_after_reading``).

A pooled PostgreSQL connection is tested with a ``SELECT 1`` before a request uses it
only when it has lain unused for PING_AFTER_SECONDS (``init_app``): one that served a
request a moment ago is alive, and pinging it cost a round trip at every request
(0.3-0.5 ms of a page). A server restarted within that moment fails the requests on
its old connections, as a restart during a request would, and the pool then drops
them all (SQLAlchemy's handling of a disconnect).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.exc import DisconnectionError, OperationalError

from portal.extensions import db

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")

# A pooled connection unused for longer is pinged before a request uses it (HikariCP's
# "alive bypass window", 0.5 s, is the same idea).
PING_AFTER_SECONDS = 1.0

# Set on a PostgreSQL connection when the next statement (a read's audit row) may commit
# by itself; every other statement of a GET that is not a plain read ends its reading
# outside a transaction.
_COMMITS_ITSELF = "portal_commits_itself"
# What makes a SELECT more than a read: a row lock (FOR UPDATE / SHARE ...) or an
# advisory lock, both held until the transaction ends.
_LOCKING = (" FOR ", "pg_advisory")

# PostgreSQL's planner cost of reading a page out of order, relative to one in sequence.
RANDOM_PAGE_COST = 1.1


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Persistent in the file; an in-memory database stays in its own mode.
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the
        # machine can lose the last commits but never corrupts the file (SQLite's advice
        # for WAL); each read that writes its audit row no longer waits for the disk.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 32 MB of pages kept per connection (SQLite's default: 2 MB): a Bapas's lists read
        # the same client, placement and slot pages on every view (a PK's attendance today:
        # 8.2 -> 6.7 ms). A sync worker holds one connection at a time.
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        # PostgreSQL's default cost of a random page read (4, a spinning disk's) makes the
        # planner read a whole table rather than a few hundred index entries: a PJ's
        # placements among a province's, by his slots. The portal's tables sit in memory
        # or on SSD (PostgreSQL's advice for them: 1.1). Set once per connection.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
        dbapi_connection.commit()


def init_app(app: Flask) -> None:
    """Test each PostgreSQL connection the pool hands out with a ``SELECT 1`` when it lay
    unused for PING_AFTER_SECONDS or more (or was never returned yet); a dead one is
    replaced before the request uses it."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        return  # a file: nothing between the portal and it to go away
    dialect = engine.dialect

    def returned(dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["returned_at"] = time.monotonic()
            record.info.pop(_COMMITS_ITSELF, None)
        live = dbapi_connection is not None and not dbapi_connection.closed
        if live and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False  # idle: the next user begins transactions

    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at < PING_AFTER_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as err:
            # The pool drops this connection and takes another (SQLAlchemy's recipe).
            raise DisconnectionError("the pooled connection is gone") from err

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", checked_out)
    event.listen(engine, "begin", _read_outside_transaction)
    event.listen(engine, "before_cursor_execute", _before_statement)


def _read_outside_transaction(connection: Connection) -> None:
    """A GET on PostgreSQL: its statements commit by themselves while they only read. Not
    when the connection already holds a transaction (a ping's, a test's)."""
    if not has_request_context() or _writing_request():
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and raw.info.transaction_status.name == "IDLE":
        raw.autocommit = True


def _before_statement(
    connection: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: DefaultExecutionContext | None,
    executemany: bool,
) -> None:
    """End a GET's reading outside a transaction before anything but a plain read: the
    connection begins one with this statement (psycopg sends the BEGIN)."""
    raw = connection.connection.dbapi_connection
    if raw is None or not raw.autocommit:
        return
    if connection.info.pop(_COMMITS_ITSELF, False):
        return  # a read's audit row, alone
    plain_read = (
        statement.startswith("SELECT")
        and context is not None
        and not context.is_text
        and not any(lock in statement for lock in _LOCKING)
    )
    if not plain_read:
        raw.autocommit = False


@event.listens_for(Engine, "begin")
def _on_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # A request that changes records takes the write lock at once (waiting up to the
        # busy timeout): a read transaction that writes later fails at once with
        # "database is locked" when another worker wrote in between (WAL snapshots).
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing_request() else "BEGIN")


def write_after_reading(rows: int) -> None:
    """Let a request that has only read write now. On SQLite its read transaction ends and
    one holding the write lock begins, on the same connection: a read snapshot cannot write
    once another connection has written since its first read. On PostgreSQL one audit row
    (``rows``) is one INSERT, committing by itself as the GET's reads did; more rows go in
    one transaction. Nothing to do within a savepoint (the tests' own transaction)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        raw = connection.connection.dbapi_connection
        if rows == 1 and raw is not None and raw.autocommit:
            connection.info[_COMMITS_ITSELF] = True
        return
    if not connection.in_nested_transaction():
        # Below the session, which goes on with one transaction over both: it wrote nothing,
        # and ending its transaction (a rollback) would expire every record the page read
        # and give back the connection, then take it again (0.3 ms of an audited view).
        connection.exec_driver_sql("COMMIT")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def snapshot_aged(err: OperationalError) -> bool:
    """Whether SQLite refused a write because another connection wrote after this
    transaction's first read (its WAL snapshot can no longer write; nothing was saved)."""
    return "database is locked" in str(err)


def write_from_start() -> None:
    """Let this request's next transaction take SQLite's write lock when it begins."""
    g.sqlite_write_lock = True


def _writing_request() -> bool:
    if not has_request_context():
        return False
    return request.method not in READ_ONLY_METHODS or bool(g.get("sqlite_write_lock"))
