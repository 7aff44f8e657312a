"""Browser fixtures: the portal served on loopback, driven by Debian's Chromium via Playwright.

These tests commit real data (the server runs in another thread), so the
database is emptied and re-seeded after each one instead of rolled back.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.extensions import db as _db
from tests.conftest import ARTIFACTS, DEMO_PASSWORD, load_reference_data

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is an e2e test."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def wipe_database() -> None:
    """Delete every row, then put the seeds and demo accounts back."""
    _db.session.remove()
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
    load_reference_data()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The portal on http://127.0.0.1:<port>, with CSRF on; yields the base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            wipe_database()


@pytest.fixture
def app_ctx(app: Flask, live_server: str) -> Iterator[Any]:
    """An app context on the live database, to prepare records with factories and commit."""
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """Playwright for the run (its sync API can be started only once at a time)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium not installed: apt-get install chromium")
    with playwright_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """One headless Chromium for the run."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def foreign_requests() -> list[str]:
    """URLs the page tried to load from hosts other than the portal (and were blocked)."""
    return []


def _new_page(browser: Any, live_server: str, foreign: list[str], **context_args: Any) -> Any:
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **context_args)
    allowed = urlsplit(live_server).netloc

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(browser: Any, live_server: str, foreign_requests: list[str]) -> Iterator[Any]:
    """A desktop-sized page; requests to other hosts are aborted and listed."""
    p = _new_page(browser, live_server, foreign_requests, viewport={"width": 1366, "height": 900})
    yield p
    p.context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: str, foreign_requests: list[str]) -> Iterator[Any]:
    """A phone-sized page (390×844, touch), as site supervisors use the portal."""
    p = _new_page(
        browser,
        live_server,
        foreign_requests,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield p
    p.context.close()


@pytest.fixture
def login() -> Callable[[Any, str], None]:
    """Sign a page in through the real form."""

    def do_login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(page.base_url + "/masuk")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/beranda")

    return do_login


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot to test-artifacts/<name>.png and return its path."""

    def take(page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
