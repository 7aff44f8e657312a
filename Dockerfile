# Portal Sinergi production image.
#   docker build -t portal-sinergi .
#   docker run -p 8000:8000 -e PORTAL_DATABASE_URL=postgresql://... \
#     -e PORTAL_SECRET_KEY=... portal-sinergi
#   notifications worker beside it (same image and settings, plus PORTAL_MAIL_*):
#   docker run -e PORTAL_DATABASE_URL=... -e PORTAL_SECRET_KEY=... portal-sinergi \
#     flask notify --loop
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF exports) needs Pango, HarfBuzz's subsetter and a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --home-dir /home/portal --shell /usr/sbin/nologin portal

WORKDIR /app
COPY . /app

# Editable install on purpose: create_app() finds templates/, static/,
# migrations/, seeds/ and instance/ next to the portal package (../ from it),
# so the code must stay in /app rather than be copied into site-packages.
# gunicorn comes with the main dependencies.
RUN pip install --no-cache-dir -e . \
 && python -m compileall -q portal \
 && chmod 0755 scripts/docker-entrypoint.sh \
 && mkdir -p /app/instance \
 && chown portal:portal /app/instance

ENV FLASK_APP=portal \
    PORTAL_ENV=production

USER portal
# Uploads live in instance/uploads unless UPLOAD_FOLDER says otherwise.
VOLUME ["/app/instance"]
EXPOSE 8000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
