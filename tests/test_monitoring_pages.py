"""Monitoring pages: roles, organisations, derived Rencana Kerja progress, reports, life cycle."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from portal import clock
from portal.models import Agreement, AuditLog, User, WorkplanEvidence, WorkplanReport
from portal.monitoring import workplan
from tests.monitoring_fixture import build_world
from tests.pdftools import minimal_pdf

PDF_BYTES = minimal_pdf("Bukti")


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    built = build_world()
    # Commit (a savepoint of the test's transaction): an API error's rollback keeps it.
    db.session.commit()
    return built


def activity(agreement: Agreement, metric: str):  # noqa: ANN201
    return next(a for a in agreement.activities if a.metric == metric)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("setda.ngawi", 200),
        ("kabapas.madiun", 200),
        ("admin", 200),
        ("pk.madiun", 403),
        ("opd.dinsos", 403),
        ("pj.dinsos", 403),
    ],
)
def test_monitoring_pages_by_role(client, login_as, world, username, status):
    login_as(username)
    for path in ("/monitoring/", "/monitoring/peta", "/monitoring/ekspor.xlsx"):
        assert client.get(path).status_code == status, path
    pdf = client.get(f"/monitoring/laporan-monev.pdf?kesepakatan={world.agreement.id}")
    assert pdf.status_code == status


def test_monitoring_requires_login(client, world):
    response = client.get("/monitoring/")
    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"] or "login" in response.headers["Location"]


def test_other_organisations_agreement_is_404(client, login_as, world):
    other = world.other_agreement.id
    login_as("setda.ngawi")
    assert client.get(f"/monitoring/?kesepakatan={other}").status_code == 404
    assert client.get(f"/monitoring/rencana-kerja/{other}").status_code == 404
    assert client.get(f"/monitoring/kesepakatan/{other}/evaluasi").status_code == 404
    assert client.get(f"/kesepakatan/{other}/addendum").status_code == 404
    login_as("kabapas.madiun")
    assert client.get(f"/monitoring/laporan-monev.pdf?kesepakatan={other}").status_code == 404


def test_workplan_page_for_every_party(client, login_as, world):
    ngawi = world.agreement.id
    for username in ("setda.ngawi", "opd.dinsos", "pk.madiun", "kabapas.madiun", "admin"):
        login_as(username)
        page = client.get(f"/monitoring/rencana-kerja/{ngawi}")
        assert page.status_code == 200, username
        assert "Linimasa 2026" in page.text
    login_as("opd.dinsos")
    assert client.get(f"/monitoring/rencana-kerja/{world.other_agreement.id}").status_code == 404


def test_derived_workplan_progress(db, world):
    rows = {
        p.activity.metric: p
        for p in workplan.workplan_progress(db.session, world.agreement, clock.today())
    }
    # social_work: 61 verified of 310 ordered hours = 19.7 % → 19 (whole percent, floored).
    assert (rows["social_work"].percent, rows["social_work"].source) == (19, "derived")
    # placement_coordination: 4 of 5 clients accepted by an OPD (C4 only booked) = 80 %.
    assert rows["placement_coordination"].percent == 80
    # closure: 1 closure record (C1) of 2 ended programmes (C1 completed, C5 terminated).
    assert rows["closure"].percent == 50
    # supervision: C1 and C2 assessed by the PK, of 4 placed clients (C4 waits) = 50 %.
    assert (rows["supervision"].percent, rows["supervision"].source) == (50, "derived")
    # final assessment: C1's, of the 2 ended programmes = 50 %.
    assert rows["final_assessment"].percent == 50
    # 1 June 2026: day 152 of 365 of the 2026 period → expected 41.6 %.
    assert rows["social_work"].expected == 41.6
    # 19 is more than 10 points behind 41.6 → lagging; 80 and 50 are on track.
    assert rows["social_work"].status == "lagging"
    assert rows["placement_coordination"].status == "on_track"
    assert rows["closure"].status == "on_track"
    # Stage 1 from the client records, over the 5 cohort clients (C6 and CT are not in it):
    # Litmas C1, C2, C3 = 60 %; all three assessments only C1 (C2 lacks psychological) =
    # 20 %; recommendation to the judge C1 = 20 %.
    assert (rows["litmas"].percent, rows["litmas"].source) == (60, "derived")
    assert (rows["assessment"].percent, rows["assessment"].source) == (20, "derived")
    assert (rows["recommendation"].percent, rows["recommendation"].source) == (20, "derived")
    # 60 is on track at 41.6 % of the period; 20 is more than 10 points behind.
    assert rows["litmas"].status == "on_track"
    assert rows["assessment"].status == "lagging"
    # No records and no report: coordination with OPDs is "not started".
    assert (rows["opd_coordination"].percent, rows["opd_coordination"].status) == (
        None,
        "not_started",
    )


def test_status_rules_and_timeline():
    assert workplan.status_of(None, date(2026, 1, 1), date(2025, 12, 1), 0) == "upcoming"
    assert workplan.status_of(100, date(2026, 1, 1), date(2026, 6, 1), 41.6) == "done"
    assert workplan.status_of(0, date(2026, 1, 1), date(2026, 6, 1), 41.6) == "not_started"
    assert workplan.status_of(32, date(2026, 1, 1), date(2026, 6, 1), 41.6) == "on_track"
    assert workplan.status_of(31, date(2026, 1, 1), date(2026, 6, 1), 41.6) == "lagging"
    bar = workplan.timeline_bar(date(2026, 4, 1), date(2026, 6, 30), 2026, 40)
    # 1 Apr is day 90 of 365 (24.66 %); 91 days long (24.93 %).
    assert (bar.left, bar.width, bar.fill) == (24.66, 24.93, 40.0)
    assert workplan.today_marker(date(2026, 6, 1), 2026) == 41.37


def test_responsible_party_reports_progress_with_evidence(client, login_as, world, app):
    # Coordination with OPDs has no records in the portal: reported by hand.
    litmas = activity(world.agreement, "opd_coordination")
    login_as("kabapas.madiun")
    response = client.post(
        f"/monitoring/kegiatan/{litmas.id}",
        data={
            "reported_on": "2026-05-30",
            "percent": "45",
            "note": "Koordinasi dengan 6 OPD selesai, 2 dijadwalkan.",
            "files": [
                (io.BytesIO(PDF_BYTES), "litmas-mei.pdf"),
                (io.BytesIO(png_bytes()), "foto.png"),
            ],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    report = client.application.extensions["sqlalchemy"].session.scalar(
        select(WorkplanReport).where(WorkplanReport.activity_id == litmas.id)
    )
    assert report is not None
    assert report.percent == 45
    assert [e.content_type for e in report.evidence] == ["application/pdf", "image/png"]
    stored = Path(app.config["UPLOAD_FOLDER"]) / "workplan" / report.evidence[0].stored_name
    assert stored.read_bytes() == PDF_BYTES
    assert "static" not in stored.parts

    page = client.get(f"/monitoring/rencana-kerja/{world.agreement.id}")
    assert "laporan penanggung jawab, 30-05-2026" in page.text

    # Any party of the agreement may download the evidence; as an attachment.
    login_as("opd.dinsos")
    download = client.get(f"/monitoring/bukti/{report.evidence[0].id}")
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_evidence_is_404_outside_the_agreement(client, login_as, world, db):
    litmas = activity(world.agreement, "litmas")
    report = WorkplanReport(activity_id=litmas.id, reported_on=date(2026, 5, 1), percent=10,
                            note="Catatan uji coba")  # fmt: skip
    report.evidence.append(
        WorkplanEvidence(original_name="a.pdf", stored_name="x" * 32 + ".pdf",
                         content_type="application/pdf", size=1, sha256="0" * 64)
    )  # fmt: skip
    db.session.add(report)
    kediri = User(username="pk.kediri", full_name="PK Kediri", role="pk",
                  bapas_id=world.other_agreement.bapas_id)  # fmt: skip
    db.session.add(kediri)
    db.session.flush()
    login_as("pk.kediri")
    assert client.get(f"/monitoring/bukti/{report.evidence[0].id}").status_code == 404


def test_wrong_party_may_not_report(client, login_as, world):
    litmas = activity(world.agreement, "litmas")
    venue = activity(world.agreement, "venue")  # Dinas Sosial's activity
    data = {"reported_on": "2026-05-30", "percent": "50", "note": "Sudah disediakan aula."}
    login_as("setda.ngawi")
    assert client.post(f"/monitoring/kegiatan/{litmas.id}", data=data).status_code == 403
    login_as("opd.dlh")
    assert client.post(f"/monitoring/kegiatan/{venue.id}", data=data).status_code == 403
    login_as("pk.madiun")
    assert client.post(f"/monitoring/kegiatan/{litmas.id}", data=data).status_code == 403
    login_as("opd.dinsos")
    assert client.post(f"/monitoring/kegiatan/{venue.id}", data=data).status_code == 302


def test_bad_evidence_is_refused_and_nothing_saved(client, login_as, world, db):
    venue = activity(world.agreement, "venue")
    login_as("opd.dinsos")
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    response = client.post(
        f"/monitoring/kegiatan/{venue.id}",
        data={"reported_on": "2026-05-30", "percent": "50", "note": "Aula sudah disediakan.",
              "files": [(fake, "bukti.pdf")]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 200
    assert "bukan PDF, PNG atau JPEG" in response.text
    assert (
        db.session.scalar(select(WorkplanReport).where(WorkplanReport.activity_id == venue.id))
        is None
    )

    response = client.post(
        f"/monitoring/kegiatan/{venue.id}",
        data={"reported_on": "2026-05-30", "percent": "120", "note": "x"},
    )
    assert "Harus antara 0 dan 100." in response.text
    assert "Harus antara 10 dan 4000 karakter." in response.text
    response = client.post(
        f"/monitoring/kegiatan/{venue.id}",
        data={"reported_on": "2026-07-01", "percent": "20", "note": "Aula sudah disediakan."},
    )
    assert "Tanggal laporan tidak boleh di masa depan." in response.text
    assert (
        db.session.scalar(select(WorkplanReport).where(WorkplanReport.activity_id == venue.id))
        is None
    )


def test_yearly_evaluation(client, login_as, world):
    ngawi = world.agreement.id
    data = {"year": "2026", "evaluated_on": "2026-05-28", "conclusion": "continue",
            "summary": "Pelaksanaan berjalan; perlu tambahan slot di DLH."}  # fmt: skip
    login_as("pk.madiun")
    assert client.post(f"/monitoring/kesepakatan/{ngawi}/evaluasi", data=data).status_code == 403
    login_as("setda.ngawi")
    assert client.post(f"/monitoring/kesepakatan/{ngawi}/evaluasi", data=data).status_code == 302
    page = client.get(f"/monitoring/rencana-kerja/{ngawi}")
    assert "perlu tambahan slot di DLH" in page.text
    again = client.post(f"/monitoring/kesepakatan/{ngawi}/evaluasi", data=data)
    assert "Evaluasi tahun 2026 sudah dicatat." in again.text


def test_addendum_extends_validity_once_both_parties_agree(client, login_as, world, db):
    ngawi = world.agreement
    login_as("kabapas.madiun")
    short = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={"number_bapas": "ADD-1/2026", "number_pemda": "ADD-P/1", "signed_on": "2026-05-20",
              "valid_until": "2026-10-01", "summary": "Perpanjangan masa berlaku satu tahun."},
    )  # fmt: skip
    assert "harus sesudah akhir masa berlaku sekarang (27-11-2026)" in short.text
    ok = client.post(
        f"/kesepakatan/{ngawi.id}/addendum",
        data={"number_bapas": "ADD-1/2026", "number_pemda": "ADD-P/1", "signed_on": "2026-05-20",
              "valid_until": "2027-11-27", "summary": "Perpanjangan masa berlaku satu tahun."},
    )  # fmt: skip
    assert ok.status_code == 302
    db.session.refresh(ngawi)
    assert ngawi.effective_valid_until == date(2026, 11, 27)  # not yet: the Setda must agree
    login_as("setda.ngawi")
    pending = ngawi.addenda[0]
    assert client.post(f"/kesepakatan/addendum/{pending.id}/setujui").status_code == 302
    db.session.expire_all()
    assert ngawi.effective_valid_until == date(2027, 11, 27)
    assert (
        db.session.scalar(select(AuditLog).where(AuditLog.action == "addendum_confirmed"))
        is not None
    )
    login_as("opd.dinsos")
    assert client.get(f"/kesepakatan/{ngawi.id}/addendum").status_code == 403


@pytest.mark.parametrize(
    ("day", "step"),
    [(date(2026, 9, 1), None), (date(2026, 10, 20), 60), (date(2026, 11, 1), 30),
     (date(2026, 11, 22), 7)],
)  # fmt: skip
def test_dashboard_shows_the_expiry_step(client, login_as, world, day, step):
    clock.freeze(day)
    login_as("setda.ngawi")
    page = client.get("/beranda").text
    assert "Masa berlaku kesepakatan" in page
    if step is None:
        assert "Peringatan H-" not in page
    else:
        assert f"Peringatan H-{step}" in page
        # the warning leads the Setda straight to the addendum form
        assert "Usulkan Addendum" in page
        assert f'href="/kesepakatan/{world.agreement.id}/addendum"' in page


def test_setda_dashboard_has_monitoring_widgets(client, login_as, world):
    login_as("setda.ngawi")
    page = client.get("/beranda").text
    assert "Indikator 2026" in page
    assert "Rencana Kerja" in page
    assert "Tertinggal" in page  # social work lags on 1 June


def test_monitoring_page_shows_charts_data_as_json(client, login_as, world):
    login_as("setda.ngawi")
    page = client.get(f"/monitoring/?kesepakatan={world.agreement.id}").text
    assert '<script type="application/json" id="monitoring-data">' in page
    assert "vendor/chart.js-4.4.9/chart.umd.js" in page
    assert "cdn" not in page.lower()
    assert "60,0 %" in page  # ready to live in society
    assert "50,0 %" in page  # community empowerment


def test_bad_filters_show_a_message(client, login_as, world):
    login_as("setda.ngawi")
    page = client.get("/monitoring/?dari=2026-12-01&sampai=2026-01-01")
    assert page.status_code == 200
    assert "Tanggal akhir periode harus sesudah tanggal awal." in page.text
    page = client.get("/monitoring/?opd=999999")
    assert "tidak termasuk kesepakatan yang dipilih" in page.text


def test_map_popups_are_data_not_html(client, login_as, world, db):
    opd = world.slots["S1"].opd
    opd.short_name = "<img src=x onerror=alert(1)>${alert(2)}`</script>"
    db.session.commit()
    login_as("setda.ngawi")
    page = client.get(f"/monitoring/peta?kesepakatan={world.agreement.id}").text
    assert "<img src=x" not in page
    assert "</script>`" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    # the name is only ever put into the popup with textContent
    assert "textContent = text" in page


def test_ids_beyond_a_database_integer_are_404(client, login_as, world):
    huge = 2**63
    login_as("admin")
    for path in (
        f"/monitoring/rencana-kerja/{huge}",
        f"/monitoring/kegiatan/{huge}",
        f"/monitoring/bukti/{huge}",
        f"/monitoring/kesepakatan/{huge}/evaluasi",
        f"/monitoring/?kesepakatan={huge}",
    ):
        assert client.get(path).status_code == 404, path
    assert "tidak termasuk" in client.get(f"/monitoring/?opd={huge}").text


def test_responsible_parties_find_their_activities_on_the_dashboard(client, login_as, world):
    login_as("opd.dinsos")
    page = client.get("/beranda").text
    assert "Kegiatan Rencana Kerja yang Anda laporkan" in page
    assert "Tempat koordinasi" in page  # venue: Dinas Sosial's own activity
    assert "Kerja sosial di Perangkat Daerah" in page  # all OPDs report on social work
    login_as("kabapas.madiun")
    page = client.get("/beranda").text
    assert "Litmas" in page
    assert "Tempat koordinasi" not in page
    login_as("opd.dlh")
    assert "Tempat koordinasi" not in client.get("/beranda").text
