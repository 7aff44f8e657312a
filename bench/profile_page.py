"""Where one page spends its time: SQL statements by total time, and Python by cProfile.

    python bench/profile_page.py DATABASE_URL USERNAME PATH [PATH ...] [--runs 5] [--top 8]

Runs in process on a database built by bench/scale_data.py (clock frozen at the data
set's date), signed in through the real form. For each path: the median time of
``runs`` requests, the statements of one request grouped by their SQL text with their
count and total time, and the Python functions with the largest cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import clock, create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

PASSWORD = "sinergi-demo"
TODAY = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("username")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument(
        "--own",
        action="store_true",
        help="rank every function (libraries too) by its own time, over all runs",
    )
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})  # fmt: skip
    clock.freeze(TODAY)
    client = app.test_client()
    answer = client.post("/masuk", data={"username": args.username, "password": PASSWORD})
    assert answer.status_code == 302, f"sign-in failed ({answer.status_code})"
    statements: dict[str, list[float]] = defaultdict(list)
    recording = [False]

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _stop(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if recording[0]:
            statements[re.sub(r"\s+", " ", sql)].append(time.perf_counter() - conn.info["t0"])

    for path in args.paths:
        client.get(path)  # warm
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        statements.clear()
        recording[0] = True
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs if args.own else 1):
            client.get(path)
        profile.disable()
        recording[0] = False
        total_sql = sum(sum(v) for v in statements.values()) * 1000
        count = sum(len(v) for v in statements.values())
        print(f"\n{path}: {response.status_code}, {len(response.data) / 1024:.0f} KB, "
              f"median {statistics.median(times):.1f} ms; SQL {count} statements "
              f"{total_sql:.1f} ms")  # fmt: skip
        ranked = sorted(statements.items(), key=lambda kv: -sum(kv[1]))[: args.top]
        for sql, spent in ranked:
            print(f"  {sum(spent) * 1000:7.1f} ms  x{len(spent):<4} {sql[:160]}")
        stats = pstats.Stats(profile)
        if args.own:
            stats.sort_stats("tottime").print_stats(args.top)
        else:
            stats.sort_stats("cumulative").print_stats(r"portal/(?!web\.py)", args.top)


if __name__ == "__main__":
    main()
