"""The Alembic migrations build exactly the models, and go down and up cleanly."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, create_engine, inspect, text

from portal.extensions import db as _db


def _diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    if connection.dialect.name != "sqlite":
        return compare_metadata(context, _db.metadata)
    # SQLite cannot reflect an index on an expression: the comparison leaves those out,
    # so their names are checked here (PostgreSQL compares them in full).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        diff = compare_metadata(context, _db.metadata)
    on_expressions = {
        index.name
        for table in _db.metadata.tables.values()
        for index in table.indexes
        if any(not isinstance(e, Column) for e in index.expressions)
    }
    built = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))
    missing = [("missing expression index", name) for name in sorted(on_expressions - built)]
    return diff + missing


def test_migrated_schema_equals_models(app: Flask) -> None:
    with app.app_context(), _db.engine.connect() as conn:
        assert _diff(conn) == []


def test_downgrade_to_empty_and_upgrade_again(app: Flask, tmp_path: Any) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        scratch = f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS portal_migration_check"))
            conn.execute(text("CREATE DATABASE portal_migration_check"))
        admin.dispose()
        scratch = url.rsplit("/", 1)[0] + "/portal_migration_check"
    original = app.config["SQLALCHEMY_DATABASE_URI"]
    engines = app.extensions["sqlalchemy"]._app_engines
    saved = dict(engines[app])
    try:
        app.config["SQLALCHEMY_DATABASE_URI"] = scratch
        engine = create_engine(scratch)
        engines[app][None] = engine
        with app.app_context():
            upgrade()
            with engine.connect() as conn:
                assert _diff(conn) == []
            downgrade(revision="base")
            with engine.connect() as conn:
                assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
            upgrade()
            with engine.connect() as conn:
                assert "client" in inspect(conn).get_table_names()
        engine.dispose()
    finally:
        engines[app].clear()
        engines[app].update(saved)
        app.config["SQLALCHEMY_DATABASE_URI"] = original
