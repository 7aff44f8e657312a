"""Engine behaviour shared by every database connection.

SQLite is made to behave like PostgreSQL where it matters: foreign keys are
enforced, and transactions start with an explicit BEGIN so that SAVEPOINTs
work (pysqlite's own transaction handling breaks them; this is SQLAlchemy's
documented recipe).

A request that may write (any method but GET/HEAD/OPTIONS) begins with
``BEGIN IMMEDIATE`` on SQLite: it takes the database's write lock before its
first read, so writing requests run one after another and a rule's
check-and-write sees the previous request's commit (``portal.locking`` does the
same on PostgreSQL with row locks). Otherwise two requests that both read
before writing would dead-lock on SQLite's lock upgrade and one would fail.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _on_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        writes = has_request_context() and request.method not in READ_ONLY_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
