"""Helpers for tests of printed documents: text of a PDF, page 1 as PNG for a look."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pdf_text(data: bytes, layout: bool = True) -> str:
    """The text of a PDF as pdftotext reads it (raises if the PDF does not open)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    result = subprocess.run(args, input=data, capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


def pdf_words(data: bytes) -> str:
    """The text of a PDF in reading order with all whitespace collapsed to single spaces."""
    return " ".join(pdf_text(data, layout=False).split())


def pdf_word_boxes(data: bytes) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Per page: its width and each word's left and right edge (points), from pdftotext -bbox."""
    import html
    import re

    result = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
    )
    return [
        (
            float(page[1]),
            [(float(w[1]), float(w[2]), html.unescape(w[3])) for w in word.finditer(page[2])],
        )
        for page in re.finditer(
            r'<page width="([\d.]+)"[^>]*>(.*?)</page>', result.stdout.decode(), re.S
        )
    ]


def pdf_pages(data: bytes) -> int:
    """The number of pages, from pdfinfo."""
    result = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def pdf_page_png(data: bytes, name: str, page: int = 1, dpi: int = 80) -> Path:
    """Render one page to test-artifacts/<name>.png and return the path."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                tmp.name,
                str(target),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    png = Path(f"{target}.png")  # pdftoppm -singlefile adds the extension
    assert png.stat().st_size > 1000
    return png


def minimal_pdf(text: str = "") -> bytes:
    """A small valid one-page PDF made by pypdf (optionally with a document title)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
