"""The client's pas foto (Pedoman 2.2.4) printed on Lampiran II and IV, court documents
with the checks of 2.2.2, and the Kepala Bapas's letter when the file is incomplete."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.clients import documents
from portal.models import AuditLog, ClientDocument, LetterNumber
from portal.refusals import Refused
from tests import factories
from tests.pdftools import minimal_pdf, pdf_page_png, pdf_words

ALL_CHECKS = ["issuer", "name", "identity", "signature", "stamp", "date", "barcode"]
PDF = minimal_pdf()  # parses whole, as every upload must


def png(colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(out, format="PNG")
    return out.getvalue()


def pdf_images(data: bytes) -> int:
    listing = subprocess.run(
        ["pdfimages", "-list", "-"], input=data, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return max(0, len(listing.strip().splitlines()) - 2)


def upload(client: Any, person: Any, kind: str, data: bytes, name: str, checks=()) -> Any:
    return client.post(
        f"/klien/{person.id}/dokumen",
        data={"kind": kind, "file": (io.BytesIO(data), name), "checks": list(checks)},
        content_type="multipart/form-data",
    )


def test_gaps_name_missing_and_unchecked_documents(db: Any, app: Any) -> None:
    person = factories.make_client()
    pk = factories.user("pk.madiun")
    folder = app.config["UPLOAD_FOLDER"]
    assert documents.file_gaps([]) == [
        "Petikan/salinan putusan belum diterima.",
        "Surat eksekusi belum diterima.",
    ]
    documents.upload_document(
        person, "putusan", "putusan.pdf", PDF, dict.fromkeys(ALL_CHECKS, True), pk, folder, 10**6
    )
    documents.upload_document(
        person, "surat_eksekusi", "eksekusi.pdf", PDF, {"issuer": True}, pk, folder, 10**6
    )
    gaps = documents.file_gaps(documents.documents_of(person))
    assert len(gaps) == 1
    assert gaps[0].startswith("Surat eksekusi belum sah: nama klien sesuai;")
    assert "barcode terbaca" in gaps[0]


def test_files_are_checked_from_their_content(db: Any, app: Any) -> None:
    person = factories.make_client()
    pk = factories.user("pk.madiun")
    folder = app.config["UPLOAD_FOLDER"]
    with pytest.raises(Refused) as refused:
        documents.upload_document(person, "putusan", "a.pdf", b"bukan pdf", {}, pk, folder, 10**6)
    assert "bukan PDF, PNG atau JPEG" in refused.value.text()
    with pytest.raises(Refused) as refused:
        documents.upload_document(person, "pas_foto", "foto.jpg", PDF, {}, pk, folder, 10**6)
    assert "harus berupa gambar" in refused.value.text()
    photo = documents.upload_document(person, "pas_foto", "f.png", png(), {}, pk, folder, 10**6)
    assert photo.content_type == "image/jpeg"  # re-encoded, metadata dropped
    assert photo.checks == {}


def test_pk_uploads_and_the_file_is_served_to_the_bapas_only(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client()
    login_as("pk.madiun")
    response = upload(client, person, "putusan", PDF, "putusan.pdf", ALL_CHECKS)
    assert response.status_code == 302
    doc = db.session.scalar(select(ClientDocument).where(ClientDocument.client_id == person.id))
    assert doc.checks == dict.fromkeys(ALL_CHECKS, True)
    page = client.get(f"/klien/{person.id}").get_data(as_text=True)
    assert "Petikan/salinan putusan" in page
    assert "Surat eksekusi belum diterima." in page
    bad = upload(client, person, "surat_eksekusi", b"teks", "eksekusi.pdf")
    assert "Dokumen tidak disimpan" in client.get(bad.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ClientDocument.id))) == 1
    reads = select(func.count(AuditLog.id)).where(AuditLog.action == "client_viewed")
    before = db.session.scalar(reads)
    file = client.get(f"/klien/{person.id}/dokumen/{doc.id}")
    assert file.status_code == 200
    assert file.data == PDF
    assert "attachment" in file.headers["Content-Disposition"]
    assert db.session.scalar(reads) == before + 1
    login_as("opd.dinsos")
    assert client.get(f"/klien/{person.id}/dokumen/{doc.id}").status_code == 403


def test_pas_foto_is_printed_on_lampiran_ii_and_iv(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    person = placement.client
    from portal.supervision import services
    from tests.test_supervision import visit

    assessment = services.record_assessment(person, visit(), factories.user("pk.madiun"))
    login_as("pk.madiun")
    before_ii = client.get(f"/pengawasan/klien/{person.id}/lampiran-ii.pdf").data
    before_iv = client.get(f"/pengawasan/penilaian/{assessment.id}.pdf").data
    assert "PAS FOTO" in pdf_words(before_ii)
    assert upload(client, person, "pas_foto", png(), "pasfoto.png").status_code == 302
    ii = client.get(f"/pengawasan/klien/{person.id}/lampiran-ii.pdf").data
    iv = client.get(f"/pengawasan/penilaian/{assessment.id}.pdf").data
    assert pdf_images(ii) == pdf_images(before_ii) + 1
    assert pdf_images(iv) == pdf_images(before_iv) + 1
    assert "PAS FOTO" not in pdf_words(ii)
    pdf_page_png(ii, "lampiran-ii-pas-foto")
    pdf_page_png(iv, "lampiran-iv-pas-foto")


def test_head_writes_to_the_kejaksaan_when_the_file_is_incomplete(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.make_client()
    login_as("pk.madiun")
    upload(client, person, "putusan", PDF, "putusan.pdf", ["issuer", "name"])
    assert client.post(f"/klien/{person.id}/surat-kelengkapan").status_code == 403
    login_as("kabapas.madiun")
    page = client.get(f"/klien/{person.id}").get_data(as_text=True)
    assert "Tandatangani surat kepada Kejaksaan" in page
    response = client.post(f"/klien/{person.id}/surat-kelengkapan")
    assert response.status_code == 302
    letter = db.session.scalar(select(LetterNumber).where(LetterNumber.object_id == person.id))
    assert letter.kind == "incomplete_file"
    assert letter.number == "W15.PAS.PAS42-PK.01.05.02-1"
    assert "Surat eksekusi belum diterima." in letter.details
    pdf = client.get(response.headers["Location"])
    assert pdf.mimetype == "application/pdf"
    words = pdf_words(pdf.data)
    assert "Permintaan Kelengkapan Berkas Klien Pidana Kerja Sosial" in words
    assert "Yth. Kepala Kejaksaan Negeri Ngawi" in words
    assert "Surat eksekusi belum diterima." in words
    assert "W15.PAS.PAS42-PK.01.05.02-1" in words
    pdf_page_png(pdf.data, "surat-kelengkapan-berkas")
    # A complete, checked file needs no letter.
    login_as("pk.madiun")
    upload(client, person, "putusan", PDF, "putusan.pdf", ALL_CHECKS)
    upload(client, person, "surat_eksekusi", PDF, "eksekusi.pdf", ALL_CHECKS)
    login_as("kabapas.madiun")
    refused = client.post(f"/klien/{person.id}/surat-kelengkapan", follow_redirects=True)
    assert "sudah lengkap dan sah" in refused.get_data(as_text=True)
