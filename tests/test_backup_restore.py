"""The README's backup steps work: a ``pg_dump -Fc`` of the portal restores with ``pg_restore``
into an empty database holding every row of every table and the same schema version.

Runs against the real PostgreSQL server of the test run (PORTAL_TEST_DATABASE_URL).
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal.extensions import db

pytestmark = pytest.mark.postgres


def _tool(name: str) -> str:
    """A PostgreSQL client program, from PATH or the server's own bin folder."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.fail(f"{name} not installed (Debian: postgresql-client)")
    return found


def _counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608
            for table in inspect(conn).get_table_names()
        }


def test_a_dump_restores_every_row_into_an_empty_database(app: Flask, tmp_path: Path) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
    source = make_url(uri)
    libpq = source.set(drivername="postgresql").render_as_string(hide_password=False)
    target_name = f"{source.database}_restore"
    target = source.set(database=target_name)
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target_name}"'))
        conn.execute(text(f'CREATE DATABASE "{target_name}"'))
    dump = tmp_path / "portal.dump"
    restored = create_engine(target)
    try:
        subprocess.run([_tool("pg_dump"), "-Fc", "-f", str(dump), libpq], check=True)
        subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "-d",
                target.set(drivername="postgresql").render_as_string(hide_password=False),
                str(dump),
            ],
            check=True,
        )
        with app.app_context():
            before = _counts(db.engine)
            version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        after = _counts(restored)
        assert after == before
        assert before["user_account"] > 0  # the run's seeds and demo accounts came along
        with restored.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == version
    finally:
        restored.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target_name}"'))
        admin.dispose()
