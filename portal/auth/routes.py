"""Sign-in, sign-out, profile and password change pages."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from portal import audit, transactions
from portal.api.tokens import TokenError, create_token, revoke_token, tokens_of
from portal.auth.forms import ChangePasswordForm, LoginForm, TokenCreateForm, TokenRevokeForm
from portal.auth.oidc_client import ID_TOKEN_KEY, provider_logout_url
from portal.auth.services import change_password, sign_in
from portal.auth.sessions import SESSION_KEY, end_session, sign_in_browser
from portal.extensions import db, limiter
from portal.models import ApiToken
from portal.models.base import utcnow
from portal.web import ensure_visible, require, safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/masuk", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | tuple[str, int] | Response:
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in(form.username.data or "", form.password.data or "")
        # A refused attempt is counted and audited even when the answer is 429.
        transactions.keep()
        if result.user is None:
            form.password.errors.append(result.message)
            status = 429 if result.wait_seconds else 200
            return render_template("auth/login.html", form=form), status
        sign_in_browser(result.user)
        flash(f"Selamat datang, {result.user.full_name}.", "success")
        return redirect(safe_next(request.args.get("next"), url_for("dashboard.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout() -> Response:
    """Sign out (POST only, so a link on another site cannot sign the user out)."""
    audit.record("logout", "user", current_user.id)
    end_session(session.get(SESSION_KEY))  # every copy of this cookie stops working
    logout_user()
    session.pop(SESSION_KEY, None)
    flash("Anda telah keluar.", "info")
    id_token = session.pop(ID_TOKEN_KEY, None)
    # Signed in through SSO: end the provider's session too, or its button signs straight back in.
    provider_url = provider_logout_url(id_token) if id_token else None
    return redirect(provider_url or url_for("auth.login"))


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile() -> tuple[str, int] | Response:
    """The user's own account and password change."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # noqa: SLF001 - the User, not the proxy
        problem = change_password(user, form.current.data or "", form.new.data or "")
        if problem:
            target = form.current if "saat ini" in problem else form.new
            target.errors.append(problem)
        else:
            sign_in_browser(user)  # every session ended with the password: open a new one here
            flash("Kata sandi berhasil diganti.", "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(form, new_token=_take_new_token())


# The new token travels to the next page view inside the signed session cookie, encrypted
# (a signed cookie alone is readable), and is removed from it as soon as it is shown.
NEW_TOKEN_KEY = "new_api_token"  # noqa: S105 - a session key name


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hashlib.sha256(b"api-token-once:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _take_new_token() -> str | None:
    sealed = session.pop(NEW_TOKEN_KEY, None)
    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode(), ttl=300).decode()
    except InvalidToken:
        return None


def _profile_page(
    form: ChangePasswordForm | None = None,
    token_form: TokenCreateForm | None = None,
    new_token: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    if token_form is None:
        token_form = TokenCreateForm(formdata=None)
        token_form.days.data = str(current_app.config["API_TOKEN_DAYS"])
    return (
        render_template(
            "auth/profile.html",
            form=form or ChangePasswordForm(formdata=None),
            token_form=token_form,
            revoke_form=TokenRevokeForm(),
            tokens=tokens_of(current_user),
            now=utcnow(),
            new_token=new_token,
        ),
        status,
    )


@bp.route("/profil/token", methods=["POST"])
@require("api.token")
def create_api_token() -> tuple[str, int] | Response:
    """Create a personal API token and show it once (it is never stored in plain)."""
    token_form = TokenCreateForm()
    if token_form.validate_on_submit():
        try:
            _, plaintext = create_token(
                current_user, token_form.name.data or "", int(token_form.days.data or 0)
            )
        except TokenError as err:
            target = token_form.days if err.field == "days" else token_form.name
            target.errors.append(err.message)  # type: ignore[attr-defined]
        else:
            # Redirect, so that reloading the page does not make another token.
            session[NEW_TOKEN_KEY] = _fernet().encrypt(plaintext.encode()).decode()
            return redirect(url_for("auth.profile") + "#token-api")
    return _profile_page(token_form=token_form, status=422)


@bp.route("/profil/token/<int:token_id>/cabut", methods=["POST"])
@require("api.token")
def revoke_api_token(token_id: int) -> Response:
    """Revoke one of the user's own tokens."""
    form = TokenRevokeForm()
    token = db.session.get(ApiToken, token_id)
    ensure_visible(token is not None and token.user_id == current_user.id)
    assert token is not None
    if form.validate_on_submit():
        revoke_token(token, actor=current_user)
        flash(
            f"Token \u201c{token.name}\u201d telah dicabut dan tidak dapat dipakai lagi.", "success"
        )
    return redirect(url_for("auth.profile"))
