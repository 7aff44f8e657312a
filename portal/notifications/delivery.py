"""The outbox worker: send what is due by e-mail or to the messaging gateway.

``deliver_due`` takes due rows in batches with ``SELECT ... FOR UPDATE SKIP
LOCKED`` (PostgreSQL), so several workers share the work and never send one
message twice; a batch is committed after it is sent. A failed send is retried
with growing pauses (1, 2, 4 ... minutes, at most an hour); a message still not
sent a day after the event is given up and shown to the admin.

What leaves the portal is only the kind's subject and a link to the page behind
sign-in: never a client's name or any other confidential content (NK Pasal 9).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Notification, NotificationDelivery, User
from portal.models.base import utcnow
from portal.models.notification import DeliveryStatus
from portal.notifications import kinds

log = logging.getLogger(__name__)

GIVE_UP_AFTER = timedelta(days=1)
MAX_PAUSE = timedelta(hours=1)
SIGNATURE_HEADER = "X-Portal-Signature"


@dataclass
class Outcome:
    """What one run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    def add(self, other: Outcome) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed


def pause_after(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def available_channels() -> list[str]:
    """The channels this worker can send through (set up in its configuration)."""
    channels = []
    if current_app.config.get("MAIL_SERVER"):
        channels += [kinds.EMAIL, kinds.DIGEST]
    if current_app.config.get("WEBHOOK_URL"):
        channels.append(kinds.GATEWAY)
    return channels


def absolute(url: str) -> str:
    """A link for a message: the portal's public address plus the page's path."""
    return current_app.config["BASE_URL"] + url


# --- messages --------------------------------------------------------------------------


def email_message(user: User, kind: str, url: str) -> EmailMultiAlternatives:
    """An e-mail in Indonesian, plain text and HTML: the subject and a link, nothing more."""
    subject = kinds.subject(kind)
    return _email(user, subject, "email", subject=subject, link=absolute(url))


def digest_message(user: User, notes: list[Notification]) -> EmailMultiAlternatives:
    """One daily e-mail listing how many notifications of each kind arrived."""
    counts: dict[str, int] = defaultdict(int)
    for note in notes:
        counts[kinds.subject(note.kind)] += 1
    return _email(
        user,
        f"Ringkasan harian: {len(notes)} pemberitahuan baru",
        "digest",
        counts=sorted(counts.items()),
        total=len(notes),
        link=absolute("/notifikasi"),
    )


def _email(user: User, heading: str, template: str, **values: Any) -> EmailMultiAlternatives:
    """The e-mail to ``user`` from ``notifications/<template>.txt`` and ``.html``."""
    context = {"user": user, **values, "settings": absolute("/notifikasi/pengaturan")}
    message = EmailMultiAlternatives(
        subject=f"[Portal Sinergi] {heading}",
        body=render_template(f"notifications/{template}.txt", **context),
        to=[user.email],
    )
    html = render_template(f"notifications/{template}.html", **context)
    message.attach_alternative(html, "text/html")
    return message


def webhook_payload(delivery: NotificationDelivery, now: datetime) -> dict[str, Any]:
    """The JSON the gateway receives (docs/notifications.md)."""
    note = delivery.notification
    user = note.user
    subject = kinds.subject(note.kind)
    url = absolute(note.url)
    return {
        "delivery_id": delivery.id,
        "kind": note.kind,
        "recipient": {"username": user.username, "name": user.full_name, "phone": user.phone},
        "subject": subject,
        "url": url,
        "text": f"Portal Sinergi: {subject}. Buka {url}",
        "created_at": note.created_at.isoformat(),
        "sent_at": now.isoformat(),
    }


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(delivery: NotificationDelivery, now: datetime) -> None:
    """POST one message to the gateway; raises on anything but a 2xx answer."""
    body = json.dumps(webhook_payload(delivery, now), ensure_ascii=False).encode()
    response = requests.post(
        current_app.config["WEBHOOK_URL"],
        data=body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body, current_app.config.get("WEBHOOK_SECRET") or ""),
            "X-Portal-Delivery": str(delivery.id),
        },
        timeout=10,
    )
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"gateway menjawab HTTP {response.status_code}")


# --- the worker --------------------------------------------------------------------------


def _sent(delivery: NotificationDelivery, now: datetime) -> None:
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.attempts += 1
    delivery.last_error = ""


def _failed(delivery: NotificationDelivery, error: Exception | str, now: datetime) -> str:
    delivery.attempts += 1
    delivery.last_error = str(error)[:1000] or error.__class__.__name__
    if now - delivery.created_at >= GIVE_UP_AFTER:
        delivery.status = DeliveryStatus.FAILED
        return "failed"
    delivery.next_attempt_at = now + pause_after(delivery.attempts)
    return "retried"


def _due(channels: list[str], now: datetime, limit: int | None) -> list[NotificationDelivery]:
    return list(
        db.session.scalars(
            select(NotificationDelivery)
            .where(
                NotificationDelivery.status == DeliveryStatus.PENDING,
                NotificationDelivery.next_attempt_at <= now,
                NotificationDelivery.channel.in_(channels),
            )
            .order_by(NotificationDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=NotificationDelivery)
            .options(joinedload(NotificationDelivery.notification).joinedload(Notification.user))
        ).unique()
    )


def _send_batch(rows: list[NotificationDelivery], now: datetime) -> Outcome:
    outcome = Outcome()
    mail = current_app.extensions["mailman"]
    connection = None
    smtp_down: Exception | None = None  # the server refused to connect: skip the rest

    def connect() -> Any:
        nonlocal connection, smtp_down
        if smtp_down is not None:
            raise smtp_down
        if connection is None:
            try:
                connection = mail.get_connection(fail_silently=False)
                connection.open()
            except Exception as error:
                connection, smtp_down = None, error
                raise
        return connection

    digests: dict[int, list[NotificationDelivery]] = defaultdict(list)
    for delivery in rows:
        note = delivery.notification
        try:
            if delivery.channel == kinds.GATEWAY:
                post_webhook(delivery, now)
            elif delivery.channel == kinds.DIGEST:
                digests[note.user_id].append(delivery)
                continue
            else:
                message = email_message(note.user, note.kind, note.url)
                message.extra_headers["X-Portal-Delivery"] = str(delivery.id)
                message.connection = connect()
                message.send()
        except Exception as error:  # noqa: BLE001 - any failure is retried later
            log.warning("pengiriman %s gagal: %s", delivery.id, error)
            if delivery.channel == kinds.EMAIL and connection is not None:
                _close(connection)
                connection = None
            _count(outcome, _failed(delivery, error, now))
            continue
        _sent(delivery, now)
        outcome.sent += 1
    for group in digests.values():
        user = group[0].notification.user
        try:
            message = digest_message(user, [d.notification for d in group])
            message.connection = connect()
            message.send()
        except Exception as error:  # noqa: BLE001
            log.warning("ringkasan untuk %s gagal: %s", user.username, error)
            if connection is not None:
                _close(connection)
                connection = None
            for delivery in group:
                _count(outcome, _failed(delivery, error, now))
            continue
        for delivery in group:
            _sent(delivery, now)
            outcome.sent += 1
    if connection is not None:
        _close(connection)
    return outcome


def _count(outcome: Outcome, what: str) -> None:
    setattr(outcome, what, getattr(outcome, what) + 1)


def _close(connection: Any) -> None:
    with contextlib.suppress(Exception):  # a broken connection is dropped anyway
        connection.close()


def deliver_due(now: datetime | None = None, batch: int = 200) -> Outcome:
    """Send every message due now, batch by batch, committing after each batch."""
    now = now or utcnow()
    channels = available_channels()
    total = Outcome()
    if not channels:
        return total
    single = [c for c in channels if c != kinds.DIGEST]
    while single:
        rows = _due(single, now, batch)
        if not rows:
            break
        total.add(_send_batch(rows, now))
        db.session.commit()
    if kinds.DIGEST in channels:
        # All due digest rows at once, so each user gets one e-mail with all of his.
        rows = _due([kinds.DIGEST], now, None)
        if rows:
            total.add(_send_batch(rows, now))
            db.session.commit()
    return total
