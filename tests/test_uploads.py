"""Every upload is checked whole (portal/uploads.py): type from parsing, limits, clean re-encoding.

The route tests post the files a probe used against the running portal: a
PDF/HTML polyglot and a 12,000 x 12,000 PNG sent as Rencana Kerja evidence,
a PDF that runs JavaScript as a Litmas; all refused and nothing stored.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import select

from portal import uploads
from portal.models import Litmas, WorkplanReport
from portal.refusals import Refused
from tests import test_domain_litmas, test_monitoring_pages
from tests.pdftools import minimal_pdf
from tests.test_domain_litmas import LITMAS
from tests.test_monitoring_pages import activity

# Fixtures of the Litmas and Rencana Kerja page tests.
klien = test_domain_litmas.klien
world = test_monitoring_pages.world


def _pdf_with(change: Any) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action_js(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)  # noqa: SLF001


def _attachment(writer: PdfWriter) -> None:
    writer.add_attachment("run.bat", b"del *.*")


def _page_action_js(writer: PdfWriter) -> None:
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('x')"),
                }
            )
        }
    )


def _image(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 90).save(out, fmt, **save)
    return out.getvalue()


def _huge_png() -> bytes:
    return _image("PNG", (12_000, 12_000), mode="1")


POLYGLOT = minimal_pdf() + b"<html><body><script>alert(document.cookie)</script></body></html>"
HTML_INSIDE = minimal_pdf().replace(b"%%EOF", b"%<html><script>alert(1)</script>\n%%EOF")


# --- the module ------------------------------------------------------------------------------


def test_a_clean_pdf_is_kept_byte_for_byte() -> None:
    pdf = minimal_pdf("Litmas")
    accepted = uploads.accept_upload(pdf, "litmas", filename="../../litmas.pdf")
    assert accepted.data == pdf
    assert (accepted.extension, accepted.content_type) == ("pdf", "application/pdf")
    assert accepted.original_name == "litmas.pdf"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (POLYGLOT, "rusak atau tidak lengkap"),
        (HTML_INSIDE, "kode halaman web"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF\n", "kode halaman web"),
        (b"%PDF-1.4\nnot a pdf at all\n%%EOF\n", "rusak atau tidak lengkap"),
        (minimal_pdf()[:-200], "rusak atau tidak lengkap"),
        (_pdf_with(_open_action_js), "JavaScript"),
        (_pdf_with(_page_action_js), "JavaScript"),
        (_pdf_with(_attachment), "berkas tersemat"),
    ],
    ids=["html-after-eof", "html-in-comment", "html-body", "garbage", "truncated", "openaction",
         "page-action", "attachment"],
)  # fmt: skip
def test_pdfs_that_are_not_pdfs_through_and_through_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(Refused, match=message):
        uploads.accept_upload(data, "evidence", filename="bukti.pdf")


def test_an_encrypted_pdf_is_refused() -> None:
    def lock(writer: PdfWriter) -> None:
        writer.encrypt("rahasia", algorithm="AES-128")

    with pytest.raises(Refused, match="terkunci sandi"):
        uploads.accept_upload(_pdf_with(lock), "court_document")


def test_images_beyond_the_pixel_limit_are_refused_before_decoding() -> None:
    with pytest.raises(Refused, match="Resolusi gambar peta.png terlalu besar"):
        uploads.accept_upload(_huge_png(), "evidence", filename="peta.png")


def test_images_are_re_encoded_without_metadata_or_trailing_bytes() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"  # Make
    exif[0x8825] = {2: (7.0, 24.0, 0.0)}  # GPS latitude
    jpeg = _image("JPEG", exif=exif.tobytes()) + b"<script>alert(1)</script>"
    accepted = uploads.accept_upload(jpeg, "evidence", filename="foto.jpg")
    assert accepted.extension == "jpg"
    assert b"Kamera Rahasia" not in accepted.data
    assert b"<script>" not in accepted.data
    with Image.open(io.BytesIO(accepted.data)) as clean:
        assert not clean.getexif()
        assert clean.size == (64, 48)
    png = uploads.accept_upload(_image("PNG", mode="RGBA"), "addendum_scan")
    assert (png.extension, png.content_type) == ("png", "image/png")


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("litmas", _image("PNG"), "Laporan Litmas harus berupa PDF"),
        ("attendance_photo", minimal_pdf(), "Foto kehadiran harus berupa gambar"),
        ("client_photo", b"GIF89a" + b"\0" * 40, "Berkas bukan gambar"),
        ("evidence", b"", "kosong"),
        ("evidence", b"%PDF-" + b"x" * (9 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_each_kind_takes_only_its_types_and_sizes(kind: str, data: bytes, message: str) -> None:
    with pytest.raises(Refused, match=message):
        uploads.accept_upload(data, kind)


def test_stored_names_cannot_leave_their_folder(tmp_path: Path) -> None:
    accepted = uploads.accept_upload(minimal_pdf(), "court_document")
    name = uploads.store(tmp_path, accepted, "court")
    assert uploads.path_of(tmp_path, name, "court").read_bytes() == accepted.data
    (tmp_path / "secret.txt").write_text("x")
    assert uploads.path_of(tmp_path, "../secret.txt", "court") is None


# --- through the pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [(POLYGLOT, "bukti.pdf"), (HTML_INSIDE, "bukti.pdf"), (_huge_png(), "peta.png")],
    ids=["polyglot-after-eof", "polyglot-inside", "12000x12000-png"],
)
def test_evidence_polyglots_and_pixel_bombs_are_refused_and_nothing_saved(
    client: Any, login_as: Any, world: Any, db: Any, app: Any, data: bytes, name: str
) -> None:
    venue = activity(world.agreement, "venue")
    login_as("opd.dinsos")
    before = set(_files(app, "workplan"))
    response = client.post(
        f"/monitoring/kegiatan/{venue.id}",
        data={"reported_on": "2026-05-30", "percent": "50", "note": "Aula sudah disediakan.",
              "files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 200
    assert "is-invalid" in response.text or "tidak diterima" in response.text
    assert (
        db.session.scalar(select(WorkplanReport).where(WorkplanReport.activity_id == venue.id))
        is None
    )
    assert set(_files(app, "workplan")) == before


def test_evidence_images_are_stored_without_their_metadata(
    client: Any, login_as: Any, world: Any, db: Any, app: Any
) -> None:
    venue = activity(world.agreement, "venue")
    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"
    login_as("opd.dinsos")
    response = client.post(
        f"/monitoring/kegiatan/{venue.id}",
        data={"reported_on": "2026-05-30", "percent": "50", "note": "Aula sudah disediakan.",
              "files": [(io.BytesIO(_image("JPEG", exif=exif.tobytes())), "aula.jpg")]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    report = db.session.scalar(select(WorkplanReport).where(WorkplanReport.activity_id == venue.id))
    download = client.get(f"/monitoring/bukti/{report.evidence[0].id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert b"Kamera Rahasia" not in download.data


def test_a_litmas_pdf_that_runs_javascript_is_refused(
    client: Any, login_as: Any, klien: Any, db: Any
) -> None:
    login_as("pk.madiun")
    response = client.post(
        f"/klien/{klien.id}/litmas/baru",
        data={**LITMAS, "document": (io.BytesIO(_pdf_with(_open_action_js)), "litmas.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "berisi JavaScript" in response.text
    assert db.session.scalar(select(Litmas)) is None


def test_the_made_pdf_helpers_are_real_pdfs() -> None:
    assert len(PdfReader(io.BytesIO(_pdf_with(_attachment))).pages) == 1


def _files(app: Any, sub: str) -> list[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / sub
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_files_stored_while_a_save_fails_are_removed_again(tmp_path: Path) -> None:
    from portal.monitoring import evidence

    checked = evidence.check_file("a.pdf", minimal_pdf(), 5 * uploads.MB)
    written: list[Path] = []

    def save_that_fails() -> None:
        with evidence.stored(tmp_path, "litmas") as files:
            written.append(tmp_path / "litmas" / files.store(checked))
            assert written[0].is_file()
            raise RuntimeError("flush failed")

    with pytest.raises(RuntimeError, match="flush failed"):
        save_that_fails()
    assert not written[0].exists()
    assert list((tmp_path / "litmas").iterdir()) == []
    with evidence.stored(tmp_path, "litmas") as files:
        kept = files.store(checked)
    assert [p.name for p in (tmp_path / "litmas").iterdir()] == [kept]


def test_sent_files_are_checked_into_the_form_errors() -> None:
    from portal.monitoring import evidence

    good = evidence.Upload("a.pdf", minimal_pdf())
    errors: dict[str, list[str]] = {}
    assert (
        evidence.check_uploads(errors, "files", [None, evidence.Upload("", b"")], 5 * uploads.MB)
        == []
    )
    assert errors == {}
    checked = evidence.check_uploads(
        errors, "files", [good, evidence.Upload("b.pdf", b"not a pdf")], 5 * uploads.MB
    )
    assert [c.original_name for c in checked] == ["a.pdf"]
    assert len(errors["files"]) == 1
    too_many = [good] * (evidence.MAX_FILES + 1)
    assert evidence.check_uploads(errors, "more", too_many, 5 * uploads.MB) == []
    assert errors["more"] == [f"Paling banyak {evidence.MAX_FILES} berkas bukti."]
