"""Nothing lost on a crash: the server is killed in the middle of a burst of writes.

A real gunicorn (two workers) serves the portal on the PostgreSQL test
database. Eight threads send a shuffled burst of attendance records and booking
decisions through the API; after a part of them is answered, the whole server
(master and workers) is killed with SIGKILL. Afterwards every answered write
is in the database with its audit entry, and every unanswered one is either
wholly there (it committed just before the kill) or not there at all: no
record without its audit entry, no decision without its decider, no active
placement without attendance.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from portal.api.tokens import create_token
from portal.extensions import db
from portal.models import Attendance, AuditLog, Placement, PlacementStatus
from tests.committed import World, needs_postgresql

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
WORKING_CLIENTS = 12  # each records 2 hours on 8 days
DECISIONS = 40  # bookings waiting for the OPD
DAYS = 8
KILL_AFTER = 45  # answers received before the kill


def _server_today() -> date:
    # The server runs on the real clock in the portal's zone (the tests' frozen clock is not its).
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


@pytest.fixture
def world(app: Flask, committed_world: World) -> dict[str, Any]:
    """Committed clients, placements and tokens on the test database; removed afterwards."""
    needs_postgresql(app)
    today = _server_today()
    week = [{"weekday": d, "start": "00:00", "end": "08:00"} for d in range(7)]
    with app.app_context():
        w = committed_world.open(series="7")
        slot = w.slot(
            "Uji mati mendadak",
            capacity=WORKING_CLIENTS + DECISIONS,
            schedule=week,
            valid_from=today - timedelta(days=60),
            valid_until=today + timedelta(days=60),
        )
        placements: dict[str, list[int]] = {"working": [], "booked": []}
        for n in range(WORKING_CLIENTS + DECISIONS):
            working = n < WORKING_CLIENTS
            client = w.client(
                n,
                decision_date=today - timedelta(days=40),
                start_date=today - timedelta(days=30),
                deadline=today + timedelta(days=60),
                available=week,
                status="placed",
            )
            placement = w.placement(
                client,
                slot,
                status=PlacementStatus.ACCEPTED if working else PlacementStatus.BOOKED,
            )
            db.session.flush()
            placements["working" if working else "booked"].append(placement.id)
        _, pk_token = create_token(w.pk, "mati-mendadak", 1)
        _, opd_token = create_token(w.user("opd.dinsos"), "mati-mendadak", 1)
        db.session.commit()
        ids = {"slot": slot.id, **placements, "pk_token": pk_token, "opd_token": opd_token}
        db.session.remove()
    return ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app: Flask, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """gunicorn serving the portal on the test database, in its own process group."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_SECRET_KEY": "crash-test",
        "PORTAL_UPLOAD_FOLDER": str(tmp_path),
        "PORTAL_API_RATE_LIMIT": "100000 per minute",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603 - a fixed command line
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--graceful-timeout", "30", "portal:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/v1/openapi.json", timeout=10).status_code == 200:
                break
        except requests.RequestException:  # not listening yet, or the workers still loading
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
    yield proc, base
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    log.close()


def test_killing_the_server_mid_burst_loses_nothing_answered_and_half_writes_nothing(
    app: Flask, world: dict[str, Any], server: tuple[subprocess.Popen[bytes], str]
) -> None:
    proc, base = server
    today = _server_today()
    jobs: list[tuple[str, Any]] = [
        ("attendance", (pid, today - timedelta(days=d)))
        for pid in world["working"]
        for d in range(DAYS)
    ]
    jobs += [("decision", (pid, i % 3 != 0)) for i, pid in enumerate(world["booked"])]
    random.Random(12).shuffle(jobs)
    answered: dict[tuple[str, Any], dict[str, Any]] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def send(job: tuple[str, Any]) -> None:
        kind, key = job
        if killed.is_set():
            return
        try:
            if kind == "attendance":
                pid, day = key
                response = requests.post(
                    f"{base}/api/v1/placements/{pid}/attendance",
                    json={"date": day.isoformat(), "time_in": "08:00", "time_out": "10:00"},
                    headers={"Authorization": f"Bearer {world['pk_token']}"},
                    timeout=30,
                )
            else:
                pid, accept = key
                response = requests.post(
                    f"{base}/api/v1/placements/{pid}/decision",
                    json={"accept": accept, "reason": "" if accept else "Kuota dinas penuh"},
                    headers={"Authorization": f"Bearer {world['opd_token']}"},
                    timeout=30,
                )
        except requests.RequestException:
            return  # not answered: the server died under it
        with lock:
            answered[job] = {"status": response.status_code, "body": response.json()}
            if len(answered) >= KILL_AFTER and not killed.is_set():
                killed.set()
                os.killpg(proc.pid, signal.SIGKILL)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(send, jobs))
    assert killed.is_set(), "the burst ended before the kill"
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert len(answered) < len(jobs), "every request was answered: the kill came too late"
    assert {a["status"] for a in answered.values()} <= {200, 201}, answered

    with app.app_context():
        records = {
            (r.placement_id, r.work_date): r
            for r in db.session.scalars(
                select(Attendance).where(Attendance.placement_id.in_(world["working"]))
            )
        }
        placements = {
            p.id: p
            for p in db.session.scalars(
                select(Placement).where(Placement.id.in_(world["working"] + world["booked"]))
            )
        }
        audited: dict[tuple[str, str], int] = {}
        for action, object_id in db.session.execute(
            select(AuditLog.action, AuditLog.object_id).where(
                AuditLog.action.in_(
                    [
                        "attendance_recorded",
                        "placement_activated",
                        "placement_accepted",
                        "placement_declined",
                    ]
                )
            )
        ):
            audited[(action, object_id)] = audited.get((action, object_id), 0) + 1

        # Every answered write is there, as answered.
        for (kind, key), answer in answered.items():
            if kind == "attendance":
                record = records.get(key)
                assert record is not None, f"answered attendance lost: {key}"
                assert record.id == answer["body"]["id"]
            else:
                pid, accept = key
                expected = PlacementStatus.ACCEPTED if accept else PlacementStatus.DECLINED
                assert placements[pid].status == expected, f"answered decision lost: {pid}"

        # Nothing is half-written, answered or not.
        for record in records.values():
            assert record.minutes == 120
            assert audited.get(("attendance_recorded", str(record.id))) == 1, record.id
        for pid in world["working"]:
            p = placements[pid]
            worked = any(key[0] == pid for key in records)
            assert (p.status == PlacementStatus.ACTIVE) == worked, pid
            assert audited.get(("placement_activated", str(pid)), 0) == (1 if worked else 0)
        for pid in world["booked"]:
            p = placements[pid]
            decided = p.status != PlacementStatus.BOOKED
            assert (p.decided_by_id is not None) == decided, pid
            assert (p.decided_at is not None) == decided, pid
            entries = audited.get(("placement_accepted", str(pid)), 0) + audited.get(
                ("placement_declined", str(pid)), 0
            )
            assert entries == (1 if decided else 0), pid
            if p.status == PlacementStatus.DECLINED:
                assert p.client.status == "registered"
        db.session.remove()
