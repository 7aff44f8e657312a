"""The shared PDF helper: A4, letterhead, repeating headers, page numbers."""

from __future__ import annotations

from typing import Any

from flask import render_template_string

from portal.documents.pdf import html_to_pdf, pdf_response, render_pdf
from tests import factories
from tests.pdftools import pdf_page_png, pdf_pages, pdf_text, pdf_words

LONG_TABLE = """{% extends "documents/_base.html" %}
{% block title %}Uji dokumen{% endblock %}
{% block content %}
<h1>Daftar Uji</h1>
<table class="grid"><thead><tr><th>No</th><th>Uraian</th></tr></thead>
<tbody>{% for i in range(1, 91) %}
<tr><td>{{ i }}</td><td>Baris ke-{{ i }}</td></tr>{% endfor %}</tbody>
</table>
{% endblock %}"""


def test_document_has_letterhead_page_numbers_and_repeating_headers(app: Any, db: Any) -> None:
    bapas = factories.bapas("MDN")
    with app.test_request_context():
        html = render_template_string(LONG_TABLE, bapas=bapas, doc_ref="Uji/01")
    pdf = html_to_pdf(html)

    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    assert pages >= 2
    words = pdf_words(pdf)
    text = pdf_text(pdf)
    assert "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA" in words
    assert "BALAI PEMASYARAKATAN KELAS II MADIUN" in words
    assert "Jalan Salak Nomor 85 Madiun" in words
    assert "bapasmadiun@gmail.com" in words
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text
    assert "Uji/01" in text
    # The table header is printed again on the second page.
    second_page = text.split("\f")[1]
    assert "Uraian" in second_page
    assert pdf_page_png(pdf, "documents-base-page1").exists()


def test_render_pdf_and_response(app: Any, db: Any) -> None:
    with app.test_request_context():
        pdf = render_pdf("documents/_base.html", bapas=factories.bapas("MGL"))
        response = pdf_response(pdf, "Surat Pengakhiran/Klien 1")
    assert "BALAI PEMASYARAKATAN KELAS II MAGELANG" in pdf_words(pdf)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'inline; filename="Surat-Pengakhiran-Klien-1.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_documents_never_fetch_from_the_network(app: Any, db: Any) -> None:
    html = '<html><body><img src="http://example.com/x.png"><p>Isi</p></body></html>'
    pdf = html_to_pdf(html)
    assert "Isi" in pdf_words(pdf)


def test_each_thread_loads_the_fonts_once_and_keeps_its_own(app: Any, db: Any) -> None:
    """A font configuration serves every document of its thread; threads never share one
    (a Pango font map is not thread-safe)."""
    import threading

    from portal.documents import pdf

    seen: dict[str, tuple[Any, Any, str]] = {}

    def render(name: str) -> None:
        before = pdf._font_config()
        words = pdf_words(html_to_pdf(f"<html><body><p>Dokumen {name}</p></body></html>"))
        seen[name] = (before, pdf._font_config(), words)

    threads = [threading.Thread(target=render, args=(name,)) for name in ("satu", "dua")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["satu"][0] is seen["satu"][1]
    assert seen["dua"][0] is seen["dua"][1]
    assert seen["satu"][0] is not seen["dua"][0]
    assert seen["satu"][2] == "Dokumen satu"
    assert seen["dua"][2] == "Dokumen dua"
