"""Benchmark: the slot map and the filtered slot list with 20,000 published slots.

Run by hand from the worktree root:  python bench/map_20k.py [--slots 20000] [--no-browser]

Builds a scratch SQLite database (migrations, seeds, demo accounts), inserts the
slots spread over Kabupaten Ngawi, then measures as pk.madiun:
  * server generation of GET /peta and of its markers GET /peta.json, each beside a
    bare JSON dump of the same rows (one SELECT of the same columns, json.dumps),
    alternating, medians of 7, and the sizes;
  * GET /lokasi-kerja/ with filters (median of 20);
  * headless Chromium (Debian's /usr/bin/chromium via Playwright): time from
    navigation start until the first marker clusters are drawn, tiles blocked.
Targets: page + markers <= 2x the bare dump (issue 13), clusters < 3 s, list < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Response  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import String, cast, insert, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from portal import create_app  # noqa: E402
from portal.auth.sessions import SESSION_KEY, open_session  # noqa: E402
from portal.demo import create_demo_accounts  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Agreement, Opd, Pemda, Slot, User  # noqa: E402
from portal.seeding import load_seeds  # noqa: E402
from portal.slots.rules import point_in_polygon  # noqa: E402

CATEGORIES = [
    "social_institution",
    "public_service",
    "environment_cleaning",
    "light_admin",
    "teaching_training",
]
FACILITIES = ["ramp", "accessible_toilet", "lactation_room", "child_care", "prayer_room"]


def populate(n: int) -> None:
    """Insert ``n`` published slots inside Ngawi with Core (fast)."""
    pemda = db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    agreement = db.session.scalar(select(Agreement).where(Agreement.pemda_id == pemda.id))
    opds = list(db.session.scalars(select(Opd).where(Opd.pemda_id == pemda.id)))
    rng = random.Random(4)
    lats = [p[0] for p in pemda.boundary]
    lngs = [p[1] for p in pemda.boundary]
    rows = []
    while len(rows) < n:
        lat, lng = rng.uniform(min(lats), max(lats)), rng.uniform(min(lngs), max(lngs))
        if not point_in_polygon(lat, lng, pemda.boundary):
            continue
        opd = rng.choice(opds)
        days = rng.choice([range(5), range(6), [0, 2, 4], [1, 3]])
        start = rng.choice(["07:00", "08:00", "09:00"])
        rows.append(
            {
                "opd_id": opd.id,
                "agreement_id": agreement.id,
                "title": f"Lokasi uji {len(rows) + 1} {opd.short_name}",
                "category": rng.choice(CATEGORIES),
                "tasks": "Tugas uji",
                "description": "",
                "place_type": "government",
                "sector": "environment",
                "address": "Alamat uji, Ngawi",
                "lat": lat,
                "lng": lng,
                "capacity": rng.randint(1, 6),
                "schedule": [{"weekday": d, "start": start, "end": "12:00"} for d in days],
                "valid_from": date(2026, 1, 5),
                "valid_until": date(2026, 11, 27),
                "supervisor_name": "PJ uji",
                "supervisor_position": "",
                "supervisor_phone": "",
                "facilities": rng.sample(FACILITIES, rng.randint(0, 3)),
                "risks": [],
                "physical_risk_skill": "",
                "unpaid_confirmed": True,
                "status": "published",
            }
        )
    for i in range(0, n, 2000):
        db.session.execute(insert(Slot), rows[i : i + 2000])
    db.session.commit()


def timed(client, url: str, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Median seconds of ``repeat`` GETs and the body size."""
    times, size = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(times), size


def bare_json() -> Response:
    """The yardstick: the same rows as the map's markers, selected and dumped, nothing else."""
    stmt = (
        select(
            Slot.id,
            Slot.lat,
            Slot.lng,
            Slot.title,
            Opd.short_name,
            Slot.category,
            Slot.capacity,
            Slot.occupied,
            cast(Slot.schedule, String),
        )
        .join(Opd, Opd.id == Slot.opd_id)
        .where(Slot.status == "published")
    )
    rows = [list(r) for r in db.session.execute(stmt)]
    return Response(json.dumps(rows, separators=(",", ":")), mimetype="application/json")


def alternating(client, urls: list[str], repeat: int) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    """Median seconds and size of each URL, the URLs taken in turn ``repeat`` times."""
    times: dict[str, list[float]] = {u: [] for u in urls}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        for url in urls:
            seconds, size = timed(client, url, 1)
            times[url].append(seconds)
            sizes[url] = size
    return {u: (statistics.median(times[u]), sizes[u]) for u in urls}


def browser_time(app, username: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation start to the first drawn cluster, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith(base) else r.abort(),
            )
            page.goto(base + "/masuk")
            page.fill("#username", username)
            page.fill("#password", "sinergi-demo")
            page.click("button[type=submit]")
            page.wait_for_url("**/beranda")
            results = []
            for _ in range(3):
                page.goto(base + "/peta", wait_until="commit")
                page.wait_for_selector(".marker-cluster", timeout=30_000)
                results.append(
                    page.evaluate("performance.now()") / 1000.0
                )  # since this navigation's start
            browser.close()
            return statistics.median(results)
    finally:
        server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slots", type=int, default=20_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        app.add_url_rule("/bench-bare.json", "bench_bare_json", bare_json)
        with app.app_context():
            upgrade()
            load_seeds()
            create_demo_accounts()
            db.session.commit()
            t0 = time.perf_counter()
            populate(args.slots)
            print(f"inserted {args.slots} slots in {time.perf_counter() - t0:.1f} s")
            user = db.session.scalar(select(User).where(User.username == "pk.madiun"))
            session_id = user.get_id()
            sid = open_session(user)
            db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session[SESSION_KEY] = sid
            session["_fresh"] = True
        timed(client, "/peta.json", 1)  # warm the schedule parser and the caches
        found = alternating(client, ["/bench-bare.json", "/peta", "/peta.json"], 7)
        bare = found["/bench-bare.json"][0]
        for url, (seconds, size) in found.items():
            print(
                f"GET {url}: {seconds * 1000:.0f} ms (median of 7, alternating), "
                f"{size / 1e3:.0f} KB, {seconds / bare:.2f}x bare"
            )
        both = found["/peta"][0] + found["/peta.json"][0]
        print(f"page + markers: {both * 1000:.0f} ms = {both / bare:.2f}x the bare JSON dump")
        seconds, size = timed(client, "/peta?kategori=light_admin&kosong=1&fasilitas=ramp", 5)
        print(f"GET /peta filtered: {seconds * 1000:.0f} ms, {size / 1e6:.2f} MB")
        for url in (
            "/lokasi-kerja/",
            "/lokasi-kerja/?kategori=light_admin&kosong=1",
            "/lokasi-kerja/?fasilitas=ramp&kosong=1&page=3",
            "/lokasi-kerja/?q=uji+1999",
        ):
            seconds, _ = timed(client, url, 20)
            print(f"GET {url}: {seconds * 1000:.0f} ms (median of 20)")
        if not args.no_browser:
            seconds = browser_time(app, "pk.madiun")
            print(f"Chromium: clusters drawn {seconds:.2f} s after navigation")


if __name__ == "__main__":
    main()
