"""Monitoring demo data for the Ngawi agreement, plainly fictitious and idempotent.

* ``build_demo_workplan_reports``: one manual report on each activity the portal
  cannot measure (Litmas, coordination, venue, monev...).
* ``build_demo_monitoring_clients``: a few clients of Bapas Madiun placed in the demo
  slots with verified attendance, so that the derived progress and the indicators
  have real records. It does nothing when Bapas Madiun already has clients (another
  area's demo data then provides them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.demo import data
from portal.demo.data import booking_times
from portal.extensions import db
from portal.models import (
    Agreement,
    Attendance,
    Bapas,
    Client,
    ConductCase,
    Pemda,
    Placement,
    Slot,
    Summons,
    User,
    WorkplanActivity,
    WorkplanReport,
)

# metric: one manual report (percent, days_ago, reporter, note), seeds/demo/reports.yaml.
DEMO_REPORTS: dict[str, dict[str, Any]] = {r["metric"]: r for r in data.load("reports")}


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
        report = DEMO_REPORTS[act.metric]
        day = today - timedelta(days=report["days_ago"])
        if act.period_start and day < act.period_start:
            day = act.period_start
        reporter = db.session.scalar(select(User).where(User.username == report["reporter"]))
        db.session.add(
            WorkplanReport(
                activity_id=act.id,
                reported_on=day,
                percent=report["percent"],
                note=report["note"],
                reported_by_id=reporter.id if reporter else None,
            )
        )
    db.session.flush()


# name, days ago received, hours ordered, placement status, sessions of 4 h verified,
# a summons ignored
DEMO_CLIENTS: list[tuple[str, int, int, str, int, bool]] = [
    ("Klien Demo Monitoring Satu", 160, 24, "completed", 6, False),
    ("Klien Demo Monitoring Dua", 140, 40, "active", 8, False),
    ("Klien Demo Monitoring Tiga", 120, 60, "active", 9, True),
    ("Klien Demo Monitoring Empat", 95, 32, "completed", 8, False),
    ("Klien Demo Monitoring Lima", 70, 80, "active", 5, False),
    ("Klien Demo Monitoring Enam", 45, 48, "accepted", 0, False),
    ("Klien Demo Monitoring Tujuh", 20, 40, "booked", 0, False),
    ("Klien Demo Monitoring Delapan", 60, 36, "ended", 2, True),
]


def _weekdays_from(start: date, count: int) -> list[date]:
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_demo_monitoring_clients() -> None:
    """Clients placed in the Ngawi demo slots, with verified attendance (see module doc)."""
    bapas = db.session.scalar(select(Bapas).where(Bapas.code == "MDN"))
    pemda = db.session.scalar(select(Pemda).where(Pemda.code == "NGAWI"))
    if bapas is None or pemda is None:
        return
    if db.session.scalar(select(Client.id).where(Client.bapas_id == bapas.id).limit(1)):
        return
    agreement = db.session.scalar(
        select(Agreement).where(Agreement.bapas_id == bapas.id, Agreement.pemda_id == pemda.id)
    )
    slots = list(
        db.session.scalars(
            select(Slot)
            .where(Slot.agreement_id == agreement.id, Slot.status == "published")
            .order_by(Slot.id)
        )
    ) if agreement else []  # fmt: skip
    if not slots:
        return
    pk = db.session.scalar(select(User).where(User.username == "pk.madiun"))
    supervisor = db.session.scalar(select(User).where(User.username == "pj.dinsos"))
    today = clock.today()
    for n, (name, ago, hours, status, sessions, ignored) in enumerate(DEMO_CLIENTS, start=1):
        received = today - timedelta(days=ago)
        start = received + timedelta(days=7)
        client = Client(
            bapas_id=bapas.id,
            code=f"MDN-DEMO-{n:04d}",
            pk_id=pk.id if pk else None,
            status="active" if status in ("accepted", "active") else "registered",
            full_name=name,
            birth_place="Ngawi",
            birth_date=date(1990, 1, n),
            sex="L" if n % 3 else "P",
            address="Desa Contoh (Demo), Ngawi",
            home_lat=-7.40 + n * 0.004,
            home_lng=111.44 + n * 0.003,
            decision_number=f"{n}/Pid.C/DEMO/PN Ngw",
            decision_date=received - timedelta(days=10),
            court="Pengadilan Negeri Ngawi",
            execution_order_date=received,
            hours_ordered=hours,
            start_date=start,
            deadline=start + timedelta(days=180),
            offence="Pelanggaran ringan (demo)",
        )
        db.session.add(client)
        db.session.flush()
        slot = slots[n % len(slots)]
        days = _weekdays_from(start, sessions)
        ended = None
        if status in ("completed", "ended") and days:
            ended = datetime.combine(days[-1], time(6, 0), tzinfo=UTC)
        booked, answered = booking_times(start, today)
        placement = Placement(
            client_id=client.id,
            slot_id=slot.id,
            status=status,
            start_date=start,
            deadline=start + timedelta(days=180),
            schedule=list(slot.schedule or []),
            hours_planned=hours,
            booked_by_id=pk.id if pk else None,
            # Booked a week before the work started and accepted by the OPD soon after,
            # as the history says (not on the day the demo was built).
            booked_at=booked,
            decided_at=None if status == "booked" else answered,
            ended_at=ended,
        )
        db.session.add(placement)
        db.session.flush()
        for day in days:
            if day > today:
                break
            db.session.add(
                Attendance(
                    placement_id=placement.id,
                    work_date=day,
                    time_in=time(8, 0),
                    time_out=time(12, 0),
                    minutes=240,
                    activity="Kegiatan kerja sosial (demo)",
                    verified=True,
                    verified_by_id=supervisor.id if supervisor else None,
                    verified_at=datetime.combine(day, time(6, 0), tzinfo=UTC),
                    recorded_by_id=supervisor.id if supervisor else None,
                )
            )
        if ignored:
            # Three summonses ignored: the third opens one violation record (Pedoman 2.2).
            for seq in (1, 2, 3):
                db.session.add(
                    Summons(client_id=client.id, seq=seq,
                            sent_on=received - timedelta(days=9 - 3 * seq),
                            outcome="absent_without_reason", note="Demo")
                )  # fmt: skip
            db.session.add(
                ConductCase(client_id=client.id, kind="violation", category="summons_ignored",
                            occurred_on=received - timedelta(days=3), status="recorded",
                            description="Panggilan ketiga tidak dihadiri tanpa alasan (demo).",
                            recorded_by_id=pk.id if pk else None)
            )  # fmt: skip
    db.session.flush()
