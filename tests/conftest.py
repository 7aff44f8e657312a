"""Fixtures: app → db (each test rolled back) → client → login_as(username).

The schema is built once per run by the Alembic migrations (not create_all),
so every test also exercises them; the reference seeds and the demo accounts
are committed once and each test runs inside a transaction that is rolled back.

Set PORTAL_TEST_DATABASE_URL to run the suite on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import text

from portal import cache, clock, create_app
from portal.demo import create_demo_accounts
from portal.extensions import db as _db
from portal.extensions import limiter
from portal.models import User
from portal.seeding import load_seeds
from tests.committed import World, marks, remove_appended
from tests.signin import sign_in_cookie

DEMO_PASSWORD = "sinergi-demo"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def database_url(tmp_dir: Path) -> str:
    """The test database: PostgreSQL when configured, else a SQLite file."""
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


def reset_database() -> None:
    """Empty a PostgreSQL test database (a SQLite one is a new file each run)."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


def load_reference_data() -> None:
    """Seeds plus demo accounts, committed."""
    load_seeds()
    create_demo_accounts()
    _db.session.commit()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The portal, on a freshly migrated test database with seeds and demo accounts."""
    tmp_dir = tmp_path_factory.mktemp("portal")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_FOLDER": str(tmp_dir / "uploads"),
            "SERVER_NAME": None,
        }
    )
    limiter.enabled = False  # on only in tests that use the rate_limits fixture
    with app.app_context():
        reset_database()
        upgrade()
        load_reference_data()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


# Rows a committing test appends to these (children first) are removed after it, whatever its
# own clean-up forgot: a notification or an audit entry left behind changes what later tests count.
APPENDED_BY_EVENTS = ("notification_delivery", "notification", "user_session", "audit_log")


@pytest.fixture(autouse=True)
def _appended_rows_removed(request: pytest.FixtureRequest) -> Iterator[None]:
    """For tests that commit (marked ``postgres`` or ``commits``): drop what they appended."""
    marked = request.node.get_closest_marker("postgres") or request.node.get_closest_marker(
        "commits"
    )
    if marked is None:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        since = marks(APPENDED_BY_EVENTS)
        _db.session.remove()
    yield
    with app.app_context():
        remove_appended(since)
        _db.session.remove()


@pytest.fixture
def committed_world(app: Flask) -> Iterator[World]:
    """Records committed for one test (build inside an app context, then commit); all the
    rows appended meanwhile are removed after it."""
    world = World(app)
    yield world
    world.purge()


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    """Tests run on a fixed day unless they pin another: 1 June 2026."""
    from datetime import date

    clock.freeze(date(2026, 6, 1))
    yield
    clock.freeze(None)


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database inside a transaction rolled back after the test.

    Every session the app opens during the test (one per request) is bound to
    the same connection and commits only a savepoint.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()

        class _TestSession(Session):
            def get_bind(self, *args: Any, **kwargs: Any) -> Any:
                return connection

        original = _db.session
        _db.session = _db._make_scoped_session(
            {"class_": _TestSession, "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


class FreshGlobalsClient(FlaskClient):
    """Requests reuse the test's app context (and so its session); give each a fresh ``g``
    and let it see the test's records as committed.

    Without this, Flask-Login's cached user in ``g`` would survive from one
    request to the next, as it never does in a real server.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        for key in list(vars(g)):
            g.pop(key)
        # What the test set up exists before the request, as in a real database: a
        # refused request that rolls back must not take the test's records with it.
        # (Only a savepoint is released; the test's outer transaction still rolls back.)
        _db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    """A test client whose requests see the test's transaction."""
    app.test_client_class = FreshGlobalsClient
    return app.test_client()


@pytest.fixture
def user(db: Any) -> Callable[[str], User]:
    """Look up a demo account by username."""

    def get(username: str) -> User:
        found = db.session.scalar(db.select(User).where(User.username == username))
        assert found is not None, username
        return found

    return get


@pytest.fixture
def login_as(client: FlaskClient, user: Callable[[str], User]) -> Callable[[str], User]:
    """Sign the test client in as a demo account (without the password form)."""

    def login(username: str) -> User:
        account = user(username)
        sign_in_cookie(client, account)
        return account

    return login


@pytest.fixture
def rate_limits(app: Flask) -> Iterator[None]:
    """Turn rate limiting on for one test."""
    limiter.enabled = True
    limiter.reset()
    yield
    limiter.reset()
    limiter.enabled = False


@pytest.fixture
def shared_cache(app: Flask) -> Iterator[None]:
    """The cache as in production: kept 60 s in this process's memory."""
    app.config["CACHE_SECONDS"] = 60
    app.extensions["portal_cache"] = cache.MemoryStore()
    yield
    app.config["CACHE_SECONDS"] = 0
