"""Render Jinja templates to A4 PDFs with WeasyPrint, and send them to the browser.

Templates extend ``documents/_base.html``, which prints the Bapas letterhead
(context variable ``bapas``: a :class:`portal.models.Bapas`), repeats table
headers on every page and numbers pages "Halaman X dari Y". WeasyPrint runs
no JavaScript and loads nothing from the network: images must be local files
or data URIs.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template

from portal import resources

# Templates and static files are the only places a document may load from.
_BASE_URL = resources.ROOT

# Fontconfig and Pango load the fonts once per thread, not once per document (a Pango font map
# must not be shared between threads).
_fonts = threading.local()


def html_to_pdf(html: str) -> bytes:
    """Turn an HTML document into PDF bytes (A4 and fonts come from the document's CSS)."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s at start-up

    document = HTML(string=html, base_url=str(_BASE_URL), url_fetcher=_local_fetcher())
    return document.write_pdf(font_config=_font_config())


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a document template (extending documents/_base.html) to PDF bytes."""
    if context.get("bapas") is not None and "kanwil" not in context:
        from portal.documents.letters import kanwil_of

        context["kanwil"] = kanwil_of(context["bapas"])
    return html_to_pdf(render_template(template_name, **context))


def pdf_response(data: bytes, filename: str, download: bool = False) -> Response:
    """A response that shows (or downloads) a PDF; never cached, as documents are confidential."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "dokumen.pdf"
    if not safe.lower().endswith(".pdf"):
        safe += ".pdf"
    response = current_app.response_class(data, mimetype="application/pdf")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _font_config() -> Any:
    """This thread's WeasyPrint font configuration, made on first use."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def _local_fetcher() -> Any:
    """A fetcher that reads only local files of the portal and data URIs, never the network."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(_BASE_URL):
                    raise ValueError(f"document may not read {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"})
