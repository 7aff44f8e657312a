"""The client list as an Excel file: the same filters as the page, every client a recorded read."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.clients.listing import client_filters, client_list_rows, clients_query
from portal.clients.routes import bp
from portal.extensions import db
from portal.listing import EXPORT_MAX, exported_list
from portal.models import Client
from portal.placements.services import STATUS_LABELS
from portal.web import require

HEADERS = [
    "Kode",
    "Nama",
    "Anak",
    "PK",
    "Jam diperintahkan",
    "Jam terverifikasi",
    "Mulai",
    "Batas waktu",
    "Penempatan",
]


@bp.get("/daftar.xlsx")
@require("client.view")
def index_xlsx() -> Response:
    """The filtered client list (PK: his clients; Kepala Bapas: the Bapas's) as Excel."""
    filters = client_filters(request.args)
    ids = list(
        db.session.scalars(
            clients_query(current_user, filters).with_only_columns(Client.id).limit(EXPORT_MAX)
        )
    )
    # The page's rows, all of them: hours, placement and PK read with each client.
    clients = client_list_rows(ids)
    rows: list[list[Any]] = [
        [
            c.code,
            c.full_name,
            "Ya" if c.is_child else "Tidak",
            c.pk_name or "",
            c.hours_ordered,
            round(c.minutes_verified / 60, 1),
            c.start_date,
            c.deadline,
            STATUS_LABELS.get(c.placement_status, c.placement_status)
            if c.placement_status
            else "Belum ditempatkan",
        ]
        for c in clients
    ]
    # Each client's identity leaves the portal: a read of his record, as on his page.
    return exported_list(
        "clients",
        "client",
        "Daftar Klien",
        HEADERS,
        rows,
        filename="klien",
        client_ids=[c.id for c in clients],
    )
