"""Every role's main pages against a bare 50-row page, through gunicorn (run by hand).

    python bench/scale_pages.py DATABASE_URL [--runs 7] [--wrk 2] [--pairs 3] [--save out.json]
                                              [--compare base.json] [--only SUBSTRING]

The database is one built by bench/scale_data.py. Two gunicorn servers with two
workers each are started on it: the portal (clock frozen at the data set's
date) and a bare Flask + SQLAlchemy app rendering 50 rows of the slot table.
For each role (signed in through the real sign-in form) and page:

* ``runs`` sequential requests alternating page and bare page; the medians of
  the server time (``Server-Timing`` header, measured around the WSGI call);
* the HTML size;
* throughput with ``wrk`` (Debian package) for ``--wrk`` seconds on the page,
  then as long on the bare page, 2 connections (the machine is small), ``--pairs``
  times in turn; ``%bare`` is the median of the pairs' ratios (the page's requests
  per second over the bare page's just after it), ``rps`` the page's median. On a
  shared machine one pair's ratio swings by 20-40% as the machine's speed drifts;
  the median of adjacent pairs follows the drift much less.

``--save`` writes the figures as JSON; ``--compare`` prints, for each page,
its server time over the one in an earlier run (e.g. 10x the records).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "sinergi-demo"
UA = "portal-bench"

PAGES: dict[str, list[str]] = {
    "admin": ["/beranda", "/admin/pengguna", "/admin/audit", "/kesepakatan/"],
    "setda.ngawi": ["/beranda", "/monitoring/", "/monitoring/peta", "/mitra", "/kesepakatan/"],
    "kabapas.madiun": ["/beranda", "/klien/", "/penempatan/", "/pengawasan/", "/lokasi-kerja/",
                       "/peta", "/peta.json", "/pengingat/", "/monitoring/", "/sesi/daftar"],
    "pk.madiun": ["/beranda", "/klien/", "/penempatan/", "/pengawasan/", "/kehadiran/",
                  "/pengingat/", "/lokasi-kerja/", "/peta", "CLIENT", "MATCHES", "SUPERVISION",
                  "PLACEMENT", "ATTENDANCE", "/sesi/daftar"],
    "opd.dinsos": ["/beranda", "/lokasi-kerja/", "/penempatan/", "/kehadiran/", "/pengingat/",
                   "SLOT"],
    "pj.dinsos": ["/beranda", "/kehadiran/", "/penempatan/", "/pengingat/", "/sesi/daftar"],
}  # fmt: skip


def record_ids(url: str) -> dict[str, str]:
    """The record pages' URLs, from the data set."""
    engine = create_engine(url)
    with engine.connect() as conn:
        pk = conn.execute(text("SELECT id FROM user_account WHERE username='pk.madiun'")).scalar()
        running = conn.execute(
            text("SELECT c.id, p.id FROM client c JOIN placement p ON p.client_id = c.id "
                 "WHERE c.pk_id = :pk AND p.status = 'active' ORDER BY c.id LIMIT 1"), {"pk": pk}
        ).one()  # fmt: skip
        waiting = conn.execute(
            text("SELECT id FROM client WHERE pk_id = :pk AND status = 'registered' "
                 "ORDER BY id LIMIT 1"), {"pk": pk}
        ).scalar()  # fmt: skip
        slot = conn.execute(
            text("SELECT s.id FROM slot s JOIN opd o ON o.id = s.opd_id "
                 "WHERE o.code = 'NGAWI-DINSOS' ORDER BY s.id LIMIT 1")
        ).scalar()  # fmt: skip
    engine.dispose()
    return {
        "CLIENT": f"/klien/{running[0]}",
        "MATCHES": f"/klien/{waiting}/pencocokan",
        "SUPERVISION": f"/pengawasan/klien/{running[0]}",
        "PLACEMENT": f"/penempatan/{running[1]}",
        "ATTENDANCE": f"/kehadiran/penempatan/{running[1]}",
        "SLOT": f"/lokasi-kerja/{slot}",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(app: str, port: int, url: str, workers: int) -> subprocess.Popen[bytes]:
    """Start gunicorn on ``bench.wsgi_bench:<app>`` and wait until it answers."""
    env = dict(os.environ, BENCH_DATABASE_URL=url, PYTHONPATH=str(ROOT), PORTAL_ENV="development")
    # The server's log (the portal's access log: a line per request) goes to a file, as
    # in production: written to this terminal it would time the terminal.
    log = tempfile.NamedTemporaryFile(prefix=f"scale_pages_{app}_", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603 - fixed command
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", f"bench.wsgi_bench:{app}"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log,
    )  # fmt: skip
    for _ in range(600):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=60)
            return proc
        except requests.ConnectionError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError(f"gunicorn {app} did not start")


def sign_in(base: str, username: str) -> requests.Session:
    s = requests.Session()
    s.headers["User-Agent"] = UA
    form = s.get(f"{base}/masuk").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert token, "no CSRF token on the sign-in form"
    r = s.post(f"{base}/masuk", data={"csrf_token": token.group(1), "username": username,
                                      "password": PASSWORD}, allow_redirects=False)  # fmt: skip
    assert r.status_code == 302, f"sign-in of {username} failed ({r.status_code})"
    return s


def server_ms(resp: requests.Response) -> float:
    match = re.search(r"dur=([\d.]+)", resp.headers.get("Server-Timing", ""))
    return float(match.group(1)) if match else float("nan")


def wrk_rps(url: str, seconds: int, cookie: str | None) -> float:
    cmd = ["wrk", "-t1", "-c2", f"-d{seconds}s", "-H", f"User-Agent: {UA}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 - fixed command
        cmd + [url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        return 0.0
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wrk", type=int, default=2, help="seconds of wrk per page (0: skip)")
    parser.add_argument("--pairs", type=int, default=3, help="page/bare wrk runs in turn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save")
    parser.add_argument("--compare")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    ids = record_ids(args.url)
    port, bare_port = free_port(), free_port()
    procs = [serve("portal_app", port, args.url, args.workers)]
    base, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}/"
    earlier = json.loads(Path(args.compare).read_text()) if args.compare else {}
    results: dict[str, dict[str, Any]] = {}
    print(f"{'role':15} {'page':34} {'ms':>7} {'bare':>5} {'×bare':>6} {'KB':>6} "
          f"{'rps':>6} {'%bare':>6}{'  growth' if earlier else ''}")  # fmt: skip
    try:
        procs.append(serve("bare_app", bare_port, args.url, args.workers))
        plain = requests.Session()
        for role, pages in PAGES.items():
            s = sign_in(base, role)
            for page in pages:
                path = ids.get(page, page)
                if args.only and args.only not in f"{role} {path}":
                    continue
                for _ in range(2):  # warm both
                    s.get(base + path)
                    plain.get(bare)
                page_ms, bare_ms, size, status = [], [], 0, 0
                for _ in range(args.runs):
                    r = s.get(base + path, allow_redirects=False)
                    page_ms.append(server_ms(r))
                    size, status = len(r.content), r.status_code
                    bare_ms.append(server_ms(plain.get(bare)))
                med, bmed = statistics.median(page_ms), statistics.median(bare_ms)
                rps = brps = share = 0.0
                if args.wrk:
                    cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
                    pairs = [
                        (wrk_rps(base + path, args.wrk, cookie), wrk_rps(bare, args.wrk, None))
                        for _ in range(max(1, args.pairs))
                    ]
                    rps = statistics.median(p for p, _ in pairs)
                    brps = statistics.median(b for _, b in pairs)
                    share = statistics.median(p / b for p, b in pairs)
                key = f"{role} {page}"
                results[key] = {"ms": med, "bare_ms": bmed, "bytes": size, "status": status,
                                "rps": rps, "bare_rps": brps, "share": share}  # fmt: skip
                growth = ""
                if key in earlier:
                    growth = f"  {med / earlier[key]['ms']:5.2f}×"
                pct = f"{100 * share:5.0f}%" if brps else "     -"
                flag = "" if status == 200 else f"  status {status}"
                print(f"{role:15} {path:34} {med:7.1f} {bmed:5.1f} {med / bmed:6.1f} "
                      f"{size / 1024:6.0f} {rps:6.0f} {pct}{growth}{flag}", flush=True)  # fmt: skip
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait()
    if args.save:
        Path(args.save).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
