"""Application set-up: production guards, CLI commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.models import User


def test_production_refuses_demo_passwords(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PORTAL_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    with pytest.raises(RuntimeError, match="kata sandi demo"):
        create_app()


def test_production_needs_a_database_and_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_DATABASE_URL"):
        create_app()


def test_production_cookies_are_secure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    prod = create_app()
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_postgres_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/portal")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/portal"


def test_create_admin_command(app: Flask, db: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "kepala.tu", "--password", "AdminKuat2026!"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(select(User).where(User.username == "kepala.tu"))
    assert admin.role == "admin"
    weak = runner.invoke(args=["create-admin", "lemah", "--password", "pendek"])
    assert weak.exit_code != 0
    assert "minimal" in weak.output


def test_seed_command_reports_counts(app: Flask, db: Any) -> None:
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0
    assert "agreement=2" in result.output


def test_an_impossible_id_is_404_on_every_route(app: Flask, client: Any, login_as: Any) -> None:
    """Ids past what a database integer holds match no route: 404, never a driver overflow."""
    from werkzeug.routing import IntegerConverter

    from portal.models.base import MAX_ID
    from tests.factories import bearer

    login_as("kabapas.madiun")
    headers = bearer("kabapas.madiun")
    answered = []
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if not ints:
            continue
        # Just past the limit too: a path shared by a GET and a POST rule must not answer 405.
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for huge in (10**20, MAX_ID + 1):
                values = {n: huge if n in ints else "litmas" for n in rule.arguments}
                url = rule.build(values, append_unknown=False)[1]
                response = client.open(
                    url, method=method, headers=headers if url.startswith("/api/") else {}
                )
                if response.status_code != 404:
                    answered.append((method, url, response.status_code))
    assert answered == []
