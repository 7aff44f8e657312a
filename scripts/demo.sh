#!/usr/bin/env bash
# Local demo (README: `bash scripts/demo.sh`): install into .venv, migrate the
# SQLite database in instance/, load reference and demo data, start Flask.
# PORT (default 5000) and HOST (default 127.0.0.1) choose where it listens.
set -euo pipefail
PORT="${PORT:-5000}"
HOST="${HOST:-127.0.0.1}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Recreate a venv whose interpreter is gone (e.g. copied from another machine).
if ! .venv/bin/python -c 'import sys' 2>/dev/null; then
  rm -rf .venv
  python3 -m venv .venv
fi
export VIRTUAL_ENV="$PWD/.venv" PATH="$PWD/.venv/bin:$PATH" PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install -q -e .

export FLASK_APP=portal
flask db upgrade
flask seed
flask demo

cat <<MSG

  Portal Sinergi demo: http://${HOST}:${PORT}/
  Demo accounts and passwords: see README.md. Stop with Ctrl-C.

MSG
exec flask run --host "$HOST" --port "$PORT"
