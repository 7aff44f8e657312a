"""A whole case from booking to closure; every PDF it produces is opened, read and drawn."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.models import Assessment, Attendance, ConductCase
from tests import factories
from tests.pdftools import pdf_page_png, pdf_pages, pdf_text, pdf_words


def _pdf(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    return response.data


def test_full_case_from_booking_to_closure(client: Any, db: Any, login_as: Any) -> None:
    clock.freeze(date(2026, 5, 4))
    person = factories.make_client(
        full_name="Sutrisno Wibowo",
        hours_ordered=16,
        start_date=date(2026, 5, 4),
        deadline=date(2026, 6, 30),
        decision_number="88/Pid.C/2026/PN Ngw",
        offence="Penganiayaan ringan",
    )
    # Booking (issue 7's service) → the OPD accepts: here set directly.
    placement = factories.make_supervised_placement(person, status="booked")
    placement.status = "accepted"

    # Four mornings, recorded and verified by the PJ on site.
    login_as("pj.dinsos")
    day = date(2026, 5, 4)
    for _ in range(4):
        clock.freeze(day)
        client.post(
            f"/kehadiran/penempatan/{placement.id}/hadir",
            data={"time_in": "08:00", "time_out": "12:00"},
        )
        record = db.session.scalar(select(Attendance).where(Attendance.work_date == day))
        assert record is not None, day
        client.post(f"/kehadiran/{record.id}/verifikasi")
        day += timedelta(days=1 if day.weekday() < 4 else 3)
    assert placement.status == "active"

    # The PK visits and assesses; a violation goes to the team and TPP (no sanction).
    clock.freeze(date(2026, 5, 8))
    login_as("pk.madiun")
    client.post(
        f"/pengawasan/klien/{person.id}/penilaian",
        data={
            "kind": "final",
            "assessed_on": "2026-05-08",
            "placement_id": str(placement.id),
            "stage": "maintenance",
            "notes": "Klien disiplin dan sopan; siap kembali ke masyarakat.",
            **{f"ind_{code}": "y" for code in ("on_time", "finishes_work", "diligent", "polite")},
        },
    )
    assessment = db.session.scalar(select(Assessment).where(Assessment.client_id == person.id))
    assert assessment is not None
    client.post(
        f"/pengawasan/klien/{person.id}/perilaku",
        data={
            "kind": "violation",
            "category": "late_or_early",
            "occurred_on": "2026-05-06",
            "description": "Datang terlambat satu jam tanpa kabar.",
        },
    )
    case = db.session.scalar(select(ConductCase))
    for step in (
        {"members": "Rina Kusumawati (PK), Agus Prasetyo (PK)", "proposed_on": "2026-05-06"},
        {"examined_on": "2026-05-07", "findings": "Terlambat karena ban sepeda bocor; wajar."},
        {"session_on": "2026-05-08", "outcome": "recommend_jaksa", "notes": "Uji surat."},
    ):
        client.post(f"/pengawasan/perilaku/{case.id}", data=step)
    login_as("kabapas.madiun")
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={
            "recommendation": "repeat",
            "hours": "4",
            "number": "",
            "prosecutor_office": "Kejaksaan Negeri Ngawi",
        },
    )
    assert case.status == "recommended"
    # Until the Jaksa answers, the case cannot be closed as served.
    closing = {
        "reason": "served",
        "closed_on": "2026-05-08",
        "final_assessment": "Klien telah menjalani 16 jam kerja sosial dengan baik.",
        "letter_number": "",
    }
    refused = client.post(f"/pengawasan/klien/{person.id}/pengakhiran", data=closing)
    assert "menunggu jawaban Jaksa" in refused.get_data(as_text=True)
    assert person.status != "closed"
    client.post(
        f"/pengawasan/perilaku/{case.id}",
        data={
            "answer": "repeat",
            "letter_number": "B-77/M.5.25/Eku.3/05/2026",
            "answered_on": "2026-05-08",
        },
    )
    assert case.jaksa_letter_number == "B-77/M.5.25/Eku.3/05/2026"

    # The head closes the case as served; it becomes read-only.
    response = client.post(
        f"/pengawasan/klien/{person.id}/pengakhiran",
        data={
            "reason": "served",
            "closed_on": "2026-05-08",
            "final_assessment": "Klien telah menjalani 16 jam kerja sosial dengan baik.",
            "letter_number": "",
        },
    )
    assert response.status_code == 302
    assert person.status == "closed"
    assert placement.status == "completed"

    name = "Sutrisno Wibowo"
    documents = {
        "lampiran-ii": f"/pengawasan/klien/{person.id}/lampiran-ii.pdf",
        "lampiran-iii": f"/pengawasan/klien/{person.id}/lampiran-iii.pdf",
        "lampiran-iv": f"/pengawasan/penilaian/{assessment.id}.pdf",
        "rekomendasi": f"/pengawasan/perilaku/{case.id}/rekomendasi.pdf",
        "surat-pengakhiran": f"/pengawasan/klien/{person.id}/surat-pengakhiran.pdf",
    }
    texts, layouts = {}, {}
    for key, url in documents.items():
        data = _pdf(client, url)
        words = pdf_words(data)
        texts[key] = words
        layouts[key] = pdf_text(data)
        assert "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA" in words, key
        assert "BALAI PEMASYARAKATAN KELAS II MADIUN" in words, key
        assert name in words, key
        assert person.code in words, key
        assert f"Halaman 1 dari {pdf_pages(data)}" in words, key
        assert pdf_page_png(data, f"full-case-{key}").stat().st_size > 5000

    ii = texts["lampiran-ii"]
    assert "LAPORAN PELAKSANAAN PIDANA KERJA SOSIAL" in ii
    assert "Durasi Pidana Kerja Sosial : 16 Jam" in ii
    assert "Penganiayaan ringan" in ii
    assert "16 jam dari 16 jam (100%)" in ii
    assert "Rina Kusumawati (Demo)" in ii

    iii = texts["lampiran-iii"]
    assert "DAFTAR HADIR KLIEN PIDANA KERJA SOSIAL" in iii
    assert "Senin, 4 Mei 2026" in iii
    assert "Kamis, 7 Mei 2026" in iii
    rows = [line for line in layouts["lampiran-iii"].splitlines() if "08:00" in line]
    assert len(rows) == 4
    assert all(re.search(r"08:00\s+12:00\s+4 jam", line) for line in rows)
    assert re.search(r"Jumlah terverifikasi\s+16 jam", layouts["lampiran-iii"])
    assert "Slamet Riyadi (Demo)" in iii  # the PJ who verified

    iv = texts["lampiran-iv"]
    assert "LAPORAN PENILAIAN SIKAP KLIEN PIDANA KERJA SOSIAL" in iv
    assert "4 dari 10" in iv
    assert "Pemeliharaan" in iv
    assert "siap kembali ke masyarakat" in iv

    rec = texts["rekomendasi"]
    assert "W15.PAS.PAS42-PK.01.05.02-1" in rec
    assert "Yth. Kepala Kejaksaan Negeri Ngawi" in rec
    assert "mengulangi seluruh atau sebagian pidana kerja sosial sebanyak 4 jam" in rec
    assert "88/Pid.C/2026/PN Ngw" in rec
    assert "Bambang Wicaksono (Demo)" in rec

    closing = texts["surat-pengakhiran"]
    assert "W15.PAS.PAS42-PK.01.05.02-2" in closing
    assert "Direktur Jenderal Pemasyarakatan" in closing
    assert "Kepala Kantor Wilayah Direktorat Jenderal Pemasyarakatan Jawa Timur" in closing
    assert "Kepala Kejaksaan Negeri Ngawi" in closing
    assert "Tembusan: 1. Ketua Pengadilan Negeri Ngawi" in closing
    assert "001/REG.PKS/MDN/2026" in closing
    assert "Pidana kerja sosial telah selesai dijalani" in closing
