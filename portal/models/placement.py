"""Placements: a client booked into a slot with a weekly schedule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.client import Client
from portal.models.slot import Slot
from portal.models.user import User


class PlacementStatus:
    """booked → accepted | declined; accepted → active → completed | ended."""

    BOOKED = "booked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"
    # Statuses that hold a seat of the slot's capacity.
    SEAT_HOLDING = (BOOKED, ACCEPTED, ACTIVE)


class Placement(db.Model):
    """A booking of one client into one slot."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PlacementStatus.BOOKED, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    hours_planned: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship()
    slot: Mapped[Slot] = relationship()
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
