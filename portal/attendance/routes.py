"""Attendance pages: today's list for the PJ on a phone, a placement's records, photos."""

from __future__ import annotations

import json
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal import audit, clock, policy, uploads
from portal.attendance import photos, rules
from portal.attendance.forms import AttendanceForm, CorrectionForm, QuickRecordForm
from portal.attendance.services import (
    WORKING,
    AttendanceInput,
    correct_attendance,
    record_attendance,
    verify_attendance,
)
from portal.attendance.today import scheduled_today_count, today_list, waiting_page
from portal.extensions import plain_records
from portal.models import Attendance, Placement, Slot
from portal.pagination import page_number
from portal.refusals import Refused
from portal.web import require, saving, visible_or_404

bp = Blueprint("attendance", __name__, url_prefix="/kehadiran")
bp.add_app_template_global(rules.record_state, "record_state")


def _placement(placement_id: int) -> Placement:
    # Read with its client, slot and OPD, which the check and every attendance page use.
    return visible_or_404(
        Placement,
        placement_id,
        policy.can_see_placement,
        joinedload(Placement.client),
        joinedload(Placement.slot).joinedload(Slot.opd),
    )


def _record(attendance_id: int) -> Attendance:
    return visible_or_404(
        Attendance, attendance_id, lambda u, r: policy.can_see_placement(u, r.placement)
    )


def _windows_on(schedule: list[dict[str, Any]] | None, weekday: int) -> list[tuple[str, str]]:
    """The (start, end) windows of ``schedule`` on ``weekday``."""
    return [(w["start"], w["end"]) for w in schedule or [] if int(w["weekday"]) == weekday]


def _windows_today(placement: Placement) -> list[tuple[str, str]]:
    """The placement's windows on today's weekday."""
    return _windows_on(placement.schedule, clock.today().weekday())


@lru_cache(maxsize=512)
def _windows_of_text(schedule: str | None, weekday: int) -> tuple[tuple[str, str], ...]:
    """``_windows_on`` of a schedule's JSON text (today's cards read the text; a site's
    placements share a few schedules)."""
    return tuple(_windows_on(json.loads(schedule) if schedule else None, weekday))


def scheduled_today(user: Any) -> int:
    """Working placements at the user's sites with a window today (the dashboard widget)."""
    return scheduled_today_count(user, clock.today())


@bp.route("/")
@require("attendance.record")
def today() -> str:
    """Today's placements at the user's sites, with one-tap attendance (phone first)."""
    day = clock.today()
    # A PK or a large site has hundreds of clients: today's cards 25 a page, and the
    # first few records to verify and other placements, with their totals and links.
    found = today_list(current_user, day, page_number())
    rows = []
    for p in found.page.items:
        in_period = p.start_date <= day <= min(p.deadline, p.client_deadline)
        windows = _windows_of_text(p.schedule, day.weekday()) if in_period else []
        rows.append((p, windows, found.records[p.id]))
    return render_template(
        "attendance/today.html",
        rows=rows,
        page=found.page,
        waiting=found.waiting.items,
        waiting_total=found.waiting_total,
        others=found.others.items,
        others_total=found.others_total,
        show_name=policy.sees_client_identity(current_user),
        can_verify=policy.may(current_user, "attendance.verify"),
    )


@bp.route("/menunggu")
@require("attendance.record")
def waiting() -> str:
    """Every record of earlier days still to verify at the user's sites, newest first."""
    return render_template(
        "attendance/waiting.html",
        page=waiting_page(current_user, clock.today(), page_number()),
        show_name=policy.sees_client_identity(current_user),
        can_verify=policy.may(current_user, "attendance.verify"),
    )


@bp.route("/penempatan/<int:placement_id>/hadir", methods=["POST"])
@require("attendance.record")
def quick_record(placement_id: int) -> Response:
    """One tap: the client came today for the scheduled window."""
    placement = _placement(placement_id)
    if not policy.can_record_attendance(current_user, placement):
        abort(403)
    form = QuickRecordForm()
    with saving(f"Kehadiran {placement.client.code} hari ini dicatat, menunggu verifikasi."):
        if not form.validate_on_submit():
            raise Refused({"time_in": ["Jam jadwal tidak terbaca."]})
        entry = AttendanceInput(
            clock.today(),
            _parse_time(form.time_in.data),
            _parse_time(form.time_out.data),
            placement.slot.tasks or placement.slot.title,
        )
        record_attendance(placement, entry, current_user)
    if request.form.get("back") == "placement":
        return redirect(url_for("attendance.placement", placement_id=placement.id))
    return redirect(url_for("attendance.today"))


# A placement's records, newest first, as plain rows of the columns its page shows (a year
# of work is some 240 rows): built once, the placement bound.
_RECORDS = (
    select(
        Attendance.id,
        Attendance.work_date,
        Attendance.time_in,
        Attendance.time_out,
        Attendance.minutes,
        Attendance.activity,
        Attendance.photo_path,
        Attendance.verified,
        Attendance.superseded_by_id,
        Attendance.correction_reason,
    )
    .where(Attendance.placement_id == bindparam("placement_id"))
    .order_by(Attendance.work_date.desc(), Attendance.time_in.desc(), Attendance.id.desc())
)


@bp.route("/penempatan/<int:placement_id>", methods=["GET", "POST"])
@require("placement.view")
def placement(placement_id: int) -> str | Response:
    """A placement's attendance: the records, the form to add one, verification."""
    placement = _placement(placement_id)
    form = AttendanceForm()
    can_record = policy.can_record_attendance(current_user, placement)
    if request.method == "GET":
        form.work_date.data = clock.today()
        windows = _windows_today(placement)
        if windows:
            form.time_in.data = _parse_time(windows[0][0])
            form.time_out.data = _parse_time(windows[0][1])
        form.activity.data = placement.slot.tasks
    elif not can_record:
        abort(403)
    elif form.validate_on_submit():
        entry = _entry(form)
        try:
            record_attendance(placement, entry, current_user)
        except Refused as refusal:
            form.show_refused(refusal)
        else:
            flash("Kehadiran dicatat, menunggu verifikasi.", "success")
            return redirect(url_for("attendance.placement", placement_id=placement.id))
    records = plain_records(_RECORDS, {"placement_id": placement.id})
    return render_template(
        "attendance/placement.html",
        placement=placement,
        records=records,
        form=form,
        can_record=can_record and placement.status in WORKING,
        can_verify=policy.can_verify_attendance(current_user, placement),
        show_name=policy.sees_client_identity(current_user),
    )


@bp.route("/<int:attendance_id>/verifikasi", methods=["POST"])
@require("attendance.verify")
def verify(attendance_id: int) -> Response:
    """Verify one record."""
    record = _record(attendance_id)
    if not policy.can_verify_attendance(current_user, record.placement):
        abort(403)
    with saving(
        lambda: (
            f"Kehadiran {record.work_date:%d-%m-%Y} ({record.minutes // 60} jam"
            f"{f' {record.minutes % 60} menit' if record.minutes % 60 else ''}) diverifikasi."
        )
    ):
        verify_attendance(record, current_user)
    back = request.form.get("back")
    if back == "today":
        return redirect(url_for("attendance.today"))
    if back == "waiting":
        return redirect(url_for("attendance.waiting"))
    return redirect(url_for("attendance.placement", placement_id=record.placement_id))


@bp.route("/<int:attendance_id>/koreksi", methods=["GET", "POST"])
@require("attendance.record")
def correct(attendance_id: int) -> str | Response:
    """Correct a record; a verified one is kept and replaced, with the reason."""
    record = _record(attendance_id)
    if not policy.can_record_attendance(current_user, record.placement):
        abort(403)
    if record.superseded_by_id is not None:
        abort(404)
    form = CorrectionForm(obj=None)
    if request.method == "GET":
        form.work_date.data = record.work_date
        form.time_in.data = record.time_in
        form.time_out.data = record.time_out
        form.activity.data = record.activity
    elif form.validate_on_submit():
        entry = _entry(form)
        try:
            correct_attendance(record, entry, form.reason.data, current_user)
        except Refused as refusal:
            form.show_refused(refusal)
        else:
            flash("Koreksi disimpan; catatan asli tetap tersimpan di jejak audit.", "success")
            return redirect(url_for("attendance.placement", placement_id=record.placement_id))
    return render_template(
        "attendance/correct.html",
        record=record,
        form=form,
        show_name=policy.sees_client_identity(current_user),
    )


@bp.route("/<int:attendance_id>/foto")
@require("placement.view")
def photo(attendance_id: int) -> Response:
    """The photo evidence of a record, to those who may see the placement."""
    record = _record(attendance_id)
    if not record.photo_path:
        abort(404)
    path = photos.photo_path(record.photo_path, current_app.config["UPLOAD_FOLDER"])
    if path is None:
        abort(404)
    audit.record("attendance_photo_viewed", "attendance", record.id)
    # An <img> on the attendance page still shows it; opened directly it is a download.
    return uploads.serve(path, "image/jpeg", f"kehadiran-{record.id}.jpg")


def _upload(form: AttendanceForm) -> bytes | None:
    storage = form.photo.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.read(photos.MAX_PHOTO_BYTES + 1)


def _entry(form: AttendanceForm) -> AttendanceInput:
    """What the attendance or correction form says about the day."""
    return AttendanceInput(
        form.work_date.data,
        form.time_in.data,
        form.time_out.data,
        form.activity.data or "",
        _upload(form),
    )


def _parse_time(value: str) -> time:
    return datetime.strptime(value, "%H:%M").time()
