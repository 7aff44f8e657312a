"""Time the main pages per role on a large fictitious data set (run by hand, not in CI).

    python bench/pages.py [runs]

Builds a throwaway SQLite database with the seeds, the demo accounts, 5,000
published slots in the Ngawi OPDs, 2,000 clients of Bapas Madiun (split between
pk.madiun and pk2.madiun), one placement each and 25 attendance days per
placement (50,000 rows, the last ones unverified). Then, with the Flask test
client signed in as each demo role, it requests each main page ``runs`` times
(default 30) and prints the median and p95 time and the number of SQL
statements per request (counted with a SQLAlchemy event listener), next to a
baseline: a bare ORM page listing 50 slots of the 5,000 (PLATFORM-NOTES: a real
page should stay within a factor of two of it).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import render_template_string
from flask_migrate import upgrade
from sqlalchemy import event, insert, select

from portal import clock, create_app
from portal.auth.sessions import SESSION_KEY, open_session
from portal.demo import create_demo_accounts
from portal.extensions import db
from portal.models import Agreement, Attendance, Client, Opd, Placement, Slot, User
from portal.models.attendance import recount_months
from portal.models.placement import fill_keys, recount_seats
from portal.seeding import load_seeds

TODAY = date(2026, 11, 23)
N_SLOTS, N_CLIENTS, DAYS_EACH = 5000, 2000, 25

PAGES: dict[str, list[str]] = {
    "admin": ["/beranda", "/admin/pengguna", "/admin/audit", "/kesepakatan/"],
    "setda.ngawi": ["/beranda", "/monitoring/", "/mitra", "/kesepakatan/"],
    "kabapas.madiun": ["/beranda", "/klien/", "/penempatan/", "/pengawasan/", "/lokasi-kerja/",
                       "/pengingat/", "/monitoring/"],
    "pk.madiun": ["/beranda", "/klien/", "/penempatan/", "/pengawasan/", "/kehadiran/",
                  "/pengingat/", "/lokasi-kerja/", "CLIENT", "SUPERVISION", "PLACEMENT"],
    "opd.dinsos": ["/beranda", "/lokasi-kerja/", "/penempatan/", "/kehadiran/", "/pengingat/",
                   "SLOT"],
    "pj.dinsos": ["/beranda", "/kehadiran/", "/penempatan/", "/pengingat/"],
}  # fmt: skip

BASELINE = """<!doctype html><title>x</title><table>{% for s in slots %}
<tr><td>{{ s.id }}</td><td>{{ s.title }}</td><td>{{ s.address }}</td><td>{{ s.capacity }}</td>
<td>{{ s.valid_until }}</td></tr>{% endfor %}</table>"""


def build() -> dict[str, int]:
    """Insert the records with Core bulk inserts; return ids for the detail pages."""
    opds = list(db.session.scalars(select(Opd).where(Opd.code.like("NGAWI-%")).order_by(Opd.id)))
    agreement = db.session.scalar(select(Agreement).where(Agreement.pemda_id == opds[0].pemda_id))
    users = {u.username: u for u in db.session.scalars(select(User))}
    pj = users["pj.dinsos"]
    dinsos = next(o for o in opds if o.code == "NGAWI-DINSOS")
    now = datetime.now(UTC)
    schedule = [{"weekday": d, "start": "08:00", "end": "12:00"} for d in range(5)]
    db.session.execute(insert(Slot), [
        dict(opd_id=opds[i % len(opds)].id, agreement_id=agreement.id, title=f"Lokasi uji {i}",
             category="environment_cleaning", place_type="government", sector="environment",
             address=f"Jl. Uji No. {i}, Ngawi", lat=-7.4 + (i % 100) * 0.001,
             lng=111.44 + (i // 100) * 0.001, capacity=3, schedule=schedule,
             valid_from=date(2026, 1, 5), valid_until=date(2026, 11, 27),
             supervisor_name="PJ uji", status="published", unpaid_confirmed=True,
             tasks="Membersihkan taman", description="", supervisor_position="",
             supervisor_phone="", facilities=["prayer_room"], risks=[], physical_risk_skill="",
             supervisor_user_id=pj.id if opds[i % len(opds)].id == dinsos.id else None,
             created_at=now, updated_at=now, published_at=now)
        for i in range(N_SLOTS)
    ])  # fmt: skip
    slot_ids = list(db.session.scalars(select(Slot.id).order_by(Slot.id)))
    pks = [users["pk.madiun"].id, users["pk2.madiun"].id]
    start = TODAY - timedelta(days=60)
    db.session.execute(insert(Client), [
        dict(bapas_id=users["pk.madiun"].bapas_id, code=f"MDN-2026-{i + 1:04d}",
             status="placed", full_name=f"Klien Uji {i}", birth_date=date(1990, 1, 1), sex="L",
             address="Ngawi", decision_number=f"UJI/{i}", decision_date=start - timedelta(days=14),
             court="Pengadilan Negeri Ngawi", hours_ordered=120, start_date=start,
             deadline=start + timedelta(days=180), offence="Pencurian ringan",
             pk_id=pks[i % 2], created_at=now, updated_at=now, birth_place="Ngawi",
             religion="", father_name="", mother_name="", physical_marks="",
             fingerprints_taken=False, is_child=False, execution_order_number="",
             document_checks={}, appointment_number="", occupation="", profession_sector="other",
             offence_via_profession=False, victim_places=[], dependants=0, special_needs=[],
             skills=[], interests="", available=schedule, health_cleared=True,
             vulnerable_contact_exception=False, vulnerable_contact_reason="", notes="")
        for i in range(N_CLIENTS)
    ])  # fmt: skip
    client_ids = list(db.session.scalars(select(Client.id).order_by(Client.id)))
    statuses = ("active", "active", "active", "accepted", "booked")
    db.session.execute(insert(Placement), [
        dict(client_id=cid, slot_id=slot_ids[k % len(slot_ids)], status=statuses[k % 5],
             start_date=start, deadline=start + timedelta(days=180), schedule=schedule,
             hours_planned=120, booked_at=now, decision_reason="", end_reason="",
             booked_by_id=pks[k % 2])
        for k, cid in enumerate(client_ids)
    ])  # fmt: skip
    recount_seats(db.session.connection(), slot_ids)  # bulk rows bypass the ORM's upkeep
    fill_keys(db.session.connection())
    placements = list(db.session.execute(select(Placement.id, Placement.status)))
    rows = []
    for pid, _status in placements:
        day, n = start, 0
        while n < DAYS_EACH:
            if day.weekday() < 5:
                rows.append(
                    dict(
                        placement_id=pid,
                        work_date=day,
                        time_in=datetime(2026, 1, 1, 8).time(),
                        time_out=datetime(2026, 1, 1, 12).time(),
                        minutes=240,
                        activity="Membersihkan taman",
                        verified=n < DAYS_EACH - 3,
                        recorded_at=now,
                    )
                )
                n += 1
            day += timedelta(days=1)
    db.session.execute(insert(Attendance), rows)
    recount_months(db.session.connection())  # bulk rows bypass the ORM's upkeep
    db.session.commit()
    first = client_ids[0]
    return {
        "CLIENT": first,
        "SUPERVISION": first,
        "PLACEMENT": db.session.scalar(select(Placement.id).where(Placement.client_id == first)),
        "SLOT": db.session.scalar(select(Slot.id).where(Slot.opd_id == dinsos.id).limit(1)),
        "attendance": len(rows),
    }


def measure(client: Any, url: str, runs: int, counter: list[int]) -> tuple[float, float, int, int]:
    """Median and p95 in ms, the status and the statements of the last request."""
    times = []
    status = 0
    for _ in range(runs):
        counter[0] = 0
        t = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        status = resp.status_code
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, status, counter[0]


def main() -> None:
    """Build the data, then print one line per page and role."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "RATELIMIT_ENABLED": False})  # fmt: skip

    @app.route("/bench/baseline")
    def baseline() -> str:
        slots = db.session.scalars(select(Slot).order_by(Slot.id).limit(50)).all()
        return render_template_string(BASELINE, slots=slots)

    clock.freeze(TODAY)
    counter = [0]
    with app.app_context():
        upgrade()
        load_seeds()
        create_demo_accounts()
        ids = build()
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1)
        )
        user_ids = {u.username: u.get_id() for u in db.session.scalars(select(User))}
        sids = {u.username: open_session(u) for u in db.session.scalars(select(User))}
        db.session.commit()
    print(f"{N_SLOTS} slots, {N_CLIENTS} clients, {ids['attendance']} attendance rows; "
          f"{runs} requests each; times in ms")  # fmt: skip
    print(f"{'role':15} {'page':32} {'median':>7} {'p95':>7} {'×base':>6} {'SQL':>4}  status")
    client = app.test_client()
    base, *_ = measure(client, "/bench/baseline", runs, counter)
    print(f"{'-':15} {'bare ORM page, 50 rows':32} {base:7.1f}")
    for role, pages in PAGES.items():
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = user_ids[role]
            s[SESSION_KEY] = sids[role]
            s["_fresh"] = True
        for page in pages:
            url = {
                "CLIENT": f"/klien/{ids['CLIENT']}",
                "SUPERVISION": f"/pengawasan/klien/{ids['SUPERVISION']}",
                "PLACEMENT": f"/penempatan/{ids['PLACEMENT']}",
                "SLOT": f"/lokasi-kerja/{ids['SLOT']}",
            }.get(page, page)
            med, p95, status, queries = measure(client, url, runs, counter)
            print(
                f"{role:15} {url:32} {med:7.1f} {p95:7.1f} {med / base:6.1f} {queries:4}  {status}"
            )


if __name__ == "__main__":
    main()
