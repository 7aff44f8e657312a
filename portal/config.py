"""Settings from the environment, with embedded defaults for a local demo.

Every setting can be given as an environment variable of the same name prefixed
with ``PORTAL_`` (for example ``PORTAL_DATABASE_URL``); ``DATABASE_URL`` and
``SECRET_KEY`` are also read without the prefix, as container platforms set them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "sinergi-demo"  # noqa: S105 - the documented demo password, refused in production


def _env(name: str, default: Any = None) -> Any:
    return os.environ.get(f"PORTAL_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def _instance_secret(instance_path: Path) -> str:
    """Read or create a random secret key kept in instance/ for the demo."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict[str, Any]:
    """Build the settings dictionary from the environment."""
    env = _env("ENV", "development")
    production = env == "production"
    database_url = _env("DATABASE_URL") or os.environ.get("DATABASE_URL")
    secret_key = _env("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if production and not database_url:
        raise RuntimeError("PORTAL_DATABASE_URL wajib diisi pada mode produksi.")
    if production and not secret_key:
        raise RuntimeError("PORTAL_SECRET_KEY wajib diisi pada mode produksi.")
    if not database_url:
        instance_path.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance_path / 'portal.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    return {
        "ENV_NAME": env,
        "PRODUCTION": production,
        "SECRET_KEY": secret_key or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("COOKIE_SECURE", production),
        "PERMANENT_SESSION_LIFETIME": int(_env("SESSION_HOURS", "12")) * 3600,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(_env("MAX_UPLOAD_MB", "8")) * 1024 * 1024,
        "UPLOAD_FOLDER": _env("UPLOAD_FOLDER", str(instance_path / "uploads")),
        "TRUSTED_PROXIES": int(_env("TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Shared store for cached aggregates (empty: each process's memory), their lifetime.
        "CACHE_URL": _env("CACHE_URL", ""),
        "CACHE_SECONDS": int(_env("CACHE_SECONDS", "60")),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "API_RATE_LIMIT": _env("API_RATE_LIMIT", "300 per minute"),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "30 per minute"),
        # Failed logins per username before a lock, and the first lock's length.
        "LOGIN_MAX_FAILURES": int(_env("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_SECONDS": int(_env("LOGIN_LOCK_SECONDS", "60")),
        "PASSWORD_HASH_METHOD": _env("PASSWORD_HASH_METHOD", "scrypt"),
        "TIMEZONE": _env("TIMEZONE", "Asia/Jakarta"),
        "AGREEMENT_WARNING_DAYS": int(_env("AGREEMENT_WARNING_DAYS", "60")),
        "MAP_TILE_URL": _env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
        "MAP_TILE_ATTRIBUTION": _env("MAP_TILE_ATTRIBUTION", "&copy; kontributor OpenStreetMap"),
        "MAP_TILE_MAX_ZOOM": int(_env("MAP_TILE_MAX_ZOOM", "19")),
        "DEFAULT_MAX_TRAVEL_KM": float(_env("DEFAULT_MAX_TRAVEL_KM", "15")),
        "VICTIM_MIN_DISTANCE_KM": float(_env("VICTIM_MIN_DISTANCE_KM", "2")),
        "API_TOKEN_DAYS": int(_env("API_TOKEN_DAYS", "90")),
        # Operations: JSON log lines (or "text"), level, optional Sentry reporting.
        "LOG_FORMAT": _env("LOG_FORMAT", "json"),
        "LOG_LEVEL": _env("LOG_LEVEL", "INFO").upper(),
        "SENTRY_DSN": _env("SENTRY_DSN"),
        "OIDC_ISSUER": _env("OIDC_ISSUER"),
        "OIDC_CLIENT_ID": _env("OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": _env("OIDC_CLIENT_SECRET"),
        "OIDC_SCOPES": _env("OIDC_SCOPES", "openid email profile"),
        "OIDC_BUTTON_LABEL": _env("OIDC_BUTTON_LABEL", "Masuk dengan SSO Pemerintah"),
        # Notifications: e-mail (Flask-Mailman), the messaging gateway, links in messages.
        "MAIL_BACKEND": "smtp",  # also under TESTING: the tests run a real SMTP server
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": int(_env("MAIL_PORT", "587")),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": _env("MAIL_SENDER", "Portal Sinergi <noreply@localhost>"),
        "MAIL_TIMEOUT": int(_env("MAIL_TIMEOUT", "30")),
        "WEBHOOK_URL": _env("WEBHOOK_URL"),
        "WEBHOOK_SECRET": _env("WEBHOOK_SECRET"),
        "BASE_URL": _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
    }
