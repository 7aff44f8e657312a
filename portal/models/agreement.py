"""The Nota Kesepakatan between one Bapas and one Pemda, its addenda and Rencana Kerja."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from portal.extensions import Model
from portal.fields import LETTER_NUMBER
from portal.models.base import AgreementRecord, UTCDateTime, utcnow
from portal.models.organisation import Bapas, Opd, Pemda
from portal.models.user import User


def effective_end(valid_until: date | None, *extended_to: date | None) -> date | None:
    """An agreement's validity end: its own, or the latest end an addendum in force extends
    it to (``extended_to``: those addenda's new ends, None where one does not extend)."""
    return max((d for d in (valid_until, *extended_to) if d is not None), default=None)


class AgreementStatus:
    """Stored states of an agreement; 'expired' is also derived from the dates."""

    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    ALL = (DRAFT, ACTIVE, EXPIRED)


class Agreement(Model):
    """A Nota Kesepakatan (NK): one agreement per Bapas and Pemda pair."""

    __tablename__ = "agreement"
    __table_args__ = (UniqueConstraint("bapas_id", "pemda_id", name="uq_agreement_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bapas_id: Mapped[int] = mapped_column(ForeignKey("bapas.id"), index=True)
    pemda_id: Mapped[int] = mapped_column(ForeignKey("pemda.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    number_bapas: Mapped[str | None] = mapped_column(String(LETTER_NUMBER))
    number_pemda: Mapped[str | None] = mapped_column(String(LETTER_NUMBER))
    signed_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=AgreementStatus.DRAFT)
    signatory_bapas: Mapped[str] = mapped_column(String(160), default="")
    signatory_pemda: Mapped[str] = mapped_column(String(160), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bapas: Mapped[Bapas] = relationship(back_populates="agreements")
    pemda: Mapped[Pemda] = relationship(back_populates="agreements")
    addenda: Mapped[list[Addendum]] = relationship(
        back_populates="agreement", order_by="Addendum.signed_on", cascade="all, delete-orphan"
    )
    activities: Mapped[list[WorkplanActivity]] = relationship(
        back_populates="agreement", order_by="WorkplanActivity.seq", cascade="all, delete-orphan"
    )

    @property
    def effective_valid_until(self) -> date | None:
        """Validity end after the latest addendum in force (agreed by both) that extends it."""
        return effective_end(
            self.valid_until,
            *(a.new_valid_until for a in self.addenda if a.status == AddendumStatus.IN_FORCE),
        )

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.status}>"


class AddendumStatus:
    """An addendum binds only once both parties agree (NK Pasal 15)."""

    PROPOSED = "proposed"
    IN_FORCE = "in_force"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    ALL = (PROPOSED, IN_FORCE, REFUSED, WITHDRAWN)
    LABELS = {
        PROPOSED: "Menunggu persetujuan pihak lain",
        IN_FORCE: "Berlaku (disetujui kedua pihak)",
        REFUSED: "Ditolak",
        WITHDRAWN: "Ditarik",
    }


class Addendum(AgreementRecord, Model):
    """An Addendum (NK Pasal 15): a change to the agreement, possibly extending it.

    One party proposes it; it binds (``in_force``) only when the other party confirms.
    """

    __tablename__ = "addendum"

    # The Bapas side's number (``number_bapas``) and the Pemda side's.
    number: Mapped[str] = mapped_column(String(LETTER_NUMBER))
    number_bapas = synonym("number")
    number_pemda: Mapped[str] = mapped_column(String(LETTER_NUMBER), default="")
    signed_on: Mapped[date] = mapped_column(Date)
    new_valid_until: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    # Binding only once the other party confirms (rows from before parties were
    # recorded were migrated as in force: they had been signed by both).
    status: Mapped[str] = mapped_column(String(20), default=AddendumStatus.PROPOSED)
    # bapas or pemda: the party that proposed it; "both" when recorded as signed by both.
    proposed_party: Mapped[str] = mapped_column(String(10), default="both")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # The agreement's end just before this addendum came into force, and how many
    # slots that ended then moved with it.
    previous_valid_until: Mapped[date | None] = mapped_column(Date)
    slots_extended: Mapped[int | None] = mapped_column(Integer)
    # The signed scan (PDF), stored like the Rencana Kerja evidence.
    scan_name: Mapped[str | None] = mapped_column(String(80))
    scan_original: Mapped[str] = mapped_column(String(200), default="")
    scan_size: Mapped[int | None] = mapped_column(Integer)
    scan_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="addenda")
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def in_force(self) -> bool:
        """True once both parties have agreed."""
        return self.status == AddendumStatus.IN_FORCE

    @property
    def status_label(self) -> str:
        """The status as the UI says it."""
        return AddendumStatus.LABELS.get(self.status, self.status)


class WorkplanActivity(AgreementRecord, Model):
    """One activity of an agreement's Rencana Kerja (Lampiran of the NK)."""

    __tablename__ = "workplan_activity"
    __table_args__ = (UniqueConstraint("agreement_id", "seq", name="uq_workplan_activity_seq"),)

    seq: Mapped[int] = mapped_column(Integer)
    stage: Mapped[int] = mapped_column(Integer)
    stage_name: Mapped[str] = mapped_column(String(120))
    activity: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200))
    # bapas, pemda or opd: which side answers for the activity.
    responsible_party: Mapped[str] = mapped_column(String(10))
    responsible_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    output: Mapped[str] = mapped_column(String(300), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # Which portal records measure this activity's progress (see portal/monitoring).
    metric: Mapped[str | None] = mapped_column(String(40))

    agreement: Mapped[Agreement] = relationship(back_populates="activities")
    responsible_opd: Mapped[Opd | None] = relationship()
