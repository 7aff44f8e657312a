"""Faults: the database goes away and comes back; numbers beyond any range in the query string.

The outage test puts a TCP relay between the portal and PostgreSQL and cuts
it, as a stopped server looks from the portal: every open connection drops and
new ones are refused. Pages answer 503 with an Indonesian page, the API its
JSON error, and both work again as soon as the relay is back, with no restart.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from sqlalchemy import delete, select

from portal import create_app
from portal.api.tokens import create_token
from portal.extensions import db
from portal.models import ApiToken, User, UserSession
from tests.conftest import DEMO_PASSWORD
from tests.test_security_audit import DEMO_ROLES

HUGE = "1" + "0" * 20  # 10**20: beyond a 64-bit integer


class Relay:
    """A TCP relay to ``target`` that can be cut (connections dropped and refused)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.live: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                conn.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.live.update((conn, upstream))
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        with self.lock:
            for s in self.live:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
            self.live.clear()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def relayed(app: Flask, tmp_path: Path) -> Iterator[tuple[Flask, Relay]]:
    """A second portal on the test database, reached through a relay that can be cut."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
    parts = urlsplit(url)
    relay = Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    netloc = (
        f"{parts.username}@127.0.0.1:{relay.port}" if parts.username else f"127.0.0.1:{relay.port}"
    )
    config = {
        key: app.config[key]
        for key in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD")
    }
    portal = create_app(
        {
            **config,
            "SQLALCHEMY_DATABASE_URI": urlunsplit(parts._replace(netloc=netloc)),
            "UPLOAD_FOLDER": str(tmp_path),
            "SERVER_NAME": None,
        }
    )
    yield portal, relay
    relay.restore()
    with portal.app_context():
        pk = db.session.scalar(select(User).where(User.username == "pk.madiun"))
        db.session.execute(delete(ApiToken).where(ApiToken.name == "relai"))
        db.session.execute(delete(UserSession).where(UserSession.user_id == pk.id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    relay.close()


@pytest.mark.postgres
def test_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(
    relayed: tuple[Flask, Relay],
) -> None:
    portal, relay = relayed
    with portal.app_context():
        pk = db.session.scalar(select(User).where(User.username == "pk.madiun"))
        _, token = create_token(pk, "relai", 1)
        db.session.commit()
        db.session.remove()
    bearer = {"Authorization": f"Bearer {token}"}
    browser = portal.test_client()
    signed_in = browser.post("/masuk", data={"username": "pk.madiun", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert browser.get("/klien/").status_code == 200
    assert browser.get("/api/v1/me", headers=bearer).status_code == 200

    relay.cut()
    for _ in range(2):  # the pooled connection drops, then no new one can be opened
        page = browser.get("/klien/")
        assert page.status_code == 503
        assert "sedang tidak tersedia" in page.text
        assert page.headers["Retry-After"]
        answer = browser.get("/api/v1/me", headers=bearer)
        assert answer.status_code == 503
        assert answer.get_json()["error"] == "service_unavailable"
        assert set(answer.get_json()) == {"error", "message", "details"}
    assert browser.post("/masuk", data={"username": "x", "password": "y"}).status_code == 503

    relay.restore()
    assert browser.get("/klien/").status_code == 200
    assert browser.get("/api/v1/me", headers=bearer).get_json()["username"] == "pk.madiun"


@pytest.mark.postgres
@pytest.mark.parametrize(("ping_after", "first"), [(0.0, 200), (3600.0, 503)])
def test_a_connection_that_lay_unused_is_tested_before_a_page_uses_it(
    relayed: tuple[Flask, Relay], monkeypatch: pytest.MonkeyPatch, ping_after: float, first: int
) -> None:
    """The database restarts between two views: a pooled connection unused for longer than
    the window is tested first and replaced, and the page answers; one used within the window
    is not tested (no round trip), so that view fails, and the next works on a new one."""
    from portal import database

    portal, relay = relayed
    browser = portal.test_client()
    signed_in = browser.post("/masuk", data={"username": "pk.madiun", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert browser.get("/klien/").status_code == 200
    monkeypatch.setattr(database, "PING_AFTER_SECONDS", ping_after)
    relay.cut()  # every open connection drops, as when PostgreSQL restarts
    relay.restore()
    assert browser.get("/klien/").status_code == first
    assert browser.get("/klien/").status_code == 200


# --- numbers beyond any range --------------------------------------------------------------


def _list_pages(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and rule.endpoint != "static"
        and not rule.rule.startswith("/api/")
        and not rule.rule.startswith("/masuk")
        and not rule.rule.endswith((".pdf", ".xlsx", ".csv"))
    )


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_huge_page_numbers_never_crash_a_page(
    app: Flask, client: Any, login_as: Any, username: str
) -> None:
    login_as(username)
    crashed = []
    for url in _list_pages(app):
        for query in (f"page={HUGE}", f"page=-{HUGE}", f"per_page={HUGE}&page=2"):
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                crashed.append((url, query, response.status_code))
    assert crashed == []


def test_the_audit_log_past_its_last_page(client: Any, login_as: Any) -> None:
    login_as("admin")
    past = client.get(f"/admin/audit?page={HUGE}")  # an empty last page, never an error
    assert past.status_code == 200
    assert client.get("/admin/audit?page=abc").status_code == 200
