"""The Bapas register of outgoing letter numbers (recommendations, surat pengakhiran, ...)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.fields import LETTER_NUMBER
from portal.models.base import ClientRecord, UTCDateTime, utcnow
from portal.models.organisation import Bapas
from portal.models.user import User


class LetterNumber(Model):
    """One number given to a letter the Kepala Bapas signs.

    Numbers follow the Bapas's pattern with a yearly sequence (``seq``); a number typed
    by hand is an override, kept with its reason and without a sequence.
    """

    __tablename__ = "letter_number"
    __table_args__ = (
        UniqueConstraint("bapas_id", "year", "seq", name="uq_letter_number_seq"),
        UniqueConstraint("bapas_id", "number", name="uq_letter_number_number"),
        # The letters about one record (a client's completion letters on his record page),
        # found without reading the register: it grows by every letter of every Bapas.
        Index("ix_letter_number_object", "object_type", "object_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bapas_id: Mapped[int] = mapped_column(ForeignKey("bapas.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(LETTER_NUMBER))
    # recommendation, closure, ...: what the letter is
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(300), default="")
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # What the letter listed when it was signed (e.g. the documents still missing).
    details: Mapped[list[str]] = mapped_column(JSON, default=list)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bapas: Mapped[Bapas] = relationship()
    assigned_by: Mapped[User | None] = relationship()


class ProgressReport(ClientRecord, Model):
    """A periodic report of the client's progress to the Jaksa and the Hakim (Pedoman 2.3.2 p).

    Its content is drawn from the records of the period when it is printed; the row keeps
    the period and the numbered letter that carried it (the register).
    """

    __tablename__ = "progress_report"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letter_number.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    prosecutor_office: Mapped[str] = mapped_column(String(200))
    court: Mapped[str] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    letter: Mapped[LetterNumber] = relationship()
    created_by: Mapped[User | None] = relationship()
