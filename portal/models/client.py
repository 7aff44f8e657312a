"""Clients: persons sentenced to community work, received and profiled by a Bapas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.fields import CLIENT_TEXT, CODE, LETTER_NUMBER, NIK_DIGITS
from portal.models.base import ClientRecord, UTCDateTime, utcnow
from portal.models.organisation import Bapas
from portal.models.user import User
from portal.statuses import ClientStatus


class Client(Model):
    """A Klien of one Bapas: identity, court decision and placement profile.

    Confidential (NK Pasal 9): only the Bapas sees the identity; other
    organisations see ``code`` instead of the name.
    """

    __tablename__ = "client"
    # The client list (newest code first) and the supervision list (nearest deadline
    # first), for a Kepala Bapas (his Bapas) and for a PK (his clients).
    __table_args__ = (
        Index("ix_client_bapas_id_code", "bapas_id", "code"),
        Index("ix_client_pk_id_code", "pk_id", "code"),
        # A PK's and a Bapas's scope (with the status the supervision list leaves out, and
        # the deadline today's attendance reads) from the index alone: counts, and the
        # clients placements, sessions and attendance are found through.
        Index(
            "ix_client_pk_id_bapas_id_status_deadline", "pk_id", "bapas_id", "status", "deadline"
        ),
        Index("ix_client_bapas_id_status", "bapas_id", "status"),
        Index("ix_client_bapas_id_deadline", "bapas_id", "deadline", "code"),
        Index("ix_client_pk_id_deadline", "pk_id", "deadline", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bapas_id: Mapped[int] = mapped_column(ForeignKey("bapas.id"))
    code: Mapped[str] = mapped_column(String(CODE), unique=True)
    pk_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default=ClientStatus.REGISTERED, index=True)

    # Identity (Pedoman 2.2: registration data)
    full_name: Mapped[str] = mapped_column(String(CLIENT_TEXT["full_name"]))
    nik: Mapped[str | None] = mapped_column(String(NIK_DIGITS))
    birth_place: Mapped[str] = mapped_column(String(CLIENT_TEXT["birth_place"]), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    religion: Mapped[str] = mapped_column(String(CLIENT_TEXT["religion"]), default="")
    address: Mapped[str] = mapped_column(String(CLIENT_TEXT["address"]))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lng: Mapped[float | None] = mapped_column(Float)
    father_name: Mapped[str] = mapped_column(String(CLIENT_TEXT["father_name"]), default="")
    mother_name: Mapped[str] = mapped_column(String(CLIENT_TEXT["mother_name"]), default="")
    physical_marks: Mapped[str] = mapped_column(String(CLIENT_TEXT["physical_marks"]), default="")
    fingerprints_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    is_child: Mapped[bool] = mapped_column(Boolean, default=False)

    # Court decision and execution
    decision_number: Mapped[str] = mapped_column(String(CLIENT_TEXT["decision_number"]))
    decision_date: Mapped[date] = mapped_column(Date)
    court: Mapped[str] = mapped_column(String(CLIENT_TEXT["court"]))
    execution_order_number: Mapped[str] = mapped_column(
        String(CLIENT_TEXT["execution_order_number"]), default=""
    )
    execution_order_date: Mapped[date | None] = mapped_column(Date)
    hours_ordered: Mapped[int] = mapped_column(Integer)
    # The day of the offence: a client under 18 on it is a child (UU 11/2012 SPPA Pasal 20).
    offence_date: Mapped[date | None] = mapped_column(Date)
    # What the court set to apply if the work is not done (KUHP Pasal 85 ayat 7):
    # kind "prison" with months, or "fine" with an amount in rupiah; "" when not recorded.
    replaced_penalty_kind: Mapped[str] = mapped_column(String(10), default="")
    replaced_penalty_months: Mapped[int | None] = mapped_column(Integer)
    replaced_penalty_amount: Mapped[int | None] = mapped_column(BigInteger)
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    # {"putusan": true, "surat_eksekusi": true, ...}: authenticity checks of Pedoman 2.2.
    document_checks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appointment_number: Mapped[str] = mapped_column(String(LETTER_NUMBER), default="")
    appointed_on: Mapped[date | None] = mapped_column(Date)
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # Profile for matching (Pedoman 2.1, 2.3.1)
    occupation: Mapped[str] = mapped_column(String(CLIENT_TEXT["occupation"]), default="")
    profession_sector: Mapped[str] = mapped_column(String(40), default="other")
    offence: Mapped[str] = mapped_column(String(CLIENT_TEXT["offence"]))
    offence_via_profession: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"label": "rumah korban", "lat": .., "lng": ..}]
    victim_places: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    max_travel_km: Mapped[float | None] = mapped_column(Float)
    dependants: Mapped[int] = mapped_column(Integer, default=0)
    special_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[str] = mapped_column(Text, default="")
    # Weekly windows the decision and his livelihood allow, like Slot.schedule.
    available: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    health_cleared: Mapped[bool] = mapped_column(Boolean, default=True)
    # The client asked for a prayer room at the site (Pedoman 2.3.1 f.1).
    requests_prayer_room: Mapped[bool] = mapped_column(Boolean, default=False)
    # Proven skill for high physical-risk work (e.g. a K3 certificate); empty when none.
    physical_risk_skill: Mapped[str] = mapped_column(
        String(CLIENT_TEXT["physical_risk_skill"]), default=""
    )
    vulnerable_contact_exception: Mapped[bool] = mapped_column(Boolean, default=False)
    vulnerable_contact_reason: Mapped[str] = mapped_column(Text, default="")
    vulnerable_contact_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    bapas: Mapped[Bapas] = relationship()
    pk: Mapped[User | None] = relationship(foreign_keys=[pk_id])

    @property
    def replaced_penalty(self) -> dict[str, Any] | None:
        """API.md: {"kind": "prison", "months": 4} or {"kind": "fine", "amount": ...}."""
        if self.replaced_penalty_kind == "prison" and self.replaced_penalty_months:
            return {"kind": "prison", "months": self.replaced_penalty_months}
        if self.replaced_penalty_kind == "fine" and self.replaced_penalty_amount:
            return {"kind": "fine", "amount": self.replaced_penalty_amount}
        return None

    def __repr__(self) -> str:
        return f"<Client {self.code}>"


class Summons(ClientRecord, Model):
    """A summons (panggilan) by the Kepala Bapas when the client is not handed over."""

    __tablename__ = "summons"

    seq: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)
    # attended, absent_with_reason, absent_without_reason, pending
    outcome: Mapped[str] = mapped_column(String(30), default="pending")
    note: Mapped[str] = mapped_column(Text, default="")
