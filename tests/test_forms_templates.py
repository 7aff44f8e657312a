"""Printed forms as the Pedoman's templates have them: one name for the place, a blank PJ
signature column on Lampiran III, Lampiran V as a PDF, signatures kept with their text."""

from __future__ import annotations

import subprocess
from datetime import date, time, timedelta
from typing import Any

from portal import codes
from portal.supervision.documents import attendance_list
from tests import factories
from tests.pdftools import pdf_page_png, pdf_pages, pdf_word_boxes, pdf_words


def page_text(data: bytes, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def test_the_place_has_one_name_on_every_form(client: Any, db: Any, login_as: Any) -> None:
    slot = factories.make_slot(title="Dapur umum")
    placement = factories.make_placement(slot=slot, status="active")
    factories.make_attendance(placement)
    name = f"Dapur umum, {slot.opd.name}"
    login_as("pk.madiun")
    lampiran_i = pdf_words(client.get(f"/penempatan/{placement.id}/lampiran-i.pdf").data)
    assert f"Tempat Pidana Kerja Sosial : {name}" in lampiran_i
    assert f"1. Tempat pelaksanaan {name}" in lampiran_i
    lampiran_iii = pdf_words(
        client.get(f"/pengawasan/klien/{placement.client_id}/lampiran-iii.pdf").data
    )
    assert f"Tempat Pidana Kerja Sosial : {name}" in lampiran_iii
    lampiran_ii = pdf_words(
        client.get(f"/pengawasan/klien/{placement.client_id}/lampiran-ii.pdf").data
    )
    assert name in lampiran_ii


def test_lampiran_iii_keeps_a_blank_pj_signature_beside_the_verifier(
    client: Any, db: Any, login_as: Any
) -> None:
    placement = factories.make_supervised_placement()
    pj = factories.user("pj.dinsos")
    factories.make_attendance(placement, verified=True, verified_by_id=pj.id)
    login_as("pk.madiun")
    data = client.get(f"/pengawasan/klien/{placement.client_id}/lampiran-iii.pdf").data
    layout = page_text(data, 1)
    assert "Tangan PJ" in layout
    assert "Diverifikasi" in layout
    line = next(li for li in layout.splitlines() if "Menyapu" in li)
    # Between the activity and the verifier's name: the client's and the PJ's blank cells.
    gap = line.split("Menyapu", 1)[1].split(pj.full_name.split()[0], 1)[0]
    assert gap.strip() == ""
    assert len(gap) > 30
    pdf_page_png(data, "lampiran-iii-pj-column")


def test_lampiran_iii_keeps_every_column_inside_the_page(db: Any) -> None:
    """The longest day names, quarter hours, long activities on two placements, unverified
    records: every word stays inside the margins and every page repeats the whole header."""
    person = factories.make_client()
    first = factories.make_supervised_placement(person)
    second = factories.make_placement(
        person, factories.make_slot(title="Perawatan taman kota dan jalur hijau"), status="active"
    )
    days = [date(2025, 9, 1) + timedelta(days=n) for n in range(36)]
    for n, day in enumerate(days):
        factories.make_attendance(
            first if n % 2 else second,
            work_date=day,
            time_in=time(7, 30),
            time_out=time(11, 45),
            minutes=255,
            activity="Menyapu taman, menyiram tanaman, membersihkan selokan di sepanjang jalan"
            if n % 3 == 0
            else "Pemberdayaan kebun bibit",
            verified=n % 4 != 0,
        )
    data = attendance_list(person)
    pages = pdf_word_boxes(data)
    assert len(pages) >= 2
    mm = 72 / 25.4
    for number, (width, words) in enumerate(pages, start=1):
        # A4 with 22 mm on the left and 18 mm on the right (documents/_base.html).
        assert min(left for left, _, _ in words) >= 22 * mm - 0.5, number
        assert max(right for _, right, _ in words) <= width - 18 * mm + 0.5, number
        text = {word for _, _, word in words}
        assert {"No", "Hari/Tanggal", "Hadir", "Pulang", "Lama", "Kegiatan"} <= text, number
        assert {"Klien", "PJ", "Diverifikasi", "terverifikasi"} <= text, number
    words = pdf_words(data)
    for day in days:
        assert f"{day.day} {codes.MONTHS[day.month - 1]} {day.year}" in words
    assert "Minggu, 28 September 2025" in words
    assert words.count("4 jam 15 menit") == len(days)
    assert words.count("belum diverifikasi") == len(days) // 4


def test_no_page_holds_only_a_signature_block(db: Any) -> None:
    person = factories.make_client()
    placement = factories.make_supervised_placement(person)
    multi_page = 0
    for n in range(4, 14):
        factories.make_attendance(
            placement,
            work_date=date(2026, 1, 1) + timedelta(days=n),
            activity="Menyapu taman, menyiram tanaman, membersihkan selokan di sepanjang jalan "
            "taman dan mengangkut sampah ke tempat pembuangan sementara",
        )
        data = attendance_list(person)
        pages = pdf_pages(data)
        if pages == 1:
            continue
        multi_page += 1
        last = page_text(data, pages)
        # A table row (with its date) or the total must share the page with the signatures.
        assert "2026" in last.split("Penanggung Jawab di Tempat")[0].replace("1 Juni 2026", ""), n
    assert multi_page >= 5


def test_lampiran_v_as_a_pdf(client: Any, db: Any, login_as: Any) -> None:
    factories.make_slot(title="Perawatan taman kota", facilities=["safe_toilet"])
    login_as("pk.madiun")
    page = client.get("/mitra").get_data(as_text=True)
    assert "/mitra.pdf" in page
    response = client.get("/mitra.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    words = pdf_words(response.data)
    assert "DAFTAR MITRA PELAKSANAAN PIDANA KERJA SOSIAL" in words
    assert "BALAI PEMASYARAKATAN KELAS II MADIUN" in words
    assert "Nama Mitra Alamat Kontak Lingkup Pekerjaan" in words
    assert "Perawatan taman kota" in words
    assert "MCK aman dan layak" in words
    pdf_page_png(response.data, "lampiran-v")
    login_as("setda.ngawi")
    assert client.get("/mitra.pdf").status_code == 200
