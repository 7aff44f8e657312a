"""Monitoring exports (Excel, PDF with charts) and API (/reports/summary, /workplan)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import bearer
from tests.monitoring_fixture import build_world
from tests.pdftools import pdf_page_png, pdf_text


@pytest.fixture
def world(db):  # noqa: ANN001, ANN201
    built = build_world()
    # Commit (a savepoint of the test's transaction): an API error's rollback keeps it.
    db.session.commit()
    return built


def test_excel_has_indicators_breakdowns_and_work_plan_as_data(client, login_as, world):
    world.slots["S1"].opd.short_name = '=HYPERLINK("http://x")'
    login_as("setda.ngawi")
    response = client.get(f"/monitoring/ekspor.xlsx?kesepakatan={world.agreement.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames[:4] == ["Indikator", "Per OPD", "Per bulan", "Pelanggaran"]
    assert "Rencana Kerja Pemkab Ngawi" in wb.sheetnames
    values = {row[0]: row[1] for row in wb["Indikator"].iter_rows(min_row=4, values_only=True)}
    assert values["Klien diterima"] == 5
    assert values["Sedang menjalani"] == "< 3"
    assert values["Klien siap hidup bermasyarakat (%) — LKjIP"] == 60.0
    assert values["Pemberdayaan masyarakat (%) — LKjIP"] == 50.0
    opd_cells = [c for c in wb["Per OPD"]["A"] if c.value and "HYPERLINK" in str(c.value)]
    assert opd_cells
    assert all(c.data_type == "s" for c in opd_cells)  # text, never a formula
    plan = list(wb["Rencana Kerja Pemkab Ngawi"].iter_rows(min_row=4, values_only=True))
    social = next(r for r in plan if r[9] == "dihitung dari data portal" and r[6] == 19)
    assert social[8] == "Tertinggal"


def test_pdf_report_has_charts_and_figures(client, login_as, world):
    login_as("setda.ngawi")
    response = client.get(f"/monitoring/laporan-monev.pdf?kesepakatan={world.agreement.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "LAPORAN MONITORING DAN EVALUASI" in text
    assert "Klien per bulan" in text  # the SVG chart's title
    assert "Kapasitas dan kursi terisi per Perangkat Daerah" in text
    assert "Capaian Rencana Kerja" in text or "CAPAIAN RENCANA KERJA" in text.upper()
    png = pdf_page_png(response.data, "monitoring-report-page1")
    assert png.stat().st_size > 5_000
    pdf_page_png(response.data, "monitoring-report-page2", page=2)


def test_pdf_needs_one_agreement(client, login_as, world):
    login_as("admin")
    response = client.get("/monitoring/laporan-monev.pdf")
    assert response.status_code == 302


# --- API ------------------------------------------------------------------------


def test_summary_api_auth_and_roles(client, world):
    assert client.get("/api/v1/reports/summary").status_code == 401
    bad = client.get("/api/v1/reports/summary", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    for username in ("pk.madiun", "opd.dinsos", "pj.dinsos"):
        response = client.get("/api/v1/reports/summary", headers=bearer(username))
        assert response.status_code == 403, username
        assert response.get_json()["error"]


def test_summary_api_figures(client, world):
    response = client.get(
        f"/api/v1/reports/summary?agreement_id={world.agreement.id}", headers=bearer("setda.ngawi")
    )
    assert response.status_code == 200
    body = response.get_json()
    for field in (
        "clients_total", "clients_active", "placements_total", "hours_ordered", "hours_verified",
        "completion_rate", "ready_for_society_percent", "slots_total", "capacity_total",
        "utilisation_percent", "by_opd",
    ):  # fmt: skip
        assert field in body, field
    assert body["clients_total"] == 5
    assert body["clients_active"] == "< 3"
    assert body["hours_ordered"] == 310
    assert body["hours_verified"] == 61
    assert body["ready_for_society_percent"] == 60.0
    seats = (body["slots_total"], body["capacity_total"], body["utilisation_percent"])
    assert seats == (3, 6, 66.7)
    assert {r["opd"] for r in body["by_opd"]} == {"Dinas Sosial", "Dinas Lingkungan Hidup"}


def test_summary_api_scope_and_validation(client, world):
    other = world.other_agreement.id
    assert (
        client.get(
            f"/api/v1/reports/summary?agreement_id={other}", headers=bearer("setda.ngawi")
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/reports/summary?agreement_id={other}", headers=bearer("kabapas.madiun")
        ).status_code
        == 404
    )
    bad = client.get("/api/v1/reports/summary?start=kemarin", headers=bearer("admin"))
    assert bad.status_code == 422
    assert "start" in bad.get_json()["details"]["fields"]
    order = client.get(
        "/api/v1/reports/summary?start=2026-05-01&end=2026-01-01", headers=bearer("admin")
    )
    assert order.status_code == 422
    # Admin sees both agreements: CT's 70 hours are added.
    admin = client.get("/api/v1/reports/summary", headers=bearer("admin")).get_json()
    assert admin["hours_ordered"] == 310 + 70


def test_workplan_api(client, world):
    path = f"/api/v1/agreements/{world.agreement.id}/workplan"
    assert client.get(path).status_code == 401
    rows = client.get(path, headers=bearer("opd.dinsos")).get_json()
    assert len(rows) == 12
    social = next(r for r in rows if r["metric"] == "social_work")
    assert (social["progress_percent"], social["status"], social["progress_source"]) == (
        19,
        "lagging",
        "derived",
    )
    assert set(rows[0]) >= {"id", "stage", "activity", "responsible", "output",
                            "progress_percent", "status"}  # fmt: skip
    other = f"/api/v1/agreements/{world.other_agreement.id}/workplan"
    assert client.get(other, headers=bearer("setda.ngawi")).status_code == 404
    assert client.get(other, headers=bearer("pk.madiun")).status_code == 404
    missing = client.get("/api/v1/agreements/999999/workplan", headers=bearer("admin"))
    assert missing.status_code == 404
