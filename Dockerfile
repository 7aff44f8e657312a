# Portal Sinergi production image.
#   docker build -t portal-sinergi .
#   docker run -p 8000:8000 -e PORTAL_DATABASE_URL=postgresql://... \
#     -e PORTAL_SECRET_KEY=... portal-sinergi
#   notifications worker beside it (same image and settings, plus PORTAL_MAIL_*):
#   docker run -e PORTAL_DATABASE_URL=... -e PORTAL_SECRET_KEY=... portal-sinergi \
#     flask notify --loop
# The base image is pinned to one Python release of one Debian release; move it
# on deliberately (and rebuild constraints.txt with scripts/lock.sh when Python changes).
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF exports) needs Pango, HarfBuzz's subsetter and a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --home-dir /home/portal --shell /usr/sbin/nologin portal

# A regular (not editable) install of the wheel: templates, static files,
# migrations and seeds travel inside the package. Every version comes from
# constraints.txt, so a rebuild gives the same image.
WORKDIR /src
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY portal ./portal
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY seeds ./seeds
RUN pip install --no-cache-dir -c constraints.txt '.[postgres,redis,sentry]' \
 && rm -rf /src

WORKDIR /app
COPY scripts/docker-entrypoint.sh /app/scripts/docker-entrypoint.sh
RUN chmod 0755 scripts/docker-entrypoint.sh \
 && mkdir -p /app/instance \
 && chown portal:portal /app/instance

ENV FLASK_APP=portal \
    PORTAL_ENV=production \
    PORTAL_INSTANCE_PATH=/app/instance

USER portal
# Uploads live in instance/uploads unless UPLOAD_FOLDER says otherwise.
VOLUME ["/app/instance"]
EXPOSE 8000
# Liveness: the process answers. Readiness (database, Redis) is GET /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
