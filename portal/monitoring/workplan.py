"""Rencana Kerja progress: derived from the portal's records where it can be, else reported.

Each WorkplanActivity names a ``metric``. For these the portal computes the progress
itself, over the clients of the agreement received in the activity's period (the
cohort of ``portal.monitoring.indicators``):

* ``litmas`` (Litmas klien): clients with a Litmas recorded on their page ÷ all clients.
* ``assessment`` (asesmen sosial, psikologis dan keterampilan): clients with all three
  individual assessments recorded ÷ all clients.
* ``recommendation`` (rekomendasi kepada hakim): clients whose recommendation to the
  judge is recorded ÷ all clients.
* ``social_work`` (kerja sosial di Perangkat Daerah): verified hours ÷ hours ordered.
* ``placement_coordination`` (koordinasi penempatan): clients whose placement the OPD
  accepted (working, finished or ended) ÷ all clients with a placement request.
* ``supervision`` (pembimbingan oleh PK): placed clients (accepted by the OPD) with
  at least one attitude assessment by the PK (Lampiran IV) ÷ placed clients.
* ``final_assessment`` (asesmen akhir): clients whose programme ended with a final
  assessment ÷ clients whose programme ended (completed or terminated).
* ``closure`` (pengakhiran): clients whose case the Bapas closed (closure record)
  ÷ clients whose programme ended.

Where the denominator is 0 (no client placed yet, no programme ended yet) there is
nothing to measure, and the last manual report (if any) is shown instead.

"All clients" is the cohort: the agreement's clients (a placement request in its
slots) received in the activity's period. The other metrics (coordination with
OPDs, venue, monitoring, monev report) have no records in the portal: their
progress is the last report by the responsible party, with a note, a date, a
percentage and evidence files.

Status against the period (traffic light): before the period starts, "upcoming";
100 % is "done"; 0 % (or nothing reported) once the period runs is "not started";
otherwise "on track" when the progress is at most 10 points behind the share of the
period elapsed, and "lagging" when further behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import DbSession
from portal.models import Agreement, WorkplanActivity, WorkplanReport
from portal.monitoring.facts import summarise
from portal.monitoring.indicators import ON_TRACK_TOLERANCE, Filters, Summary

DERIVED_METRICS = (
    "litmas",
    "assessment",
    "recommendation",
    "social_work",
    "placement_coordination",
    "supervision",
    "final_assessment",
    "closure",
)

METRIC_LABELS: dict[str, str] = {
    "litmas": "Litmas",
    "assessment": "Asesmen",
    "opd_coordination": "Koordinasi dengan Perangkat Daerah",
    "recommendation": "Rekomendasi kepada hakim",
    "venue": "Tempat koordinasi",
    "placement_coordination": "Koordinasi penempatan",
    "supervision": "Pembimbingan oleh PK",
    "social_work": "Kerja sosial di Perangkat Daerah",
    "monitoring": "Monitoring dan evaluasi rutin",
    "monev_report": "Laporan monev",
    "final_assessment": "Asesmen akhir",
    "closure": "Pengakhiran program",
}

STATUSES: dict[str, tuple[str, str]] = {
    # code: (label, Bootstrap colour of the traffic light)
    "done": ("Selesai", "success"),
    "on_track": ("Sesuai jadwal", "success"),
    "lagging": ("Tertinggal", "warning"),
    "not_started": ("Belum dimulai", "danger"),
    "upcoming": ("Belum waktunya", "secondary"),
}


@dataclass(frozen=True)
class Derived:
    """A derived progress: the percentage and the figures it rests on, in words."""

    percent: int | None
    basis: str


def _ratio(part: float, whole: float) -> int | None:
    if whole <= 0:
        return None
    return max(0, min(100, int(part * 100 // whole)))


# Metric → (part, whole, what the ratio compares): the metrics the records measure.
_RATIOS: dict[str, tuple[Callable[[Summary], float], Callable[[Summary], float], str]] = {
    "litmas": (
        lambda s: s.clients_litmas,
        lambda s: s.clients_total,
        "klien yang sudah dibuatkan Litmas dibanding seluruh klien",
    ),
    "assessment": (
        lambda s: s.clients_individually_assessed,
        lambda s: s.clients_total,
        "klien dengan asesmen sosial, psikologis dan keterampilan lengkap dibanding seluruh klien",
    ),
    "recommendation": (
        lambda s: s.clients_recommended,
        lambda s: s.clients_total,
        "klien yang rekomendasinya sudah dikirim kepada hakim dibanding seluruh klien",
    ),
    "placement_coordination": (
        lambda s: s.clients_total - s.clients_waiting,
        lambda s: s.clients_total,
        "penempatan yang diterima OPD dibanding seluruh klien dengan permintaan penempatan",
    ),
    "supervision": (
        lambda s: s.clients_supervised,
        lambda s: s.clients_total - s.clients_waiting,
        "klien yang sudah dinilai PK (Lampiran IV) dibanding klien yang sudah ditempatkan",
    ),
    "final_assessment": (
        lambda s: s.clients_final_assessed,
        lambda s: s.clients_completed + s.clients_terminated,
        "penilaian akhir dibanding program klien yang sudah selesai",
    ),
    "closure": (
        lambda s: s.clients_closed,
        lambda s: s.clients_completed + s.clients_terminated,
        "kasus yang sudah diakhiri Bapas dibanding program klien yang sudah selesai",
    ),
}


def derive(metric: str | None, summary: Summary) -> Derived | None:
    """The progress of ``metric`` from the portal's records; None when not derivable."""
    s = summary
    if metric == "social_work":
        return Derived(
            _ratio(s.hours_verified, s.hours_ordered),
            f"{_num(s.hours_verified)} dari {_num(s.hours_ordered)} jam putusan terverifikasi",
        )
    if metric not in _RATIOS:
        return None
    part, whole, basis = _RATIOS[metric]
    return Derived(_ratio(part(s), whole(s)), basis)


def _num(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def expected_percent(start: date | None, end: date | None, today: date) -> float:
    """Share of the period elapsed on ``today``, 0..100 (a period without dates: 0)."""
    if start is None or end is None or today < start:
        return 0.0
    if today >= end:
        return 100.0
    return round(((today - start).days + 1) * 100 / ((end - start).days + 1), 1)


def status_of(percent: int | None, start: date | None, today: date, expected: float) -> str:
    """The traffic-light status code of one activity (see the module docstring)."""
    if start is not None and today < start:
        return "upcoming"
    if percent is not None and percent >= 100:
        return "done"
    if not percent:
        return "not_started"
    if percent >= expected - ON_TRACK_TOLERANCE:
        return "on_track"
    return "lagging"


@dataclass(frozen=True)
class ActivityProgress:
    """One activity with its progress, where the figure comes from, and its status."""

    activity: WorkplanActivity
    percent: int | None
    source: str  # derived, manual or none
    basis: str
    last_report: WorkplanReport | None
    expected: float
    status: str

    @property
    def status_label(self) -> str:
        """The status as the UI says it."""
        return STATUSES[self.status][0]

    @property
    def colour(self) -> str:
        """Bootstrap colour of the traffic light."""
        return STATUSES[self.status][1]

    @property
    def metric_label(self) -> str:
        """The metric's Indonesian name."""
        return METRIC_LABELS.get(self.activity.metric or "", "Laporan manual")

    @property
    def derived(self) -> bool:
        """True when the portal computes the figure."""
        return self.source == "derived"


def progress_for(
    activity: WorkplanActivity,
    summary: Summary | None,
    last_report: WorkplanReport | None,
    today: date,
) -> ActivityProgress:
    """Combine the derived figure (preferred) and the last manual report of an activity."""
    derived = derive(activity.metric, summary) if summary is not None else None
    if derived is not None and derived.percent is not None:
        percent, source, basis = derived.percent, "derived", derived.basis
    elif last_report is not None:
        percent, source = last_report.percent, "manual"
        basis = f"laporan penanggung jawab, {last_report.reported_on.strftime('%d-%m-%Y')}"
    else:
        percent, source = None, "none"
        basis = derived.basis if derived else "belum ada laporan"
    expected = expected_percent(activity.period_start, activity.period_end, today)
    status = status_of(percent, activity.period_start, today, expected)
    return ActivityProgress(activity, percent, source, basis, last_report, expected, status)


def last_reports(session: DbSession, activity_ids: Iterable[int]) -> dict[int, WorkplanReport]:
    """The latest report (by date, then by entry) of each activity."""
    ids = list(activity_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(WorkplanReport)
        .where(WorkplanReport.activity_id.in_(ids))
        .options(selectinload(WorkplanReport.evidence), joinedload(WorkplanReport.reported_by))
        .order_by(WorkplanReport.reported_on, WorkplanReport.id)
    )
    out: dict[int, WorkplanReport] = {}
    for report in rows:
        out[report.activity_id] = report
    return out


def workplan_progress(
    session: DbSession, agreement: Agreement, today: date
) -> list[ActivityProgress]:
    """Progress of every activity of the agreement's Rencana Kerja, in order."""
    return workplans_progress(session, [agreement], today)[agreement.id]


def workplans_progress(
    session: DbSession, agreements: Iterable[Agreement], today: date
) -> dict[int, list[ActivityProgress]]:
    """``workplan_progress`` of several agreements (a dashboard's), their reports read in
    one query."""
    chosen = list(agreements)
    reports = last_reports(session, (a.id for agreement in chosen for a in agreement.activities))
    out: dict[int, list[ActivityProgress]] = {}
    for agreement in chosen:
        activities = sorted(agreement.activities, key=lambda a: (a.stage, a.seq))
        summaries: dict[tuple[date, date], Summary] = {}
        rows = []
        for act in activities:
            summary = None
            if act.metric in DERIVED_METRICS and act.period_start and act.period_end:
                key = (act.period_start, act.period_end)
                if key not in summaries:
                    summaries[key] = summarise(
                        session, Filters((agreement.id,), act.period_start, act.period_end)
                    )
                summary = summaries[key]
            rows.append(progress_for(act, summary, reports.get(act.id), today))
        out[agreement.id] = rows
    return out


def by_stage(
    progress: list[ActivityProgress],
) -> list[tuple[tuple[int, str], list[ActivityProgress]]]:
    """Group activities by stage, in order."""
    return [
        (key, list(items))
        for key, items in groupby(progress, key=lambda p: (p.activity.stage, p.activity.stage_name))
    ]


@dataclass(frozen=True)
class Bar:
    """A Gantt bar on the year's timeline, in percent of the year's width."""

    left: float
    width: float
    fill: float  # share of the bar done, 0..100


def timeline_bar(start: date | None, end: date | None, year: int, percent: int | None) -> Bar:
    """Place an activity's period on the ``year`` timeline (clipped to the year)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = (last - first).days + 1
    if start is None or end is None or end < first or start > last:
        return Bar(0.0, 0.0, 0.0)
    a, b = max(start, first), min(end, last)
    left = round((a - first).days * 100 / days, 2)
    width = round(((b - a).days + 1) * 100 / days, 2)
    return Bar(left, width, float(percent or 0))


def today_marker(today: date, year: int) -> float | None:
    """Where ``today`` falls on the year's timeline, in percent; None outside the year."""
    if today.year != year:
        return None
    return round(
        (today - date(year, 1, 1)).days * 100 / ((date(year, 12, 31) - date(year, 1, 1)).days + 1),
        2,
    )
