"""PostgreSQL: a GET reads outside a transaction until it first writes (``portal.database``).

A second portal on the test database (the tests' own portal runs every request in the
test's transaction, where nothing of this applies): its pages hold no open transaction
while they read, a read's audit row is saved, what a GET writes is saved whole or not
at all, and a row lock a GET takes is held until its end.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, abort, template_rendered
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.extensions import db
from portal.locking import lock_client
from portal.models import AuditLog, Client
from tests.committed import World
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.postgres

PROBE = "read_transaction_probe"
AGENT = "read-transaction-test"


def _transaction_status() -> str:
    raw = db.session.connection().connection.dbapi_connection
    assert raw is not None
    return str(raw.info.transaction_status.name)


def _client_id() -> int:
    client_id = db.session.scalar(select(Client.id).where(Client.code == "MDN-2026-9001"))
    assert client_id is not None
    return client_id


@pytest.fixture
def portal(app: Flask, tmp_path: Path, committed_world: World) -> Iterator[Flask]:
    """A second portal on the test database, a committed client of the demo PK, and probe
    pages that write and lock."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
    with app.app_context():
        committed_world.open().client(1)
        db.session.commit()
        db.session.remove()
    config = {
        key: app.config[key]
        for key in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD")
    }
    second = create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path)})
    seen: dict[str, str] = {}
    held, release = threading.Event(), threading.Event()

    @second.get("/_probe/write/<outcome>")
    def write(outcome: str) -> str:
        _client_id()
        seen["before_write"] = _transaction_status()
        for n in (1, 2):  # two writes of its own, each flushed at once
            db.session.add(AuditLog(action=PROBE, object_type="probe", object_id=str(n)))
            db.session.flush()
        seen["after_write"] = _transaction_status()
        if outcome == "gagal":
            abort(500)
        return "ok"

    @second.get("/_probe/lock")
    def lock() -> str:
        lock_client(_client_id())
        held.set()
        release.wait(10)
        return "ok"

    second.extensions["probe"] = (seen, held, release)
    yield second  # its sessions and audit rows go with the test's (``_appended_rows_removed``)
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def _signed_in(portal: Flask) -> Any:
    browser = portal.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = AGENT
    answer = browser.post("/masuk", data={"username": "pk.madiun", "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    return browser


def test_record_pages_read_without_holding_a_transaction_and_their_reads_are_audited(
    portal: Flask,
) -> None:
    browser = _signed_in(portal)
    with portal.app_context():
        client_id = _client_id()
        db.session.remove()
    statuses: list[str] = []

    def rendering(sender: Flask, **extra: Any) -> None:
        statuses.append(_transaction_status())

    with template_rendered.connected_to(rendering, portal):
        for path in (f"/klien/{client_id}", "/klien/", f"/pengawasan/klien/{client_id}"):
            assert browser.get(path).status_code == 200
    # Every section read, each page drew with no transaction left open on the server.
    assert len(statuses) == 3
    assert set(statuses) == {"IDLE"}
    with portal.app_context():
        reads = db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(
                AuditLog.action == "client_viewed",
                AuditLog.object_id == str(client_id),
                AuditLog.user_agent == AGENT,
            )
        )
        db.session.remove()
    assert reads == 2  # the record and its supervision


@pytest.mark.parametrize(("outcome", "kept"), [("selesai", 2), ("gagal", 0)])
def test_what_a_get_writes_is_saved_whole_or_not_at_all(
    portal: Flask, outcome: str, kept: int
) -> None:
    seen, _, _ = portal.extensions["probe"]
    browser = _signed_in(portal)
    answer = browser.get(f"/_probe/write/{outcome}")
    assert answer.status_code == (200 if outcome == "selesai" else 500)
    # It read outside a transaction; its first write began one, which held the second.
    assert seen == {"before_write": "IDLE", "after_write": "INTRANS"}
    with portal.app_context():
        saved = db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == PROBE)
        )
        db.session.remove()
    assert saved == kept


def test_a_row_lock_taken_by_a_get_is_held_until_the_page_ends(portal: Flask) -> None:
    _, held, release = portal.extensions["probe"]
    browser = _signed_in(portal)
    with portal.app_context():
        client_id = _client_id()
        db.session.remove()
    answers: list[int] = []
    page = threading.Thread(target=lambda: answers.append(browser.get("/_probe/lock").status_code))
    page.start()
    other = create_engine(portal.config["SQLALCHEMY_DATABASE_URI"])
    try:
        assert held.wait(10)
        with other.connect() as conn, pytest.raises(OperationalError, match="obtain lock"):
            conn.execute(
                text("SELECT id FROM client WHERE id = :id FOR UPDATE NOWAIT"), {"id": client_id}
            )
    finally:
        release.set()
        page.join(10)
        other.dispose()
    assert answers == [200]
