"""Timings of the attendance area, run by hand: ``python bench/bench_attendance.py``.

* the pure ledger for a 240-hour sentence with 60 records, per call;
* reminders (and so the navbar count) for a PK with 200 clients of 30 records each;
* rendering Lampiran III (Daftar Hadir) with 60 rows to PDF.

Uses a throwaway SQLite database in a temporary directory.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.attendance.ledger import ScheduledPeriod, WorkDay, build_ledger  # noqa: E402
from portal.extensions import db  # noqa: E402


def timed(fn, repeat: int = 5) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    clock.freeze(date(2026, 8, 3))
    period = [ScheduledPeriod(frozenset(range(5)), date(2026, 3, 2), date(2026, 8, 31))]
    work = [WorkDay(date(2026, 3, 2) + timedelta(days=i * 2), 240, i % 5 != 0) for i in range(60)]
    ledger_s = timed(
        lambda: build_ledger(240 * 60, date(2026, 8, 31), clock.today(), period, work), 200
    )
    print(f"ledger (pure, 60 records, 6-month schedule): {ledger_s * 1000:.2f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "UPLOAD_FOLDER": f"{tmp}/uploads",
                "SECRET_KEY": "bench",
                "SERVER_NAME": "bench.local",
            }
        )
        with app.app_context():
            upgrade()
            from portal.demo import create_demo_accounts
            from portal.seeding import load_seeds

            load_seeds()
            create_demo_accounts()
            from tests import factories

            slot = factories.make_slot(
                capacity=500, supervisor_user_id=factories.user("pj.dinsos").id
            )
            clients = []
            for _ in range(200):
                c = factories.make_client(
                    hours_ordered=240, start_date=date(2026, 3, 2), deadline=date(2026, 8, 31)
                )
                p = factories.make_placement(c, slot)
                for i in range(30):
                    factories.make_attendance(
                        p, work_date=date(2026, 3, 2) + timedelta(days=i * 2), verified=i % 4 != 0
                    )
                clients.append(c)
            db.session.commit()

            from portal.reminders.services import reminders_for
            from portal.supervision.documents import attendance_list

            pk = factories.user("pk.madiun")
            with app.test_request_context():
                n = len(reminders_for(pk))
                rem_s = timed(lambda: reminders_for(pk))
                print(
                    f"reminders for a PK with 200 clients x 30 records: {rem_s * 1000:.0f} ms"
                    f" ({n} items)"
                )
                pj = factories.user("pj.dinsos")
                rem_pj = timed(lambda: reminders_for(pj))
                print(
                    f"reminders for the PJ of that site (1500 unverified): {rem_pj * 1000:.0f} ms"
                )
                pdf_s = timed(lambda: attendance_list(clients[0]), 3)
                print(f"Lampiran III PDF, 30 rows: {pdf_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
