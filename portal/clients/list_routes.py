"""The client list as an Excel file: the same filters as the page, every client a recorded read."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.attendance.services import ledgers_for
from portal.clients.listing import client_filters, clients_query, holding_placements, with_pk
from portal.clients.routes import bp
from portal.extensions import db
from portal.listing import EXPORT_MAX, exported_list
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
    clients = list(
        db.session.scalars(with_pk(clients_query(current_user, filters)).limit(EXPORT_MAX))
    )
    served = {
        cid: ledger.hours_verified for cid, ledger in ledgers_for(clients, absences=False).items()
    }
    holding = holding_placements([c.id for c in clients])
    rows: list[list[Any]] = []
    for c in clients:
        placement = holding.get(c.id)
        rows.append(
            [
                c.code,
                c.full_name,
                "Ya" if c.is_child else "Tidak",
                c.pk.full_name if c.pk else "",
                c.hours_ordered,
                round(served.get(c.id, 0.0), 1),
                c.start_date,
                c.deadline,
                STATUS_LABELS.get(placement.status, placement.status)
                if placement
                else "Belum ditempatkan",
            ]
        )
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
