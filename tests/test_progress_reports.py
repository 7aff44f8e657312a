"""Progress reports to the Jaksa and the Hakim (Pedoman 2.3.2 p): a PDF of a period drawn
from the records, numbered when the Kepala Bapas signs, in the register."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from portal.models import ProgressReport
from portal.refusals import Refused
from portal.supervision import progress, services
from tests import factories
from tests.pdftools import pdf_page_png, pdf_words
from tests.test_supervision import visit


def _records(person: Any) -> None:
    placement = factories.make_supervised_placement(person)
    pj = factories.user("pj.dinsos")
    factories.make_attendance(placement, work_date=date(2026, 5, 11), verified=True,
                              verified_by_id=pj.id)  # fmt: skip
    factories.make_attendance(placement, work_date=date(2026, 5, 12), verified=True,
                              verified_by_id=pj.id)  # fmt: skip
    factories.make_attendance(placement, work_date=date(2026, 5, 13))  # not yet verified
    factories.make_attendance(placement, work_date=date(2026, 4, 30), verified=True,
                              verified_by_id=pj.id)  # before the period  # fmt: skip
    pk = factories.user("pk.madiun")
    services.record_assessment(person, visit(on=date(2026, 5, 14)), pk)
    services.record_conduct(
        person, "violation", date(2026, 5, 15), "Datang terlambat satu jam.", pk,
        category="late_or_early",
    )  # fmt: skip


def test_period_facts_come_from_the_records_of_the_period(db: Any) -> None:
    person = factories.make_client(start_date=date(2026, 4, 27))
    _records(person)
    facts = progress.period_facts(person, date(2026, 5, 1), date(2026, 5, 31))
    assert facts.minutes_verified == 2 * 240
    assert facts.minutes_pending == 240
    assert facts.days_worked == 2
    assert facts.minutes_verified_total == 3 * 240
    assert [c.category for c in facts.conduct] == ["late_or_early"]
    assert len(facts.assessments) == 1


def test_periods_follow_each_other_and_are_numbered(db: Any) -> None:
    person = factories.make_client(start_date=date(2026, 4, 27))
    head = factories.user("kabapas.madiun")
    assert progress.next_period(person) == (date(2026, 4, 27), date(2026, 6, 1))
    assert progress.report_due(person) == date(2026, 5, 27)
    first = progress.issue_report(person, date(2026, 4, 27), date(2026, 5, 26), head)
    assert first.letter.number == "W15.PAS.PAS42-PK.01.05.02-1"
    assert first.letter.kind == "progress_report"
    assert first.prosecutor_office == "Kejaksaan Negeri Ngawi"
    assert progress.next_period(person) == (date(2026, 5, 27), date(2026, 6, 1))
    assert progress.report_due(person) == date(2026, 6, 25)
    with pytest.raises(Refused) as refused:
        progress.issue_report(person, date(2026, 5, 27), date(2026, 6, 2), head)
    assert "period_end" in refused.value.fields
    with pytest.raises(Refused) as refused:
        progress.issue_report(person, date(2026, 4, 1), date(2026, 5, 1), head)
    assert "period_start" in refused.value.fields


def test_head_signs_the_report_and_its_pdf_shows_the_period(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client(start_date=date(2026, 4, 27), full_name="Wahyu Fiktif")
    _records(person)
    login_as("pk.madiun")
    page = client.get(f"/pengawasan/klien/{person.id}").get_data(as_text=True)
    assert "Laporan perkembangan kepada Jaksa dan Hakim" in page
    assert "Laporan berikutnya jatuh tempo 27 Mei 2026" in page
    assert 'text-danger fw-semibold" id="progress-due"' in page  # overdue on 1 June
    form = {"period_start": "2026-05-01", "period_end": "2026-05-31", "prosecutor_office": ""}
    assert (
        client.post(f"/pengawasan/klien/{person.id}/laporan-perkembangan", data=form).status_code
        == 403
    )
    login_as("kabapas.madiun")
    response = client.post(f"/pengawasan/klien/{person.id}/laporan-perkembangan", data=form)
    assert response.status_code == 302
    report = db.session.scalar(select(ProgressReport).where(ProgressReport.client_id == person.id))
    pdf = client.get(response.headers["Location"])
    assert pdf.mimetype == "application/pdf"
    words = pdf_words(pdf.data)
    assert "Laporan Perkembangan Pembimbingan Kemasyarakatan" in words
    assert "1. Kepala Kejaksaan Negeri Ngawi; 2. Ketua Pengadilan Negeri Ngawi" in words
    assert "periode 1 Mei 2026 s.d. 31 Mei 2026" in words
    assert "Jam terverifikasi pada periode ini 8 jam" in words
    assert "Hari kerja terverifikasi pada periode ini 2 hari" in words
    assert "Datang terlambat satu jam." in words
    assert report.letter.number in words
    pdf_page_png(pdf.data, "laporan-perkembangan")
    register = client.get("/pengawasan/register-surat").get_data(as_text=True)
    assert "Laporan perkembangan pembimbingan a.n." in register
    page = client.get(f"/pengawasan/klien/{person.id}").get_data(as_text=True)
    assert report.letter.number in page


def test_the_supervision_record_reads_its_reports_letters_with_them(
    client: Any, login_as: Any, db: Any
) -> None:
    """Each report links its letter's number: read with the reports, not one per report."""
    person = factories.make_client(start_date=date(2026, 3, 2))
    head = factories.user("kabapas.madiun")
    progress.issue_report(person, date(2026, 3, 2), date(2026, 3, 31), head)
    db.session.commit()
    login_as("pk.madiun")
    path = f"/pengawasan/klien/{person.id}"

    client.get(path)  # the first view after signing in reads more than the next ones
    one = factories.reads(client, path)
    for start, end in (
        (date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 5, 1), date(2026, 5, 31)),
    ):
        progress.issue_report(person, start, end, head)
    db.session.commit()
    page = client.get(path).text
    numbers = [r.letter.number for r in progress.reports_of(person)]
    assert len(numbers) == 3
    assert all(number in page for number in numbers)
    assert factories.reads(client, path) == one


def test_the_supervision_page_lists_reports_by_period_and_activities_newest_first(
    db: Any,
) -> None:
    from portal.clients.record import supervision_entries

    person, other = factories.make_client(start_date=date(2026, 3, 2)), factories.make_client()
    head, pk = factories.user("kabapas.madiun"), factories.user("pk.madiun")
    later = progress.issue_report(person, date(2026, 4, 1), date(2026, 4, 30), head)
    first = progress.issue_report(person, date(2026, 3, 2), date(2026, 3, 31), head)
    for who in (person, other):
        for day, what in ((3, "Kerja bakti"), (20, "Ronda malam")):
            services.record_community_activity(who, date(2026, 5, day), what, "Ketua RT 03", pk)
    db.session.commit()
    entries = supervision_entries(person.id)
    assert [(r.number, r.period_start, r.period_end) for r in entries.reports] == [
        (first.letter.number, date(2026, 3, 2), date(2026, 3, 31)),
        (later.letter.number, date(2026, 4, 1), date(2026, 4, 30)),
    ]
    assert entries.reports[0].prosecutor_office == "Kejaksaan Negeri Ngawi"
    assert [(a.held_on, a.activity, a.included_by) for a in entries.community] == [
        (date(2026, 5, 20), "Ronda malam", "Ketua RT 03"),
        (date(2026, 5, 3), "Kerja bakti", "Ketua RT 03"),
    ]
    assert progress.next_period(person, reports=entries.reports)[0] == date(2026, 5, 1)
