"""Rencana Kerja stage 1 on the client: Litmas, individual assessments, recommendation.

The client's PK or the Kepala Bapas of his Bapas enters them (the route checks
visibility; these functions check the role and the rules), nothing is saved when
a field is wrong, every write is audited and flushed; the caller commits. The
Litmas PDF passes the same checks as the Rencana Kerja evidence files
(``portal.monitoring.evidence``) and is stored outside static/.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from portal import audit, clock, policy
from portal.codes import INDIVIDUAL_ASSESSMENT_KINDS
from portal.extensions import db
from portal.models import (
    Client,
    IndividualAssessment,
    JudgeRecommendation,
    Litmas,
    User,
)
from portal.monitoring import evidence
from portal.refusals import Forbidden, Refused
from portal.statuses import ClientStatus

SUBFOLDER = "litmas"
MIN_TEXT = 10


Document = evidence.Upload


def _check_writer(client: Client, actor: User) -> None:
    if not (policy.may(actor, "client.manage") and policy.can_see_client(actor, client)):
        raise Forbidden("Hanya PK klien atau Kepala Bapas yang dapat mencatat.", "client")
    if client.status == ClientStatus.CLOSED:
        raise Refused({"client": ["Perkara klien sudah ditutup."]})


def _day(errors: dict[str, list[str]], field: str, value: date | None) -> None:
    if value is None:
        errors[field] = ["Wajib diisi."]
    elif value > clock.today():
        errors[field] = ["Tanggal tidak boleh di masa depan."]


def _text(errors: dict[str, list[str]], field: str, value: str, minimum: int = MIN_TEXT) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        errors[field] = [f"Wajib diisi, paling sedikit {minimum} karakter."]
    return value


def record_litmas(
    client: Client,
    actor: User,
    *,
    number: str,
    made_on: date | None,
    social_summary: str,
    intervention_history: str,
    recommendation: str,
    document: Document | None,
    upload_folder: str | Path,
    max_bytes: int,
) -> Litmas:
    """Record a Litmas, optionally with its signed PDF."""
    _check_writer(client, actor)
    errors: dict[str, list[str]] = {}
    number = _text(errors, "number", number, 3)
    _day(errors, "made_on", made_on)
    social_summary = _text(errors, "social_summary", social_summary)
    recommendation = _text(errors, "recommendation", recommendation)
    checked = evidence.check_uploads(errors, "document", [document], max_bytes, kind="litmas")
    if errors:
        raise Refused(errors)
    row = Litmas(
        client_id=client.id,
        number=number,
        made_on=made_on,
        social_summary=social_summary,
        intervention_history=(intervention_history or "").strip(),
        recommendation=recommendation,
        written_by_id=actor.id,
    )
    with evidence.stored(upload_folder, SUBFOLDER) as files:
        for c in checked:
            row.document_name = files.store(c)
            row.document_original = c.original_name
            row.document_size = len(c.data)
            row.document_sha256 = c.sha256
        db.session.add(row)
        db.session.flush()
    audit.record(
        "litmas_recorded",
        "client",
        client.id,
        user=actor,
        litmas_id=row.id,
        document=bool(files.names),
    )
    return row


def record_individual_assessment(
    client: Client, actor: User, *, kind: str, assessed_on: date | None, findings: str
) -> IndividualAssessment:
    """Record a social, psychological or skills assessment."""
    _check_writer(client, actor)
    errors: dict[str, list[str]] = {}
    if kind not in INDIVIDUAL_ASSESSMENT_KINDS:
        errors["kind"] = ["Pilih jenis asesmen."]
    _day(errors, "assessed_on", assessed_on)
    findings = _text(errors, "findings", findings)
    if errors:
        raise Refused(errors)
    row = IndividualAssessment(
        client_id=client.id,
        kind=kind,
        assessed_on=assessed_on,
        findings=findings,
        assessor_id=actor.id,
    )
    return audit.saved(
        row, "individual_assessment_recorded", actor, about=client, id_key="id", kind=kind
    )


def record_judge_recommendation(
    client: Client, actor: User, *, sent_on: date | None, court: str, content: str
) -> JudgeRecommendation:
    """Record the recommendation of kerja sosial sent to the judge."""
    _check_writer(client, actor)
    errors: dict[str, list[str]] = {}
    _day(errors, "sent_on", sent_on)
    court = _text(errors, "court", court, 5)
    content = _text(errors, "content", content)
    if errors:
        raise Refused(errors)
    row = JudgeRecommendation(
        client_id=client.id, sent_on=sent_on, court=court, content=content, sent_by_id=actor.id
    )
    return audit.saved(row, "judge_recommendation_recorded", actor, about=client, id_key="id")


def litmas_document_path(upload_folder: str | Path, litmas: Litmas) -> Path | None:
    """Where the Litmas PDF is stored, if it has one."""
    if not litmas.document_name:
        return None
    return evidence.path_of(upload_folder, litmas.document_name, SUBFOLDER)


def view_litmas_document(client: Client, litmas: Litmas, actor: User) -> None:
    """Record that ``actor`` opened the Litmas PDF (NK Pasal 9, like the client record)."""
    audit.record("client_viewed", "client", client.id, user=actor, litmas_id=litmas.id)
