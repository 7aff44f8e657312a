#!/bin/sh
# Container entry point. With no arguments: apply migrations, then serve with
# gunicorn. With arguments, run them instead (e.g. `docker run IMAGE flask seed`).
set -eu
cd /app

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

flask db upgrade
# The portal writes one JSON line per request itself (with its request id).
exec gunicorn -w "${WEB_CONCURRENCY:-2}" -b 0.0.0.0:8000 \
  --error-logfile - 'portal:create_app()'
