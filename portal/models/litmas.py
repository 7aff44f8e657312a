"""Rencana Kerja stage 1 on the client: Litmas, individual assessments, recommendation.

* ``Litmas``: the social inquiry report (Penelitian Kemasyarakatan, Pedoman 2.2.5
  and 2.2.6): social and family data, the earlier interventions the PK studied
  (rekam intervensi), the recommendation; optionally the signed PDF.
* ``IndividualAssessment``: the social, psychological or skills assessment
  (Laporan asesmen individual).
* ``JudgeRecommendation``: the recommendation of kerja sosial sent to the judge.

Confidential like the client: only the client's PK and the Kepala Bapas see them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.fields import LETTER_NUMBER
from portal.models.base import ClientRecord, Created
from portal.models.user import User


class Litmas(ClientRecord, Created, Model):
    """A Laporan Litmas of one client."""

    __tablename__ = "litmas"

    number: Mapped[str] = mapped_column(String(LETTER_NUMBER))
    made_on: Mapped[date] = mapped_column(Date)
    social_summary: Mapped[str] = mapped_column(Text)  # social and family data
    intervention_history: Mapped[str] = mapped_column(Text, default="")  # rekam intervensi
    recommendation: Mapped[str] = mapped_column(Text)
    # The signed report as a PDF under UPLOAD_FOLDER/litmas (random name; original kept
    # only as a label).
    document_name: Mapped[str | None] = mapped_column(String(80))
    document_original: Mapped[str] = mapped_column(String(200), default="")
    document_size: Mapped[int | None] = mapped_column(Integer)
    document_sha256: Mapped[str] = mapped_column(String(64), default="")
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    written_by: Mapped[User | None] = relationship()


class IndividualAssessment(ClientRecord, Created, Model):
    """A social, psychological or skills assessment of a client."""

    __tablename__ = "individual_assessment"

    # social, psychological, skills (portal.codes.INDIVIDUAL_ASSESSMENT_KINDS)
    kind: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    assessor: Mapped[User | None] = relationship()


class JudgeRecommendation(ClientRecord, Created, Model):
    """The recommendation (kerja sosial) the Bapas sent to the judge."""

    __tablename__ = "judge_recommendation"

    sent_on: Mapped[date] = mapped_column(Date)
    court: Mapped[str] = mapped_column(String(160))
    content: Mapped[str] = mapped_column(Text)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    sent_by: Mapped[User | None] = relationship()
