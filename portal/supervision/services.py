"""Writing supervision records and closing a case. Every write on a closed case is refused.

Each function checks its rules, adds and flushes, and writes the audit log;
the caller's request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from portal import audit, clock
from portal.attendance.rules import FieldsInvalid, RuleRefused, RuleViolation
from portal.attendance.services import client_ledger, ensure_case_open
from portal.codes import VIOLATION_CATEGORIES
from portal.extensions import db
from portal.models import (
    Assessment,
    Client,
    Closure,
    ConductCase,
    Placement,
    PlacementStatus,
    User,
)
from portal.models.base import utcnow
from portal.supervision import rules

CLOSED = "closed"


@dataclass
class AssessmentInput:
    """A Lampiran IV assessment as entered."""

    kind: str
    assessed_on: date
    indicators: dict[str, bool]
    stage: str
    notes: str = ""
    place: str = ""
    placement_id: int | None = None


def done_kinds(client: Client) -> set[str]:
    """The once-only evaluations already made for the client."""
    return set(
        db.session.scalars(
            select(Assessment.kind).where(
                Assessment.client_id == client.id, Assessment.kind.in_(rules.ONCE_ONLY_KINDS)
            )
        )
    )


def record_assessment(client: Client, entry: AssessmentInput, user: User) -> Assessment:
    """Save an attitude assessment (visit, ¼ or ¾ evaluation, final)."""
    ensure_case_open(client)
    fields: dict[str, list[str]] = {}
    if entry.kind not in rules.ASSESSMENT_KINDS:
        fields["kind"] = ["Jenis penilaian tidak dikenal."]
    if entry.stage not in rules.STAGES:
        fields["stage"] = ["Pilih tahap perubahan."]
    unknown = set(entry.indicators) - set(rules.INDICATORS)
    if unknown:
        fields["indicators"] = ["Indikator tidak dikenal: " + ", ".join(sorted(unknown))]
    if len(entry.notes) > 4000:
        fields["notes"] = ["Catatan maksimal 4000 karakter."]
    if fields:
        raise FieldsInvalid(fields)
    found = rules.check_assessment(entry.kind, entry.assessed_on, clock.today(), done_kinds(client))
    if found:
        raise RuleRefused(found)
    if entry.placement_id is not None:
        placement = db.session.get(Placement, entry.placement_id)
        if placement is None or placement.client_id != client.id:
            raise FieldsInvalid({"placement_id": ["Penempatan bukan milik klien ini."]})
    assessment = Assessment(
        client_id=client.id,
        placement_id=entry.placement_id,
        kind=entry.kind,
        assessed_on=entry.assessed_on,
        place=entry.place.strip()[:200],
        indicators={code: bool(entry.indicators.get(code)) for code in rules.INDICATORS},
        stage=entry.stage,
        notes=entry.notes.strip(),
        assessor_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        "assessment_recorded",
        "assessment",
        assessment.id,
        user=user,
        client_id=client.id,
        kind=entry.kind,
        score=assessment.score,
        stage=entry.stage,
    )
    return assessment


def record_conduct(
    client: Client,
    kind: str,
    occurred_on: date,
    description: str,
    user: User,
    category: str = "",
) -> ConductCase:
    """Record a violation (with its type) or good conduct of the client."""
    ensure_case_open(client)
    fields: dict[str, list[str]] = {}
    if kind not in rules.CONDUCT_KINDS:
        fields["kind"] = ["Pilih pelanggaran atau perilaku baik."]
    elif kind == "violation" and category not in VIOLATION_CATEGORIES:
        fields["category"] = ["Pilih jenis pelanggaran."]
    if len(description.strip()) < 10:
        fields["description"] = ["Uraikan kejadiannya (minimal 10 karakter)."]
    if occurred_on > clock.today():
        fields["occurred_on"] = ["Tanggal kejadian belum terjadi."]
    if fields:
        raise FieldsInvalid(fields)
    case = ConductCase(
        client_id=client.id,
        kind=kind,
        category=category if kind == "violation" else "",
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by_id=user.id,
        status="recorded",
    )
    db.session.add(case)
    db.session.flush()
    audit.record(
        "conduct_recorded",
        "conduct_case",
        case.id,
        user=user,
        client_id=client.id,
        kind=kind,
        category=case.category,
    )
    return case


def _step(case: ConductCase, expected: str, label: str) -> None:
    ensure_case_open(case.client)
    if case.status != expected:
        raise RuleRefused(
            [
                RuleViolation(
                    rules.WRONG_STEP,
                    f"Langkah '{label}' tidak dapat dilakukan pada status "
                    f"'{rules.CONDUCT_STATUSES.get(case.status, case.status)}'.",
                )
            ]
        )


def propose_team(case: ConductCase, members: str, proposed_on: date, user: User) -> ConductCase:
    """The PK proposes the examining team; its 7-day deadline starts."""
    _step(case, "recorded", "usulan tim")
    fields: dict[str, list[str]] = {}
    if len(members.strip()) < 3:
        fields["members"] = ["Tuliskan anggota tim pemeriksa."]
    if proposed_on > clock.today():
        fields["proposed_on"] = ["Tanggal usulan belum terjadi."]
    if fields:
        raise FieldsInvalid(fields)
    case.team_members = members.strip()
    case.team_proposed_on = proposed_on
    case.team_deadline = rules.team_deadline(proposed_on)
    case.status = "team_proposed"
    db.session.flush()
    audit.record(
        "conduct_team_proposed",
        "conduct_case",
        case.id,
        user=user,
        deadline=case.team_deadline.isoformat(),
    )
    return case


def record_examination(
    case: ConductCase, examined_on: date, findings: str, user: User
) -> ConductCase:
    """The team's findings; a late examination is kept and marked late."""
    _step(case, "team_proposed", "pemeriksaan tim")
    fields: dict[str, list[str]] = {}
    if len(findings.strip()) < 10:
        fields["findings"] = ["Tuliskan hasil pemeriksaan (minimal 10 karakter)."]
    if examined_on > clock.today():
        fields["examined_on"] = ["Tanggal pemeriksaan belum terjadi."]
    elif case.team_proposed_on and examined_on < case.team_proposed_on:
        fields["examined_on"] = ["Pemeriksaan tidak boleh sebelum tim diusulkan."]
    if fields:
        raise FieldsInvalid(fields)
    case.examined_on = examined_on
    case.examination_findings = findings.strip()
    case.status = "examined"
    db.session.flush()
    late = bool(case.team_deadline and examined_on > case.team_deadline)
    audit.record("conduct_examined", "conduct_case", case.id, user=user, late=late)
    return case


def record_tpp_session(
    case: ConductCase, session_on: date, outcome: str, notes: str, user: User
) -> ConductCase:
    """The TPP session's outcome; only a violation can lead to a recommendation to the Jaksa."""
    _step(case, "examined", "sidang TPP")
    fields: dict[str, list[str]] = {}
    if outcome not in rules.TPP_OUTCOMES:
        fields["outcome"] = ["Pilih hasil sidang TPP."]
    elif outcome == "recommend_jaksa" and case.kind != "violation":
        fields["outcome"] = ["Rekomendasi kepada Jaksa hanya untuk pelanggaran."]
    elif outcome == "reward" and case.kind != "good_conduct":
        fields["outcome"] = ["Penghargaan hanya untuk perilaku baik."]
    if session_on > clock.today():
        fields["session_on"] = ["Tanggal sidang belum terjadi."]
    elif case.examined_on and session_on < case.examined_on:
        fields["session_on"] = ["Sidang TPP tidak boleh sebelum pemeriksaan tim."]
    if fields:
        raise FieldsInvalid(fields)
    case.tpp_session_on = session_on
    case.tpp_outcome = outcome
    case.tpp_notes = notes.strip()
    case.status = "decided"
    db.session.flush()
    audit.record("conduct_tpp_decided", "conduct_case", case.id, user=user, outcome=outcome)
    return case


def issue_recommendation(
    case: ConductCase,
    recommendation: str,
    number: str,
    prosecutor_office: str,
    hours: int | None,
    user: User,
) -> ConductCase:
    """The Kepala Bapas signs the recommendation to the Jaksa (KUHP Pasal 85(7))."""
    _step(case, "decided", "rekomendasi kepada Jaksa")
    fields: dict[str, list[str]] = {}
    if case.tpp_outcome != "recommend_jaksa":
        fields["recommendation"] = ["Sidang TPP tidak memutus rekomendasi kepada Jaksa."]
    elif recommendation not in rules.RECOMMENDATIONS:
        fields["recommendation"] = ["Pilih isi rekomendasi."]
    if len(number.strip()) < 3:
        fields["number"] = ["Isi nomor surat."]
    if len(prosecutor_office.strip()) < 5:
        fields["prosecutor_office"] = ["Isi Kejaksaan Negeri tujuan."]
    if hours is not None and not 1 <= hours <= case.client.hours_ordered:
        fields["hours"] = [f"Jam diulang antara 1 dan {case.client.hours_ordered}."]
    if fields:
        raise FieldsInvalid(fields)
    case.recommendation = recommendation
    case.recommendation_hours = hours if recommendation == "repeat" else None
    case.recommendation_number = number.strip()
    case.recommendation_on = clock.today()
    case.prosecutor_office = prosecutor_office.strip()
    case.signed_by_id = user.id
    case.status = "recommended"
    db.session.flush()
    audit.record(
        "conduct_recommendation_issued",
        "conduct_case",
        case.id,
        user=user,
        recommendation=recommendation,
        number=case.recommendation_number,
    )
    return case


def default_prosecutor_office(client: Client) -> str:
    """The Kejaksaan Negeri of the sentencing court's town (the PK may change it)."""
    court = client.court or ""
    if court.startswith("Pengadilan Negeri"):
        return "Kejaksaan Negeri" + court.removeprefix("Pengadilan Negeri")
    return ""


# --- closure ----------------------------------------------------------------


def next_register(bapas_id: int, year: int) -> int:
    """The next sequence number of the Bapas register for the year."""
    last = db.session.scalar(
        select(func.max(Closure.register_seq)).where(
            Closure.bapas_id == bapas_id, Closure.register_year == year
        )
    )
    return (last or 0) + 1


def close_case(
    client: Client,
    reason: str,
    closed_on: date,
    final_assessment: str,
    letter_number: str,
    user: User,
) -> Closure:
    """Close the case: register number, surat pengakhiran, placements ended; read-only after."""
    ensure_case_open(client)
    fields: dict[str, list[str]] = {}
    if reason not in rules.CLOSURE_REASONS:
        fields["reason"] = ["Pilih alasan pengakhiran."]
    if len(final_assessment.strip()) < 10:
        fields["final_assessment"] = ["Tuliskan penilaian akhir (minimal 10 karakter)."]
    if len(letter_number.strip()) < 3:
        fields["letter_number"] = ["Isi nomor surat pengakhiran."]
    if closed_on > clock.today():
        fields["closed_on"] = ["Tanggal pengakhiran belum terjadi."]
    if fields:
        raise FieldsInvalid(fields)
    ledger = client_ledger(client)
    sanction = db.session.scalar(
        select(ConductCase)
        .where(ConductCase.client_id == client.id, ConductCase.status == "recommended")
        .order_by(ConductCase.recommendation_on.desc(), ConductCase.id.desc())
    )
    found = rules.check_closure(reason, ledger.served, sanction is not None)
    if found:
        raise RuleRefused(found)

    seq = next_register(client.bapas_id, closed_on.year)
    closure = Closure(
        client_id=client.id,
        bapas_id=client.bapas_id,
        reason=reason,
        closed_on=closed_on,
        final_assessment=final_assessment.strip(),
        register_year=closed_on.year,
        register_seq=seq,
        register_number=f"{seq:03d}/REG.PKS/{client.bapas.code}/{closed_on.year}",
        letter_number=letter_number.strip(),
        minutes_verified=ledger.minutes_verified,
        conduct_case_id=sanction.id if reason == "sanctioned" and sanction else None,
        signed_by_id=user.id,
    )
    db.session.add(closure)
    ended = PlacementStatus.COMPLETED if reason == "served" else PlacementStatus.ENDED
    for placement in db.session.scalars(
        select(Placement).where(
            Placement.client_id == client.id,
            Placement.status.in_(PlacementStatus.SEAT_HOLDING),
        )
    ):
        placement.status = ended
        placement.ended_at = utcnow()
        placement.end_reason = rules.CLOSURE_REASONS[reason]
    client.status = CLOSED
    client.closed_at = utcnow()
    db.session.flush()
    audit.record(
        "case_closed",
        "client",
        client.id,
        user=user,
        reason=reason,
        register_number=closure.register_number,
        letter_number=closure.letter_number,
    )
    return closure


def closure_of(client: Client) -> Closure | None:
    """The client's closure, if his case is closed."""
    return db.session.scalar(select(Closure).where(Closure.client_id == client.id))


def supervision_summary(client: Client) -> dict[str, Any]:
    """Everything the client's supervision page shows."""
    ledger = client_ledger(client)
    assessments = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.client_id == client.id)
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        )
    )
    cases = list(
        db.session.scalars(
            select(ConductCase)
            .where(ConductCase.client_id == client.id)
            .order_by(ConductCase.occurred_on.desc(), ConductCase.id.desc())
        )
    )
    placements = list(
        db.session.scalars(
            select(Placement).where(Placement.client_id == client.id).order_by(Placement.start_date)
        )
    )
    due = rules.evaluations_due(
        client.start_date,
        client.deadline,
        ledger.minutes_ordered,
        ledger.minutes_verified,
        clock.today(),
        done_kinds(client),
    )
    return {
        "ledger": ledger,
        "assessments": assessments,
        "cases": cases,
        "placements": placements,
        "evaluations_due": due if client.status != CLOSED else [],
        "closure": closure_of(client),
    }
