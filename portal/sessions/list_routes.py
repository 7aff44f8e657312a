"""The sessions work list: search, filters, sort and page in the URL, and its Excel file."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import policy
from portal.clients.listing import pk_and_opd_choices
from portal.extensions import db
from portal.listing import EXPORT_MAX, exported_list, parse_list
from portal.sessions import rules
from portal.sessions.listing import (
    SESSION_LIST,
    export_rows,
    session_list,
    session_page,
    session_rows,
    status_of,
)
from portal.sessions.routes import bp
from portal.web import require

STATUS_COLOURS = {
    rules.PLANNED: "secondary",
    rules.RECORDED: "info",
    rules.VERIFIED: "success",
    rules.CANCELLED: "dark",
}


@bp.get("/daftar")
@require("session.list")
def index() -> str:
    """Sessions of the placements the user sees; search, filters, sort and page in the URL."""
    params = parse_list(request.args, SESSION_LIST)
    page = session_page(current_user, params)
    sessions = session_rows(page.items)
    return render_template(
        "sessions/list.html",
        sessions=sessions,
        status={s.id: status_of(s) for s in sessions},
        page=page,
        params=params,
        statuses=rules.STATUSES,
        outcomes=rules.OUTCOMES,
        colours=STATUS_COLOURS,
        choices=pk_and_opd_choices(current_user),
        identity=policy.sees_client_identity(current_user),
    )


@bp.get("/daftar.xlsx")
@require("session.list")
def index_xlsx() -> Response:
    """The filtered sessions as an Excel file, the same rows as the list."""
    params = parse_list(request.args, SESSION_LIST)
    sessions = list(db.session.execute(session_list(current_user, params).limit(EXPORT_MAX)))
    identity = policy.sees_client_identity(current_user)
    headers, rows = export_rows(sessions, identity)
    shown = sorted({s.client_id for s in sessions}) if identity else []
    return exported_list(
        "sessions", "work_session", "Daftar Sesi", headers, rows, filename="sesi", client_ids=shown
    )
