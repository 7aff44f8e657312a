"""Excel exports keep user text as text: no formula ever runs in an official's Excel."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook

from portal.exports import single_sheet
from tests.factories import make_slot

FORMULA = '=HYPERLINK("http://example.invalid/x","Klik")'


def test_strings_starting_with_equals_stay_text() -> None:
    data = single_sheet(
        "Uji", ["Judul", "NIK", "Tanggal"], [[FORMULA, "3521012345678901", date(2026, 6, 1)]]
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == FORMULA
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == "3521012345678901"
    assert ws["B2"].data_type == "s"
    assert ws["C2"].value.date() == date(2026, 6, 1)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_control_characters_do_not_break_the_file() -> None:
    data = single_sheet("Uji", ["Judul"], [["Baris\x00satu\x1f"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "Barissatu"


def test_partners_page_and_excel(client: FlaskClient, login_as: Any) -> None:
    make_slot(title=FORMULA)
    make_slot(title="Draf tidak masuk daftar", status="draft")
    login_as("setda.ngawi")
    page = client.get("/mitra").get_data(as_text=True)
    assert "Dinas Sosial Kabupaten Ngawi" in page
    assert "RSUD dr. Soeroto Ngawi" in page
    assert "27 November 2025" in page
    assert "27 November 2026" in page
    assert "Draf tidak masuk daftar" not in page
    response = client.get("/mitra.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=False))
    assert ws["A1"].value.startswith("Daftar Mitra")
    assert [c.value for c in rows[2]][:5] == [
        "No",
        "Mitra",
        "Alamat",
        "Kontak",
        "Ruang lingkup pekerjaan",
    ]
    scope_cells = [r[4] for r in rows[3:] if r[1].value == "Dinas Sosial Kabupaten Ngawi"]
    assert scope_cells[0].value == FORMULA
    assert scope_cells[0].data_type == "s"
    assert all(r[6].value is not None for r in rows[3:] if "Ngawi" in r[1].value)


def test_partners_only_of_own_agreements(client: FlaskClient, login_as: Any) -> None:
    login_as("opd.dlh")
    page = client.get("/mitra").get_data(as_text=True)
    assert "Dinas Lingkungan Hidup Kabupaten Ngawi" in page
    assert "Trenggalek" not in page
