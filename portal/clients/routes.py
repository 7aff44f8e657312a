"""Client pages: list, registration, profile, summons, PK appointment."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import clock, policy
from portal.clients import documents as client_documents
from portal.clients.forms import AssignPkForm, ClientForm, SummonsForm
from portal.clients.listing import (
    CLIENT_STATUSES,
    client_filters,
    client_list_rows,
    clients_query,
    pk_and_opd_choices,
)
from portal.clients.record import record_entries
from portal.clients.services import (
    assign_pk,
    client_readers,
    data_from_client,
    pks_of_bapas,
    record_head,
    record_summons,
    register_client,
    summons_violations,
    update_client,
    view_client,
)
from portal.clients.validation import DOCUMENT_CHECKS, SUMMONS_OUTCOMES, replaced_penalty_text
from portal.codes import INDIVIDUAL_ASSESSMENT_KINDS, WEEKDAYS
from portal.forms import refusal_errors, show_refused
from portal.listing import kept, reader_key, total_key
from portal.models import Client
from portal.pagination import PagedSelect, page_number, select_page
from portal.placements.services import (
    STATUS_COLOURS,
    STATUS_LABELS,
)
from portal.queries import placements_of
from portal.refusals import Forbidden, Refused
from portal.web import map_settings, require, saving, visible, visible_client

bp = Blueprint("clients", __name__, url_prefix="/klien")


def _pk_choices() -> list[tuple[str, str]]:
    return [("", "— pilih PK —")] + [
        (str(u.id), u.full_name) for u in pks_of_bapas(current_user.bapas_id)
    ]


@bp.route("/")
@require("client.view")
def index() -> str:
    """The clients the user may see, 50 a page, with search and filters kept in the URL."""
    filters = client_filters(request.args)
    # The hours of the page's clients only: the work grows with the page, not the caseload.
    # The page's ids on the client's indexes (built once per reader and filters, kept with
    # their count until a change is saved), then its 50 rows by primary key.
    key = ("clients", *reader_key(current_user), filters)
    ids = kept(
        key,
        lambda: PagedSelect(
            clients_query(current_user, filters).with_only_columns(Client.id), total_key(key)
        ),
    )
    page = select_page(ids, page_number(), 50)
    return render_template(
        "clients/index.html",
        clients=client_list_rows(page.items),
        page=page,
        filters=filters.form(),
        page_args=filters.args(),
        statuses=CLIENT_STATUSES,
        # A PK sees only his own clients: the PK filter is the Kepala Bapas's.
        pks=pk_and_opd_choices(current_user)["pk"] if policy.is_head_of_bapas(current_user) else [],
        labels=STATUS_LABELS,
        colours=STATUS_COLOURS,
    )


def _form_page(form: ClientForm, client: Client | None) -> str | Response:
    form.pk_id.choices = _pk_choices()
    loose: dict[str, list[str]] = {}
    if request.method == "POST" and form.validate():
        data = form.to_data()
        try:
            if client is None:
                saved = register_client(data, current_user)
            else:
                if not policy.may(current_user, "client.vulnerable_exception"):
                    stored = data_from_client(client)
                    data.vulnerable_contact_exception = stored.vulnerable_contact_exception
                    data.vulnerable_contact_reason = stored.vulnerable_contact_reason
                saved = update_client(client, data, current_user)
        except (Refused, Forbidden) as refused:
            loose = form.show_errors(refusal_errors(refused))
        else:
            flash(
                f"Klien {saved.code} tersimpan."
                if client
                else f"Klien terdaftar dengan kode {saved.code}.",
                "success",
            )
            return redirect(url_for("clients.detail", client_id=saved.id))
    return render_template(
        "clients/form.html",
        form=form,
        client=client,
        loose=loose,
        map_settings=map_settings(),
        weekdays=list(enumerate(WEEKDAYS)),
    )


@bp.route("/baru", methods=["GET", "POST"])
@require("client.manage")
def new() -> str | Response:
    """Register a client received from the Jaksa."""
    form = ClientForm()
    if request.method == "GET":
        form.start_date.data = clock.today()
        form.health_cleared.data = True
    return _form_page(form, None)


@bp.route("/<int:client_id>/ubah", methods=["GET", "POST"])
@require("client.manage")
def edit(client_id: int) -> str | Response:
    """Change the registration and profile."""
    client = visible_client(client_id)
    form = ClientForm()
    if request.method == "GET":
        form.fill_from(data_from_client(client))
        view_client(client, current_user, page="edit")
    return _form_page(form, client)


@bp.route("/<int:client_id>")
@require("client.view")
def detail(client_id: int) -> str:
    """The full record; every read is written to the audit log."""
    head = visible(record_head(client_id), lambda user, h: policy.can_see_client(user, h.client))
    client = head.client
    view_client(client, current_user)
    entries = record_entries(client.id)
    placements = placements_of(client.id)
    assign_form = None
    if policy.may(current_user, "client.assign_pk"):
        assign_form = AssignPkForm()
        assign_form.pk_id.choices = _pk_choices()
        assign_form.pk_id.data = str(client.pk_id or "")
        assign_form.appointment_number.data = client.appointment_number
        assign_form.appointed_on.data = client.appointed_on or clock.today()
    documents = entries.documents
    return render_template(
        "clients/detail.html",
        client=client,
        served=head.served_minutes / 60,
        entries=entries,
        summons_case_id=head.summons_case_id,
        assessment_kinds=INDIVIDUAL_ASSESSMENT_KINDS,
        outcomes=SUMMONS_OUTCOMES,
        checks=DOCUMENT_CHECKS,
        replaced_penalty_text=replaced_penalty_text,
        docs=client_documents,
        documents=documents,
        gaps=client_documents.file_gaps(documents),
        placements=placements,
        labels=STATUS_LABELS,
        colours=STATUS_COLOURS,
        assign_form=assign_form,
        readers=client_readers(client) if policy.is_head_of_bapas(current_user) else None,
        map_settings=map_settings(),
    )


@bp.route("/<int:client_id>/panggilan", methods=["POST"])
@require("client.manage")
def add_summons(client_id: int) -> Response:
    """Record a summons and its outcome."""
    client = visible_client(client_id)
    form = SummonsForm()
    form.validate()
    try:
        record_summons(
            client, form.sent_on.data, form.outcome.data or "", form.note.data or "", current_user
        )
    except Refused as refused:
        show_refused(refused, prefix="Panggilan tidak tersimpan: ")
    else:
        flash("Panggilan tercatat.", "success")
        if client.id in summons_violations([client.id]):
            flash(
                "Panggilan ketiga tidak dihadiri tanpa alasan: tercatat sebagai pelanggaran "
                "untuk diperiksa tim.",
                "warning",
            )
    return redirect(url_for("clients.detail", client_id=client.id) + "#panggilan")


@bp.route("/<int:client_id>/pk", methods=["POST"])
@require("client.assign_pk")
def appoint(client_id: int) -> Response:
    """The Kepala Bapas appoints the client's PK."""
    client = visible_client(client_id)
    form = AssignPkForm()
    form.pk_id.choices = _pk_choices()
    form.validate()
    pk = form.pk_id.data or ""
    with saving("PK ditunjuk.", refused="Penunjukan PK tidak tersimpan: "):
        assign_pk(
            client,
            int(pk) if pk.isdigit() else None,
            form.appointment_number.data or "",
            form.appointed_on.data,
            current_user,
        )
    return redirect(url_for("clients.detail", client_id=client.id))
