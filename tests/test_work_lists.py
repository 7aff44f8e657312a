"""Work lists: search, filters, sort and page in the URL; the Excel export holds the same
rows, only the user's own, audited where it shows identities, and a formula stays text.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal import clock, codes
from portal.listing import ListSpec, parse_list
from portal.models import AuditLog
from tests import factories as f


def sheet_rows(response: Any) -> list[list[Any]]:
    """The data rows of an exported sheet (heading line and header row left out)."""
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    return rows


def cells(response: Any) -> list[Any]:
    ws = load_workbook(io.BytesIO(response.data)).active
    return [c for row in ws.iter_rows() for c in row]


# --- the shared parameters ----------------------------------------------------------

SPEC = ListSpec(
    sorts={"a": "A", "b": "B"},
    default_sort="a",
    choices={"status": {"x": "X"}},
    ids=("pk",),
    dates=True,
)


def test_bad_parameters_are_dropped_with_a_message_in_indonesian():
    params = parse_list(
        {
            "q": "  " + "k" * 300,
            "status": "nope",
            "pk": "99999999999999999999",
            "dari": "2026-13-01",
            "urut": "evil",
            "arah": "sideways",
            "page": "-3",
        },
        SPEC,
    )
    assert len(params.q) == 100
    assert params.chosen == {}
    assert params.ids == {}
    assert params.date_from is None
    assert (params.sort, params.desc, params.page) == ("a", True, 1)
    assert set(params.errors) == {"status", "pk", "dari", "urut", "arah", "page"}
    assert "Tanggal tidak valid" in params.errors["dari"]
    reversed_range = parse_list({"dari": "2026-11-30", "sampai": "2026-11-01"}, SPEC)
    assert reversed_range.date_from is None
    assert "sebelum" in reversed_range.errors["sampai"]


def test_kept_parameters_round_trip_through_the_url():
    params = parse_list(
        {"q": "abc", "status": "x", "pk": "7", "dari": "2026-01-02", "urut": "b", "arah": "naik"},
        SPEC,
    )
    args = params.args()
    assert args == {
        "q": "abc",
        "status": "x",
        "pk": "7",
        "dari": "2026-01-02",
        "urut": "b",
        "arah": "naik",
    }
    assert parse_list(args, SPEC).args() == args
    assert params.sort_args("b")["arah"] == "turun"  # the same header flips the direction


# --- placements -------------------------------------------------------------------


def test_placement_list_filters_sorts_and_pages_in_the_url(client, db, login_as):
    today = clock.today()
    dinsos, dlh = f.make_slot("NGAWI-DINSOS"), f.make_slot("NGAWI-DLH")
    made = []
    for n in range(55):
        klien = f.make_client(start_date=today - timedelta(days=n))
        made.append(
            f.make_placement(klien, slot=dinsos if n % 2 else dlh, status="active",
                             start_date=today - timedelta(days=n))
        )  # fmt: skip
    booked = f.make_placement(status="booked", slot=dinsos)
    db.session.commit()
    login_as("kabapas.madiun")
    first = client.get("/penempatan/").get_data(as_text=True)
    assert booked.client.code in first  # awaiting a decision comes first
    assert "Halaman 1 dari 2" in first
    page2 = client.get("/penempatan/?page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in page2
    only_dlh = client.get(f"/penempatan/?opd={dlh.opd_id}&status=active").get_data(as_text=True)
    assert made[0].client.code in only_dlh
    assert made[1].client.code not in only_dlh
    assert f"opd={dlh.opd_id}" in only_dlh  # the export link keeps the filter
    oldest_first = client.get("/penempatan/?urut=mulai&arah=naik").get_data(as_text=True)
    assert oldest_first.index(made[54].client.code) < oldest_first.index(made[50].client.code)
    found = client.get(f"/penempatan/?q={made[3].client.full_name}").get_data(as_text=True)
    assert made[3].client.code in found
    assert made[4].client.code not in found
    bad = client.get("/penempatan/?status=hacked&dari=kemarin&page=abc")
    assert bad.status_code == 200
    text = bad.get_data(as_text=True)
    assert "Pilihan tidak dikenal" in text
    assert "Tanggal tidak valid" in text


def test_placement_export_holds_the_filtered_rows_and_is_audited(client, db, login_as):
    today = clock.today()
    dinsos, dlh = f.make_slot("NGAWI-DINSOS"), f.make_slot("NGAWI-DLH")
    mine = [
        f.make_placement(f.make_client(), slot=dinsos if n % 2 else dlh, status="active",
                         start_date=today - timedelta(days=n))
        for n in range(6)
    ]  # fmt: skip
    db.session.commit()
    login_as("kabapas.madiun")
    page = client.get(f"/penempatan/?opd={dlh.opd_id}&urut=kode&arah=naik")
    assert page.status_code == 200
    response = client.get(f"/penempatan/daftar.xlsx?opd={dlh.opd_id}&urut=kode&arah=naik")
    rows = sheet_rows(response)
    expected = sorted(p.client.code for p in mine if p.slot_id == dlh.id)
    assert [r[0] for r in rows] == expected
    assert rows[0][1].startswith("Klien Uji")  # the Bapas side sees names
    reads = db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.action == "client_viewed",
            AuditLog.object_id.in_([str(p.client_id) for p in mine if p.slot_id == dlh.id]),
        )
    )
    assert reads == len(expected)


def test_placement_export_of_an_opd_has_its_own_rows_and_codes_only(client, db, login_as):
    ours = f.make_placement(slot=f.make_slot("NGAWI-DINSOS", title='=HYPERLINK("http://x","k")'))
    theirs = f.make_placement(slot=f.make_slot("NGAWI-DLH"))
    db.session.commit()
    login_as("opd.dinsos")
    response = client.get("/penempatan/daftar.xlsx")
    rows = sheet_rows(response)
    codes = [r[0] for r in rows]
    assert ours.client.code in codes
    assert theirs.client.code not in codes
    flat = [v for r in rows for v in r if isinstance(v, str)]
    assert not any(v.startswith("Klien Uji") for v in flat)  # no names for the OPD
    formula = [c for c in cells(response) if str(c.value).startswith("=HYPERLINK(")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    login_as("setda.ngawi")
    assert client.get("/penempatan/daftar.xlsx").status_code == 403


# --- users and the audit log ---------------------------------------------------------


def test_user_list_filters_and_exports_the_same_accounts(client, db, login_as):
    login_as("admin")
    query = "peran=pk&status=aktif&urut=pengguna&arah=naik"
    page = client.get(f"/admin/pengguna?{query}")
    text = page.get_data(as_text=True)
    assert "pk.madiun" in text
    assert "kabapas.madiun" not in text
    rows = sheet_rows(
        client.get("/admin/pengguna.xlsx?peran=pk&status=aktif&urut=pengguna&arah=naik")
    )
    names = [r[0] for r in rows]
    assert "pk.madiun" in names
    assert names == sorted(names)
    assert {r[2] for r in rows} == {"PK Bapas"}
    assert "peran=pk" in text  # the export link keeps the filter
    assert "Pilihan tidak dikenal" in client.get("/admin/pengguna?peran=raja").get_data(
        as_text=True
    )
    login_as("kabapas.madiun")
    assert client.get("/admin/pengguna.xlsx").status_code == 403


def test_audit_log_export_holds_the_filtered_rows_of_the_viewers_bapas(client, db, login_as):
    from portal import audit

    ours = f.make_client()
    theirs = f.make_client("KDR", pk=None)
    read = audit.record("client_viewed", "client", ours.id, user=f.user("pk.madiun"))
    audit.record("client_viewed", "client", theirs.id, user=f.user("admin"))
    pk = f.user("pk.madiun")
    db.session.add(  # a recorded value that a spreadsheet would run as a formula
        AuditLog(
            user_id=pk.id,
            username=pk.username,
            action="client_viewed",
            object_type="client",
            object_id=str(ours.id),
            ip='=HYPERLINK("http://x","k")',
        )
    )
    db.session.commit()
    login_as("kabapas.madiun")
    day = clock.local(read.at).date()
    today = day.isoformat()
    query = f"aksi=client_viewed&dari={today}&sampai={today}"
    text = client.get(f"/admin/audit?{query}").get_data(as_text=True)
    assert "aksi=client_viewed" in text
    rows = sheet_rows(client.get(f"/admin/audit.xlsx?{query}"))
    ids = {r[4] for r in rows}
    assert str(ours.id) in ids
    assert str(theirs.id) not in ids  # another Bapas's reads stay out
    assert {r[2] for r in rows} == {codes.audit_action_label("client_viewed")}  # in words
    every = client.get("/admin/audit.xlsx?pengguna=pk.madiun")
    formula = [c for c in cells(every) if str(c.value).startswith("=HYPERLINK(")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    yesterday = (day - timedelta(days=1)).isoformat()
    assert sheet_rows(client.get(f"/admin/audit.xlsx?aksi=client_viewed&sampai={yesterday}")) == []


# --- slots ------------------------------------------------------------------------


def test_slot_list_sorts_by_free_seats_and_exports_the_same_rows(client, db, login_as):
    f.make_slot("NGAWI-DINSOS", capacity=5, title="Uji taman luas")
    tight = f.make_slot("NGAWI-DINSOS", capacity=2, title="Uji pos sempit")
    f.make_placement(slot=tight)
    hidden = f.make_slot("NGAWI-DLH", capacity=9, title='=HYPERLINK("http://x","DLH")')
    draft = f.make_slot("NGAWI-DINSOS", capacity=3, title="Uji draf dinsos", status="draft")
    db.session.commit()
    login_as("opd.dinsos")
    query = "urut=kosong&arah=naik&q=uji"
    text = client.get(f"/lokasi-kerja/?{query}").get_data(as_text=True)
    assert text.index("Uji pos sempit") < text.index("Uji taman luas")
    assert hidden.title not in text  # another OPD's slot
    rows = sheet_rows(client.get(f"/lokasi-kerja.xlsx?{query}"))
    titles = [r[0] for r in rows]
    assert titles.index("Uji pos sempit") < titles.index("Uji taman luas")
    assert hidden.title not in titles
    assert draft.title in titles  # the OPD's own draft is on its list
    assert next(r for r in rows if r[0] == "Uji pos sempit")[6:8] == [1, 1]  # taken, free
    drafts_only = sheet_rows(client.get("/lokasi-kerja.xlsx?status=draft"))
    assert [r[0] for r in drafts_only] == [draft.title]
    assert "Urutan tidak dikenal" in client.get("/lokasi-kerja/?urut=x").get_data(as_text=True)
    login_as("opd.dlh")
    response = client.get("/lokasi-kerja.xlsx")
    formula = [c for c in cells(response) if str(c.value).startswith("=HYPERLINK(")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    login_as("pk.madiun")  # the published list: no drafts
    assert draft.title not in [r[0] for r in sheet_rows(client.get("/lokasi-kerja.xlsx"))]


# --- supervision ---------------------------------------------------------------------


def test_supervision_list_filters_by_deadline_and_exports_audited_rows(client, db, login_as):
    today = clock.today()
    soon = f.make_client(deadline=today + timedelta(days=10), full_name="Uji Segera")
    later = f.make_client(deadline=today + timedelta(days=200), full_name="Uji Nanti")
    other_pk = f.make_client(pk="pk2.madiun", deadline=today + timedelta(days=12))
    f.make_placement(soon)
    f.make_placement(later)
    db.session.commit()
    login_as("pk.madiun")
    until = (today + timedelta(days=30)).isoformat()
    text = client.get(f"/pengawasan/?sampai={until}").get_data(as_text=True)
    assert "Uji Segera" in text
    assert "Uji Nanti" not in text
    assert f"sampai={until}" in text  # the export link keeps the filter
    rows = sheet_rows(client.get(f"/pengawasan/daftar.xlsx?sampai={until}"))
    assert [r[1] for r in rows] == ["Uji Segera"]  # his own clients only
    assert other_pk.full_name not in [r[1] for r in rows]
    still_his = sheet_rows(client.get(f"/pengawasan/daftar.xlsx?semua=1&sampai={until}"))
    assert [r[0] for r in still_his] == [soon.code]  # a PK never sees another PK's clients
    login_as("kabapas.madiun")
    everyone = sheet_rows(client.get(f"/pengawasan/daftar.xlsx?sampai={until}"))
    assert {soon.code, other_pk.code} <= {r[0] for r in everyone}
    pk2 = f.user("pk2.madiun").id
    only_pk2 = sheet_rows(client.get(f"/pengawasan/daftar.xlsx?pk={pk2}&sampai={until}"))
    assert [r[0] for r in only_pk2] == [other_pk.code]
    read = db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.action == "client_viewed", AuditLog.object_id == str(soon.id)
        )
    )
    assert read == 3  # each export that showed him
    by_name = sheet_rows(client.get("/pengawasan/daftar.xlsx?urut=nama&arah=turun"))
    names = [r[1] for r in by_name]
    assert names == sorted(names, reverse=True)
    login_as("opd.dinsos")
    assert client.get("/pengawasan/daftar.xlsx").status_code == 403


# --- dashboard counts lead to the list they count ---------------------------------------


def test_dashboard_counts_link_to_the_filtered_list_they_count(client, db, login_as):
    import re

    from portal.clients.widgets import bapas_clients

    for status in ("booked", "accepted", "active", "active", "ended", "declined"):
        f.make_placement(status=status)
    db.session.commit()
    kabapas = login_as("kabapas.madiun")
    counts = bapas_clients(kabapas)
    home = client.get("/beranda").get_data(as_text=True)
    for key, status in (("active", "berjalan"), ("booked", "booked")):
        assert f'href="/penempatan/?status={status}"' in home
        listing = client.get(f"/penempatan/?status={status}").get_data(as_text=True)
        shown = re.search(r"(\d+) penempatan</span>", listing)
        assert shown is not None
        assert int(shown.group(1)) == counts[key]
    assert counts["active"] >= 3


def test_a_long_audit_log_is_counted_up_to_its_hundred_pages(client, db, login_as):
    """Every record read adds an audit row: past 100 pages (5,000 rows) the list says "more
    than" and pages that far instead of counting the whole log at every view; its file holds
    up to 20,000 rows; a filter that narrows it is counted exactly."""
    from sqlalchemy import insert

    from portal.admin.routes import AUDIT_PAGES

    cap = AUDIT_PAGES * 50
    now = datetime(2026, 5, 30, 8, 0, tzinfo=UTC)
    db.session.execute(
        insert(AuditLog),
        [
            {"at": now, "username": "pk.madiun", "action": "client_viewed",
             "object_type": "client", "object_id": str(n % 50), "ip": "10.0.0.1",
             "user_agent": "", "details": {}}
            for n in range(cap + 5)
        ],
    )  # fmt: skip
    db.session.add(
        AuditLog(
            at=now, username="admin", action="user_created", object_type="user", ip="", details={}
        )
    )
    db.session.commit()
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Lebih dari 5.000 catatan" in page
    assert "Halaman 1 dari 100" in page
    assert "Unduh Excel (hingga 20.000 baris)" in page
    last = client.get("/admin/audit?page=100").get_data(as_text=True)
    assert last.count(">pk.madiun<") == 50  # the last counted page is full
    narrowed = client.get("/admin/audit?aksi=user_created").get_data(as_text=True)
    assert "Lebih dari" not in narrowed
    assert re.search(r">\s*[1-9]\d* catatan<", narrowed)
    assert "Unduh Excel (1 baris)" in narrowed
