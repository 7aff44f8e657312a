"""Instructions each page's request executes, counted by Valgrind (run by hand).

    python bench/instructions.py DATABASE_URL [--root DIR ...] [--only SUBSTRING]
                                              [--requests 10]

On a shared machine a page's time varies by 20-40% from one run to the next, even
with the two versions interleaved in one process: a change that saves 5% cannot be
seen. The number of instructions a request executes is the same to within 0.5% from
run to run. This script runs each role's pages of ``scale_pages.PAGES`` (signed in
through the form, on a database built by ``bench/scale_data.py``, clock frozen at the
data set's date) under Valgrind's callgrind with counting off; after eight warm views
of a page it counts ``--requests`` more and prints the instructions per request, and
the bare 50-row page's (``wsgi_bench.bare_app``) for scale. With several ``--root``
(checkouts of the portal, e.g. ``git worktree add /tmp/before HEAD~3``) each page is
counted in each, with the change from the first. It counts work in the process only:
not the database server's (PostgreSQL), the kernel's or time spent waiting, so it
compares versions of the code; ``scale_pages.py`` measures throughput.

Needs the ``valgrind`` Debian package. About 20 s a page and root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM = 8
BARE = "bare"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--root", action="append", type=Path, help="a checkout (default: this)")
    parser.add_argument("--only", default="", help="only pages whose 'role path' contains it")
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.scale_pages import PAGES, record_ids

    roots = [root.resolve() for root in args.root or [ROOT]]
    ids = record_ids(args.url)
    wanted = {
        role: [ids.get(p, p) for p in paths if args.only in f"{role} {ids.get(p, p)}"]
        for role, paths in PAGES.items()
    }
    counts: dict[Path, dict[tuple[str, str], float]] = {}
    for root in roots:
        counts[root] = {}
        for role, paths in [(BARE, ["/"]), *wanted.items()]:
            if paths:
                found = _count(root, args.url, role, paths, args.requests)
                counts[root].update({(role, path): n for path, n in found.items()})
    bare = counts[roots[0]][(BARE, "/")]
    heads = "".join(f"{'M instr.':>10}{'×bare':>7}" + ("" if n == 0 else f"{'change':>8}")
                    for n in range(len(roots)))  # fmt: skip
    print(f"{'role':15} {'page':36}{heads}")
    for key in counts[roots[0]]:
        line = f"{key[0]:15} {key[1]:36}"
        for n, root in enumerate(roots):
            value = counts[root][key]
            line += f"{value / 1e6:10.2f}{value / bare:7.1f}"
            if n:
                line += f"{100 * (value / counts[roots[0]][key] - 1):+7.1f}%"
        print(line, flush=True)


def _count(root: Path, url: str, role: str, paths: list[str], requests: int) -> dict[str, float]:
    """Instructions per request of each of ``role``'s ``paths`` in the checkout ``root``."""
    found: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        signals = Path(folder)
        out = signals / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
            sys.executable, str(Path(__file__).resolve()), "--child", url, role,
            json.dumps(paths), str(requests), folder,
        ]  # fmt: skip
        env = dict(os.environ, PYTHONPATH=str(root), BENCH_DATABASE_URL=url)
        child = subprocess.Popen(  # noqa: S603 - fixed command
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            for n, path in enumerate(paths):
                _wait(signals / f"{n}.ready", child)
                _control(child.pid, "--zero")
                _control(child.pid, "--instr=on")
                (signals / f"{n}.go").touch()
                _wait(signals / f"{n}.done", child)
                _control(child.pid, "--instr=off")
                _control(child.pid, "--dump")
                (signals / f"{n}.counted").touch()
                dumps = sorted(signals.glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
                found[path] = _totals(dumps[-1]) / requests
            (signals / "exit").touch()
            child.wait(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
    return found


def _wait(signal: Path, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 900
    while not signal.exists():
        if child.poll() is not None:
            error = child.stderr.read().decode(errors="replace") if child.stderr else ""
            raise RuntimeError(f"the counted process stopped ({child.returncode}): {error[-2000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {signal.name} after 15 minutes")
        time.sleep(0.05)


def _control(pid: int, option: str) -> None:
    command = ["callgrind_control", option, str(pid)]  # Valgrind's, on the PATH
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - fixed command


def _totals(dump: Path) -> int:
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise ValueError(f"{dump} holds no totals")


def _child(url: str, role: str, paths_json: str, requests: str, folder: str) -> None:
    """Under Valgrind: sign in, then for each page warm views, a signal, counted views."""
    import logging

    signals = Path(folder)
    if role == BARE:
        from bench import wsgi_bench

        client = wsgi_bench.bare_app.test_client()
    else:
        from portal import clock, create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})  # fmt: skip
        clock.freeze(date.fromisoformat(os.environ.get("BENCH_TODAY", "2026-11-23")))
        logging.getLogger("portal.access").disabled = True
        client = app.test_client()
        signed_in = client.post("/masuk", data={"username": role, "password": "sinergi-demo"})
        assert signed_in.status_code == 302, f"sign-in of {role} failed"
    for n, path in enumerate(json.loads(paths_json)):
        for _ in range(WARM):
            assert client.get(path).status_code == 200, f"{role} {path}"
        (signals / f"{n}.ready").touch()
        _until(signals / f"{n}.go")
        for _ in range(int(requests)):
            client.get(path)
        (signals / f"{n}.done").touch()
        _until(signals / f"{n}.counted")  # nothing else runs while the count is on
    _until(signals / "exit")


def _until(signal: Path) -> None:
    while not signal.exists():
        time.sleep(0.02)


if __name__ == "__main__":
    main()
