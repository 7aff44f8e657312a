"""Monitoring pages: thin routes over portal.monitoring.indicators, workplan and services."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import audit, cache, clock, policy, uploads
from portal.agreements.services import validity
from portal.documents.pdf import pdf_response, render_pdf
from portal.exports import XLSX_MIMETYPE
from portal.extensions import db
from portal.forms import parse_date, refusal_errors
from portal.models import Agreement, WorkplanActivity, WorkplanEvidence
from portal.monitoring import evidence, facts, indicators, reports, services, workplan
from portal.monitoring.forms import EvaluationForm, ProgressReportForm
from portal.monitoring.maps import opd_map
from portal.refusals import Refused
from portal.slots.maps import TileSettings
from portal.web import ensure_visible, require, stored_file, upload_limit

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


BAD_DATE = "Tanggal tidak sah (format HH-BB-TTTT)."


def selection_from_request() -> tuple[services.Selection, dict[str, list[str]]]:
    """The reader's filters from the query string (the API's parser); bad ones are reported
    next to their filter and fall back to defaults."""
    errors: dict[str, list[str]] = {}
    start = services.date_filter(request.args, "dari", errors, parse_date, BAD_DATE)
    end = services.date_filter(request.args, "sampai", errors, parse_date, BAD_DATE)
    agreement_id = services.number_filter(request.args, "kesepakatan", errors)
    opd_id = services.number_filter(request.args, "opd", errors)
    try:
        return services.select_scope(current_user, agreement_id, opd_id, start, end), errors
    except LookupError:
        abort(404)
    except Refused as err:
        for name, messages in refusal_errors(err).items():
            errors.setdefault("opd" if name == "opd_id" else name, []).extend(messages)
        return services.select_scope(current_user, agreement_id), errors


def chart_data(view: dict[str, Any]) -> dict[str, Any]:
    """What the page's charts draw: the public view's columns, suppressed cells as gaps."""
    return {
        "months": indicators.month_labels(view),
        "received": indicators.chart_series(view, "received"),
        "started": indicators.chart_series(view, "started"),
        "completed": indicators.chart_series(view, "completed"),
        "hours": indicators.chart_series(view, "hours_verified"),
        "opds": [r["opd"] for r in view["by_opd"]],
        "capacity": [r["capacity"] for r in view["by_opd"]],
        "occupied": indicators.chart_series(view, "occupied", "by_opd"),
        "violation_types": [r["label"] for r in view["violations_by_type"]],
        "violations": [
            None if indicators.is_small(r["count"]) else r["count"]
            for r in view["violations_by_type"]
        ],
    }


@bp.route("/")
@require("monitoring.view")
def index() -> str:
    """Indicators with charts and filters for the reader's agreements."""
    selection, errors = selection_from_request()
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    return render_template(
        "monitoring/index.html",
        selection=selection,
        errors=errors,
        view=view,
        charts=chart_data(view),
        agreements=[(a, validity(a)) for a in selection.agreements],
    )


# --- Rencana Kerja -------------------------------------------------------------------


def _get_or_404(model: Any, record_id: int) -> Any:
    """The record, or 404."""
    return db.get_or_404(model, record_id)


def _visible_agreement(agreement_id: int) -> Agreement:
    agreement = _get_or_404(Agreement, agreement_id)
    ensure_visible(policy.can_see_agreement(current_user, agreement))
    return agreement


@bp.route("/rencana-kerja/<int:agreement_id>")
@require("agreement.view")
def workplan_page(agreement_id: int) -> str:
    """The agreement's Rencana Kerja by stage, with traffic lights and a timeline."""
    agreement = _visible_agreement(agreement_id)
    today = clock.today()
    progress = workplan.workplan_progress(db.session, agreement, today)
    year = today.year
    bars = {
        p.activity.id: workplan.timeline_bar(
            p.activity.period_start, p.activity.period_end, year, p.percent
        )
        for p in progress
    }
    return render_template(
        "monitoring/workplan.html",
        agreement=agreement,
        validity=validity(agreement),
        stages=workplan.by_stage(progress),
        progress=progress,
        bars=bars,
        year=year,
        today_at=workplan.today_marker(today, year),
        may_report={
            p.activity.id: policy.can_report_workplan(current_user, p.activity) for p in progress
        },  # fmt: skip
        evaluations=services.evaluations_of(agreement),
        can_manage=policy.can_monitor_agreement(current_user, agreement),
        statuses=workplan.STATUSES,
    )


def _visible_activity(activity_id: int) -> WorkplanActivity:
    activity = _get_or_404(WorkplanActivity, activity_id)
    ensure_visible(policy.can_see_agreement(current_user, activity.agreement))
    return activity


@bp.route("/kegiatan/<int:activity_id>", methods=["GET", "POST"])
@require("agreement.view")
def activity_page(activity_id: int) -> str | Response:
    """One activity: its reports with evidence and, for its responsible party, a new report."""
    activity = _visible_activity(activity_id)
    may_report = policy.may(current_user, "workplan.report") and policy.can_report_workplan(
        current_user, activity
    )
    form = ProgressReportForm()
    if request.method == "POST":
        if not may_report:
            abort(403)
        if form.validate_on_submit():
            sent = (services.Upload.of(f) for f in request.files.getlist(form.files.name))
            uploads = [upload for upload in sent if upload is not None]
            try:
                services.report_progress(
                    current_user,
                    activity,
                    form.reported_on.data,
                    form.percent.data,
                    form.note.data or "",
                    uploads,
                    current_app.config["UPLOAD_FOLDER"],
                    upload_limit(),
                )
            except Refused as err:
                form.show_refused(err)
            else:
                flash("Laporan capaian tersimpan.", "success")
                return redirect(url_for("monitoring.activity_page", activity_id=activity.id))
    elif form.reported_on.data is None:
        form.reported_on.data = clock.today()
    summary = None
    if (
        activity.metric in workplan.DERIVED_METRICS
        and activity.period_start
        and activity.period_end
    ):
        summary = facts.summarise(
            db.session,
            indicators.Filters(
                (activity.agreement_id,), activity.period_start, activity.period_end
            ),
        )
    reports = services.reports_of(activity)
    progress = workplan.progress_for(
        activity, summary, reports[0] if reports else None, clock.today()
    )
    return render_template(
        "monitoring/activity.html",
        activity=activity,
        agreement=activity.agreement,
        progress=progress,
        reports=reports,
        form=form,
        may_report=may_report,
        max_mb=upload_limit() // (1024 * 1024),
    )


@bp.route("/bukti/<int:evidence_id>")
@require("agreement.view")
def evidence_file(evidence_id: int) -> Response:
    """An evidence file, only for the parties of the agreement; always as a download."""
    item = _get_or_404(WorkplanEvidence, evidence_id)
    ensure_visible(policy.can_see_agreement(current_user, item.report.activity.agreement))
    path = stored_file(evidence.path_of(current_app.config["UPLOAD_FOLDER"], item.stored_name))
    return uploads.serve(path, item.content_type, item.original_name)


# --- agreement life cycle ----------------------------------------------------------------


def _monitored_agreement(agreement_id: int) -> Agreement:
    agreement = _get_or_404(Agreement, agreement_id)
    ensure_visible(policy.can_monitor_agreement(current_user, agreement))
    return agreement


@bp.route("/kesepakatan/<int:agreement_id>/evaluasi", methods=["GET", "POST"])
@require("agreement.evaluate")
def evaluation_new(agreement_id: int) -> str | Response:
    """Record the yearly evaluation of the agreement."""
    agreement = _monitored_agreement(agreement_id)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            services.record_evaluation(
                current_user,
                agreement,
                form.year.data,
                form.evaluated_on.data,
                form.conclusion.data or "",
                form.summary.data or "",
            )
        except Refused as err:
            form.show_refused(err)
        else:
            flash("Evaluasi tahunan tercatat.", "success")
            return redirect(url_for("monitoring.workplan_page", agreement_id=agreement.id))
    elif request.method == "GET":
        form.year.data = form.year.data or clock.today().year
        form.evaluated_on.data = form.evaluated_on.data or clock.today()
    return render_template(
        "monitoring/evaluation_form.html",
        agreement=agreement,
        form=form,
        evaluations=services.evaluations_of(agreement),
    )


# --- exports ------------------------------------------------------------------------------


def _scope_label(selection: services.Selection) -> str:
    if len(selection.chosen) == 1:
        a = selection.chosen[0]
        label = f"{a.bapas.name} × {a.pemda.short_name}"
    else:
        label = "Semua kesepakatan"
    if selection.opd:
        label += f" · {selection.opd.short_name}"
    return label


@bp.route("/ekspor.xlsx")
@require("monitoring.view")
def export_xlsx() -> Response:
    """The indicators and the Rencana Kerja as an Excel workbook."""
    selection, _ = selection_from_request()
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    today = clock.today()
    plans = [(a, workplan.workplan_progress(db.session, a, today)) for a in selection.chosen]
    data = reports.indicators_workbook(view, _scope_label(selection), plans)
    audit.record("monitoring_exported", "agreement", None, format="xlsx")
    name = f"monitoring-{selection.filters.start.isoformat()}-{selection.filters.end.isoformat()}"
    response = current_app.response_class(data, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/laporan-monev.pdf")
@require("monitoring.view")
def report_pdf() -> Response:
    """Laporan Monitoring dan Evaluasi of one agreement and period, with charts."""
    selection, _ = selection_from_request()
    if len(selection.chosen) != 1:
        flash("Pilih satu kesepakatan untuk mencetak Laporan Monitoring dan Evaluasi.", "warning")
        kept: dict[str, Any] = request.args.to_dict()
        return redirect(url_for("monitoring.index", **kept))
    agreement = selection.chosen[0]
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    today = clock.today()
    progress = workplan.workplan_progress(db.session, agreement, today)
    data = render_pdf(
        "documents/monitoring_report.html",
        bapas=agreement.bapas,
        agreement=agreement,
        selection=selection,
        view=view,
        headline=reports.headline_rows(view),
        month_labels=indicators.month_labels(view),
        stages=workplan.by_stage(progress),
        charts=reports.report_charts(view),
        evaluations=services.evaluations_of(agreement),
        validity=validity(agreement),
        printed_on=today,
        doc_ref=f"Laporan Monev {agreement.pemda.short_name} {selection.filters.start.isoformat()}"
        f" s.d. {selection.filters.end.isoformat()}",
    )
    audit.record("monitoring_exported", "agreement", agreement.id, format="pdf")
    return pdf_response(data, f"laporan-monev-{agreement.pemda.code.lower()}.pdf")


# --- map ------------------------------------------------------------------------------------


@bp.route("/peta")
@require("monitoring.view")
def map_page() -> str:
    """Slots by OPD with utilisation on a map; no client appears on it."""
    selection, errors = selection_from_request()
    view = indicators.public_view(facts.summarise(db.session, selection.filters))
    coords = {
        o.id: (o.lat, o.lng) for o in selection.opds if o.lat is not None and o.lng is not None
    }
    cfg = current_app.config
    tiles = TileSettings(cfg["MAP_TILE_URL"], cfg["MAP_TILE_ATTRIBUTION"], cfg["MAP_TILE_MAX_ZOOM"])
    return render_template(
        "monitoring/map.html",
        selection=selection,
        errors=errors,
        view=view,
        folium_map=cache.drawn(
            "opd_map",
            (view["by_opd"], coords, tiles),
            lambda: opd_map(view["by_opd"], coords, tiles),
        ),
        missing=[r["opd"] for r in view["by_opd"] if r["opd_id"] not in coords],
    )
