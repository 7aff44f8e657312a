"""Slot pages: list, detail, create, edit, publish, close, duplicate; the map; partners."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from portal import cache, clock, codes, policy
from portal.documents.pdf import pdf_response, render_pdf
from portal.exports import XLSX_MIMETYPE, single_sheet
from portal.extensions import db
from portal.listing import (
    EXPORT_MAX,
    ListParams,
    ListSpec,
    SortColumn,
    built_once,
    exported_list,
    parse_list,
)
from portal.models import Slot
from portal.models.base import valid_id
from portal.pagination import Page, kept_page, kept_total, page_of
from portal.refusals import Refused
from portal.slots.forms import SlotForm
from portal.slots.maps import (
    TileSettings,
    category_legend,
    configure_folium,
    marker_data,
    single_slot_map,
    slots_map,
)
from portal.slots.rules import schedule_text, schedule_text_of_json
from portal.slots.services import (
    MAP_INLINE_MAX,
    PARTNER_HEADERS,
    SlotFilters,
    agreement_for_opd,
    close_slot,
    create_slot,
    duplicate_slot,
    free_seats,
    list_partners,
    map_slots,
    map_summary,
    merged_agreements,
    opd_choices,
    page_of_slots,
    partner_bapas,
    partner_pairs,
    partner_rows,
    partners_of,
    place_type_codes,
    publish_slot,
    seats_in_use,
    site_supervisors,
    slot_page,
    slot_rows,
    slots_query,
    update_slot,
    visible_outlines,
)
from portal.web import ensure_visible, require, visible_or_404

bp = Blueprint("slots", __name__)


@bp.record_once
def _configure_folium(state: BlueprintSetupState) -> None:
    """Point folium at the vendored Leaflet once, when the app registers the blueprint."""
    configure_folium(state.app.static_url_path or "/static")


PER_PAGE = 25
PARTNERS_PER_PAGE = 50
# Slot titles named per partner on the Daftar Mitra page.
SCOPE_SHOWN = 10


def _filters(args: MultiDict[str, str]) -> SlotFilters:
    opd = args.get("opd", "")
    category = args.get("kategori", "")
    facility = args.get("fasilitas", "")
    status = args.get("status", "")
    return SlotFilters(
        opd_id=int(opd) if opd.isdigit() and valid_id(int(opd)) else None,
        category=category if category in codes.JOB_CATEGORIES else None,
        facility=facility if facility in codes.FACILITIES else None,
        available=args.get("kosong") == "1",
        status=status if status in codes.SLOT_STATUSES else None,
        q=(args.get("q") or "").strip()[:100] or None,
    )


def _filter_args(filters: SlotFilters) -> dict[str, Any]:
    args: dict[str, Any] = {
        "opd": filters.opd_id,
        "kategori": filters.category,
        "fasilitas": filters.facility,
        "kosong": "1" if filters.available else None,
        "status": filters.status,
        "q": filters.q,
    }
    return {k: v for k, v in args.items() if v}


def _tiles() -> TileSettings:
    cfg = current_app.config
    return TileSettings(cfg["MAP_TILE_URL"], cfg["MAP_TILE_ATTRIBUTION"], cfg["MAP_TILE_MAX_ZOOM"])


def _visible_slot(slot_id: int) -> Slot:
    return visible_or_404(Slot, slot_id, policy.can_see_slot)


def _managed_slot(slot_id: int) -> Slot:
    slot = _visible_slot(slot_id)
    ensure_visible(policy.can_manage_slot(current_user, slot))
    return slot


SLOT_LIST = ListSpec(
    sorts={
        "baru": "Terakhir diubah",
        "judul": "Judul",
        "kosong": "Kursi kosong",
        "kapasitas": "Kapasitas",
        "berakhir": "Berlaku sampai",
    },
    default_sort="baru",
    choices={
        "status": codes.SLOT_STATUSES,
        "kategori": codes.JOB_CATEGORIES,
        "fasilitas": codes.FACILITIES,
        "kosong": {"1": "Ada kursi kosong"},
    },
    ids=("opd",),
)
SLOT_HEADERS = [
    "Judul",
    "OPD",
    "Alamat",
    "Kategori",
    "Jadwal",
    "Kapasitas",
    "Kursi terisi",
    "Kosong",
    "Berlaku dari",
    "Berlaku sampai",
    "Status",
]


def _slot_filters(params: ListParams) -> SlotFilters:
    return SlotFilters(
        opd_id=params.ids.get("opd"),
        category=params.chosen.get("kategori"),
        facility=params.chosen.get("fasilitas"),
        available="kosong" in params.chosen,
        status=params.chosen.get("status"),
        q=params.q or None,
    )


SLOT_SORTS: dict[str, list[SortColumn]] = {
    "baru": [Slot.updated_at, Slot.id],
    "judul": [Slot.title, Slot.id],
    "kosong": [Slot.capacity - Slot.occupied, Slot.id],
    "kapasitas": [Slot.capacity, Slot.id],
    "berakhir": [Slot.valid_until, Slot.id],
}


def _slot_order(params: ListParams, stmt: Any) -> Any:
    """``stmt`` (from Slot) ordered as ``params`` says."""
    return params.ordered(stmt.order_by(None), SLOT_SORTS)


@bp.route("/lokasi-kerja/")
@require("slot.view")
def index() -> str:
    """Slots the user may see, filtered, sorted and paged in the URL, with seats in use.

    The page sorts and counts the ids (the slot's indexes), then reads its 25 rows.
    """
    params = parse_list(request.args, SLOT_LIST)
    filters = _slot_filters(params)
    # Built once per reader, filters and sort (and the agreements a Bapas's page merges).
    agreements = merged_agreements(current_user)
    name = f"slots:{agreements}"
    statements, key = built_once(
        name,
        current_user,
        params,
        lambda: slot_page(current_user, filters, SLOT_SORTS[params.sort], params.desc, agreements),
    )

    def page_ids() -> tuple[int, int, list[int]]:
        # The count, the page asked for within the pages there are, and its slots' ids.
        total = kept_total(key, statements.count)
        number = min(params.page, max(1, math.ceil(total / PER_PAGE)))
        return total, number, page_of_slots(statements, PER_PAGE, (number - 1) * PER_PAGE)

    total, number, shown = kept_page(key, params.page, page_ids)
    pages = max(1, math.ceil(total / PER_PAGE))
    rows = [(slot, slot.occupied, free_seats(slot, slot.occupied)) for slot in slot_rows(shown)]
    return render_template(
        "slots/index.html",
        page=Page(rows, number, pages, total),
        params=params,
        filters=filters,
        filter_args=_filter_args(filters),
        opds=opd_choices(current_user),
        schedule_text=schedule_text_of_json,
    )


@bp.route("/lokasi-kerja.xlsx")
@require("slot.view")
def index_xlsx() -> Response:
    """The filtered slot list as an Excel file: the same rows as the page, every text as text."""
    params = parse_list(request.args, SLOT_LIST)
    stmt = _slot_order(params, slots_query(current_user, _slot_filters(params)))
    rows = [
        [
            slot.title,
            slot.opd.short_name,
            slot.address,
            codes.JOB_CATEGORIES.get(slot.category, slot.category),
            schedule_text(slot.schedule) or "",
            slot.capacity,
            occupied,
            free_seats(slot, occupied),
            slot.valid_from,
            slot.valid_until,
            codes.SLOT_STATUSES.get(slot.status, slot.status),
        ]
        for slot, occupied in db.session.execute(stmt.limit(EXPORT_MAX))
    ]
    return exported_list(
        "slots", "slot", "Daftar Lokasi Kerja", SLOT_HEADERS, rows, filename="lokasi-kerja"
    )


@bp.route("/peta")
@require("slot.view")
def map_page() -> str:
    """Published slots on a map, clustered and coloured by job category.

    A few hundred markers come with the page; more are fetched from ``/peta.json``.
    """
    filters = _filters(request.args)
    # Kept like the monitoring figures: any saved change starts afresh.
    summary = cache.cached(
        "map_summary", f"{current_user.id}:{filters!r}", lambda: map_summary(current_user, filters)
    )
    inline = summary.count <= MAP_INLINE_MAX
    slots = map_slots(current_user, filters) if inline else []
    drawing = (
        slots,
        _tiles(),
        url_for("slots.index"),
        visible_outlines(current_user),
        None if inline else url_for("slots.map_data", **_filter_args(filters)),
        summary.bounds,
    )
    return render_template(
        "slots/map.html",
        folium_map=cache.drawn("slots_map", drawing, lambda: slots_map(*drawing)),
        count=summary.count,
        free_total=summary.free,
        legend=category_legend(),
        filters=filters,
        opds=opd_choices(current_user),
    )


@bp.route("/peta.json")
@require("slot.view")
def map_data() -> Response:
    """The map's markers as JSON: the same slots, filters and scope as ``/peta``."""
    filters = _filters(request.args)

    def dump() -> str:
        data = marker_data(map_slots(current_user, filters), url_for("slots.index"))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    text = cache.cached("map_data", f"{current_user.id}:{filters!r}", dump)
    return current_app.response_class(text, mimetype="application/json")


@bp.route("/lokasi-kerja/<int:slot_id>")
@require("slot.view")
def detail(slot_id: int) -> str:
    """One slot: what, where, when, who, and its own small map."""
    slot = _visible_slot(slot_id)
    occupied = seats_in_use(slot.id)
    return render_template(
        "slots/detail.html",
        slot=slot,
        occupied=occupied,
        free=free_seats(slot, occupied),
        schedule=schedule_text(slot.schedule),
        folium_map=cache.drawn(
            "slot_map",
            (slot.lat, slot.lng, _tiles()),
            lambda: single_slot_map(slot.lat, slot.lng, _tiles()),
        ),
        manage=policy.can_manage_slot(current_user, slot),
        place_types=dict(place_type_codes()),
    )


def _form() -> SlotForm:
    return SlotForm(
        place_types=place_type_codes(), supervisors=site_supervisors(current_user.opd_id)
    )


def _form_page(form: SlotForm, slot: Slot | None, general: list[str], status: int = 200) -> Any:
    if not any(e.form.is_blank() for e in form.schedule.entries):
        form.add_blank_windows()
    boundary = current_user.opd.pemda.boundary if current_user.opd else []
    return (
        render_template(
            "slots/form.html",
            form=form,
            slot=slot,
            general_errors=general,
            boundary=boundary,
            tiles=_tiles(),
        ),
        status,
    )


def _to_slot(
    slot: Slot, message: str, category: str = "success", page: str = "slots.detail"
) -> Response:
    """A slot step done: say so and show the slot (or ``page`` of it)."""
    flash(message, category)
    return redirect(url_for(page, slot_id=slot.id))


@bp.route("/lokasi-kerja/baru", methods=["GET", "POST"])
@require("slot.manage")
def create() -> Any:
    """A new slot of the admin's own OPD, saved as draft or published at once."""
    form = _form()
    if request.method == "GET":
        agreement = agreement_for_opd(current_user.opd)
        form.valid_from.data = clock.today()
        form.valid_until.data = agreement.effective_valid_until if agreement else None
        form.unpaid_confirmed.data = False
        return _form_page(form, None, [])
    if not form.validate():
        return _form_page(form, None, [], 422)
    publish = request.form.get("action") == "publish"
    try:
        slot = create_slot(current_user, form.values(), publish=publish)
    except Refused as refused:
        return _form_page(form, None, form.show_refused(refused), 422)
    return _to_slot(
        slot, "Lokasi kerja diterbitkan." if publish else "Lokasi kerja tersimpan sebagai draf."
    )


@bp.route("/lokasi-kerja/<int:slot_id>/ubah", methods=["GET", "POST"])
@require("slot.manage")
def edit(slot_id: int) -> Any:
    """Change a slot; a published slot keeps meeting the publication rules."""
    slot = _managed_slot(slot_id)
    form = _form()
    if request.method == "GET":
        form.load(slot)
        return _form_page(form, slot, [])
    if not form.validate():
        return _form_page(form, slot, [], 422)
    publish = request.form.get("action") == "publish" and slot.status != "published"
    try:
        update_slot(current_user, slot, form.values())
        if publish:
            publish_slot(current_user, slot)
    except Refused as refused:
        return _form_page(form, slot, form.show_refused(refused), 422)
    return _to_slot(slot, "Lokasi kerja diterbitkan." if publish else "Perubahan tersimpan.")


@bp.route("/lokasi-kerja/<int:slot_id>/terbitkan", methods=["POST"])
@require("slot.manage")
def publish(slot_id: int) -> Any:
    """Publish a draft or reopen a closed slot; refusals shown on the edit form."""
    slot = _managed_slot(slot_id)
    if slot.status == "published":
        return _to_slot(slot, "Lokasi kerja sudah terbit.", "info")
    try:
        publish_slot(current_user, slot)
    except Refused as refused:
        form = _form()
        form.load(slot)
        general = form.show_refused(refused)
        flash("Lokasi kerja belum dapat diterbitkan. Perbaiki isian yang ditandai.", "danger")
        return _form_page(form, slot, general, 422)
    return _to_slot(slot, "Lokasi kerja diterbitkan.")


@bp.route("/lokasi-kerja/<int:slot_id>/tutup", methods=["POST"])
@require("slot.manage")
def close(slot_id: int) -> Response:
    """Stop offering the slot."""
    slot = _managed_slot(slot_id)
    close_slot(current_user, slot)
    return _to_slot(slot, "Lokasi kerja ditutup: tidak lagi ditawarkan untuk penempatan baru.")


@bp.route("/lokasi-kerja/<int:slot_id>/salin", methods=["POST"])
@require("slot.manage")
def duplicate(slot_id: int) -> Response:
    """A draft copy to adapt."""
    slot = _managed_slot(slot_id)
    copy = duplicate_slot(current_user, slot)
    return _to_slot(
        copy, "Salinan dibuat sebagai draf. Periksa dan ubah seperlunya.", page="slots.edit"
    )


@bp.route("/mitra")
@require("partner.view")
def partners() -> str:
    """Daftar Mitra (Pedoman Lampiran V), 50 partners a page, each naming its first
    published slots (the Excel file and the PDF name them all)."""
    page = page_of(partner_pairs(current_user), PARTNERS_PER_PAGE)
    partners = partners_of(page.items, titles=SCOPE_SHOWN)
    first = (page.page - 1) * PARTNERS_PER_PAGE + 1
    return render_template(
        "slots/partners.html",
        headers=PARTNER_HEADERS,
        rows=partner_rows(partners, first),
        page=page,
    )


@bp.route("/mitra.xlsx")
@require("partner.view")
def partners_xlsx() -> Response:
    """Daftar Mitra as an Excel file; every text cell stays text."""
    rows = partner_rows(list_partners(current_user))
    data = single_sheet(
        "Daftar Mitra",
        PARTNER_HEADERS,
        rows,
        heading="Daftar Mitra Pelaksanaan Pidana Kerja Sosial (Lampiran V)",
    )
    return Response(
        data,
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": 'attachment; filename="daftar-mitra.xlsx"'},
    )


@bp.route("/mitra.pdf")
@require("partner.view")
def partners_pdf() -> Response:
    """Daftar Mitra printed as the Pedoman's Lampiran V."""
    partners = list_partners(current_user)
    bapas = current_user.bapas or partner_bapas(partners)
    data = render_pdf(
        "documents/lampiran_v.html",
        bapas=bapas,
        doc_ref="Lampiran V · Daftar Mitra",
        partners=partners,
        rows=partner_rows(partners),
        printed_on=clock.today(),
    )
    return pdf_response(data, "lampiran-v-daftar-mitra.pdf")
