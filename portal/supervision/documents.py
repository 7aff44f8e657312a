"""The printed documents of a case, filled from the records (Pedoman Lampiran II to IV, letters)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from portal import clock, codes
from portal.attendance.services import client_ledger
from portal.clients.validation import replaced_penalty_text
from portal.documents.letters import kanwil_of
from portal.documents.pdf import render_pdf
from portal.extensions import db
from portal.models import (
    Assessment,
    Attendance,
    Client,
    Closure,
    ConductCase,
    Placement,
    ProgressReport,
)
from portal.slots.rules import place_name
from portal.supervision import rules


def long_date(day: Any) -> str:
    """'1 Juni 2026'."""
    return f"{day.day} {codes.MONTHS[day.month - 1]} {day.year}"


def weekday(day: Any) -> str:
    """'Senin'."""
    return codes.WEEKDAYS[day.weekday()]


def day_and_date(day: Any) -> str:
    """'Senin, 1 Juni 2026'."""
    return f"{weekday(day)}, {long_date(day)}"


def _placements(client: Client) -> list[Placement]:
    return [
        p
        for p in db.session.scalars(
            select(Placement).where(Placement.client_id == client.id).order_by(Placement.start_date)
        )
        if p.status not in ("booked", "declined")
    ]


def _common(client: Client) -> dict[str, Any]:
    placements = _placements(client)
    places = "; ".join(place_name(p.slot.title, p.slot.opd.name) for p in placements) or "—"
    jobs = "; ".join(
        p.slot.tasks or codes.JOB_CATEGORIES.get(p.slot.category, p.slot.category)
        for p in placements
    )
    return {
        "client": client,
        "bapas": client.bapas,
        "kanwil": kanwil_of(client.bapas),
        "placements": placements,
        "places": places,
        "jobs": jobs or "—",
        "ledger": client_ledger(client),
        "printed_on": clock.today(),
        "long_date": long_date,
        "day_and_date": day_and_date,
        "weekday": weekday,
        "city": client.bapas.city or client.bapas.name,
        "place_name": place_name,
        "photo_uri": _photo(client),
        "rules": rules,
    }


def _render(name: str, client: Client, doc_ref: str | None, **context: Any) -> bytes:
    """The PDF of ``documents/<name>.html`` on ``client``, with what every document shows."""
    return render_pdf(f"documents/{name}.html", doc_ref=doc_ref, **_common(client), **context)


def _photo(client: Client) -> str | None:
    """The client's pas foto for Lampiran II and IV (Pedoman 2.2.4: foto in the register)."""
    from portal.clients.documents import photo_data_uri  # clients imports supervision

    return photo_data_uri(client, current_app.config["UPLOAD_FOLDER"])


def execution_report(client: Client) -> bytes:
    """Lampiran II: Laporan Pelaksanaan Pidana Kerja Sosial."""
    assessments = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.client_id == client.id)
            .order_by(Assessment.assessed_on, Assessment.id)
        )
    )
    cases = list(
        db.session.scalars(
            select(ConductCase)
            .where(ConductCase.client_id == client.id)
            .order_by(ConductCase.occurred_on, ConductCase.id)
        )
    )
    days = len({r.work_date for r in _records(client) if r.verified})
    return _render(
        "lampiran_ii",
        client,
        f"Lampiran II · {client.code}",
        assessments=assessments,
        cases=cases,
        days_worked=days,
    )


def _records(client: Client) -> list[Attendance]:
    return list(
        db.session.scalars(
            select(Attendance)
            .join(Placement, Attendance.placement_id == Placement.id)
            .where(Placement.client_id == client.id, Attendance.superseded_by_id.is_(None))
            .order_by(Attendance.work_date, Attendance.time_in)
        )
    )


def attendance_list(client: Client) -> bytes:
    """Lampiran III: Daftar Hadir from the attendance records (replaced records left out)."""
    return _render(
        "lampiran_iii",
        client,
        f"Lampiran III · {client.code}",
        records=_records(client),
        excused=_excused(client),
    )


def _excused(client: Client) -> list[Any]:
    """Sessions excused (sick, permit...): listed under the attendance, never counted as hours."""
    from portal.models.work_session import WorkSession

    return list(
        db.session.scalars(
            select(WorkSession)
            .where(
                WorkSession.client_id == client.id,
                WorkSession.outcome == "acceptable_absence",
            )
            .order_by(WorkSession.session_date)
        )
    )


def assessment_report(assessment: Assessment) -> bytes:
    """Lampiran IV: Laporan Penilaian Sikap of one visit or evaluation."""
    return _render(
        "lampiran_iv",
        assessment.client,
        f"Lampiran IV · {assessment.client.code} · {assessment.assessed_on:%d-%m-%Y}",
        assessment=assessment,
    )


def recommendation_letter(case: ConductCase) -> bytes:
    """The Kepala Bapas's recommendation to the Jaksa (KUHP Pasal 85(7))."""
    return _render(
        "recommendation",
        case.client,
        case.recommendation_number,
        case=case,
        replaced_penalty=replaced_penalty_text(case.client),
    )


def closure_letter(closure: Closure) -> bytes:
    """The surat pengakhiran, to Ditjenpas, the Kantor Wilayah and the Kejaksaan."""
    from portal.supervision.services import default_prosecutor_office

    return _render(
        "closure",
        closure.client,
        closure.letter_number,
        closure=closure,
        prosecutor_office=(
            closure.conduct_case.prosecutor_office
            if closure.conduct_case
            else default_prosecutor_office(closure.client)
        ),
    )


def progress_report(report: ProgressReport) -> bytes:
    """The progress report to the Jaksa and the Hakim (Pedoman 2.3.2 p), from the records."""
    from portal.supervision.progress import period_facts

    client = report.client
    return _render(
        "progress_report",
        client,
        report.letter.number,
        report=report,
        facts=period_facts(client, report.period_start, report.period_end),
    )
