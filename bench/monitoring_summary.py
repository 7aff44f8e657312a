"""Time the monitoring aggregation on a large agreement (run by hand).

    python bench/monitoring_summary.py [clients]

Builds a throwaway SQLite database with the seeds, 40 slots in the Ngawi OPDs and
N clients (default 5,000), each with one placement and 10 verified attendance days
(50,000 rows), then times ``summarise`` (the pages, exports and API all call it),
the Rencana Kerja progress, and the monitoring page and API through the test client.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from portal import clock, create_app
from portal.api.tokens import create_token
from portal.auth.sessions import SESSION_KEY, open_session
from portal.demo import create_demo_accounts
from portal.extensions import db
from portal.models import Agreement, Attendance, Client, Opd, Placement, Slot, User
from portal.models.attendance import recount_months
from portal.models.placement import fill_keys, recount_seats
from portal.monitoring import facts, services, workplan
from portal.seeding import load_seeds


def build(n_clients: int) -> int:
    """Insert the records with Core bulk inserts; return the Ngawi agreement id."""
    opds = list(db.session.scalars(select(Opd).where(Opd.code.like("NGAWI-%"))))
    agreement = db.session.scalar(select(Agreement).where(Agreement.pemda_id == opds[0].pemda_id))
    bapas_id = agreement.bapas_id
    now = datetime.now(UTC)
    slot_rows = [
        dict(opd_id=opds[i % len(opds)].id, agreement_id=agreement.id, title=f"Slot {i}",
             category="environment_cleaning", place_type="government", sector="environment",
             address="Ngawi", lat=-7.4, lng=111.44, capacity=150, schedule=[],
             valid_from=date(2026, 1, 1), valid_until=date(2026, 11, 27),
             supervisor_name="PJ", status="published", unpaid_confirmed=True,
             tasks="", description="", supervisor_position="", supervisor_phone="",
             facilities=[], risks=[], physical_risk_skill="", created_at=now, updated_at=now)
        for i in range(40)
    ]  # fmt: skip
    db.session.execute(insert(Slot), slot_rows)
    slot_ids = list(db.session.scalars(select(Slot.id)))
    client_rows = [
        dict(bapas_id=bapas_id, code=f"B-{i:06d}", status="active", full_name=f"Bench {i}",
             birth_date=date(1990, 1, 1), sex="L", address="Ngawi",
             decision_number=f"{i}", decision_date=date(2026, 1, 1) + timedelta(days=i % 150),
             court="PN", hours_ordered=40 + i % 200, start_date=date(2026, 2, 1),
             deadline=date(2026, 8, 1), offence="-", created_at=now, updated_at=now,
             birth_place="", religion="", father_name="", mother_name="", physical_marks="",
             fingerprints_taken=False, is_child=False, execution_order_number="",
             document_checks={}, appointment_number="", occupation="", profession_sector="other",
             offence_via_profession=False, victim_places=[], dependants=0, special_needs=[],
             skills=[], interests="", available=[], health_cleared=True,
             vulnerable_contact_exception=False, vulnerable_contact_reason="", notes="")
        for i in range(n_clients)
    ]  # fmt: skip
    db.session.execute(insert(Client), client_rows)
    client_ids = list(db.session.scalars(select(Client.id)))
    statuses = ("active", "accepted", "completed", "booked", "ended")
    db.session.execute(
        insert(Placement),
        [
            dict(client_id=cid, slot_id=slot_ids[k % len(slot_ids)], status=statuses[k % 5],
                 start_date=date(2026, 2, 1), deadline=date(2026, 8, 1), schedule=[],
                 hours_planned=40, booked_at=now, decision_reason="", end_reason="")
            for k, cid in enumerate(client_ids)
        ],
    )  # fmt: skip
    recount_seats(db.session.connection(), slot_ids)  # bulk rows bypass the ORM's upkeep
    fill_keys(db.session.connection())
    placement_ids = list(db.session.scalars(select(Placement.id)))
    db.session.execute(
        insert(Attendance),
        [
            dict(placement_id=pid, work_date=date(2026, 2, 2) + timedelta(days=d * 3),
                 time_in=datetime(2026, 1, 1, 8).time(), time_out=datetime(2026, 1, 1, 12).time(),
                 minutes=240, activity="", verified=True, recorded_at=now)
            for pid in placement_ids
            for d in range(10)
        ],
    )  # fmt: skip
    recount_months(db.session.connection())  # bulk rows bypass the ORM's upkeep
    db.session.commit()
    return agreement.id


def timed(fn, runs: int = 7) -> str:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f})"


def main() -> None:
    """Print timings of the aggregation, the work plan, the page and the API."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    clock.freeze(date(2026, 6, 1))
    with app.app_context():
        upgrade()
        load_seeds()
        create_demo_accounts()
        agreement_id = build(n)
        setda = db.session.scalar(select(User).where(User.username == "setda.ngawi"))
        _, token = create_token(setda, "bench", 1)
        db.session.commit()
        filters = services.select_scope(setda).filters
        agreement = db.session.get(Agreement, agreement_id)
        print(f"{n} clients, {n * 10} attendance rows, 40 slots")
        print("summarise            ", timed(lambda: facts.summarise(db.session, filters)))
        print("workplan_progress    ", timed(
            lambda: workplan.workplan_progress(db.session, agreement, clock.today())))  # fmt: skip
    client = app.test_client()
    with client.session_transaction() as s, app.app_context():
        setda = db.session.scalar(select(User).where(User.username == "setda.ngawi"))
        s["_user_id"] = setda.get_id()
        s[SESSION_KEY] = open_session(setda)
        db.session.commit()
    print("GET /monitoring/     ", timed(lambda: client.get("/monitoring/")))
    print("GET /api/v1/reports/summary", timed(
        lambda: client.get("/api/v1/reports/summary",
                           headers={"Authorization": f"Bearer {token}"})))  # fmt: skip


if __name__ == "__main__":
    main()
