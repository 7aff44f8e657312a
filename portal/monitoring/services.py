"""Monitoring services: the reader's scope and filters, progress reports, evaluations, addenda.

Writes flush and audit; the request commits once. Refusals raise ``Refused``
(field → messages, nothing written) or ``PermissionError`` (the route answers 403).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal import audit, clock, policy, queries
from portal.agreements.services import list_agreements
from portal.extensions import db
from portal.models import (
    Agreement,
    AgreementEvaluation,
    Opd,
    User,
    WorkplanActivity,
    WorkplanEvidence,
    WorkplanReport,
)
from portal.models.base import valid_id
from portal.monitoring import evidence
from portal.monitoring.indicators import Filters, year_period
from portal.refusals import Refused

MAX_PERIOD_DAYS = 3 * 366
EVALUATION_CONCLUSIONS: dict[str, str] = {
    "continue": "Dilanjutkan",
    "amend": "Dilanjutkan dengan perubahan (Addendum)",
    "end": "Tidak dilanjutkan",
}


# --- scope and filters ---------------------------------------------------------


NOT_A_NUMBER = "Harus berupa bilangan bulat."


def number_filter(args: Mapping[str, str], name: str, errors: dict[str, list[str]]) -> int | None:
    """A record-id filter of the query string: empty is None, anything but digits is reported."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        errors.setdefault(name, []).append(NOT_A_NUMBER)
        return None
    return int(value)


def date_filter(
    args: Mapping[str, str],
    name: str,
    errors: dict[str, list[str]],
    parse: Callable[[str], date | None],
    message: str,
) -> date | None:
    """A date filter of the query string read with ``parse``; a bad one is reported."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return parse(value)
    except ValueError:
        errors.setdefault(name, []).append(message)
        return None


def monitored_agreements(user: User) -> list[Agreement]:
    """Signed or draft agreements the user may monitor, the signed ones first: a user who
    may monitor (the admin, a Kepala Bapas, a Setda) follows every agreement he is a party
    to, read once per request with their Pemda and Rencana Kerja (``list_agreements``)."""
    return list_agreements(user) if policy.may(user, "monitoring.view") else []


def opds_of(agreements: Sequence[Agreement]) -> list[Opd]:
    """The OPDs of the agreements' Pemda, by name."""
    pemda_ids = {a.pemda_id for a in agreements}
    if not pemda_ids:
        return []
    return list(
        db.session.scalars(select(Opd).where(Opd.pemda_id.in_(pemda_ids)).order_by(Opd.name))
    )


@dataclass(frozen=True)
class Selection:
    """The filters a reader chose, checked against his scope."""

    filters: Filters
    agreements: list[Agreement]  # every agreement he may monitor
    chosen: list[Agreement]  # the ones in the filters
    opd: Opd | None

    @functools.cached_property
    def opds(self) -> list[Opd]:
        """The chosen agreements' OPDs (the filter's choices), read when a page asks: the
        dashboard's figures need none."""
        return opds_of(self.chosen)


def select_scope(
    user: User,
    agreement_id: int | None = None,
    opd_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Selection:
    """Resolve the reader's filters.

    An agreement outside his scope raises LookupError (404); an OPD outside the chosen
    agreements or a bad period raises Refused. Without a period: this calendar year.
    """
    agreements = monitored_agreements(user)
    if agreement_id is not None and not valid_id(agreement_id):
        raise LookupError("agreement")
    if opd_id is not None and not valid_id(opd_id):
        raise Refused({"opd_id": ["Perangkat Daerah tidak termasuk kesepakatan yang dipilih."]})
    if agreement_id is not None:
        chosen = [a for a in agreements if a.id == agreement_id]
        if not chosen:
            raise LookupError("agreement")
    else:
        chosen = agreements
    opd = None
    errors: dict[str, list[str]] = {}
    if opd_id is not None:
        opd = next((o for o in opds_of(chosen) if o.id == opd_id), None)
        if opd is None:
            errors["opd_id"] = ["Perangkat Daerah tidak termasuk kesepakatan yang dipilih."]
    default_start, default_end = year_period(clock.today().year)
    start, end = start or default_start, end or default_end
    if start > end:
        errors["end"] = ["Tanggal akhir periode harus sesudah tanggal awal."]
    elif (end - start).days > MAX_PERIOD_DAYS:
        errors["end"] = ["Periode paling panjang 3 tahun."]
    if errors:
        raise Refused(errors)
    filters = Filters(tuple(a.id for a in chosen), start, end, opd.id if opd else None)
    return Selection(filters, agreements, chosen, opd)


# --- manual progress reports ---------------------------------------------------


Upload = evidence.Upload


def report_progress(
    user: User,
    activity: WorkplanActivity,
    reported_on: date | None,
    percent: int | None,
    note: str,
    uploads: Sequence[Upload],
    upload_folder: str,
    max_bytes: int,
) -> WorkplanReport:
    """Record a progress report with evidence by the activity's responsible party."""
    if not policy.can_report_workplan(user, activity):
        raise PermissionError("workplan.report")
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if reported_on is None:
        errors["reported_on"] = ["Wajib diisi."]
    elif reported_on > today:
        errors["reported_on"] = ["Tanggal laporan tidak boleh di masa depan."]
    elif activity.period_start and reported_on < activity.period_start:
        errors["reported_on"] = ["Tanggal laporan sebelum jangka waktu kegiatan."]
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = ["Capaian harus antara 0 dan 100 persen."]
    note = (note or "").strip()
    if len(note) < 10:
        errors["note"] = ["Uraikan capaian paling sedikit 10 karakter."]
    checked = evidence.check_uploads(errors, "files", uploads, max_bytes)
    if errors:
        raise Refused(errors)

    report = WorkplanReport(
        activity_id=activity.id,
        reported_on=reported_on,
        percent=percent,
        note=note,
        reported_by_id=user.id,
    )
    db.session.add(report)
    with evidence.stored(upload_folder) as files:
        for c in checked:
            report.evidence.append(
                WorkplanEvidence(
                    original_name=c.original_name,
                    stored_name=files.store(c),
                    content_type=c.content_type,
                    size=len(c.data),
                    sha256=c.sha256,
                )
            )
        db.session.flush()
    audit.record(
        "workplan_reported",
        "workplan_activity",
        activity.id,
        user=user,
        percent=percent,
        files=len(files.names),
    )
    return report


def reports_of(activity: WorkplanActivity) -> list[WorkplanReport]:
    """All reports of an activity, newest first."""
    return queries.newest_first(
        WorkplanReport,
        WorkplanReport.activity_id == activity.id,
        WorkplanReport.reported_on,
        selectinload(WorkplanReport.evidence),
        joinedload(WorkplanReport.reported_by),
    )


# --- agreement life cycle --------------------------------------------------------


def record_evaluation(
    user: User,
    agreement: Agreement,
    year: int | None,
    evaluated_on: date | None,
    conclusion: str,
    summary: str,
) -> AgreementEvaluation:
    """Record the yearly evaluation (Pasal 11): one per agreement and year."""
    if not policy.can_monitor_agreement(user, agreement):
        raise PermissionError("agreement.evaluate")
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if year is None or not 2000 <= year <= today.year + 1:
        errors["year"] = ["Tahun evaluasi tidak sah."]
    elif db.session.scalar(
        select(AgreementEvaluation.id).where(
            AgreementEvaluation.agreement_id == agreement.id, AgreementEvaluation.year == year
        )
    ):
        errors["year"] = [f"Evaluasi tahun {year} sudah dicatat."]
    if evaluated_on is None:
        errors["evaluated_on"] = ["Wajib diisi."]
    elif evaluated_on > today:
        errors["evaluated_on"] = ["Tanggal evaluasi tidak boleh di masa depan."]
    elif agreement.signed_on and evaluated_on < agreement.signed_on:
        errors["evaluated_on"] = ["Tanggal evaluasi sebelum kesepakatan ditandatangani."]
    if conclusion not in EVALUATION_CONCLUSIONS:
        errors["conclusion"] = ["Pilih kesimpulan evaluasi."]
    summary = (summary or "").strip()
    if len(summary) < 10:
        errors["summary"] = ["Tuliskan ringkasan hasil evaluasi (paling sedikit 10 karakter)."]
    if errors:
        raise Refused(errors)
    row = AgreementEvaluation(
        agreement_id=agreement.id,
        year=year,
        evaluated_on=evaluated_on,
        conclusion=conclusion,
        summary=summary,
        recorded_by_id=user.id,
    )
    db.session.add(row)
    audit.note(agreement, "agreement_evaluated", user, year=year)
    return row


def evaluations_of(agreement: Agreement) -> list[AgreementEvaluation]:
    """The agreement's yearly evaluations (one a year), newest first."""
    return queries.newest_first(
        AgreementEvaluation,
        AgreementEvaluation.agreement_id == agreement.id,
        AgreementEvaluation.year,
    )
