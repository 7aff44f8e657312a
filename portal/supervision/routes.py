"""Supervision pages of the Bapas: clients' hours, assessments, conduct, closure, documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal import audit, clock, codes, policy
from portal.attendance.services import kept_ledgers, ledgers_for
from portal.clients import (
    services as client_services,
)  # module: clients.services imports supervision
from portal.clients.listing import client_rows, pk_and_opd_choices
from portal.clients.record import supervision_entries
from portal.clients.validation import replaced_penalty_text
from portal.documents.pdf import pdf_response
from portal.extensions import db
from portal.forms import parse_date, show_refused
from portal.listing import (
    EXPORT_MAX,
    ListParams,
    ListSpec,
    built,
    exported_list,
    list_page,
    parse_list,
)
from portal.models import (
    Assessment,
    Client,
    ConductCase,
    ProgressReport,
    User,
)
from portal.refusals import Refused
from portal.statuses import ClientStatus
from portal.supervision import documents, numbering, progress, rules, services
from portal.supervision.forms import (
    AssessmentForm,
    ClosureForm,
    ConductForm,
    ExaminationForm,
    JaksaAnswerForm,
    RecommendationForm,
    TeamForm,
    TppForm,
)
from portal.web import ensure_visible, require, saving, visible, visible_client, visible_or_404

bp = Blueprint("supervision", __name__, url_prefix="/pengawasan")


def _case(case_id: int) -> ConductCase:
    return visible_or_404(ConductCase, case_id, lambda u, r: policy.can_see_client(u, r.client))


SUPERVISION_LIST = ListSpec(
    sorts={
        "batas": "Batas akhir",
        "kode": "Kode klien",
        "nama": "Nama",
        "mulai": "Mulai",
        "jam": "Jam diputus",
    },
    default_sort="batas",
    default_desc=False,
    choices={"semua": {"1": "Semua klien Bapas"}, "selesai": {"1": "Perkara selesai"}},
    ids=("pk",),
    dates=True,
)
SUPERVISION_HEADERS = [
    "Kode klien",
    "Nama klien",
    "PK",
    "Jam diputus",
    "Jam terverifikasi",
    "Jam menunggu verifikasi",
    "Mulai",
    "Batas akhir",
    "Sisa hari",
    "Perhatian",
]


def _shown(params: ListParams) -> tuple[bool, bool]:
    """Whether the list holds only the PK's own clients, and closed cases instead of open."""
    return "semua" not in params.chosen and policy.is_pk(current_user), "selesai" in params.chosen


def _supervision_list(params: ListParams) -> Any:
    """The clients of the list, filtered and ordered as ``params`` says (deadline dates)."""
    mine, show_closed = _shown(params)
    query = select(Client).where(policy.clients_scope(current_user))
    if mine:
        query = query.where(Client.pk_id == current_user.id)
    elif "pk" in params.ids:
        query = query.where(Client.pk_id == params.ids["pk"])
    query = query.where(
        Client.status == ClientStatus.CLOSED
        if show_closed
        else Client.status != ClientStatus.CLOSED
    )
    if params.q:
        like = f"%{params.q}%"
        query = query.where(Client.code.ilike(like) | Client.full_name.ilike(like))
    query = params.within_dates(query, Client.deadline)
    query = params.ordered(
        query,
        {
            "batas": [Client.deadline, Client.code],
            "kode": [Client.code],
            "nama": [Client.full_name, Client.code],
            "mulai": [Client.start_date, Client.code],
            "jam": [Client.hours_ordered, Client.code],
        },
    )
    return query


def _attention(client: Client, ledger: Any) -> str:
    if client.status == ClientStatus.CLOSED:
        return "Ditutup"
    if ledger.served:
        return "Jam terpenuhi"
    notes = []
    if ledger.pace_warning:
        notes.append("Tidak terkejar")
    if ledger.possible_absences:
        notes.append(f"{len(ledger.possible_absences)} hari tanpa hadir")
    return ", ".join(notes)


@bp.route("/")
@require("supervision.manage")
def index() -> str:
    """Clients under supervision with their hours, pace and absences; filters in the URL."""
    params = parse_list(request.args, SUPERVISION_LIST)
    mine, show_closed = _shown(params)
    # 50 a page: the ids on the client's indexes, then the page's rows; each row's ledger
    # (hours, pace, absences) is computed for the page only.
    ids = built(
        "supervision",
        current_user,
        params,
        lambda: _supervision_list(params).with_only_columns(Client.id),
        keep_total=True,
    )
    page = list_page(ids, params)
    clients = client_rows(page.items, working=True)
    ledgers = kept_ledgers(clients)
    rows = [(c, ledgers[c.id]) for c in clients]
    return render_template(
        "supervision/index.html",
        rows=rows,
        page=page,
        params=params,
        page_args=params.args(),
        mine=mine,
        show_closed=show_closed,
        # Offered when the list shows the whole Bapas ("semua"): kept, not read per page.
        pks=pk_and_opd_choices(current_user)["pk"] if not mine else [],
        team_examinations=services.running_team_examinations(current_user),
    )


@bp.route("/daftar.xlsx")
@require("supervision.manage")
def index_xlsx() -> Response:
    """The filtered supervision list as an Excel file; each client shown is a recorded read."""
    params = parse_list(request.args, SUPERVISION_LIST)
    query = _supervision_list(params)
    clients = list(db.session.scalars(query.limit(EXPORT_MAX)))
    ledgers = ledgers_for(clients)
    pk_names = dict(
        db.session.execute(
            select(User.id, User.full_name).where(
                User.id.in_({c.pk_id for c in clients if c.pk_id})
            )
        ).all()
    )
    rows = []
    for c in clients:
        ledger = ledgers[c.id]
        rows.append(
            [
                c.code,
                c.full_name,
                pk_names.get(c.pk_id, ""),
                c.hours_ordered,
                round(ledger.minutes_verified / 60, 2),
                round(ledger.minutes_pending / 60, 2),
                c.start_date,
                ledger.deadline,
                ledger.days_to_deadline,
                _attention(c, ledger),
            ]
        )
        client_services.view_client(c, current_user, page="supervision.xlsx")
    return exported_list(
        "supervision",
        "client",
        "Daftar Pengawasan Klien",
        SUPERVISION_HEADERS,
        rows,
        filename="pengawasan",
    )


@bp.route("/klien/<int:client_id>")
@require("supervision.manage")
def client(client_id: int) -> str:
    """One client's supervision: hours ledger, absences, assessments, conduct, closure."""
    client, closure = visible(
        services.with_closure(client_id), lambda user, row: policy.can_see_client(user, row[0])
    )
    client_services.view_client(client, current_user, page="supervision")
    entries = supervision_entries(client.id)
    return render_template(
        "supervision/client.html",
        client=client,
        progress_reports=entries.reports,
        community=entries.community,
        progress_period=progress.next_period(client, reports=entries.reports),
        progress_due=progress.report_due(client, reports=entries.reports),
        prosecutor_office=services.default_prosecutor_office(client),
        **services.summary_of(client, closure),
    )


@bp.route("/klien/<int:client_id>/penilaian", methods=["GET", "POST"])
@require("supervision.manage")
def assess(client_id: int) -> str | Response:
    """Fill in Lampiran IV after a visit (or an evaluation)."""
    client = visible_client(client_id)
    if client.status == ClientStatus.CLOSED:
        abort(403)
    summary = services.supervision_summary(client)
    form = AssessmentForm()
    form.placement_id.choices = [(0, "— tidak terkait penempatan —")] + [
        (p.id, f"{p.slot.title} ({p.slot.opd.short_name})") for p in summary["placements"]
    ]
    if request.method == "GET":
        client_services.view_client(client, current_user, page="assessment")
        form.assessed_on.data = clock.today()
        due = summary["evaluations_due"]
        form.kind.data = request.args.get("jenis") or (due[0].kind if due else "visit")
        working = [p for p in summary["placements"] if p.status in ("accepted", "active")]
        form.placement_id.data = working[0].id if working else 0
    elif form.validate_on_submit():
        placement_id = form.placement_id.data or None
        place = ""
        if placement_id:
            match = [p for p in summary["placements"] if p.id == placement_id]
            place = match[0].slot.title if match else ""
        entry = services.AssessmentInput(
            kind=form.kind.data,
            assessed_on=form.assessed_on.data,
            indicators={code: getattr(form, f"ind_{code}").data for code in rules.INDICATORS},
            stage=form.stage.data,
            notes=form.notes.data or "",
            place=place,
            placement_id=placement_id,
        )
        try:
            services.record_assessment(client, entry, current_user)
        except Refused as refusal:
            show_refused(refusal, form, fallback="kind")
        else:
            flash("Penilaian sikap disimpan.", "success")
            return redirect(url_for("supervision.client", client_id=client.id))
    return render_template(
        "supervision/assess.html",
        client=client,
        form=form,
        indicators=rules.INDICATORS,
        due=summary["evaluations_due"],
    )


@bp.route("/klien/<int:client_id>/perilaku", methods=["GET", "POST"])
@require("supervision.manage")
def new_conduct(client_id: int) -> str | Response:
    """Record a violation or good conduct: its own page, each error beside its field and
    what was typed kept."""
    client = visible_client(client_id)
    if request.method == "GET" and client.status == ClientStatus.CLOSED:
        abort(403)
    form = ConductForm()
    if request.method == "GET":
        client_services.view_client(client, current_user, page="conduct")
        form.occurred_on.data = clock.today()
        form.kind.data = "good_conduct" if request.args.get("jenis") == "baik" else "violation"
    elif form.validate_on_submit():
        try:
            case = services.record_conduct(
                client,
                form.kind.data,
                form.occurred_on.data,
                form.description.data,
                current_user,
                category=form.category.data or "",
            )
        except Refused as refusal:
            show_refused(refusal, form, flash_rest=True, prefix="Tidak disimpan: ")
        else:
            flash(
                "Pelanggaran dicatat. Langkah berikutnya: usulkan tim pemeriksa."
                if case.kind == "violation"
                else "Perilaku baik dicatat.",
                "success",
            )
            return redirect(url_for("supervision.conduct", case_id=case.id))
    return render_template("supervision/conduct_new.html", client=client, form=form)


STEP_FORMS = {
    "recorded": TeamForm,
    "team_proposed": ExaminationForm,
    "examined": TppForm,
    "decided": RecommendationForm,
    "recommended": JaksaAnswerForm,
}


@bp.route("/perilaku/<int:case_id>", methods=["GET", "POST"])
@require("supervision.manage")
def conduct(case_id: int) -> str | Response:
    """A conduct case and the form of its next step."""
    case = _case(case_id)
    if request.method == "GET":
        client_services.view_client(case.client, current_user, page="conduct")
    closed = case.client.status == ClientStatus.CLOSED
    form_class = STEP_FORMS.get(case.status)
    needs_head = case.status == "decided"
    if case.status == "decided" and case.tpp_outcome != "recommend_jaksa":
        form_class = None
    if case.status == "recommended" and case.jaksa_answer:
        form_class = None
    allowed = form_class is not None and not closed
    if needs_head and not policy.may(current_user, "closure.sign"):
        allowed = False
    form = form_class() if allowed and form_class else None
    allowed_outcomes = rules.allowed_recommendations(case.client.replaced_penalty_kind or "")
    if isinstance(form, RecommendationForm):
        form.recommendation.choices = list(allowed_outcomes.items())
    elif isinstance(form, JaksaAnswerForm):
        form.answer.choices = list(allowed_outcomes.items())
    if form is not None and request.method == "GET":
        today = clock.today()
        if isinstance(form, TeamForm):
            form.proposed_on.data = today
        elif isinstance(form, ExaminationForm):
            form.examined_on.data = today
        elif isinstance(form, TppForm):
            form.session_on.data = today
            form.outcome.data = "recommend_jaksa" if case.kind == "violation" else "reward"
        elif isinstance(form, RecommendationForm):
            form.prosecutor_office.data = services.default_prosecutor_office(case.client)
            form.recommendation.data = "repeat"
        elif isinstance(form, JaksaAnswerForm):
            form.answered_on.data = today
            form.answer.data = case.recommendation
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate_on_submit():
            try:
                _apply_step(case, form)
            except Refused as refusal:
                show_refused(refusal, form, fallback=next(iter(form._fields)))  # noqa: SLF001
            else:
                flash("Langkah disimpan.", "success")
                return redirect(url_for("supervision.conduct", case_id=case.id))
    return render_template(
        "supervision/conduct.html",
        case=case,
        form=form,
        needs_head=needs_head and form is None and case.tpp_outcome == "recommend_jaksa",
        today=clock.today(),
        replaced_penalty=replaced_penalty_text(case.client),
    )


def _apply_step(case: ConductCase, form: Any) -> None:
    if isinstance(form, TeamForm):
        services.propose_team(case, form.members.data, form.proposed_on.data, current_user)
    elif isinstance(form, ExaminationForm):
        services.record_examination(case, form.examined_on.data, form.findings.data, current_user)
    elif isinstance(form, TppForm):
        services.record_tpp_session(
            case, form.session_on.data, form.outcome.data, form.notes.data or "", current_user
        )
    elif isinstance(form, RecommendationForm):
        if not policy.may(current_user, "closure.sign"):
            abort(403)
        services.issue_recommendation(
            case,
            form.recommendation.data,
            form.number.data or "",
            form.prosecutor_office.data,
            form.hours.data,
            current_user,
            override_reason=form.override_reason.data or "",
        )
    elif isinstance(form, JaksaAnswerForm):
        services.record_jaksa_answer(
            case, form.answer.data, form.letter_number.data, form.answered_on.data, current_user
        )


@bp.route("/klien/<int:client_id>/laporan-perkembangan", methods=["POST"])
@require("closure.sign")
def issue_progress_report(client_id: int) -> Response:
    """The Kepala Bapas signs the progress report of a period to the Jaksa and the Hakim."""
    client = visible_client(client_id)
    start = _date_arg(request.form.get("period_start"))
    end = _date_arg(request.form.get("period_end"))
    try:
        if start is None or end is None:
            raise Refused({"period_start": ["Isi awal dan akhir periode."]})
        report = progress.issue_report(
            client, start, end, current_user, request.form.get("prosecutor_office", "")
        )
    except Refused as refusal:
        show_refused(refusal, prefix="Tidak disimpan: ")
        return redirect(url_for("supervision.client", client_id=client.id) + "#laporan")
    flash(f"Laporan perkembangan nomor {report.letter.number} tercatat di register.", "success")
    return redirect(url_for("supervision.progress_report_pdf", report_id=report.id))


def _date_arg(text: str | None) -> date | None:
    """A date typed as dd-mm-yyyy (or ISO); None when empty or not a date."""
    try:
        return parse_date(text)
    except ValueError:
        return None


@bp.route("/laporan-perkembangan/<int:report_id>.pdf")
@require("supervision.manage")
def progress_report_pdf(report_id: int) -> Response:
    """The progress report, drawn from the records of its period."""
    report = db.get_or_404(ProgressReport, report_id)
    client = visible_client(report.client_id)
    client_services.view_client(client, current_user, page="progress_report")
    data = documents.progress_report(report)
    return pdf_response(data, f"laporan-perkembangan-{client.code}-{report.period_end}.pdf")


@bp.route("/klien/<int:client_id>/kegiatan-masyarakat", methods=["POST"])
@require("supervision.manage")
def community_activity(client_id: int) -> Response:
    """Record a community activity the client was included in."""
    client = visible_client(client_id)
    held_on = _date_arg(request.form.get("held_on"))
    with saving("Kegiatan kemasyarakatan dicatat."):
        if held_on is None:
            raise Refused({"held_on": ["Isi tanggal kegiatan."]})
        services.record_community_activity(
            client,
            held_on,
            request.form.get("activity", ""),
            request.form.get("included_by", ""),
            current_user,
        )
    return redirect(url_for("supervision.client", client_id=client.id) + "#masyarakat")


@bp.route("/register-surat")
@require("closure.sign")
def letter_register() -> str:
    """The Bapas's register of outgoing letter numbers for a year."""
    year = request.args.get("tahun", type=int) or clock.today().year
    if not 2000 <= year <= 2100:
        year = clock.today().year
    bapas_id = current_user.bapas_id
    ensure_visible(bapas_id is not None)
    return render_template(
        "supervision/letter_register.html",
        year=year,
        entries=numbering.register(bapas_id, year),
        kinds=numbering.LETTER_KINDS,
        pattern=current_user.bapas.letter_pattern if current_user.bapas else "",
    )


@bp.route("/klien/<int:client_id>/pengakhiran", methods=["GET", "POST"])
@require("supervision.manage")
def close(client_id: int) -> str | Response:
    """Close the case (the Kepala Bapas signs); the PK sees what is still missing."""
    client = visible_client(client_id)
    summary = services.supervision_summary(client)
    if summary["closure"] is not None:
        return redirect(url_for("supervision.client", client_id=client.id))
    can_sign = policy.may(current_user, "closure.sign")
    form = ClosureForm()
    if request.method == "GET":
        client_services.view_client(client, current_user, page="closure")
        form.closed_on.data = clock.today()
        ledger = summary["ledger"]
        form.reason.data = "served" if ledger.served else "sanctioned"
        finals = [a for a in summary["assessments"] if a.kind == "final"]
        if finals:
            form.final_assessment.data = finals[0].notes
    elif not can_sign:
        abort(403)
    elif form.validate_on_submit():
        try:
            services.close_case(
                client,
                form.reason.data,
                form.closed_on.data,
                form.final_assessment.data,
                form.letter_number.data or "",
                current_user,
                override_reason=form.override_reason.data or "",
            )
        except Refused as refusal:
            show_refused(refusal, form, fallback="reason")
        else:
            flash(
                "Perkara ditutup dan dicatat di register. Surat pengakhiran siap dicetak.",
                "success",
            )
            return redirect(url_for("supervision.client", client_id=client.id))
    return render_template(
        "supervision/close.html", client=client, form=form, can_sign=can_sign, **summary
    )


# --- documents ----------------------------------------------------------------


def _document(client: Client, kind: str, data: bytes, filename: str) -> Response:
    audit.record("document_printed", "client", client.id, document=kind)
    client_services.view_client(client, current_user, page=kind)
    return pdf_response(data, filename)


@bp.route("/penilaian/<int:assessment_id>.pdf")
@require("supervision.manage")
def assessment_pdf(assessment_id: int) -> Response:
    """Lampiran IV: Laporan Penilaian Sikap."""
    assessment = db.get_or_404(Assessment, assessment_id)
    ensure_visible(policy.can_see_client(current_user, assessment.client))
    return _document(
        assessment.client,
        "lampiran_iv",
        documents.assessment_report(assessment),
        f"lampiran-iv-{assessment.client.code}-{assessment.assessed_on:%Y%m%d}",
    )


@bp.route("/perilaku/<int:case_id>/rekomendasi.pdf")
@require("supervision.manage")
def recommendation_pdf(case_id: int) -> Response:
    """The recommendation letter to the Jaksa."""
    case = _case(case_id)
    if case.status != "recommended":
        abort(404)
    return _document(
        case.client,
        "recommendation",
        documents.recommendation_letter(case),
        f"rekomendasi-jaksa-{case.client.code}",
    )


def _closure_letter(client: Client) -> bytes:
    closure = services.closure_of(client)
    if closure is None:
        abort(404)
    return documents.closure_letter(closure)


# The documents of one client's case: endpoint, file name and what builds it.
# Lampiran II is the Laporan Pelaksanaan Pidana Kerja Sosial, Lampiran III the Daftar Hadir
# from the attendance records, the surat pengakhiran that of a closed case.
CLIENT_DOCUMENTS: dict[str, tuple[str, str, Callable[[Client], bytes]]] = {
    "lampiran_ii": ("report_pdf", "lampiran-ii", documents.execution_report),
    "lampiran_iii": ("attendance_pdf", "lampiran-iii", documents.attendance_list),
    "closure": ("closure_pdf", "surat-pengakhiran", _closure_letter),
}


def _client_document_pdf(kind: str) -> Callable[[int], Response]:
    """The view printing one of the CLIENT_DOCUMENTS for a client the user may see."""
    _, name, build = CLIENT_DOCUMENTS[kind]

    def view(client_id: int) -> Response:
        client = visible_client(client_id)
        return _document(client, kind, build(client), f"{name}-{client.code}")

    return view


for _kind, (_endpoint, _name, _) in CLIENT_DOCUMENTS.items():
    bp.add_url_rule(
        f"/klien/<int:client_id>/{_name}.pdf",
        _endpoint,
        require("supervision.manage")(_client_document_pdf(_kind)),
    )


PLACEMENT_STATUSES = {
    "booked": "Menunggu jawaban OPD",
    "accepted": "Diterima OPD",
    "declined": "Ditolak OPD",
    "active": "Berjalan",
    "completed": "Selesai",
    "ended": "Dihentikan",
}


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {
        "closure_reasons": rules.CLOSURE_REASONS,
        "assessment_kinds": rules.ASSESSMENT_KINDS,
        "stages": rules.STAGES,
        "conduct_kinds": rules.CONDUCT_KINDS,
        "violation_categories": codes.VIOLATION_CATEGORIES,
        "conduct_statuses": rules.CONDUCT_STATUSES,
        "tpp_outcomes": rules.TPP_OUTCOMES,
        "recommendations": rules.RECOMMENDATIONS,
        "placement_statuses": PLACEMENT_STATUSES,
        "weekdays": codes.WEEKDAYS,
        "team_deadline_state": rules.team_deadline_state,
    }
