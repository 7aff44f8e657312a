#!/bin/sh
# Container entry point. With no arguments: apply migrations, then serve with
# gunicorn. With arguments, run them instead (e.g. `docker run IMAGE flask seed`).
set -eu
cd /app

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

flask db upgrade
# Settings explained in README ("Application servers"): a worker is recycled or stopped only
# after it has finished the requests it holds. The portal writes one JSON line per request
# itself (with its request id), so gunicorn's access log is off.
exec gunicorn -w "${WEB_CONCURRENCY:-2}" -b 0.0.0.0:8000 \
  --timeout 60 --graceful-timeout 30 --max-requests 1000 --max-requests-jitter 100 \
  --error-logfile - 'portal:create_app()'
