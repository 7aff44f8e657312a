"""Administration pages: accounts and the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select
from werkzeug.wrappers import Response

from portal import clock, codes, policy
from portal.admin.forms import UserForm
from portal.admin.services import (
    UserData,
    audit_query,
    organisation_choices,
    save_user,
)
from portal.auth.sessions import end_sessions_by_admin, open_sessions
from portal.codes import FACILITIES, effective_facilities
from portal.documents.pdf import pdf_response, render_pdf
from portal.extensions import db, plain_records
from portal.forms import refusal_errors
from portal.listing import (
    EXPORT_MAX,
    PER_PAGE,
    ListParams,
    ListSpec,
    built,
    columns,
    exported_list,
    list_page,
    parse_list,
)
from portal.models import AuditLog, Bapas, Opd, Pemda, Role, User
from portal.models.user import PORTAL_NAME
from portal.refusals import Refused
from portal.slots.partners import (
    PARTNER_KINDS,
    PKS_KINDS,
    PartnerData,
    save_partner,
)
from portal.slots.services import list_partner_slots
from portal.supervision import numbering
from portal.web import ensure_visible, require

bp = Blueprint("admin", __name__, url_prefix="/admin")

USER_LIST = ListSpec(
    sorts={
        "peran": "Peran",
        "nama": "Nama",
        "pengguna": "Nama pengguna",
        "masuk": "Terakhir masuk",
    },
    default_sort="peran",
    default_desc=False,
    choices={"peran": Role.LABELS, "status": {"aktif": "Aktif", "nonaktif": "Nonaktif"}},
)
USER_HEADERS = ["Nama pengguna", "Nama", "Peran", "Organisasi", "Status", "Terakhir masuk"]


def _user_list(params: ListParams) -> Select:
    # What a row shows, its organisation's name read with the page (not one query a row):
    # plain rows, not accounts (a page of fifty with their organisations: no unit of work).
    stmt = (
        select(
            *columns(User, "id username full_name role enabled last_login_at"),
            func.coalesce(Opd.name, Bapas.name, Pemda.name, PORTAL_NAME).label("organisation_name"),
        )
        .outerjoin(Opd, Opd.id == User.opd_id)
        .outerjoin(Bapas, Bapas.id == User.bapas_id)
        .outerjoin(Pemda, Pemda.id == User.pemda_id)
    )
    if params.q:
        like = f"%{params.q}%"
        stmt = stmt.where(User.username.ilike(like) | User.full_name.ilike(like))
    if "peran" in params.chosen:
        stmt = stmt.where(User.role == params.chosen["peran"])
    if "status" in params.chosen:
        stmt = stmt.where(User.enabled.is_(params.chosen["status"] == "aktif"))
    return params.ordered(
        stmt,
        {
            "peran": [User.role, User.username],
            "nama": [User.full_name, User.id],
            "pengguna": [User.username],
            "masuk": [User.last_login_at, User.id],
        },
    )


def _user_row(u: Any) -> list[Any]:
    return [
        u.username,
        u.full_name,
        Role.LABELS.get(u.role, u.role),
        u.organisation_name,
        "Aktif" if u.enabled else "Nonaktif",
        u.last_login_at,
    ]


def _user_form_page(form: UserForm, user: User | None) -> str | Response:
    form.organisation.choices = organisation_choices()
    if form.validate_on_submit():
        data = UserData(
            username=form.username.data or "",
            full_name=form.full_name.data or "",
            email=form.email.data,
            role=form.role.data or "",
            organisation=form.organisation.data or "",
            nip=form.nip.data,
            phone=form.phone.data or "",
            position=form.position.data or "",
            enabled=bool(form.enabled.data),
            password=form.password.data or None,
        )
        try:
            saved = save_user(data, user)
        except Refused as err:
            form.show_refused(err)
        else:
            flash(f"Akun {saved.username} tersimpan.", "success")
            return redirect(url_for("admin.users"))
    sessions = open_sessions(user) if user is not None else []
    return render_template("admin/user_form.html", form=form, user=user, open_sessions=sessions)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@require("user.manage")
def user_new() -> str | Response:
    """Create an account."""
    return _user_form_page(UserForm(), None)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@require("user.manage")
def user_edit(user_id: int) -> str | Response:
    """Change, re-role, disable an account or set a new password."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.organisation.data = (
            f"{user.organisation_type}:{user.organisation.id}" if user.organisation else ""
        )
    return _user_form_page(form, user)


@bp.route("/pengguna/<int:user_id>/akhiri-sesi", methods=["POST"])
@require("user.manage")
def end_sessions(user_id: int) -> Response:
    """End every session of an account: each copy of its cookies stops working."""
    user = db.get_or_404(User, user_id)
    count = end_sessions_by_admin(user, current_user._get_current_object())  # noqa: SLF001
    flash(f"{count} sesi akun {user.username} diakhiri.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


AUDIT_LIST = ListSpec(
    sorts={"waktu": "Waktu", "pengguna": "Pengguna", "aksi": "Aksi"},
    default_sort="waktu",
    dates=True,
    texts=("aksi", "pengguna"),
)
AUDIT_HEADERS = ["Waktu", "Pengguna", "Aksi", "Data", "Nomor data", "Alamat IP"]
# The audit log pages through its newest 5,000 rows; a date, action or user finds older.
AUDIT_PAGES = 100


def _audit_list(params: ListParams) -> Select:
    stmt = audit_query(
        current_user, params.chosen.get("aksi", ""), params.chosen.get("pengguna", "")
    )
    if params.q:
        like = f"%{params.q}%"
        stmt = stmt.where(AuditLog.action.ilike(like) | AuditLog.username.ilike(like))
    stmt = params.within_days(stmt, AuditLog.at)
    return params.ordered(
        stmt.order_by(None),
        {
            "waktu": [AuditLog.at, AuditLog.id],
            "pengguna": [AuditLog.username, AuditLog.id],
            "aksi": [AuditLog.action, AuditLog.id],
        },
    )


def _audit_row(e: Any) -> list[Any]:
    return [
        e.at,
        e.username,
        codes.audit_action_label(e.action),
        codes.audit_object_label(e.object_type),
        e.object_id or "",
        e.ip,
    ]


@dataclass(frozen=True)
class AdminList:
    """An administration list: its page, and the same filtered rows as an Excel file."""

    name: str  # the page's endpoint (the file's: name + "_xlsx") and the list in the audit log
    path: str
    action: str
    spec: ListSpec
    query: Callable[[ListParams], Select]
    template: str
    roles: Any
    object_type: str
    title: str
    filename: str
    headers: list[str]
    row: Callable[[Any], list[Any]]
    # Counted no further than this (an ever-growing log; the file's rows are no more).
    count_cap: int | None = None

    def page(self) -> str:
        params = parse_list(request.args, self.spec)
        statements = built(
            self.name, current_user, params, lambda: self.query(params), count_cap=self.count_cap
        )
        page = list_page(statements, params)
        return render_template(
            self.template, page=page, params=params, roles=self.roles, export_max=EXPORT_MAX
        )

    def xlsx(self) -> Response:
        params = parse_list(request.args, self.spec)
        found = plain_records(self.query(params).limit(EXPORT_MAX))
        rows = [self.row(item) for item in found]
        return exported_list(
            self.name, self.object_type, self.title, self.headers, rows, filename=self.filename
        )

    def register(self) -> None:
        page, xlsx = require(self.action)(self.page), require(self.action)(self.xlsx)
        bp.add_url_rule(self.path, self.name, page)
        bp.add_url_rule(f"{self.path}.xlsx", f"{self.name}_xlsx", xlsx)


ADMIN_LISTS = (
    # All accounts; search, role and status filters, sort and page in the URL.
    AdminList(
        "users",
        "/pengguna",
        "user.manage",
        USER_LIST,
        _user_list,
        "admin/users.html",
        Role.LABELS,
        "user",
        "Daftar Pengguna",
        "pengguna",
        USER_HEADERS,
        _user_row,
    ),
    # The audit log, newest first; a Kepala Bapas sees his own Bapas's part. The file
    # holds client ids only, never a name.
    AdminList(
        "audit",
        "/audit",
        "audit.view",
        AUDIT_LIST,
        _audit_list,
        "admin/audit.html",
        Role,
        "audit",
        "Log Audit",
        "log-audit",
        AUDIT_HEADERS,
        _audit_row,
        # Every record read adds a row: counted up to AUDIT_PAGES pages, not all (on
        # PostgreSQL 20,000 rows cost 2.8 ms a view); older rows are found by a filter.
        count_cap=AUDIT_PAGES * PER_PAGE,
    ),
)
for _list in ADMIN_LISTS:
    _list.register()


@bp.route("/penomoran-surat", methods=["GET", "POST"])
@require("user.manage")
def letter_patterns() -> tuple[str, int] | Response:
    """The numbering pattern of each Bapas's outgoing letters."""
    errors: dict[int, str] = {}
    values: dict[int, str] = {}
    if request.method == "POST":
        bapas = db.get_or_404(Bapas, request.form.get("bapas_id", type=int) or 0)
        pattern = request.form.get("pattern", "")
        try:
            numbering.set_pattern(bapas, pattern, current_user)
        except Refused as refused:
            errors[bapas.id] = refusal_errors(refused)["pattern"][0]
            values[bapas.id] = pattern
        else:
            flash(f"Pola nomor surat {bapas.name} tersimpan.", "success")
            return redirect(url_for("admin.letter_patterns"))
    rows = db.session.scalars(select(Bapas).order_by(Bapas.name)).all()
    return render_template(
        "admin/letter_patterns.html",
        rows=rows,
        errors=errors,
        values=values,
        placeholders=numbering.PLACEHOLDERS,
        example=numbering.render,
    ), (422 if errors else 200)


# --- partners beyond the OPDs (Pedoman 2.1.2) -------------------------------------


@bp.route("/mitra")
@require("user.manage")
def partners() -> str:
    """Every partner: OPDs and the places under their own PKS with a Bapas."""
    rows = db.session.scalars(select(Opd).order_by(Opd.kind, Opd.name)).all()
    return render_template("admin/partners.html", rows=rows, kinds=PARTNER_KINDS)


def _date(text: str | None) -> Any:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    try:
        return float((text or "").strip().replace(",", "."))
    except ValueError:
        return None


def _partner_data(form: Any) -> PartnerData:
    def as_id(name: str) -> int | None:
        value = (form.get(name) or "").strip()
        return int(value) if value.isdigit() else None

    return PartnerData(
        name=form.get("name", ""),
        short_name=form.get("short_name", ""),
        kind=form.get("kind", ""),
        pemda_id=as_id("pemda_id"),
        address=form.get("address", ""),
        phone=form.get("phone", ""),
        lat=_number(form.get("lat")),
        lng=_number(form.get("lng")),
        pks_bapas_id=as_id("pks_bapas_id"),
        pks_number=form.get("pks_number", ""),
        pks_signed_on=_date(form.get("pks_signed_on")),
        pks_valid_until=_date(form.get("pks_valid_until")),
        pks_scope=form.get("pks_scope", ""),
        identified_on=_date(form.get("identified_on")),
        identification_notes=form.get("identification_notes", ""),
        identification_feasible=form.get("identification_feasible") == "y",
    )


def _partner_page(partner: Opd | None) -> tuple[str, int] | Response:
    errors: dict[str, list[str]] = {}
    data = PartnerData()
    if partner is not None:
        data = PartnerData(
            **{
                name: getattr(partner, name)
                for name in PartnerData.__dataclass_fields__
                if hasattr(partner, name)
            }
        )
    if request.method == "POST":
        data = _partner_data(request.form)
        try:
            saved = save_partner(data, current_user, partner)
        except Refused as refused:
            errors = refusal_errors(refused)
        else:
            flash(
                f"Mitra {saved.name} tersimpan. Buat akun Admin OPD untuknya di menu Pengguna "
                "agar ia dapat menerbitkan lokasi kerja.",
                "success",
            )
            return redirect(url_for("admin.partners"))
    return render_template(
        "admin/partner_form.html",
        partner=partner,
        data=data,
        errors=errors,
        kinds=PARTNER_KINDS,
        pks_kinds=PKS_KINDS,
        pemdas=[(p.id, p.name) for p in db.session.scalars(select(Pemda).order_by(Pemda.name))],
        bapas_list=[(b.id, b.name) for b in db.session.scalars(select(Bapas).order_by(Bapas.name))],
    ), (422 if errors else 200)


@bp.route("/mitra/baru", methods=["GET", "POST"])
@require("user.manage")
def partner_new() -> tuple[str, int] | Response:
    """Record a non-government partner or Pokmas Lipas with its PKS."""
    return _partner_page(None)


@bp.route("/mitra/<int:partner_id>", methods=["GET", "POST"])
@require("user.manage")
def partner_edit(partner_id: int) -> tuple[str, int] | Response:
    """Change a partner and its PKS."""
    return _partner_page(db.get_or_404(Opd, partner_id))


@bp.route("/mitra/<int:partner_id>/identifikasi.pdf")
@require("audit.view")
def partner_identification_pdf(partner_id: int) -> Response:
    """Laporan hasil identifikasi (Pedoman 2.1.2 d), for the admin and the Kepala Bapas."""
    partner = db.get_or_404(Opd, partner_id)
    if policy.is_head_of_bapas(current_user):
        ensure_visible(partner.pks_bapas_id == current_user.bapas_id)
    slots = list_partner_slots(partner)
    data = render_pdf(
        "documents/partner_identification.html",
        bapas=partner.pks_bapas,
        doc_ref=f"Identifikasi mitra · {partner.short_name}",
        partner=partner,
        kinds=PARTNER_KINDS,
        slots=slots,
        capacity=sum(s.capacity for s in slots if s.status == "published"),
        facilities=[
            label
            for code, label in FACILITIES.items()
            if code in {f for s in slots for f in effective_facilities(s.facilities)}
        ],
        printed_on=clock.today(),
    )
    return pdf_response(data, f"identifikasi-{partner.code}.pdf")
