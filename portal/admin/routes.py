"""Administration pages: accounts and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.admin import bp
from portal.admin.forms import UserForm
from portal.admin.services import (
    AccountError,
    UserData,
    audit_query,
    organisation_choices,
    save_user,
)
from portal.auth.sessions import end_sessions_by_admin, open_sessions
from portal.extensions import db
from portal.models import Role, User
from portal.pagination import paginate
from portal.web import require


@bp.route("/pengguna")
@require("user.manage")
def users() -> str:
    """All accounts, by role."""
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", users=rows)


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
        except AccountError as err:
            db.session.rollback()
            getattr(form, err.field).errors.append(err.message)
        else:
            db.session.commit()
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
    db.session.commit()
    flash(f"{count} sesi akun {user.username} diakhiri.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/audit")
@require("audit.view")
def audit() -> str:
    """The audit log, newest first; a Kepala Bapas sees his own Bapas's part."""
    action = request.args.get("aksi", "")
    username = request.args.get("pengguna", "")
    page = paginate(audit_query(current_user, action, username), per_page=50)
    return render_template(
        "admin/audit.html", page=page, action=action, username=username, roles=Role
    )
