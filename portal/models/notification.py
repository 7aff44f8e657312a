"""Notifications: the inbox of each user, and the outbox of messages still to send.

* ``Notification``: one message to one user, shown in his inbox. Written in the
  same transaction as the event it tells of; ``event_key`` makes a time-based
  event (a deadline, an expiry) arrive once per user however often it is found.
* ``NotificationDelivery``: the outbox. One row per message to send by e-mail,
  to the messaging gateway, or in the next daily digest; the ``notify`` command
  sends what is due, retries with backoff and gives up after a day.
* ``NotificationPreference``: the channel a user chose for one kind.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.base import UTCDateTime, utcnow
from portal.models.user import User


class Notification(Model):
    """One message in one user's inbox."""

    __tablename__ = "notification"
    __table_args__ = (
        # event_key first: the scan looks keys up without a user.
        UniqueConstraint("event_key", "user_id", name="uq_notification_event_user"),
        Index("ix_notification_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # Set for events found by the time-based scan: the same key never reaches a user twice.
    event_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class DeliveryStatus:
    """pending → sent | failed (after a day of retries)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class NotificationDelivery(Model):
    """A message waiting to leave the portal by e-mail, gateway or digest."""

    __tablename__ = "notification_delivery"
    __table_args__ = (Index("ix_notification_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id"), index=True)
    # email, gateway, digest
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notification: Mapped[Notification] = relationship()


class NotificationPreference(Model):
    """How one user wants to hear of one kind of event."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_pref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # inbox, email, gateway, digest
    channel: Mapped[str] = mapped_column(String(10))
    # Local time of the daily digest, "HH:MM".
    digest_time: Mapped[str] = mapped_column(String(5), default="07:00")
