"""Notifications at scale (run by hand, not in CI).

    python bench/notify.py [messages]      (0: the scan only)

1. The time-based scan over Bapas Madiun with 2,000 clients (bench/pages.py's data set:
   5,000 slots, one placement per client, 50,000 attendance rows, unverified days): the
   first pass, which writes every notification, and a second pass, which finds every event
   already told. Target: under 2 s.
2. ``notify`` with 10,000 due e-mails (default) sent to a real SMTP server on loopback
   (aiosmtpd in this process), next to a bare baseline: the same e-mail sent as many times
   with smtplib on one connection, no database and no templates.

Set BENCH_DATABASE_URL (e.g. postgresql+psycopg://portal@127.0.0.1:55432/bench) to run on
PostgreSQL; its schema is dropped and recreated. Default: a throwaway SQLite file.
"""

from __future__ import annotations

import os
import smtplib
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import TODAY, build  # noqa: E402
from portal import clock, create_app  # noqa: E402
from portal.demo import create_demo_accounts  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Notification, NotificationDelivery, User  # noqa: E402
from portal.notifications.delivery import deliver_due, email_message  # noqa: E402
from portal.notifications.scan import scan  # noqa: E402
from portal.seeding import load_seeds  # noqa: E402
from tests.notify_parts import SmtpServer  # noqa: E402


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    url = os.environ.get("BENCH_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    )
    server = SmtpServer()
    server.start()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port,
                      "MAIL_USE_TLS": False})  # fmt: skip
    clock.freeze(TODAY)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_seeds()
        create_demo_accounts()
        ids = build()
        print(f"database: {db.engine.dialect.name}; 2,000 clients, {ids['attendance']} "
              "attendance rows")  # fmt: skip

        cpu = time.process_time()
        made, first = timed(scan)
        db.session.commit()
        cpu_first, cpu = time.process_time() - cpu, time.process_time()
        again, second = timed(scan)
        db.session.commit()
        cpu_second = time.process_time() - cpu
        print(f"scan, first pass:  {first * 1000:7.0f} ms, CPU here {cpu_first * 1000:5.0f} ms "
              f"({made} notifications written)")  # fmt: skip
        print(f"scan, second pass: {second * 1000:7.0f} ms, CPU here {cpu_second * 1000:5.0f} ms "
              f"({again} new)")  # fmt: skip
        # Mail the scan's notifications are not part of the delivery figure below.
        db.session.execute(
            NotificationDelivery.__table__.update().values(status="sent")  # type: ignore[attr-defined]
        )
        db.session.commit()

        if not messages:
            server.stop()
            return
        user = db.session.scalar(select(User).where(User.username == "opd.dlh"))
        now = datetime.now(UTC)
        db.session.execute(insert(Notification), [
            dict(user_id=user.id, kind="booking_requested", title=f"Uji {i}", body="",
                 url="/notifikasi/", created_at=now)
            for i in range(messages)
        ])  # fmt: skip
        note_ids = db.session.scalars(
            select(Notification.id).where(Notification.title.like("Uji %"))
        ).all()
        db.session.execute(insert(NotificationDelivery), [
            dict(notification_id=nid, channel="email", status="pending", attempts=0,
                 next_attempt_at=now, last_error="", created_at=now)
            for nid in note_ids
        ])  # fmt: skip
        db.session.commit()
        before = len(server.messages)
        outcome, took = timed(lambda: deliver_due(batch=200))
        arrived = len(server.messages) - before
        left = db.session.scalar(
            select(func.count())
            .select_from(NotificationDelivery)
            .where(NotificationDelivery.status == "pending")
        )
        print(f"notify: {outcome.sent} sent, {arrived} arrived, {left} left pending in "
              f"{took:.1f} s ({outcome.sent / took:.0f} messages/s)")  # fmt: skip
        sample = email_message(user, "booking_requested", "/notifikasi/").message()

    # The same e-mail (plain text and HTML) sent with smtplib on one connection: no
    # database, no templates. The SMTP server runs in this process for both runs.

    def bare() -> None:
        with smtplib.SMTP("127.0.0.1", server.port) as smtp:
            for _ in range(messages):
                smtp.sendmail(
                    "noreply@localhost", ["opd.dlh@demo.invalid"], sample.as_bytes(linesep="\r\n")
                )

    _, base = timed(bare)
    print(
        f"bare smtplib, one connection: {base:.1f} s ({messages / base:.0f} messages/s); "
        f"notify / bare = {took / base:.2f}"
    )
    server.stop()


if __name__ == "__main__":
    main()
