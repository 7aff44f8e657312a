"""Timings of the attendance area, run by hand: ``python bench/bench_attendance.py [--runs 9]``.

* the pure ledger for a 240-hour sentence with 60 records, per call;
* reminders (and so the navbar count) for a PK with 200 clients of 30 records each;
* rendering Lampiran III (Daftar Hadir) with 60 rows to PDF;
* Lampiran III of a whole 240-hour sentence (60 days of 4 hours) beside a bare
  WeasyPrint table of the same rows (alternating, medians of wall and CPU time; target <= 2x).
  ``--lampiran-only`` measures only this, in a process without the 200 clients.

Uses a throwaway SQLite database in a temporary directory.
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="alternating runs of Lampiran III")
    parser.add_argument("--lampiran-only", action="store_true")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
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
            if args.lampiran_only:
                with app.test_request_context():
                    lampiran_iii_against_bare(slot, args.runs)
                return
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
                lampiran_iii_against_bare(slot, args.runs)


def bare_table_pdf(rows: list[tuple]) -> bytes:  # type: ignore[type-arg]
    """The yardstick: the same rows as one plain HTML table, through WeasyPrint alone."""
    from weasyprint import HTML

    cells = "".join(
        "<tr>" + "".join(f"<td>{value}</td>" for value in row) + "</tr>" for row in rows
    )
    html = (
        "<html><head><style>@page { size: A4; margin: 2cm } table { border-collapse: collapse }"
        " td { border: 1px solid #000; padding: 2px 4px; font-size: 10pt }</style></head>"
        f"<body><h1>Daftar Hadir</h1><table>{cells}</table></body></html>"
    )
    return HTML(string=html).write_pdf()


def lampiran_iii_against_bare(slot, runs: int) -> None:  # noqa: ANN001
    """Lampiran III for 240 hours (60 verified days of 4 hours) against the bare table."""
    from portal.models import Attendance
    from portal.supervision.documents import attendance_list
    from tests import factories
    from tests.pdftools import pdf_pages

    client = factories.make_client(
        hours_ordered=240, start_date=date(2026, 3, 2), deadline=date(2026, 8, 31)
    )
    placement = factories.make_placement(client, slot)
    for i in range(60):
        factories.make_attendance(
            placement, work_date=date(2026, 3, 2) + timedelta(days=i * 2), verified=True
        )
    db.session.commit()
    records = db.session.query(Attendance).filter_by(placement_id=placement.id).all()
    rows = [
        (i, r.work_date.isoformat(), f"{r.time_in:%H:%M}", f"{r.time_out:%H:%M}", r.minutes,
         r.activity, "Terverifikasi")
        for i, r in enumerate(sorted(records, key=lambda r: r.work_date), start=1)
    ]  # fmt: skip
    pages = pdf_pages(attendance_list(client)), pdf_pages(bare_table_pdf(rows))  # warm up
    renders = {"ours": lambda: attendance_list(client), "bare": lambda: bare_table_pdf(rows)}
    wall, cpu, collecting = alternate(renders, runs, paused=False)
    for label, times in (("wall", wall), ("CPU", cpu)):
        o, b = statistics.median(times["ours"]), statistics.median(times["bare"])
        print(
            f"Lampiran III for 240 hours ({len(rows)} rows, {pages[0]} pages), {label} median of"
            f" {runs}: {o * 1000:.0f} ms; bare WeasyPrint table of the same rows ({pages[1]} pages)"
            f" {b * 1000:.0f} ms; ratio {o / b:.2f}x (target <= 2x)"
        )
    # A full pass of the collector walks the whole heap; each render starts after a collection, so
    # it pays for the passes its own allocations cause. Paused for both, the ratio is the work of
    # the two documents alone.
    o, b = (sum(collecting[name]) / runs * 1000 for name in ("ours", "bare"))
    print(f"  of which garbage collection, mean per render: {o:.0f} ms vs {b:.0f} ms")
    _, cpu, _ = alternate(renders, runs, paused=True)
    o, b = statistics.median(cpu["ours"]), statistics.median(cpu["bare"])
    print(
        f"  CPU with the collector paused for both: {o * 1000:.0f} ms vs {b * 1000:.0f} ms;"
        f" ratio {o / b:.2f}x"
    )


Times = dict[str, list[float]]


def alternate(
    renders: dict[str, Callable[[], object]], runs: int, paused: bool
) -> tuple[Times, Times, Times]:
    """Wall time, CPU time and CPU time in the garbage collector of each render, run in turn,
    each after a collection (not timed) and, when ``paused``, with the collector off."""
    wall: Times = {name: [] for name in renders}
    cpu: Times = {name: [] for name in renders}
    collecting: Times = {name: [] for name in renders}
    spent = [0.0, 0.0]  # in the collector: total, start of the current pass

    def on_collect(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            spent[1] = time.process_time()
        else:
            spent[0] += time.process_time() - spent[1]

    gc.callbacks.append(on_collect)
    try:
        for _ in range(runs):
            for name, render in renders.items():
                gc.collect()  # each render starts from an empty young generation
                if paused:
                    gc.disable()
                spent[0] = 0.0
                start, start_cpu = time.perf_counter(), time.process_time()
                render()
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
                collecting[name].append(spent[0])
                gc.enable()
    finally:
        gc.enable()
        gc.callbacks.remove(on_collect)
    return wall, cpu, collecting


if __name__ == "__main__":
    main()
