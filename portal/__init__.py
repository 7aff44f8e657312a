"""Portal Sinergi: the Flask application factory."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from flask import Flask

from portal import cache, clock, database, resources  # noqa: F401 - engine and session event listeners
from portal.config import load_config
from portal.extensions import csrf, db, limiter, login_manager, migrate, oauth


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the portal application; ``config`` overrides settings (tests)."""
    app = Flask(
        __name__,
        template_folder=str(resources.TEMPLATES),
        static_folder=str(resources.STATIC),
        instance_path=str(resources.instance_path()),
    )
    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    clock.set_zone(app.config["TIMEZONE"])
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy: take the client's address from X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        # Flask's documented way to wrap the WSGI app; its stubs declare wsgi_app a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_web(app)
    register_cli(app)
    register_transactions(app)
    if not app.testing:
        # The loaded application (modules, mappers, settings) lives as long as the process:
        # its objects are kept out of the collector's passes (measured: about 6% less CPU
        # per request in a worker). Tests build apps and throw them away: not there.
        gc.collect()
        gc.freeze()
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(resources.MIGRATIONS))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    oauth.init_app(app)
    cache.init_app(app)


def register_url_converters(app: Flask) -> None:
    """``<int:...>`` in every route accepts only numbers a record id can be.

    A larger number matches no route, so it is a 404 (JSON under /api/v1) rather
    than an overflow in the database driver. Set before any route is added.
    """
    from werkzeug.routing import IntegerConverter, Map

    from portal.models.base import MAX_ID

    class RecordIdConverter(IntegerConverter):
        # The pattern itself stops at MAX_ID: a number that only failed ``max`` would end
        # the match with the methods of a same-path rule, a 405 instead of a 404.
        regex = numbers_up_to(MAX_ID)

        def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = RecordIdConverter


def numbers_up_to(limit: int) -> str:
    """A regular expression for the decimal numbers 0 to ``limit`` (leading zeros allowed)."""
    digits = str(limit)
    shorter = f"0*\\d{{1,{len(digits) - 1}}}" if len(digits) > 1 else "(?!)"
    same_length = [
        digits[:i]
        + f"[0-{int(d) - 1}]"
        + (f"\\d{{{len(digits) - i - 1}}}" if i < len(digits) - 1 else "")
        for i, d in enumerate(digits)
        if d != "0"
    ]
    return "(?:" + "|".join([shorter, *(f"0*{p}" for p in [*same_length, digits])]) + ")"


def register_blueprints(app: Flask) -> None:
    """Mount every area of the portal."""
    from portal import api
    from portal.admin import bp as admin_bp
    from portal.agreements import bp as agreements_bp
    from portal.agreements.api import bp as agreements_api
    from portal.attendance.api import bp as attendance_api
    from portal.auth import bp as auth_bp
    from portal.auth.api import bp as auth_api
    from portal.clients import bp as clients_bp
    from portal.clients.api import bp as clients_api
    from portal.dashboard import bp as dashboard_bp
    from portal.monitoring import bp as monitoring_bp
    from portal.monitoring.api import bp as monitoring_api
    from portal.notifications.api import bp as notifications_api
    from portal.placements import bp as placements_bp
    from portal.placements.api import bp as placements_api
    from portal.placements.booking import bp as booking_bp
    from portal.sessions.api import bp as sessions_api
    from portal.slots import bp as slots_bp
    from portal.slots.api import bp as slots_api

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(agreements_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(slots_bp)
    # /api/v1: each area's API blueprint nested under the toolkit's parent blueprint.
    app.register_blueprint(
        api.create_blueprint(
            [
                auth_api,
                agreements_api,
                slots_api,
                clients_api,
                placements_api,
                attendance_api,
                sessions_api,
                monitoring_api,
                notifications_api,
            ]
        )
    )
    app.register_blueprint(clients_bp)
    app.register_blueprint(placements_bp)
    app.register_blueprint(booking_bp)

    # --- issue 5: attendance, supervision, reminders ---
    from portal.attendance import bp as attendance_bp
    from portal.reminders import bp as reminders_bp
    from portal.supervision import bp as supervision_bp

    app.register_blueprint(attendance_bp)
    app.register_blueprint(supervision_bp)
    app.register_blueprint(reminders_bp)

    # --- issue 14: work sessions ---
    from portal.sessions import bp as sessions_bp

    app.register_blueprint(sessions_bp)
    # --- notifications: inbox, e-mail, gateway, the notify command ---
    from portal import notifications

    notifications.init_app(app)


def register_web(app: Flask) -> None:
    """Error pages, security headers, template helpers, sign-in, production guards."""
    from portal import web
    from portal.auth.services import refuse_demo_passwords
    from portal.auth.sessions import load_user
    from portal.matching.rules import rule_label, rule_slug

    web.init_app(app)
    login_manager.user_loader(load_user)
    # Matching rules appear in pages by their Indonesian names, never by code.
    app.jinja_env.globals.update(rule_label=rule_label, rule_slug=rule_slug)
    if app.config["PRODUCTION"]:
        refuse_demo_passwords(app)


def register_transactions(app: Flask) -> None:
    """One transaction per request (after every other hook is registered, so it runs first)."""
    from portal import transactions

    transactions.init_app(app)


def register_cli(app: Flask) -> None:
    """Add the portal's flask commands (seed, demo, create-admin, ...)."""
    from portal import cli

    cli.init_app(app)
