"""Notifications: events → inbox, e-mail, messaging gateway, daily digest.

* ``service``: the one place that turns events into notifications (outbox).
* ``scan``: time-based events (deadlines, expiry), found by the ``notify`` command.
* ``delivery``: the outbox worker (e-mail through Flask-Mailman, signed webhook).
* ``routes`` / ``api``: the inbox pages and ``/api/v1/notifications``.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mail extension, the inbox pages and the ``notify`` command."""
    from flask_mailman import Mail

    from portal.notifications.cli import notify_command
    from portal.notifications.routes import bp

    Mail(app)
    app.register_blueprint(bp)
    app.cli.add_command(notify_command)


def reload_mail_settings(app: Flask) -> None:
    """Read the MAIL_* settings again (Flask-Mailman keeps a copy taken at start-up)."""
    from flask_mailman import Mail

    app.extensions["mailman"] = Mail.init_mail(app.config, app.testing)
