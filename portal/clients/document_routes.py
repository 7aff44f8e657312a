"""Client pages for the pas foto and court documents, and the letter to the Kejaksaan."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import audit, clock, uploads
from portal.clients.documents import (
    document_path,
    request_completion,
    upload_document,
    view_document,
)
from portal.clients.record import COMPLETION_LETTER
from portal.clients.routes import bp
from portal.documents.pdf import pdf_response, render_pdf
from portal.extensions import db
from portal.forms import show_refused
from portal.models import Client, ClientDocument, LetterNumber
from portal.refusals import Refused
from portal.supervision.documents import long_date
from portal.supervision.services import default_prosecutor_office
from portal.web import client_file, require, saving, upload_limit, visible_client


@bp.route("/<int:client_id>/dokumen", methods=["POST"])
@require("client.manage")
def upload_client_document(client_id: int) -> Response:
    """Upload the pas foto or a court document with its authenticity checks."""
    client = visible_client(client_id)
    upload = request.files.get("file")
    kind = request.form.get("kind", "")
    checks = {key: True for key in request.form.getlist("checks")}
    with saving("Dokumen tersimpan.", refused="Dokumen tidak disimpan: "):
        if upload is None or not upload.filename:
            raise Refused.on_field("file", "Pilih berkas yang diunggah.")
        upload_document(
            client,
            kind,
            upload.filename,
            upload.read(upload_limit() + 1),
            checks,
            current_user,
            current_app.config["UPLOAD_FOLDER"],
            upload_limit(),
        )
    return redirect(url_for("clients.detail", client_id=client.id) + "#dokumen")


@bp.route("/<int:client_id>/dokumen/<int:document_id>")
@require("client.view")
def client_document(client_id: int, document_id: int) -> Response:
    """A stored document of the client, for his Bapas only; every read audited."""
    client, document, path = client_file(client_id, ClientDocument, document_id, document_path)
    view_document(client, document, current_user)
    name = document.original_name or f"{document.kind}-{client.code}"
    return uploads.serve(path, document.content_type, name)


@bp.route("/<int:client_id>/surat-kelengkapan", methods=["POST"])
@require("closure.sign")
def request_file_completion(client_id: int) -> Response:
    """The Kepala Bapas signs the letter asking the Kejaksaan to complete the file."""
    client = visible_client(client_id)
    try:
        letter = request_completion(client, current_user)
    except Refused as refused:
        show_refused(refused, prefix="Surat tidak dibuat: ")
        return redirect(url_for("clients.detail", client_id=client.id) + "#dokumen")
    flash(f"Surat nomor {letter.number} tercatat di register surat.", "success")
    return redirect(
        url_for("clients.file_completion_pdf", client_id=client.id, letter_id=letter.id)
    )


@bp.route("/<int:client_id>/surat-kelengkapan/<int:letter_id>.pdf")
@require("client.view")
def file_completion_pdf(client_id: int, letter_id: int) -> Response:
    """The letter to the Kejaksaan listing what the file lacks."""
    client = visible_client(client_id)
    letter = db.session.get(LetterNumber, letter_id)
    if (
        letter is None
        or letter.kind != COMPLETION_LETTER
        or letter.object_type != "client"
        or letter.object_id != client.id
    ):
        abort(404)
    view_document_letter(client, letter)
    data = render_pdf(
        "documents/file_incomplete.html",
        bapas=client.bapas,
        doc_ref=letter.number,
        client=client,
        letter=letter,
        prosecutor_office=default_prosecutor_office(client) or "Kejaksaan Negeri",
        long_date=long_date,
        printed_on=clock.today(),
    )
    return pdf_response(data, f"surat-kelengkapan-{client.code}.pdf")


def view_document_letter(client: Client, letter: LetterNumber) -> None:
    """Record the read of the letter (it names the client)."""
    audit.record("client_viewed", "client", client.id, user=current_user, letter_id=letter.id)
