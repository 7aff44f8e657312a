#!/usr/bin/env bash
# Full test run (README: `bash scripts/test.sh [pytest args]`; also run by .ci/run).
# Phases: Debian packages -> .venv -> ruff and mypy -> pytest on SQLite -> throwaway
# PostgreSQL -> pytest on PostgreSQL. Works on a fresh Debian 12 as root, and
# is idempotent on a machine that already has everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

banner() { printf '\n=== %s ===\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# One cleanup for every exit path. INT/TERM are turned into a normal exit so
# that the EXIT trap (which stops PostgreSQL) also runs after Ctrl-C or a kill.
PG_TMP="" PG_BIN="" REDIS_PID=""
cleanup() {
  if [[ -n "$REDIS_PID" ]]; then
    kill "$REDIS_PID" 2>/dev/null || true
  fi
  if [[ -n "$PG_TMP" && -d "$PG_TMP" ]]; then
    if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
      as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# initdb refuses to run as root, so as root the server runs as `postgres`.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

banner "[1/6] Debian packages"
DEB_PKGS=(postgresql redis-server chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-liberation poppler-utils)
missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Debian's own python3 has no ensurepip (needed by `python3 -m venv`) without python3-venv.
command -v python3 >/dev/null || missing+=(python3)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
# Node.js + npm run test tools from npm (tests/node: an OpenID provider, axe-core).
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})"
  echo "installing: ${missing[*]}"
  # Another apt/dpkg may be running (e.g. unattended setup): wait for its locks.
  if command -v fuser >/dev/null; then
    for _ in $(seq 120); do
      fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock >/dev/null 2>&1 || break
      sleep 5
    done
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi

banner "[2/6] Python virtualenv (.venv)"
# Recreate a venv whose interpreter is gone (e.g. copied from another machine).
if ! .venv/bin/python -c 'import sys' 2>/dev/null; then
  rm -rf .venv
  python3 -m venv .venv
fi
export VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install -q -c constraints.txt -e '.[test,redis,sentry]'
(cd tests/node && npm ci --no-audit --no-fund --silent)
python --version

banner "[3/6] ruff (lint + format check) and mypy (types)"
ruff check .
ruff format --check .
# The whole portal package; strict on the pure rule modules ([tool.mypy] in pyproject.toml).
mypy || die "mypy found type errors (listed above)"

# pytest exits 5 when it collected no tests; that is a failure here too.
run_pytest() {
  local rc=0
  python -m pytest -q -p no:cacheprovider "$@" || rc=$?
  ((rc == 5)) && echo "ERROR: pytest collected no tests" >&2
  ((rc == 0)) || exit "$rc"
}

banner "[4/6] pytest on SQLite"
# The SQLite run must not pick up a PostgreSQL URL from the caller's environment.
(unset PORTAL_TEST_DATABASE_URL; run_pytest "$@")

banner "[5/6] start a throwaway PostgreSQL and Redis"
PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -x "$PG_BIN/initdb" ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
# Fixed /tmp (not $TMPDIR): postgres must be able to enter it, and the unix
# socket path inside it must stay short.
PG_TMP=$(mktemp -d /tmp/portal-pg.XXXXXX)
[[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_TMP"
as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U portal -E UTF8 --locale=C.UTF-8 >/dev/null
# A free port can be taken between picking and binding it: try a few.
for _ in 1 2 3; do
  PG_PORT=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 -o \
    "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    break
  fi
  PG_PORT=""
done
[[ -n "$PG_PORT" ]] || { cat "$PG_TMP/server.log" >&2 || true; die "PostgreSQL did not start"; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U portal portal_test
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U portal -d portal_test -tAc 'SHOW server_version'
echo "PostgreSQL ready on 127.0.0.1:$PG_PORT (data in $PG_TMP)"

# Redis for the two-instance test (shared rate limits and cache), on loopback, not kept.
REDIS_PORT=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
  --dir "$PG_TMP" --logfile "$PG_TMP/redis.log" &
REDIS_PID=$!
for _ in $(seq 50); do
  python -c "import redis; redis.Redis(port=$REDIS_PORT).ping()" 2>/dev/null && break
  sleep 0.2
done
echo "Redis ready on 127.0.0.1:$REDIS_PORT"

banner "[6/6] pytest on PostgreSQL"
export PORTAL_TEST_DATABASE_URL="postgresql+psycopg://portal@127.0.0.1:$PG_PORT/portal_test"
export PORTAL_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
run_pytest "$@"

banner "all phases passed"
