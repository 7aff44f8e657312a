"""Two instances of the portal on one PostgreSQL database and one Redis (production set-up).

Two gunicorn processes serve the same database, share Redis for rate limits and
cached figures, and are used side by side:

* a username locked by wrong passwords on one instance is locked on the other;
* a reminder list cached by one instance is recomputed there after a change
  saved through the other;
* 40 parallel bookings of 40 clients at a slot's last seat, spread over both
  instances, give exactly one booking.

Needs ``PORTAL_TEST_DATABASE_URL`` (PostgreSQL) and ``PORTAL_TEST_REDIS_URL``
(scripts/test.sh starts both). The records are committed and removed afterwards.
The instances run on today's real date, so the records' dates are relative to it
and an addendum keeps the agreement in force.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from portal.extensions import db
from portal.models import (
    Addendum,
    AddendumStatus,
    Attendance,
)
from tests.committed import World

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "sinergi-demo"
BOOKERS = 40
WEEKDAYS = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
MORNINGS = {f"start_{d}": "08:00" for d in range(5)} | {f"end_{d}": "12:00" for d in range(5)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def instances(app: Flask) -> Any:
    """Two gunicorn processes on the test database and Redis; their base URLs.

    One process each (four threads), so that what one instance cached is what it
    shows again unless the shared store says otherwise.
    """
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    redis_url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not url.startswith("postgresql") or not redis_url:
        pytest.skip("needs PostgreSQL and Redis (PORTAL_TEST_DATABASE_URL, PORTAL_TEST_REDIS_URL)")
    env = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_SECRET_KEY="two-instances",
        PORTAL_CACHE_URL=redis_url,
        PORTAL_RATELIMIT_STORAGE_URI=redis_url,
        PORTAL_LOGIN_RATE_LIMIT="1000 per minute",
        PORTAL_UPLOAD_FOLDER=str(ROOT / "instance" / "test-uploads"),
        PYTHONPATH=str(ROOT),
    )
    procs, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            procs.append(
                subprocess.Popen(  # noqa: S603 - fixed command
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-w",
                        "2",
                        "-b",
                        f"127.0.0.1:{port}",
                        "--log-level",
                        "warning",
                        "portal:create_app()",
                    ],
                    cwd=ROOT,
                    env=env,
                    start_new_session=True,
                )  # fmt: skip
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(600):
                try:
                    requests.get(f"{base}/masuk", timeout=30)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
        yield bases
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=30)


@pytest.fixture
def records(app: Flask, committed_world: World) -> Any:
    """A one-seat slot at Dinas Sosial, 40 waiting clients, one placement with a day to verify."""
    today = date.today()
    with app.app_context():
        w = committed_world.open(series="7")
        db.session.add(
            Addendum(
                agreement_id=w.agreement.id,
                number="ADD/UJI/2026",
                signed_on=today - timedelta(days=1),
                new_valid_until=today + timedelta(days=365),
                status=AddendumStatus.IN_FORCE,  # confirmed by both parties: bookings are open
            )
        )
        dated = {
            "valid_from": today - timedelta(days=30),
            "valid_until": today + timedelta(days=300),
        }
        last_seat = w.slot("Kursi terakhir", schedule=WEEKDAYS, **dated)
        worksite = w.slot("Taman kerja", capacity=5, schedule=WEEKDAYS, **dated)
        clients = [
            w.client(
                n,
                decision_date=today - timedelta(days=40),
                hours_ordered=100,
                start_date=today - timedelta(days=30),
                deadline=today + timedelta(days=120),
                available=WEEKDAYS,
                health_cleared=True,
            )
            for n in range(BOOKERS + 1)
        ]
        waiting, worker = clients[:BOOKERS], clients[BOOKERS]
        working = w.placement(worker, worksite, status="active", booked_by_id=None)
        db.session.flush()
        days = [
            today - timedelta(days=k)
            for k in range(1, 8)
            if (today - timedelta(days=k)).weekday() < 5
        ]
        for d in days[:3]:
            db.session.add(
                Attendance(placement_id=working.id, work_date=d, time_in=time_of(8),
                           time_out=time_of(12), minutes=240, activity="Uji")
            )  # fmt: skip
        db.session.commit()
        return {
            "last_seat": last_seat.id,
            "slots": [last_seat.id, worksite.id],
            "waiting": [c.id for c in waiting],
            "clients": [c.id for c in clients],
        }


def time_of(hour: int) -> Any:
    from datetime import time as dtime

    return dtime(hour, 0)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def _sign_in(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    s = requests.Session()
    token = _csrf(s.get(f"{base}/masuk").text)
    s.post(f"{base}/masuk", data={"csrf_token": token, "username": username,
                                  "password": password}, allow_redirects=False)  # fmt: skip
    return s


def test_a_lock_on_one_instance_holds_on_the_other(instances, records):
    first, second = instances
    for _ in range(5):
        s = _sign_in(first, "pj.dinsos", "salah-sekali")
        assert s.get(f"{first}/beranda", allow_redirects=False).status_code == 302
    # The right password, on the other instance: still locked.
    s = _sign_in(second, "pj.dinsos")
    assert s.get(f"{second}/beranda", allow_redirects=False).status_code == 302


def test_a_change_through_one_instance_refreshes_the_other_instances_cache(instances, records):
    first, second = instances
    opd_first, opd_second = _sign_in(first, "opd.dinsos"), _sign_in(second, "opd.dinsos")
    before = opd_first.get(f"{first}/pengingat/?jenis=verify").text
    assert before.count("Verifikasi kehadiran MDN-2026-7040") == 3
    with_forms = opd_second.get(f"{second}/kehadiran/").text
    record_id = re.search(r"/kehadiran/(\d+)/verifikasi", with_forms).group(1)
    done = opd_second.post(
        f"{second}/kehadiran/{record_id}/verifikasi",
        data={"csrf_token": _csrf(with_forms), "back": "today"},
        allow_redirects=False,
    )
    assert done.status_code == 302
    after = opd_first.get(f"{first}/pengingat/?jenis=verify").text
    assert after.count("Verifikasi kehadiran MDN-2026-7040") == 2


def test_forty_bookings_at_the_last_seat_over_two_instances_give_one(instances, records):
    sessions = [_sign_in(base, "pk.madiun") for base in instances]
    tokens = [_csrf(s.get(f"{b}/klien/").text) for s, b in zip(sessions, instances, strict=True)]
    start = date.today() + timedelta(days=1)

    def book(n: int) -> int:
        k = n % 2
        client_id = records["waiting"][n]
        r = sessions[k].post(
            f"{instances[k]}/klien/{client_id}/pesan/{records['last_seat']}",
            data={"csrf_token": tokens[k], "start_date": start.isoformat(), **MORNINGS},
            allow_redirects=False,
        )
        return r.status_code

    with ThreadPoolExecutor(max_workers=BOOKERS) as pool:
        statuses = list(pool.map(book, range(BOOKERS)))
    assert 500 not in statuses, statuses
    assert len(_placements_at(records["last_seat"])) == 1


def _placements_at(slot_id: int) -> list[int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(os.environ["PORTAL_TEST_DATABASE_URL"])
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id FROM placement WHERE slot_id = :s"), {"s": slot_id}
        ).all()
    engine.dispose()
    return [r[0] for r in rows]
