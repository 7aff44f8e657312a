"""Sign-in, sign-out, profile and password change pages."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from portal import audit
from portal.auth import bp
from portal.auth.forms import ChangePasswordForm, LoginForm
from portal.auth.services import change_password, sign_in
from portal.extensions import db, limiter
from portal.web import safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in(form.username.data or "", form.password.data or "")
        db.session.commit()
        if result.user is None:
            form.password.errors.append(result.message)
            status = 429 if result.wait_seconds else 200
            return render_template("auth/login.html", form=form), status
        login_user(result.user)
        flash(f"Selamat datang, {result.user.full_name}.", "success")
        return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out (POST only, so a link on another site cannot sign the user out)."""
    audit.record("logout", "user", current_user.id)
    db.session.commit()
    logout_user()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    """The user's own account and password change."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # noqa: SLF001 - the User, not the proxy
        problem = change_password(user, form.current.data or "", form.new.data or "")
        if problem:
            target = form.current if "saat ini" in problem else form.new
            target.errors.append(problem)
        else:
            db.session.commit()
            login_user(user)  # the session id changed with the password
            flash("Kata sandi berhasil diganti.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)
