"""Each role's dashboards warm, and on the first view after a saved change (run by hand).

    python bench/after_a_change.py DATABASE_URL [--runs 5]

The pages' throughput (``scale_pages.py``) is measured with the cache warm. But every
committed change to a business record starts a new cache generation (``portal.cache``),
and the next view of a dashboard computes its figures again: the monitoring indicators,
the Rencana Kerja progress, the reminders and the ledgers behind them. Where attendance
is saved all day, that first view is what users often see. This script signs each role
in through the form on a database built by ``bench/scale_data.py`` (clock frozen at the
data set's date) and prints, per page, the median time of ``runs`` warm views and of
``runs`` views each right after a new generation (started as a commit starts it), with
the SQL share of the latter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from profile_page import PASSWORD, TODAY  # noqa: E402

from portal import cache, clock, create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

PAGES = {
    "admin": ["/beranda"],
    "setda.ngawi": ["/beranda", "/monitoring/"],
    "kabapas.madiun": ["/beranda", "/monitoring/", "/pengingat/"],
    "pk.madiun": ["/beranda", "/pengingat/"],
    "opd.dinsos": ["/beranda"],
    "pj.dinsos": ["/beranda"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})  # fmt: skip
    clock.freeze(TODAY)
    sql = [0.0]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn: Any, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn: Any, *_: Any) -> None:
        sql[0] += time.perf_counter() - conn.info["bench_started"]

    def timed(client: Any, path: str) -> tuple[float, float]:
        sql[0] = 0.0
        started = time.perf_counter()
        answer = client.get(path)
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
        return time.perf_counter() - started, sql[0]

    print(f"{'role':15} {'page':14} {'warm ms':>8} {'after ms':>9} {'of it SQL':>10}")
    for username, paths in PAGES.items():
        client = app.test_client()
        answer = client.post("/masuk", data={"username": username, "password": PASSWORD})
        assert answer.status_code == 302, f"{username}: sign-in failed"
        for path in paths:
            for _ in range(2):
                timed(client, path)
            warm = [timed(client, path)[0] for _ in range(args.runs)]
            after = []
            for _ in range(args.runs):
                with app.test_request_context():
                    cache.invalidate()  # what the commit of any change does
                after.append(timed(client, path))
            cold = statistics.median(t for t, _ in after)
            cold_sql = statistics.median(s for _, s in after)
            print(
                f"{username:15} {path:14} {statistics.median(warm) * 1000:8.1f} "
                f"{cold * 1000:9.1f} {cold_sql * 1000:8.1f} ms"
            )


if __name__ == "__main__":
    main()
