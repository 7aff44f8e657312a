"""Progress reports to the Jaksa and the Hakim (Pedoman 2.3.2 p): "Setiap perkembangan
perubahan perilaku dalam pelaksanaan pidana kerja sosial dikomunikasikan dan
dikoordinasikan kepada Jaksa dan Hakim melalui perkembangan laporan Pembimbingan
Kemasyarakatan."

A report covers a period (by default from the day after the last report, or the start of
the sentence, to today), is drawn from the records of that period (verified hours, days
of attendance, conduct, attitude assessments) and goes out as a letter numbered in the
Bapas register when the Kepala Bapas signs it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import Select, bindparam, select

from portal import audit, clock
from portal.attendance.services import client_ledger
from portal.extensions import db
from portal.models import (
    Assessment,
    Attendance,
    Client,
    ConductCase,
    Placement,
    ProgressReport,
    User,
)
from portal.queries import within
from portal.refusals import Refused
from portal.statuses import ClientStatus
from portal.supervision import numbering, rules
from portal.supervision.services import default_prosecutor_office

REPORT_EVERY_DAYS = 30  # one report a month while the work runs


@dataclass(frozen=True)
class PeriodFacts:
    """What the records say about one period."""

    minutes_verified: int
    minutes_pending: int
    days_worked: int
    conduct: list[ConductCase]
    assessments: list[Assessment]
    minutes_verified_total: int
    minutes_ordered: int

    @property
    def stage_change(self) -> str:
        """The Cycle of Change from the first to the last assessment of the period."""
        if not self.assessments:
            return "Belum ada penilaian sikap pada periode ini."
        first, last = self.assessments[0], self.assessments[-1]
        start, end = rules.STAGES.get(first.stage, first.stage), rules.STAGES.get(last.stage)
        if first.id == last.id or first.stage == last.stage:
            return f"Tahap perubahan: {end or start}."
        return f"Tahap perubahan berkembang dari {start} ke {end}."


class Reported(Protocol):
    """A report as the next period reads it: a record, or a row of the supervision page's."""

    @property
    def period_end(self) -> date: ...


def reports_of(client: Client) -> list[ProgressReport]:
    """The client's progress reports, oldest first."""
    return list(db.session.scalars(_reports_of(), {"client_id": client.id}))


@functools.cache
def _reports_of() -> Select[ProgressReport]:
    # Built once. The supervision page reads its reports with their letters' numbers
    # (``clients.record.supervision_entries``); the periods need no letter.
    return (
        select(ProgressReport)
        .where(ProgressReport.client_id == bindparam("client_id"))
        .order_by(ProgressReport.period_end, ProgressReport.id)
    )


def next_period(
    client: Client, today: date | None = None, reports: Sequence[Reported] | None = None
) -> tuple[date, date]:
    """From the day after the last report (or the start of the sentence) to today
    (``reports``: the client's ``reports_of``, when the caller has them)."""
    day = today or clock.today()
    reports = reports_of(client) if reports is None else reports
    start = reports[-1].period_end + timedelta(days=1) if reports else client.start_date
    return min(start, day), day


def report_due(
    client: Client, today: date | None = None, reports: Sequence[Reported] | None = None
) -> date:
    """When the next report is due: a month after the last one (or after the start)."""
    reports = reports_of(client) if reports is None else reports
    last = reports[-1].period_end if reports else client.start_date
    return last + timedelta(days=REPORT_EVERY_DAYS)


def period_facts(client: Client, start: date, end: date) -> PeriodFacts:
    """Hours, days, conduct and assessments of the period, from the records."""
    records = list(
        db.session.scalars(
            select(Attendance)
            .join(Placement, Attendance.placement_id == Placement.id)
            .where(
                Placement.client_id == client.id,
                Attendance.superseded_by_id.is_(None),
                Attendance.work_date >= start,
                Attendance.work_date <= end,
            )
        )
    )
    conduct = within(
        ConductCase, ConductCase.client_id == client.id, ConductCase.occurred_on, start, end
    )
    assessments = within(
        Assessment, Assessment.client_id == client.id, Assessment.assessed_on, start, end
    )
    ledger = client_ledger(client)
    return PeriodFacts(
        minutes_verified=sum(r.minutes for r in records if r.verified),
        minutes_pending=sum(r.minutes for r in records if not r.verified),
        days_worked=len({r.work_date for r in records if r.verified}),
        conduct=conduct,
        assessments=assessments,
        minutes_verified_total=ledger.minutes_verified,
        minutes_ordered=ledger.minutes_ordered,
    )


def issue_report(
    client: Client, start: date, end: date, user: User, prosecutor_office: str = ""
) -> ProgressReport:
    """The Kepala Bapas signs the report of a period; it is numbered and registered."""
    errors: dict[str, list[str]] = {}
    if client.status == ClientStatus.CLOSED:
        errors["period_start"] = ["Perkara klien sudah ditutup."]
    if end > clock.today():
        errors["period_end"] = ["Akhir periode belum terjadi."]
    if start > end:
        errors["period_start"] = ["Awal periode harus sebelum atau sama dengan akhir periode."]
    elif start < client.start_date:
        errors["period_start"] = ["Periode tidak boleh sebelum pidana kerja sosial dimulai."]
    office = (prosecutor_office or default_prosecutor_office(client)).strip()
    if len(office) < 5:
        errors["prosecutor_office"] = ["Isi Kejaksaan Negeri tujuan."]
    if errors:
        raise Refused(errors)
    letter = numbering.number_letter(
        client,
        "progress_report",
        user,
        f"Laporan perkembangan pembimbingan a.n. {client.code} "
        f"({start:%d-%m-%Y} s.d. {end:%d-%m-%Y})",
    )
    report = ProgressReport(
        client_id=client.id,
        letter_id=letter.id,
        period_start=start,
        period_end=end,
        prosecutor_office=office[:200],
        court=client.court,
        created_by_id=user.id,
    )
    return audit.saved(
        report,
        "progress_report_issued",
        user,
        about=client,
        id_key="report_id",
        number=letter.number,
    )
