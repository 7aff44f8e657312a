"""Monitoring records: manual Rencana Kerja progress reports with evidence, yearly evaluations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.agreement import Agreement, WorkplanActivity
from portal.models.base import AgreementRecord, Created
from portal.models.user import User


class WorkplanReport(Created, Model):
    """A progress report on one Rencana Kerja activity, made by hand by the responsible party."""

    __tablename__ = "workplan_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("workplan_activity.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    activity: Mapped[WorkplanActivity] = relationship()
    reported_by: Mapped[User | None] = relationship()
    evidence: Mapped[list[WorkplanEvidence]] = relationship(
        back_populates="report", order_by="WorkplanEvidence.id", cascade="all, delete-orphan"
    )


class WorkplanEvidence(Created, Model):
    """An evidence file of a progress report, stored under UPLOAD_FOLDER (never in static/)."""

    __tablename__ = "workplan_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("workplan_report.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    report: Mapped[WorkplanReport] = relationship(back_populates="evidence")


class AgreementEvaluation(AgreementRecord, Created, Model):
    """The yearly evaluation of an agreement (NK Pasal 11)."""

    __tablename__ = "agreement_evaluation"
    __table_args__ = (
        UniqueConstraint("agreement_id", "year", name="uq_agreement_evaluation_year"),
    )

    year: Mapped[int] = mapped_column(Integer)
    evaluated_on: Mapped[date] = mapped_column(Date)
    # continue, amend (by Addendum) or end
    conclusion: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    agreement: Mapped[Agreement] = relationship()
    recorded_by: Mapped[User | None] = relationship()
