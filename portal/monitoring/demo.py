"""Demo progress reports on the Ngawi Rencana Kerja for the activities the portal cannot measure.

Idempotent: an activity that already has a report gets none. Plainly fictitious.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Agreement, Bapas, Pemda, User, WorkplanActivity, WorkplanReport

# metric: (percent, days ago, reporter, note)
DEMO_REPORTS: dict[str, tuple[int, int, str, str]] = {
    "litmas": (55, 12, "kabapas.madiun",
               "Litmas disusun untuk klien yang diterima sampai bulan ini (demo)."),
    "assessment": (50, 12, "kabapas.madiun",
                   "Asesmen sosial dan keterampilan berjalan bersama Litmas (demo)."),
    "opd_coordination": (60, 20, "kabapas.madiun",
                         "Rapat koordinasi dengan 8 Perangkat Daerah di Setda (demo)."),
    "recommendation": (40, 25, "kabapas.madiun",
                       "Rekomendasi kerja sosial dikirim ke PN Ngawi (demo)."),
    "venue": (100, 30, "opd.dinsos",
              "Aula Dinas Sosial disediakan untuk koordinasi klien (demo)."),
    "monitoring": (35, 7, "kabapas.madiun",
                   "Monitoring bulanan ke lokasi kerja sosial (demo)."),
    "monev_report": (20, 7, "kabapas.madiun",
                     "Laporan monev triwulan I disusun (demo)."),
}  # fmt: skip


def build_demo_workplan_reports() -> None:
    """Add one manual report to each unmeasured activity of the Ngawi agreement."""
    agreement = db.session.scalar(
        select(Agreement)
        .join(Bapas, Bapas.id == Agreement.bapas_id)
        .join(Pemda, Pemda.id == Agreement.pemda_id)
        .where(Bapas.code == "MDN", Pemda.code == "NGAWI")
    )
    if agreement is None:
        return
    today = clock.today()
    for act in db.session.scalars(
        select(WorkplanActivity).where(WorkplanActivity.agreement_id == agreement.id)
    ):
        if act.metric not in DEMO_REPORTS:
            continue
        if db.session.scalar(select(WorkplanReport.id).where(WorkplanReport.activity_id == act.id)):
            continue
        percent, days_ago, username, note = DEMO_REPORTS[act.metric]
        day = today - timedelta(days=days_ago)
        if act.period_start and day < act.period_start:
            day = act.period_start
        reporter = db.session.scalar(select(User).where(User.username == username))
        db.session.add(
            WorkplanReport(
                activity_id=act.id,
                reported_on=day,
                percent=percent,
                note=note,
                reported_by_id=reporter.id if reporter else None,
            )
        )
    db.session.flush()
