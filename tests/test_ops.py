"""Operations: health probes, request ids in logs and audit, Sentry without client data."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.extensions import db as _db
from portal.models import AuditLog


def test_healthz_answers_without_login(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_is_503_when_the_configured_redis_does_not_answer(app: Flask, client: Any) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/readyz")
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "unavailable"}


def test_request_id_is_echoed_or_made(client: Any) -> None:
    given = client.get("/masuk", headers={"X-Request-ID": "abc-123-def-456"})
    assert given.headers["X-Request-ID"] == "abc-123-def-456"
    made = client.get("/masuk", headers={"X-Request-ID": "<script>"})
    assert made.headers["X-Request-ID"] != "<script>"
    assert len(made.headers["X-Request-ID"]) == 32
    other = client.get("/masuk")
    assert other.headers["X-Request-ID"] not in {made.headers["X-Request-ID"], "abc-123-def-456"}


def test_request_id_reaches_the_audit_log(client: Any, db: Any) -> None:
    client.post(
        "/masuk",
        data={"username": "admin", "password": "salah-sekali"},
        headers={"X-Request-ID": "req-login-0001"},
    )
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "login_failed").order_by(AuditLog.id.desc())
    ).first()
    assert entry is not None
    assert entry.request_id == "req-login-0001"


def test_log_lines_are_json_with_the_request_id(client: Any, capsys: Any) -> None:
    capsys.readouterr()
    client.get("/masuk", headers={"X-Request-ID": "req-json-log-01"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    access = [line for line in lines if line.get("logger") == "portal.access"]
    assert access, lines
    assert access[-1]["request_id"] == "req-json-log-01"
    assert access[-1]["path"] == "/masuk"
    assert access[-1]["status"] == 200
    assert access[-1]["level"] == "INFO"


# --- Sentry ----------------------------------------------------------------------


def test_sentry_receives_the_error_but_no_client_data(tmp_path: Path) -> None:
    sentry_sdk = pytest.importorskip("sentry_sdk")
    from sentry_sdk.transport import Transport

    sent: list[dict[str, Any]] = []

    class Capture(Transport):
        def capture_envelope(self, envelope: Any) -> None:
            for item in envelope.items:
                if item.type == "event":
                    sent.append(item.payload.json)

    from portal import ops

    app = create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}",
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.config["SENTRY_DSN"] = "https://public@sentry.invalid/1"

    def failing_view() -> str:
        nik = "3577012345678901"
        raise RuntimeError(f"Gagal menyimpan klien Budi Santoso NIK {nik}")

    app.add_url_rule("/coba-gagal", "coba_gagal", failing_view, methods=["POST"])
    assert ops.init_sentry(app, transport=Capture)
    try:
        client = app.test_client()
        client.set_cookie("session", "rahasia-sesi")
        response = client.post(
            "/coba-gagal?nama=Budi+Santoso",
            data={"alamat": "Jl. Melati 7 Madiun"},
            headers={"X-Request-ID": "req-sentry-0001", "Authorization": "Bearer tok-rahasia"},
        )
        assert response.status_code == 500
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # no DSN: reporting off again for the other tests
    assert len(sent) == 1
    event = sent[0]
    text = json.dumps(event)
    for secret in ("Budi", "3577012345678901", "Melati", "rahasia", "tok-rahasia", "nama="):
        assert secret not in text
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"] == {"request_id": "req-sentry-0001"}
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert any(frame["function"] == "failing_view" for frame in frames)
    assert all("vars" not in frame for frame in frames)


# --- /readyz against a PostgreSQL server that stops and starts -------------------


def _pg_bin() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not found:
        pytest.skip("no PostgreSQL server binaries in /usr/lib/postgresql")
    return found[-1].parent


def _as_pg(*cmd: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Any]]:
    """A throwaway PostgreSQL cluster; yields its URL and a ``pg_ctl(action)`` function."""
    if not os.environ.get("PORTAL_TEST_DATABASE_URL"):
        pytest.skip("runs with the PostgreSQL phase (PORTAL_TEST_DATABASE_URL)")
    bin_dir = _pg_bin()
    tmp = Path(tempfile.mkdtemp(prefix="portal-readyz.", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data = tmp / "data"
    subprocess.run(
        _as_pg(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "portal"),
        check=True,
        capture_output=True,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(action: str) -> None:
        extra = ["-o", options, "-l", str(tmp / "server.log")] if action == "start" else []
        extra += ["-m", "fast"] if action == "stop" else []
        subprocess.run(
            _as_pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "30", *extra, action),
            check=True,
            capture_output=True,
        )

    pg_ctl("start")
    try:
        yield f"postgresql+psycopg://portal@127.0.0.1:{port}/postgres", pg_ctl
    finally:
        subprocess.run(
            _as_pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.postgres
def test_readyz_follows_postgresql_going_down_and_coming_back(
    own_postgres: tuple[str, Any], tmp_path: Path
) -> None:
    url, pg_ctl = own_postgres
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "LOG_FORMAT": "text"}
    )
    client = app.test_client()
    try:
        assert client.get("/readyz").status_code == 200
        pg_ctl("stop")
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.get_json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        pg_ctl("start")
        assert client.get("/readyz").status_code == 200
    finally:
        with app.app_context():
            _db.engine.dispose()
