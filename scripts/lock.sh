#!/usr/bin/env bash
# Rewrite constraints.txt: the exact version of every dependency (all extras),
# used by scripts/test.sh and the Dockerfile (`pip install -c constraints.txt`).
# Run after changing dependencies in pyproject.toml; `--upgrade` takes newer releases.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3 )}
"$PY" -m piptools --version >/dev/null 2>&1 || "$PY" -m pip install -q 'pip-tools>=7.4'
CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh" "$PY" -m piptools compile --quiet \
  --all-extras --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
  --output-file constraints.txt "$@" pyproject.toml
# The project itself (pulled in by its own extras) is not a constraint.
sed -i '/^portal-sinergi @ /d' constraints.txt
