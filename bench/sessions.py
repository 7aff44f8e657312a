"""Sessions at the scale of a Bapas, run by hand: ``python bench/sessions.py [placements]``.

2,000 placements (240 hours each, weekday mornings, one Bapas, 100 sites of 20
clients; the PJ lokasi supervises five of them): generating every placement's
sessions one by one and again in one batch (``generate_many``), then listing one
PJ's week (the roster's query, the roster page and the API list of one placement).
A throwaway SQLite database, or ``BENCH_DATABASE_URL`` (e.g. a PostgreSQL database that
may be emptied).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, func, select, text  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

PER_SITE = 20
PJ_SITES = 5


def timed(fn, repeat: int = 5) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    clock.freeze(date(2026, 6, 1))
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "UPLOAD_FOLDER": f"{tmp}/uploads",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            upgrade()
            from portal.demo import create_demo_accounts
            from portal.models import Placement, User
            from portal.models.work_session import WorkSession, recount_sessions
            from portal.seeding import load_seeds
            from portal.sessions.routes import roster_rows
            from portal.sessions.services import generate_many, generate_sessions
            from tests import factories

            load_seeds()
            create_demo_accounts()
            pj = factories.user("pj.dinsos")
            placements = []
            for i in range(count):
                if i % PER_SITE == 0:
                    slot = factories.make_slot(
                        capacity=PER_SITE,
                        supervisor_user_id=pj.id if i // PER_SITE < PJ_SITES else None,
                    )
                c = factories.make_client(
                    hours_ordered=240, start_date=date(2026, 6, 1), deadline=date(2026, 11, 30)
                )
                placements.append(factories.make_placement(c, slot))
            db.session.commit()
            ids = [p.id for p in placements]

            start = time.perf_counter()
            for pid in ids:
                generate_sessions(db.session.get(Placement, pid))
            db.session.commit()
            generated = time.perf_counter() - start
            rows = db.session.scalar(select(func.count()).select_from(WorkSession))
            print(
                f"generate: {count} placements, {rows} sessions in {generated:.1f} s "
                f"({generated / count * 1000:.1f} ms per placement)"
            )
            again = timed(lambda: generate_sessions(db.session.get(Placement, ids[0])), 5)
            print(f"re-plan one placement (nothing changes): {again * 1000:.1f} ms")

            # The same plans in one batch (three reads, one delete, one insert).
            db.session.execute(delete(WorkSession))
            recount_sessions(db.session.connection())
            db.session.commit()
            start = time.perf_counter()
            generate_many(list(db.session.scalars(select(Placement).where(Placement.id.in_(ids)))))
            db.session.commit()
            batch = time.perf_counter() - start
            again_rows = db.session.scalar(select(func.count()).select_from(WorkSession))
            assert again_rows == rows, (again_rows, rows)
            print(
                f"generate_many: {count} placements, {rows} sessions in {batch:.2f} s "
                f"({batch / count * 1000:.1f} ms per placement)"
            )

            pj = db.session.get(User, pj.id)
            monday, sunday = date(2026, 6, 1), date(2026, 6, 7)
            week = roster_rows(pj, monday, sunday)
            query_s = timed(lambda: roster_rows(pj, monday, sunday), 5)
            print(f"PJ week query: {len(week)} sessions in {query_s * 1000:.1f} ms")
            from portal.models import Slot

            bare = (
                select(WorkSession.id, WorkSession.session_date, WorkSession.start)
                .join(Placement, WorkSession.placement_id == Placement.id)
                .join(Slot, Placement.slot_id == Slot.id)
                .where(
                    Slot.supervisor_user_id == pj.id,
                    WorkSession.session_date.between(monday, sunday),
                )
            )
            bare_s = timed(lambda: db.session.execute(bare).all(), 5)
            print(
                f"bare SELECT of the same rows: {bare_s * 1000:.1f} ms "
                f"(roster query {query_s / bare_s:.1f}x)"
            )

            pj_id = pj.get_id()
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = pj_id
            s["_fresh"] = True
        first = client.get("/sesi/lokasi")
        assert first.status_code == 200, (first.status_code, first.headers)
        page_s = timed(lambda: client.get("/sesi/lokasi"), 5)
        print(f"PJ roster page (/sesi/lokasi, {len(week)} sessions): {page_s * 1000:.1f} ms")
        with app.app_context():
            token = factories.make_api_token("pj.dinsos")
            db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
        api_url = f"/api/v1/placements/{ids[0]}/sessions"
        assert client.get(api_url, headers=headers).status_code == 200
        api_s = timed(lambda: client.get(api_url, headers=headers), 5)
        print(f"API sessions of one placement (60 rows): {api_s * 1000:.1f} ms")
        week_url = api_url + "?from=2026-06-01&to=2026-06-07"
        api_week = timed(lambda: client.get(week_url, headers=headers), 5)
        print(f"API one placement's week: {api_week * 1000:.1f} ms")


if __name__ == "__main__":
    main()
