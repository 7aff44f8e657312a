"""Supervision of a placed client (Pedoman 2.3) and the closing of his case (Pedoman 2.4).

* ``Assessment``: the PK's attitude assessment (Lampiran IV) at a visit, at the
  evaluations at a quarter and three quarters of the sentence, and at the end.
* ``ConductCase``: a violation or good conduct, followed through the team's
  examination (7 days), the TPP session and, for non-compliance, the
  recommendation to the Jaksa.
* ``Closure``: the end of the case, its register number and the surat
  pengakhiran.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.fields import LETTER_NUMBER
from portal.models.base import ClientRecord, UTCDateTime, utcnow
from portal.models.client import Client
from portal.models.placement import Placement
from portal.models.user import User


class Assessment(ClientRecord, Model):
    """A Laporan Penilaian Sikap: ten yes/no indicators, notes and the Cycle of Change stage."""

    __tablename__ = "assessment"

    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"))
    # visit, evaluation_q1, evaluation_q3, final
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    assessed_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # {"on_time": true, "finishes_work": false, ...}: the ten indicators of Lampiran IV.
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stage: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement: Mapped[Placement | None] = relationship()
    assessor: Mapped[User | None] = relationship()

    @property
    def score(self) -> int:
        """Indicators met, out of ten."""
        return sum(1 for value in self.indicators.values() if value)


class ConductCase(ClientRecord, Model):
    """A violation or good conduct and what the Bapas decided about it."""

    __tablename__ = "conduct_case"

    # violation, good_conduct
    kind: Mapped[str] = mapped_column(String(20))
    # A violation's type (portal.codes.VIOLATION_CATEGORIES); empty for good conduct.
    category: Mapped[str] = mapped_column(String(30), default="")
    occurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    # recorded → team_proposed → examined → decided → recommended
    status: Mapped[str] = mapped_column(String(20), default="recorded", index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team_members: Mapped[str] = mapped_column(Text, default="")
    team_proposed_on: Mapped[date | None] = mapped_column(Date)
    team_deadline: Mapped[date | None] = mapped_column(Date, index=True)

    examined_on: Mapped[date | None] = mapped_column(Date)
    examination_findings: Mapped[str] = mapped_column(Text, default="")

    tpp_session_on: Mapped[date | None] = mapped_column(Date)
    # continue, warning, reward, recommend_jaksa
    tpp_outcome: Mapped[str] = mapped_column(String(20), default="")
    tpp_notes: Mapped[str] = mapped_column(Text, default="")

    # repeat, prison, fine (KUHP Pasal 85(7))
    recommendation: Mapped[str] = mapped_column(String(20), default="")
    recommendation_hours: Mapped[int | None] = mapped_column(Integer)
    recommendation_number: Mapped[str] = mapped_column(String(LETTER_NUMBER), default="")
    recommendation_on: Mapped[date | None] = mapped_column(Date)
    prosecutor_office: Mapped[str] = mapped_column(String(200), default="")
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The Jaksa's answer to the recommendation, with its letter: repeat, prison or fine.
    jaksa_answer: Mapped[str] = mapped_column(String(20), default="")
    jaksa_letter_number: Mapped[str] = mapped_column(String(LETTER_NUMBER), default="")
    jaksa_answered_on: Mapped[date | None] = mapped_column(Date)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])


class Closure(Model):
    """The end of a client's case, recorded in the Bapas register."""

    __tablename__ = "closure"
    __table_args__ = (UniqueConstraint("bapas_id", "register_year", "register_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), unique=True)
    bapas_id: Mapped[int] = mapped_column(ForeignKey("bapas.id"), index=True)
    # served, died, sanctioned
    reason: Mapped[str] = mapped_column(String(20))
    closed_on: Mapped[date] = mapped_column(Date)
    final_assessment: Mapped[str] = mapped_column(Text)
    register_year: Mapped[int] = mapped_column(Integer)
    register_seq: Mapped[int] = mapped_column(Integer)
    register_number: Mapped[str] = mapped_column(String(80), unique=True)
    letter_number: Mapped[str] = mapped_column(String(LETTER_NUMBER))
    minutes_verified: Mapped[int] = mapped_column(Integer)
    conduct_case_id: Mapped[int | None] = mapped_column(ForeignKey("conduct_case.id"))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    conduct_case: Mapped[ConductCase | None] = relationship()
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])


class CommunityActivity(ClientRecord, Model):
    """A community activity the client took part in, invited by the RT head or the
    community's officers (LKjIP: tingkat penerimaan masyarakat)."""

    __tablename__ = "community_activity"

    held_on: Mapped[date] = mapped_column(Date)
    activity: Mapped[str] = mapped_column(Text)
    # Who included him: "Ketua RT 03", "pengurus masjid", ...
    included_by: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
