"""Two notify workers at once on PostgreSQL: every message is sent exactly once, and a
time-based event found by both reaches each person once.

Real commits from several connections are needed, so this does not use the
rolled-back ``db`` fixture: it commits its records and deletes them afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select

from portal import clock
from portal.extensions import db
from portal.models import Agreement, Notification, NotificationDelivery, User
from portal.notifications import reload_mail_settings
from portal.notifications.delivery import deliver_due
from portal.notifications.scan import scan
from portal.notifications.service import notify
from tests.committed import race
from tests.notify_parts import SmtpServer

pytestmark = pytest.mark.postgres

MESSAGES = 120
WORKERS = 2


@pytest.fixture
def on_postgres(app: Flask) -> Iterator[None]:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (PORTAL_TEST_DATABASE_URL)")
    yield
    with app.app_context():
        ids = select(Notification.id)
        db.session.execute(
            delete(NotificationDelivery).where(NotificationDelivery.notification_id.in_(ids))
        )
        db.session.execute(delete(Notification))
        db.session.commit()


@pytest.fixture
def smtp(app: Flask) -> Iterator[SmtpServer]:
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    server = SmtpServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False)
    reload_mail_settings(app)
    yield server
    server.stop()
    app.config.update(saved)
    reload_mail_settings(app)


def test_two_workers_send_each_message_exactly_once(
    app: Flask, on_postgres: None, smtp: SmtpServer
) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "opd.dlh"))
        for i in range(MESSAGES):
            notify([user], "booking_requested", lambda u, i=i: (f"Uji {i}", ""), "/notifikasi/")
        db.session.commit()
        expected = set(db.session.scalars(select(NotificationDelivery.id)))
    assert len(expected) == MESSAGES

    outcomes = race(app, [lambda: deliver_due(batch=10)] * WORKERS, timeout=120)
    assert not [o for o in outcomes if isinstance(o, str)], outcomes
    assert sum(o.sent for o in outcomes) == MESSAGES
    assert all(o.sent > 0 for o in outcomes), "both workers took a share"
    sent = Counter(m.message["X-Portal-Delivery"] for m in smtp.messages)
    assert set(sent) == {str(i) for i in expected}
    assert max(sent.values()) == 1
    with app.app_context():
        states = set(db.session.scalars(select(NotificationDelivery.status)))
    assert states == {"sent"}


def test_two_scans_at_once_tell_each_person_once(app: Flask, on_postgres: None) -> None:
    with app.app_context():
        agreement = db.session.scalar(
            select(Agreement).where(
                Agreement.valid_until.is_not(None), Agreement.status == "active"
            )
        )
        end = agreement.valid_until
    clock.freeze(end - timedelta(days=7))
    results = race(app, [scan] * WORKERS, timeout=120)
    assert sorted(r if isinstance(r, str) else bool(r) for r in results) == [False, True]
    with app.app_context():
        keys = list(
            db.session.execute(
                select(Notification.user_id, Notification.event_key).where(
                    Notification.kind == "agreement_expiring"
                )
            )
        )
    assert keys
    assert len(keys) == len(set(keys))
