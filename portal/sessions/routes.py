"""Session pages: the PJ's roster on a phone (works offline), calendars, missed sessions.

The roster posts outcomes as JSON to ``/sesi/<id>/hasil`` with an idempotency
key per outcome; a page kept by the service worker (``/sesi/sw.js``) queues
them while there is no signal and sends each once when it returns.
"""

from __future__ import annotations

import calendar as cal
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from portal import audit, clock, policy, transactions
from portal.attendance.services import client_ledger
from portal.extensions import db
from portal.forms import show_refused
from portal.models import Bapas, Client, Placement, Slot
from portal.models.work_session import WorkSession
from portal.refusals import Refused
from portal.sessions import rules, services
from portal.statuses import ClientStatus
from portal.web import ensure_visible, require

bp = Blueprint("sessions", __name__, url_prefix="/sesi")


def first_name(full_name: str) -> str:
    """The first word of a name: what a PJ needs to recognise the person, nothing more.

    Titles written before the name (dr., Ir., H., Hj., Drs., Prof.) are not a name: the first
    word after them is given ("dr. Bagus Hartono" is "Bagus").
    """
    parts = full_name.replace("(Demo)", "").split()
    names = [p for p in parts if not p.endswith(".")]
    return names[0] if names else (parts[0] if parts else "")


def _time(value: Any) -> Any:
    from datetime import time

    if not value:
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise Refused({"time_in": ["Jam tidak sah (format JJ:MM)."]}) from None


def roster_rows(user: Any, first: date, last: date) -> list[dict[str, Any]]:
    """Sessions at the user's sites between two dates, as the roster's JSON."""
    today = clock.today()
    rows = db.session.execute(
        select(WorkSession, Client.code, Client.full_name, Slot.title)
        .join(Placement, WorkSession.placement_id == Placement.id)
        .join(Slot, Placement.slot_id == Slot.id)
        .join(Client, Placement.client_id == Client.id)
        .where(
            policy.placements_at_my_sites_scope(user),
            WorkSession.session_date.between(first, last),
            WorkSession.status != rules.CANCELLED,
            Client.status != ClientStatus.CLOSED,
        )
        .order_by(WorkSession.session_date, WorkSession.start, Client.code)
        .options(selectinload(WorkSession.attendance))
    ).all()
    return [_row(s, code, name, title, today) for s, code, name, title in rows]


def _row(s: WorkSession, code: str, name: str, title: str, today: date) -> dict[str, Any]:
    verified = s.attendance is not None and s.attendance.verified
    return {
        "id": s.id,
        "date": s.session_date.isoformat(),
        "start": f"{s.start:%H:%M}",
        "end": f"{s.end:%H:%M}",
        "code": code,
        "first_name": first_name(name),
        "site": title,
        "outcome": s.outcome,
        "status": rules.status_of(s.status, s.outcome, verified),
        "undo": rules.may_undo(s.outcome_on, today, verified),
        "future": s.session_date > today,
    }


@bp.get("/lokasi")
@require("attendance.verify")
def roster() -> str:
    """Today's and this week's sessions at the PJ's (or OPD admin's) sites."""
    today = clock.today()
    monday, sunday = rules.week_of(today)
    rows = roster_rows(current_user, monday, sunday)
    return render_template(
        "sessions/roster.html",
        rows=rows,
        monday=monday,
        sunday=sunday,
        outcomes=rules.OUTCOMES,
        reasons=rules.ABSENCE_REASONS,
    )


@bp.get("/token")
@require("attendance.record")
def token() -> Response:
    """A fresh CSRF token for a page that was kept offline for long."""
    return jsonify({"csrf_token": generate_csrf()})


def _session_for_write(session_id: int) -> WorkSession:
    found = db.get_or_404(WorkSession, session_id)
    ensure_visible(services.can_record(current_user, found))
    return found


@bp.post("/<int:session_id>/hasil")
@require("attendance.record")
def outcome(session_id: int) -> tuple[Response, int]:
    """Record one outcome (JSON) from the roster; the same service as the API."""
    session = _session_for_write(session_id)
    data = request.get_json(silent=True) or {}
    fault = data.get("client_fault")
    try:
        entry = services.OutcomeInput(
            outcome=str(data.get("outcome", "")),
            time_in=_time(data.get("time_in")),
            time_out=_time(data.get("time_out")),
            activity=str(data.get("activity", ""))[:500],
            reason=str(data.get("reason", ""))[:1000],
            reason_code=str(data.get("reason_code", "")),
            client_fault=None if fault is None else bool(fault),
            lat=_float(data.get("lat")),
            lng=_float(data.get("lng")),
        )
        _, replayed = services.record_outcome(
            session, entry, current_user, str(data.get("key", "")) or None
        )
    except Refused as refusal:
        return _refused_json(refusal, session)
    return jsonify({"session": _json(session), "replayed": replayed}), 200


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _json(s: WorkSession) -> dict[str, Any]:
    client = s.placement.client
    return _row(s, client.code, client.full_name, s.placement.slot.title, clock.today())


@bp.post("/<int:session_id>/batal")
@require("attendance.record")
def undo(session_id: int) -> tuple[Response, int]:
    """Take back an outcome recorded today."""
    session = _session_for_write(session_id)
    try:
        services.undo_outcome(session, current_user)
    except Refused as refusal:
        return _refused_json(refusal, session)
    return jsonify({"session": _json(session)}), 200


def _refused_json(refused: Refused, session: WorkSession) -> tuple[Response, int]:
    """The roster's answer to a refusal: the error code, the text, the fields, the session now."""
    transactions.fail()
    body: dict[str, Any] = {"error": refused.error_code(), "message": refused.text()}
    if refused.status == 409:
        body["session"] = _json(session)
    elif refused.fields:
        body["fields"] = refused.fields
    return jsonify(body), refused.status


@bp.get("/sw.js")
@require("attendance.verify")
def service_worker() -> Response:
    """The service worker that keeps the roster on the phone (scope /sesi/)."""
    body = render_template(
        "sessions/sw.js",
        assets=[
            url_for("sessions.roster"),
            url_for("static", filename="vendor/bootstrap-5.3.3/css/bootstrap.min.css"),
            url_for(
                "static", filename="vendor/bootstrap-icons-1.11.3/font/bootstrap-icons.min.css"
            ),
            url_for(
                "static",
                filename="vendor/bootstrap-icons-1.11.3/font/fonts/bootstrap-icons.woff2",
            ),
            url_for("static", filename="css/portal.css"),
            url_for("static", filename="vendor/bootstrap-5.3.3/js/bootstrap.bundle.min.js"),
            url_for("static", filename="js/portal.js"),
            url_for("static", filename="js/roster.js"),
        ],
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/sesi/"
    return response


# --- calendars ---------------------------------------------------------------------

KIND_OF = {
    None: "planned",
    rules.ATTENDED: "attended",
    rules.SENT_HOME: "absent",
    rules.UNACCEPTABLE_ABSENCE: "absent",
    rules.ACCEPTABLE_ABSENCE: "excused",
}


def _month(text: str | None, today: date) -> date:
    try:
        year, month = (int(x) for x in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@bp.get("/klien/<int:client_id>")
@require("supervision.manage")
def calendar(client_id: int) -> str:
    """The client's sessions as a month calendar, beside his hours ledger (PK, Kepala Bapas)."""
    client = db.get_or_404(Client, client_id)
    ensure_visible(policy.can_see_client(current_user, client))
    audit.record("client_viewed", "client", client.id, user=current_user, page="session_calendar")
    today = clock.today()
    first = _month(request.args.get("bulan"), today)
    weeks = cal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    sessions = db.session.scalars(
        select(WorkSession)
        .where(
            WorkSession.client_id == client.id,
            WorkSession.session_date.between(weeks[0][0], weeks[-1][-1]),
            WorkSession.status != rules.CANCELLED,
        )
        .order_by(WorkSession.session_date, WorkSession.start)
    ).all()
    by_day: dict[date, list[WorkSession]] = {}
    for s in sessions:
        by_day.setdefault(s.session_date, []).append(s)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return render_template(
        "sessions/calendar.html",
        client=client,
        ledger=client_ledger(client),
        weeks=weeks,
        first=first,
        by_day=by_day,
        kind_of=KIND_OF,
        outcomes=rules.OUTCOMES,
        reasons=rules.ABSENCE_REASONS,
        prev_month=prev_month,
        next_month=next_month,
        today=today,
    )


@bp.get("/minggu")
@require("attendance.verify")
def site_week() -> str:
    """The OPD admin's (or PJ's) sites, one week: who is planned on which day."""
    today = clock.today()
    try:
        start = date.fromisoformat(request.args.get("mulai", ""))
    except ValueError:
        start = today
    monday, sunday = rules.week_of(start)
    rows = roster_rows(current_user, monday, sunday)
    days = [monday + timedelta(days=i) for i in range(7)]
    sites: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in rows:
        sites.setdefault(r["site"], {}).setdefault(r["date"], []).append(r)
    return render_template(
        "sessions/week.html",
        sites=sites,
        days=days,
        monday=monday,
        prev_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        outcomes=rules.OUTCOMES,
    )


@bp.get("/terlewat")
@require("closure.sign")
def missed() -> str:
    """Missed sessions across the Bapas (Kepala Bapas): absences and sessions left open."""
    today = clock.today()
    since = today - timedelta(days=30)
    rows = db.session.execute(
        select(WorkSession, Client, Slot.title)
        .join(Placement, WorkSession.placement_id == Placement.id)
        .join(Slot, Placement.slot_id == Slot.id)
        .join(Client, Placement.client_id == Client.id)
        .where(
            policy.clients_scope(current_user),
            WorkSession.session_date.between(since, today - timedelta(days=1)),
            WorkSession.status != rules.CANCELLED,
            (
                WorkSession.outcome.in_((rules.UNACCEPTABLE_ABSENCE, rules.SENT_HOME))
                | WorkSession.outcome.is_(None)
            ),
        )
        .order_by(WorkSession.session_date.desc(), Client.code)
    ).all()
    if not policy.is_head_of_bapas(current_user):
        abort(403)
    bapas = db.session.get(Bapas, current_user.bapas_id)
    return render_template(
        "sessions/missed.html", rows=rows, since=since, outcomes=rules.OUTCOMES, bapas=bapas
    )


@bp.post("/pengaturan")
@require("closure.sign")
def settings() -> BaseResponse:
    """The Kepala Bapas sets how many unacceptable absences open a violation record."""
    bapas = db.get_or_404(Bapas, current_user.bapas_id or 0)
    raw = request.form.get("absences_for_case", "")
    if not raw.isdigit() or not 1 <= int(raw) <= 10:
        flash("Jumlah absen harus bilangan 1 sampai 10.", "danger")
    else:
        before = bapas.absences_for_case
        bapas.absences_for_case = int(raw)
        audit.record(
            "bapas_setting_changed",
            "bapas",
            bapas.id,
            user=current_user,
            absences_for_case=[before, bapas.absences_for_case],
        )
        flash("Pengaturan disimpan.", "success")
    return redirect(url_for("sessions.missed"))


@bp.post("/<int:session_id>/bukti")
@require("attendance.record")
def upload_evidence(session_id: int) -> BaseResponse:
    """Attach the letter of an acceptable absence; back to the page it came from."""
    session = _session_for_write(session_id)
    upload = request.files.get("evidence")
    back = request.form.get("back") or ""
    target = (
        url_for("sessions.calendar", client_id=session.client_id)
        if back == "calendar"
        else url_for("sessions.roster")
    )
    if upload is None or not upload.filename:
        flash("Pilih berkas surat (PDF, PNG atau JPEG).", "danger")
        return redirect(target)
    try:
        services.attach_evidence(
            session,
            upload.filename,
            upload.read(),
            current_app.config["UPLOAD_FOLDER"],
            current_app.config.get("MAX_CONTENT_LENGTH") or 8 * 1024 * 1024,
            current_user,
        )
    except Refused as refusal:
        show_refused(refusal)
    else:
        flash("Bukti absen sah disimpan.", "success")
    return redirect(target)


@bp.get("/<int:session_id>/bukti")
@require("placement.view")
def evidence_file(session_id: int) -> BaseResponse:
    """The letter of an acceptable absence, for the client's Bapas and the slot's OPD side."""
    from portal.monitoring import evidence

    session = db.get_or_404(WorkSession, session_id)
    ensure_visible(policy.can_see_placement(current_user, session.placement))
    if not session.evidence_name:
        abort(404)
    path = evidence.path_of(
        current_app.config["UPLOAD_FOLDER"], session.evidence_name, services.EVIDENCE_FOLDER
    )
    if not path.is_file():
        abort(404)
    audit.record("session_evidence_viewed", "work_session", session.id, user=current_user)
    response = send_file(
        path,
        mimetype=session.evidence_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"bukti-sesi-{session.id}{path.suffix}",
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response
