"""Writing supervision records and closing a case. Every write on a closed case is refused.

Each function checks its rules, adds and flushes, and writes the audit log;
the caller's request commits once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from portal import audit, clock, policy
from portal.attendance.services import (
    client_ledger,
    ensure_case_open,
    ensure_step,
    kept_client_ledger,
)
from portal.codes import VIOLATION_CATEGORIES
from portal.events import placement_ended
from portal.extensions import db
from portal.fields import LETTER_NUMBER
from portal.listing import kept, reader_key
from portal.locking import lock_client, refresh
from portal.models import (
    Assessment,
    Client,
    Closure,
    CommunityActivity,
    ConductCase,
    Placement,
    PlacementStatus,
    User,
)
from portal.models.base import utcnow
from portal.notifications import service as notifications
from portal.queries import of_client, placements_of
from portal.refusals import Refused
from portal.statuses import ClientStatus
from portal.supervision import numbering, rules


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


def done_kinds(client: Client, assessments: list[Assessment] | None = None) -> set[str]:
    """The once-only evaluations already made for the client (from ``assessments``, all of
    his, when the page has read them already: no statement)."""
    if assessments is not None:
        return {a.kind for a in assessments if a.kind in rules.ONCE_ONLY_KINDS}
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
        raise Refused(fields)
    found = rules.check_assessment(entry.kind, entry.assessed_on, clock.today(), done_kinds(client))
    if found:
        raise Refused(violations=found)
    if entry.placement_id is not None:
        placement = db.session.get(Placement, entry.placement_id)
        if placement is None or placement.client_id != client.id:
            raise Refused({"placement_id": ["Penempatan bukan milik klien ini."]})
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
    return audit.saved(
        assessment,
        "assessment_recorded",
        user,
        client_id=client.id,
        kind=entry.kind,
        score=assessment.score,
        stage=entry.stage,
    )


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
    _check_day(fields, "occurred_on", occurred_on, "kejadian")
    if fields:
        raise Refused(fields)
    case = ConductCase(
        client_id=client.id,
        kind=kind,
        category=category if kind == "violation" else "",
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by_id=user.id,
        status="recorded",
    )
    audit.saved(
        case, "conduct_recorded", user, client_id=client.id, kind=kind, category=case.category
    )
    notifications.violation_opened(case)
    return case


def _step(case: ConductCase, expected: str, label: str) -> dict[str, list[str]]:
    """Take the case for the step ``label`` (it must stand at ``expected``).

    Returns the step's field refusals, empty until its checks add to them.
    """
    lock_client(case.client_id)  # one step at a time: the status read below is current
    refresh(case)
    ensure_step(
        case.client,
        case.status == expected,
        rules.WRONG_STEP,
        f"Langkah '{label}' tidak dapat dilakukan pada status "
        f"'{rules.CONDUCT_STATUSES.get(case.status, case.status)}'.",
    )
    return {}


# A step's date may not be before the step it follows.
_TOO_EARLY = {
    "examined_on": "Pemeriksaan tidak boleh sebelum tim diusulkan.",
    "session_on": "Sidang TPP tidak boleh sebelum pemeriksaan tim.",
    "answered_on": "Surat Jaksa tidak boleh sebelum rekomendasi dikirim.",
    "held_on": "Kegiatan dicatat sejak putusan.",
}


def _check_day(
    fields: dict[str, list[str]], name: str, day: date, label: str, earliest: date | None = None
) -> None:
    """``day`` (the date of ``label``) has come, and is not before ``earliest``."""
    if day > clock.today():
        fields[name] = [f"Tanggal {label} belum terjadi."]
    elif earliest and day < earliest:
        fields[name] = [_TOO_EARLY[name]]


def propose_team(case: ConductCase, members: str, proposed_on: date, user: User) -> ConductCase:
    """The PK proposes the examining team; its 7-day deadline starts."""
    fields = _step(case, "recorded", "usulan tim")
    if len(members.strip()) < 3:
        fields["members"] = ["Tuliskan anggota tim pemeriksa."]
    _check_day(fields, "proposed_on", proposed_on, "usulan")
    if fields:
        raise Refused(fields)
    case.team_members = members.strip()
    case.team_proposed_on = proposed_on
    case.team_deadline = rules.team_deadline(proposed_on)
    case.status = "team_proposed"
    audit.note(case, "conduct_team_proposed", user, deadline=case.team_deadline.isoformat())
    return case


def record_examination(
    case: ConductCase, examined_on: date, findings: str, user: User
) -> ConductCase:
    """The team's findings; a late examination is kept and marked late."""
    fields = _step(case, "team_proposed", "pemeriksaan tim")
    if len(findings.strip()) < 10:
        fields["findings"] = ["Tuliskan hasil pemeriksaan (minimal 10 karakter)."]
    _check_day(fields, "examined_on", examined_on, "pemeriksaan", case.team_proposed_on)
    if fields:
        raise Refused(fields)
    case.examined_on = examined_on
    case.examination_findings = findings.strip()
    case.status = "examined"
    late = bool(case.team_deadline and examined_on > case.team_deadline)
    audit.note(case, "conduct_examined", user, late=late)
    return case


def record_tpp_session(
    case: ConductCase, session_on: date, outcome: str, notes: str, user: User
) -> ConductCase:
    """The TPP session's outcome; only a violation can lead to a recommendation to the Jaksa."""
    fields = _step(case, "examined", "sidang TPP")
    if outcome not in rules.TPP_OUTCOMES:
        fields["outcome"] = ["Pilih hasil sidang TPP."]
    elif outcome == "recommend_jaksa" and case.kind != "violation":
        fields["outcome"] = ["Rekomendasi kepada Jaksa hanya untuk pelanggaran."]
    elif outcome == "reward" and case.kind != "good_conduct":
        fields["outcome"] = ["Penghargaan hanya untuk perilaku baik."]
    _check_day(fields, "session_on", session_on, "sidang", case.examined_on)
    if fields:
        raise Refused(fields)
    case.tpp_session_on = session_on
    case.tpp_outcome = outcome
    case.tpp_notes = notes.strip()
    case.status = "decided"
    audit.note(case, "conduct_tpp_decided", user, outcome=outcome)
    return case


def issue_recommendation(
    case: ConductCase,
    recommendation: str,
    number: str,
    prosecutor_office: str,
    hours: int | None,
    user: User,
    override_reason: str = "",
) -> ConductCase:
    """The Kepala Bapas signs the recommendation to the Jaksa (KUHP Pasal 85(7)).

    ``number`` empty: the next number of the Bapas's pattern; typed: an override that
    needs ``override_reason`` (numbering.assign_number).
    """
    fields = _step(case, "decided", "rekomendasi kepada Jaksa")
    if case.tpp_outcome != "recommend_jaksa":
        fields["recommendation"] = ["Sidang TPP tidak memutus rekomendasi kepada Jaksa."]
    elif recommendation not in rules.RECOMMENDATIONS:
        fields["recommendation"] = ["Pilih isi rekomendasi."]
    else:
        refusal = rules.recommendation_refusal(
            recommendation, case.client.replaced_penalty_kind or ""
        )
        if refusal:
            fields["recommendation"] = [refusal]
    if number.strip() and len(number.strip()) < 3:
        fields["number"] = ["Nomor surat terlalu pendek."]
    if len(prosecutor_office.strip()) < 5:
        fields["prosecutor_office"] = ["Isi Kejaksaan Negeri tujuan."]
    if hours is not None and not 1 <= hours <= case.client.hours_ordered:
        fields["hours"] = [f"Jam diulang antara 1 dan {case.client.hours_ordered}."]
    if fields:
        raise Refused(fields)
    entry = numbering.number_letter(
        case.client,
        "recommendation",
        user,
        f"Rekomendasi kepada Jaksa a.n. {case.client.code}",
        about=case,
        typed=number,
        override_reason=override_reason,
        field="number",
    )
    case.recommendation = recommendation
    case.recommendation_hours = hours if recommendation == "repeat" else None
    case.recommendation_number = entry.number
    case.recommendation_on = clock.today()
    case.prosecutor_office = prosecutor_office.strip()
    case.signed_by_id = user.id
    case.status = "recommended"
    audit.note(
        case,
        "conduct_recommendation_issued",
        user,
        recommendation=recommendation,
        number=case.recommendation_number,
    )
    return case


def record_jaksa_answer(
    case: ConductCase, answer: str, letter_number: str, answered_on: date, user: User
) -> ConductCase:
    """The Jaksa's answer to the recommendation, with the number of his letter."""
    fields = _step(case, "recommended", "jawaban Jaksa")
    if case.jaksa_answer:
        fields["answer"] = ["Jawaban Jaksa sudah dicatat."]
    elif answer not in rules.allowed_recommendations(case.client.replaced_penalty_kind or ""):
        fields["answer"] = ["Pilih keputusan Jaksa yang dimungkinkan putusan (KUHP Pasal 85(7))."]
    if len(letter_number.strip()) < 3:
        fields["letter_number"] = ["Isi nomor surat Jaksa."]
    elif len(letter_number.strip()) > LETTER_NUMBER:
        fields["letter_number"] = [f"Maksimal {LETTER_NUMBER} karakter."]
    _check_day(fields, "answered_on", answered_on, "surat Jaksa", case.recommendation_on)
    if fields:
        raise Refused(fields)
    case.jaksa_answer = answer
    case.jaksa_letter_number = letter_number.strip()
    case.jaksa_answered_on = answered_on
    audit.note(
        case, "conduct_jaksa_answered", user, answer=answer, letter_number=case.jaksa_letter_number
    )
    return case


def pending_cases(client: Client) -> list[str]:
    """Violation cases of the client still open, one phrase each."""
    out = []
    for case in db.session.scalars(
        select(ConductCase)
        .where(ConductCase.client_id == client.id, ConductCase.kind == "violation")
        .order_by(ConductCase.occurred_on, ConductCase.id)
    ):
        step = rules.pending_step(case.status, case.tpp_outcome, case.jaksa_answer)
        if step:
            out.append(f"pelanggaran {case.occurred_on:%d-%m-%Y} {step}")
    return out


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
    override_reason: str = "",
) -> Closure:
    """Close the case: register number, surat pengakhiran, placements ended; read-only after."""
    lock_client(client.id)
    ensure_case_open(client)
    fields: dict[str, list[str]] = {}
    if reason not in rules.CLOSURE_REASONS:
        fields["reason"] = ["Pilih alasan pengakhiran."]
    if len(final_assessment.strip()) < 10:
        fields["final_assessment"] = ["Tuliskan penilaian akhir (minimal 10 karakter)."]
    if letter_number.strip() and len(letter_number.strip()) < 3:
        fields["letter_number"] = ["Nomor surat pengakhiran terlalu pendek."]
    _check_day(fields, "closed_on", closed_on, "pengakhiran")
    if fields:
        raise Refused(fields)
    ledger = client_ledger(client)
    sanction = db.session.scalar(
        select(ConductCase)
        .where(ConductCase.client_id == client.id, ConductCase.status == "recommended")
        .order_by(ConductCase.recommendation_on.desc(), ConductCase.id.desc())
    )
    found = rules.check_closure(
        reason,
        ledger.served,
        sanction is not None,
        pending_cases(client) if reason == "served" else [],
        sanction.jaksa_answer if sanction is not None else None,
    )
    if found:
        raise Refused(violations=found)

    letter = numbering.number_letter(
        client,
        "closure",
        user,
        f"Surat pengakhiran a.n. {client.code}",
        day=closed_on,
        typed=letter_number,
        override_reason=override_reason,
        field="letter_number",
    )
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
        letter_number=letter.number,
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
        placement_ended.send(placement, reason=rules.CLOSURE_REASONS[reason], user=user)
    client.status = ClientStatus.CLOSED
    client.closed_at = utcnow()
    audit.note(
        client,
        "case_closed",
        user,
        reason=reason,
        register_number=closure.register_number,
        letter_number=closure.letter_number,
    )
    return closure


def running_team_examinations(user: User) -> list[tuple[ConductCase, rules.TeamDeadline]]:
    """Cases whose team examination runs, in the user's Bapas, the nearest deadline first.

    The Kepala Bapas sees all of them; a PK those of his own clients.
    """
    # Built once per reader: the supervision list asks at every view.
    query = kept(("team-examinations", *reader_key(user)), lambda: _team_examinations(user))
    today = clock.today()
    return [
        (case, rules.team_deadline_state(case.team_deadline, today))
        for case in db.session.scalars(query)
        if case.team_deadline is not None  # the query asks for it; this tells the type checker
    ]


def _team_examinations(user: User) -> Select[ConductCase]:
    query = (
        select(ConductCase)
        .join(Client, ConductCase.client_id == Client.id)
        .where(
            policy.clients_scope(user),
            Client.status != ClientStatus.CLOSED,
            ConductCase.status == "team_proposed",
            ConductCase.team_deadline.is_not(None),
        )
        .order_by(ConductCase.team_deadline, ConductCase.id)
    )
    if policy.is_pk(user):
        query = query.where(Client.pk_id == user.id)
    return query


def record_community_activity(
    client: Client, held_on: date, activity: str, included_by: str, user: User
) -> CommunityActivity:
    """A community activity the client was included in (LKjIP community acceptance)."""
    ensure_case_open(client)
    fields: dict[str, list[str]] = {}
    if len(activity.strip()) < 5:
        fields["activity"] = ["Sebutkan kegiatannya (mis. kerja bakti, ronda, pengajian)."]
    elif len(activity) > 1000:
        fields["activity"] = ["Maksimal 1000 karakter."]
    if len(included_by.strip()) < 3:
        fields["included_by"] = ["Sebutkan siapa yang mengikutsertakan (mis. Ketua RT 03)."]
    elif len(included_by) > 200:
        fields["included_by"] = ["Maksimal 200 karakter."]
    _check_day(fields, "held_on", held_on, "kegiatan", client.decision_date)
    if fields:
        raise Refused(fields)
    entry = CommunityActivity(
        client_id=client.id,
        held_on=held_on,
        activity=activity.strip(),
        included_by=included_by.strip(),
        recorded_by_id=user.id,
    )
    return audit.saved(entry, "community_activity_recorded", user, about=client, id_key="entry")


def closure_of(client: Client) -> Closure | None:
    """The client's closure, if his case is closed."""
    return db.session.scalar(_closure_of(), {"client_id": client.id})


@functools.cache
def _closure_of() -> Select[Closure]:
    # Built once: every view of a client's supervision asks.
    return select(Closure).where(Closure.client_id == bindparam("client_id"))


def with_closure(client_id: int) -> tuple[Client, Closure | None] | None:
    """The client ``client_id`` and his closure if his case is closed, in one statement
    (his supervision page read them in two); None when there is no such client."""
    row = db.session.execute(_with_closure(), {"client_id": client_id}).first()
    return None if row is None else (row[0], row[1])


@functools.cache
def _with_closure() -> Select[Client, Closure]:
    return (
        select(Client, Closure)
        .outerjoin(Closure, Closure.client_id == Client.id)
        .where(Client.id == bindparam("client_id"))
    )


def supervision_summary(client: Client) -> dict[str, Any]:
    """Everything the client's supervision pages show."""
    return summary_of(client, closure_of(client))


def summary_of(client: Client, closure: Closure | None) -> dict[str, Any]:
    """``supervision_summary`` of a client whose closure the caller read with him."""
    assessments = of_client(Assessment, client.id, "assessed_on")
    cases = of_client(ConductCase, client.id, "occurred_on")
    placements = placements_of(client.id, newest_booked_first=False)
    ledger = kept_client_ledger(client, placements)
    due = rules.evaluations_due(
        client.start_date,
        client.deadline,
        ledger.minutes_ordered,
        ledger.minutes_verified,
        clock.today(),
        done_kinds(client, assessments),
    )
    return {
        "ledger": ledger,
        "assessments": assessments,
        "cases": cases,
        "placements": placements,
        "evaluations_due": due if client.status != ClientStatus.CLOSED else [],
        "closure": closure,
    }
