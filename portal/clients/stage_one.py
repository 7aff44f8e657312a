"""Client pages of Rencana Kerja stage 1: Litmas, individual assessments, recommendation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import clock, uploads
from portal.clients.forms import (
    IndividualAssessmentForm,
    JudgeRecommendationForm,
    LitmasForm,
    StageOneForm,
)
from portal.clients.litmas import (
    Document,
    litmas_document_path,
    record_individual_assessment,
    record_judge_recommendation,
    record_litmas,
    view_litmas_document,
)
from portal.clients.routes import bp
from portal.clients.services import view_client
from portal.forms import refusal_errors
from portal.models import Client, Litmas
from portal.refusals import Refused
from portal.web import client_file, require, upload_limit, visible_client

PAGES = {
    "litmas": ("Litmas", "Laporan Penelitian Kemasyarakatan untuk pelaksanaan putusan."),
    "asesmen": (
        "Asesmen individual",
        "Asesmen sosial, psikologis dan keterampilan (Laporan asesmen individual).",
    ),
    "rekomendasi": (
        "Rekomendasi kepada hakim",
        "Rekomendasi pidana kerja sosial yang dikirim Bapas kepada hakim.",
    ),
}


RECORDERS: dict[str, Callable[..., Any]] = {
    "litmas": record_litmas,
    "asesmen": record_individual_assessment,
    "rekomendasi": record_judge_recommendation,
}


def _save(kind: str, client: Client, form: StageOneForm) -> Any:
    values = form.values()
    if kind == "litmas":
        values.update(
            document=Document.of(request.files.get(form["document"].name)),
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            max_bytes=upload_limit(),
        )
    return RECORDERS[kind](client, current_user, **values)


@bp.route("/<int:client_id>/<any(litmas, asesmen, rekomendasi):kind>/baru", methods=["GET", "POST"])
@require("client.manage")
def stage_one_new(client_id: int, kind: str) -> str | Response:
    """Enter a Litmas, an individual assessment or the recommendation to the judge."""
    client = visible_client(client_id)
    form: StageOneForm = {
        "litmas": LitmasForm,
        "asesmen": IndividualAssessmentForm,
        "rekomendasi": JudgeRecommendationForm,
    }[kind]()
    if request.method == "GET":
        # The form shows the client's identity: a read like any other (NK Pasal 9).
        view_client(client, current_user, page=f"stage_one_{kind}")
        for name in ("made_on", "assessed_on", "sent_on"):
            if hasattr(form, name):
                getattr(form, name).data = clock.today()
        if kind == "rekomendasi":
            form.court.data = client.court
    loose: dict[str, list[str]] = {}
    if request.method == "POST" and form.validate():
        try:
            _save(kind, client, form)
        except Refused as refused:
            loose = form.show_errors(refusal_errors(refused))
        else:
            flash(f"{PAGES[kind][0]} tersimpan.", "success")
            return redirect(url_for("clients.detail", client_id=client.id) + "#tahap-1")
    title, intro = PAGES[kind]
    return render_template(
        "clients/stage_one_form.html",
        client=client,
        form=form,
        kind=kind,
        title=title,
        intro=intro,
        loose=loose,
        max_mb=upload_limit() // (1024 * 1024),
    )


@bp.route("/<int:client_id>/litmas/<int:litmas_id>/berkas")
@require("client.view")
def litmas_document(client_id: int, litmas_id: int) -> Response:
    """The Litmas PDF, only for the client's PK and Kepala Bapas; every read audited."""
    client, litmas, path = client_file(client_id, Litmas, litmas_id, litmas_document_path)
    view_litmas_document(client, litmas, current_user)
    return uploads.serve(
        path, "application/pdf", litmas.document_original or f"litmas-{client.code}.pdf"
    )
