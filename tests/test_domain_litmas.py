"""Rencana Kerja stage 1 on the client page: Litmas (with PDF), assessments, recommendation."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.models import AuditLog, IndividualAssessment, JudgeRecommendation, Litmas
from tests import factories as f
from tests.test_monitoring_pages import PDF_BYTES, png_bytes

LITMAS = {
    "number": "W15.PAS.42-PK.01.05/101",
    "made_on": "2026-05-20",
    "social_summary": "Tinggal bersama istri dan dua anak; bekerja sebagai petani.",
    "intervention_history": "Litmas sidang 2026 dan case plan awal dipelajari.",
    "recommendation": "Pidana kerja sosial di lingkungan Dinas Lingkungan Hidup.",
}


@pytest.fixture
def klien(db):  # noqa: ANN001, ANN201
    person = f.make_client(pk="pk.madiun")
    db.session.commit()
    return person


def test_pk_records_litmas_with_pdf_and_reads_are_audited(client, login_as, klien, db, app):
    login_as("pk.madiun")
    url = f"/klien/{klien.id}/litmas/baru"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={**LITMAS, "document": (io.BytesIO(PDF_BYTES), "litmas-101.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    row = db.session.scalar(select(Litmas).where(Litmas.client_id == klien.id))
    assert (row.number, row.made_on, row.document_original) == (
        LITMAS["number"],
        date(2026, 5, 20),
        "litmas-101.pdf",
    )
    stored = Path(app.config["UPLOAD_FOLDER"]) / "litmas" / row.document_name
    assert stored.read_bytes() == PDF_BYTES
    assert "static" not in stored.parts

    page = client.get(f"/klien/{klien.id}").text
    assert LITMAS["number"] in page
    assert "Dinas Lingkungan Hidup" in page
    download = client.get(f"/klien/{klien.id}/litmas/{row.id}/berkas")
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")
    reads = db.session.scalars(
        select(AuditLog).where(
            AuditLog.action == "client_viewed", AuditLog.object_id == str(klien.id)
        )
    ).all()
    assert any((r.details or {}).get("litmas_id") == row.id for r in reads)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((png_bytes(), "foto.png"), "Laporan Litmas harus berupa PDF."),
        ((b"bukan pdf sama sekali", "palsu.pdf"), "Laporan Litmas harus berupa PDF."),
    ],
)
def test_litmas_upload_uses_the_evidence_checks(client, login_as, klien, db, upload, message):
    login_as("pk.madiun")
    data, name = upload
    response = client.post(
        f"/klien/{klien.id}/litmas/baru",
        data={**LITMAS, "document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert message in response.text
    assert db.session.scalar(select(Litmas)) is None


def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(client, login_as, klien, db):
    login_as("kabapas.madiun")
    response = client.post(f"/klien/{klien.id}/litmas/baru", data={"made_on": "2026-07-01"})
    assert response.status_code == 200
    assert "Tanggal tidak boleh di masa depan." in response.text
    assert "paling sedikit 10 karakter" in response.text
    assert db.session.scalar(select(Litmas)) is None
    bad_kind = client.post(
        f"/klien/{klien.id}/asesmen/baru",
        data={"kind": "astrologi", "assessed_on": "2026-05-20", "findings": "Temuan panjang."},
    )
    assert bad_kind.status_code == 200
    assert db.session.scalar(select(IndividualAssessment)) is None


def test_assessments_and_recommendation_on_the_client_page(client, login_as, klien, db):
    login_as("kabapas.madiun")
    for kind in ("social", "psychological"):
        response = client.post(
            f"/klien/{klien.id}/asesmen/baru",
            data={"kind": kind, "assessed_on": "2026-05-21", "findings": f"Temuan {kind} klien."},
        )
        assert response.status_code == 302
    form = client.get(f"/klien/{klien.id}/rekomendasi/baru").text
    assert "Pengadilan Negeri Ngawi" in form  # prefilled from the decision
    response = client.post(
        f"/klien/{klien.id}/rekomendasi/baru",
        data={
            "sent_on": "2026-05-22",
            "court": "Pengadilan Negeri Ngawi",
            "content": "Direkomendasikan pidana kerja sosial 120 jam.",
        },
    )
    assert response.status_code == 302
    rec = db.session.scalar(select(JudgeRecommendation))
    assert (rec.court, rec.sent_on) == ("Pengadilan Negeri Ngawi", date(2026, 5, 22))
    page = client.get(f"/klien/{klien.id}").text
    assert "Asesmen psikologis" in page
    assert "Belum: Asesmen keterampilan." in page
    assert "Direkomendasikan pidana kerja sosial 120 jam." in page


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pk.madiun", 200),
        ("kabapas.madiun", 200),
        ("pk2.madiun", 404),  # not his client
        ("opd.dinsos", 403),
        ("pj.dinsos", 403),
        ("setda.ngawi", 403),
        ("admin", 403),
    ],
)
def test_only_the_clients_bapas_sees_stage_one(client, login_as, klien, db, username, status):
    row = Litmas(client_id=klien.id, number="L/1", made_on=date(2026, 5, 1),
                 social_summary="Data sosial.", recommendation="Kerja sosial.")  # fmt: skip
    db.session.add(row)
    db.session.commit()
    login_as(username)
    for kind in ("litmas", "asesmen", "rekomendasi"):
        assert client.get(f"/klien/{klien.id}/{kind}/baru").status_code == status, kind
    # No file stored: the Bapas gets 404 for the missing file, everyone else as above.
    download = client.get(f"/klien/{klien.id}/litmas/{row.id}/berkas").status_code
    assert download == (404 if status == 200 else status)


def test_other_bapas_client_is_404(client, login_as, db):
    other = f.make_client("KDR", pk=None)
    db.session.commit()
    login_as("kabapas.madiun")
    assert client.get(f"/klien/{other.id}/litmas/baru").status_code == 404
    assert client.post(f"/klien/{other.id}/litmas/baru", data=LITMAS).status_code == 404


def test_closed_case_takes_no_new_records(client, login_as, klien, db):
    klien.status = "closed"
    db.session.commit()
    login_as("pk.madiun")
    response = client.post(f"/klien/{klien.id}/litmas/baru", data=LITMAS)
    assert response.status_code == 200
    assert "Perkara klien sudah ditutup." in response.text
    assert db.session.scalar(select(Litmas)) is None
