"""The inbox, the notification settings, and the admin's list of failed deliveries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal import policy
from portal.auth.sessions import unread_read_with_account
from portal.extensions import db
from portal.forms import BaseForm, refusal_errors
from portal.models import Notification, NotificationDelivery
from portal.models.base import valid_id
from portal.models.notification import DeliveryStatus
from portal.notifications import kinds, service
from portal.notifications.preferences import Settings, choices_of, save_settings
from portal.refusals import Refused
from portal.web import require

bp = Blueprint("notifications", __name__, url_prefix="/notifikasi")


@bp.route("/")
@require("notification.view")
def index() -> str:
    """The user's notifications, newest first."""
    return render_template(
        "notifications/index.html",
        notes=service.inbox(current_user, limit=100),
        form=BaseForm(),
        labels=kinds,
    )


@bp.route("/baca", methods=["POST"])
@require("notification.view")
def mark_read() -> Response:
    """Mark one notification read (and open its page), or all of them."""
    form = BaseForm()
    if not form.validate_on_submit():
        return redirect(url_for("notifications.index"))
    if request.form.get("all"):
        count = service.mark_all_read(current_user)
        flash(f"{count} pemberitahuan ditandai sudah dibaca.", "success")
        return redirect(url_for("notifications.index"))
    raw = request.form.get("id", "")
    note_id = int(raw) if raw.isdigit() else None
    note = (
        service.own_notification(current_user, note_id) if note_id and valid_id(note_id) else None
    )
    if note is None:
        abort(404)
    service.mark_read(note)
    if request.form.get("open") and note.url.startswith("/") and not note.url.startswith("//"):
        return redirect(note.url)
    return redirect(url_for("notifications.index"))


@bp.route("/pengaturan", methods=["GET", "POST"])
@require("notification.view")
def settings() -> tuple[str, int] | Response:
    """E-mail address, phone number and the channel of each kind."""
    form = BaseForm()
    user = current_user._get_current_object()  # noqa: SLF001 - the User, not the proxy
    channels, digest = choices_of(user)
    values: dict[str, Any] = {"email": user.email or "", "phone": user.phone or ""}
    errors: dict[str, list[str]] = {}
    status = 200
    if form.validate_on_submit():
        chosen = {k: request.form.get(f"channel_{k}", kinds.INBOX) for k in kinds.KINDS}
        data = Settings(
            email=request.form.get("email", ""),
            phone=request.form.get("phone", ""),
            channels=chosen,
            digest_time=request.form.get("digest_time", ""),
        )
        try:
            save_settings(user, data)
        except Refused as err:
            errors, status = refusal_errors(err), 422
            values = {"email": data.email, "phone": data.phone}
            channels, digest = chosen, data.digest_time
        else:
            flash("Pengaturan pemberitahuan disimpan.", "success")
            return redirect(url_for("notifications.settings"))
    return (
        render_template(
            "notifications/settings.html",
            form=form,
            values=values,
            channels=channels,
            digest=digest,
            errors=errors,
            kinds=kinds,
        ),
        status,
    )


@bp.route("/gagal")
@require("notification.failures")
def failures() -> str:
    """Messages given up after a day of retries, and how many still wait."""
    failed = list(
        db.session.scalars(
            select(NotificationDelivery)
            .where(NotificationDelivery.status == DeliveryStatus.FAILED)
            .order_by(NotificationDelivery.id.desc())
            .limit(200)
            .options(joinedload(NotificationDelivery.notification).joinedload(Notification.user))
        )
    )
    pending = db.session.scalar(
        select(func.count())
        .select_from(NotificationDelivery)
        .where(NotificationDelivery.status == DeliveryStatus.PENDING)
    )
    return render_template(
        "notifications/failures.html", failed=failed, pending=pending, kinds=kinds
    )


@bp.app_context_processor
def _inbox_badge() -> dict[str, Any]:
    """``unread_notifications()`` for the navbar: one indexed count, only when shown."""

    def unread_notifications() -> int | None:
        if not current_user.is_authenticated or not policy.may(current_user, "notification.view"):
            return None
        known = unread_read_with_account()
        return service.unread_count(current_user) if known is None else known

    return {"unread_notifications": unread_notifications}
