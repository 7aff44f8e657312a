"""Work slots that an OPD publishes: where, when and how many clients it can take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, cast
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.agreement import Agreement
from portal.models.base import UTCDateTime, utcnow
from portal.models.organisation import Opd
from portal.models.user import User


class Slot(Model):
    """A place and job where clients do unpaid community work, with a capacity."""

    __tablename__ = "slot"
    # The slot list's default order within a Bapas's agreements and within an OPD; an
    # OPD's published titles in order (the Daftar Mitra).
    __table_args__ = (
        # A Bapas's slot list, newest change first, read per agreement in order (the id
        # breaks ties of the time; the status is there for the count).
        Index("ix_slot_agreement_id_updated_at_id", "agreement_id", "updated_at", "id", "status"),
        Index("ix_slot_opd_id_updated_at", "opd_id", "updated_at", "id"),
        Index("ix_slot_opd_id_status_title", "opd_id", "status", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), index=True)
    tasks: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    place_type: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    # Seats held by placements (booked, accepted, active): kept by the placement listener in
    # portal/models/placement.py whenever a placement is added, moved or changes status, so
    # lists, the map and matching read it instead of counting placements per request.
    occupied: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Weekly windows: [{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}], Monday = 0.
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    supervisor_name: Mapped[str] = mapped_column(String(160))
    supervisor_position: Mapped[str] = mapped_column(String(160), default="")
    supervisor_phone: Mapped[str] = mapped_column(String(40), default="")
    supervisor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    facilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The complaint channel named for clients (Pedoman 2.3.1 f.3: "media keluhan/pengaduan").
    complaint_contact: Mapped[str] = mapped_column(String(300), default="")
    risks: Mapped[list[str]] = mapped_column(JSON, default=list)
    physical_risk_skill: Mapped[str] = mapped_column(String(300), default="")
    unpaid_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    opd: Mapped[Opd] = relationship()
    agreement: Mapped[Agreement] = relationship()
    supervisor_user: Mapped[User | None] = relationship(foreign_keys=[supervisor_user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<Slot {self.id} {self.title!r}>"


# An OPD's published slots by facility set with their seats: the Daftar Mitra counts
# them on the index alone (the JSON list as its text, comparable on every database).
Index(
    "ix_slot_opd_id_status_facilities",
    Slot.opd_id,
    Slot.status,
    cast(Slot.facilities, String),
    Slot.capacity,
)
