"""The sessions work list: scope per role, status as the sessions show it, filters, export."""

from __future__ import annotations

import io
import re
from datetime import date, time
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.models import Agreement, AuditLog, Opd
from portal.models.work_session import WorkSession
from portal.sessions import rules
from tests import factories as f


def _session(placement: Any, day: date, **fields: Any) -> WorkSession:
    values: dict[str, Any] = {
        "placement_id": placement.id,
        "client_id": placement.client_id,
        "session_date": day,
        "start": time(8, 0),
        "end": time(12, 0),
        "minutes": 240,
    }
    values.update(fields)
    s = WorkSession(**values)
    f.db.session.add(s)
    f.db.session.flush()
    return s


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Four sessions of one Madiun client at Dinsos, one of each status; one of Kediri's."""
    client = f.make_client(full_name="Rahasia Sesi Wibowo", code="MDN-SESI-01")
    slot = f.make_slot(title="Taman sesi uji", supervisor_user_id=f.user("pj.dinsos").id)
    placement = f.make_placement(client, slot, status="active")
    verified = f.make_attendance(placement, work_date=date(2026, 5, 12), verified=True)
    unverified = f.make_attendance(placement, work_date=date(2026, 5, 13), verified=False)
    sessions = {
        rules.VERIFIED: _session(
            placement, date(2026, 5, 12), status="recorded", outcome="attended",
            attendance_id=verified.id,
        ),
        rules.RECORDED: _session(
            placement, date(2026, 5, 13), status="recorded", outcome="attended",
            attendance_id=unverified.id,
        ),
        rules.PLANNED: _session(placement, date(2026, 6, 3)),
        rules.CANCELLED: _session(
            placement, date(2026, 5, 14), status="cancelled", cancel_reason="Libur"
        ),
    }  # fmt: skip
    other_client = f.make_client("KDR", pk=None, full_name="Rahasia Kediri Sesi", code="KDR-S-9")
    tr_opd = f.db.session.scalar(
        select(Opd).where(Opd.code.like("TRENGGALEK-%")).order_by(Opd.id).limit(1)
    )
    tr_agreement = f.db.session.scalar(
        select(Agreement).where(Agreement.pemda_id == tr_opd.pemda_id)
    )
    tr_slot = f.make_slot(title="Lokasi Kediri", opd_id=tr_opd.id, agreement_id=tr_agreement.id)
    other = f.make_placement(other_client, tr_slot, status="active")
    _session(other, date(2026, 5, 12))
    f.db.session.commit()
    return {"sessions": sessions, "client": client, "slot": slot}


ROLES = {
    "admin": 403,
    "setda.ngawi": 403,
    "kabapas.madiun": 200,
    "pk.madiun": 200,
    "pk2.madiun": 200,
    "opd.dinsos": 200,
    "pj.dinsos": 200,
}


@pytest.mark.parametrize("path", ["/sesi/daftar", "/sesi/daftar.xlsx"])
@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_sees_its_own_sessions_only(
    client: FlaskClient, login_as: Any, world: dict[str, Any], username: str, path: str
) -> None:
    login_as(username)
    response = client.get(path)
    assert response.status_code == ROLES[username]
    if response.status_code != 200:
        return
    if path.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(response.data)).active
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    else:
        text = response.get_data(as_text=True)
    assert "KDR-S-9" not in text
    assert "Rahasia Kediri Sesi" not in text
    if username == "pk2.madiun":  # not his client
        assert "MDN-SESI-01" not in text
        return
    assert "MDN-SESI-01" in text
    # The OPD side sees the client's code, never his name.
    assert ("Rahasia Sesi Wibowo" in text) == (username in ("kabapas.madiun", "pk.madiun"))


def test_status_filter_matches_the_status_each_session_shows(
    client: FlaskClient, login_as: Any, world: dict[str, Any]
) -> None:
    login_as("pk.madiun")
    for status, session in world["sessions"].items():
        page = client.get(f"/sesi/daftar?status={status}").get_data(as_text=True)
        assert "1 sesi" in page
        assert rules.STATUSES[status] in page
        assert f"{session.session_date:%d-%m-%Y}" in page
    page = client.get("/sesi/daftar").get_data(as_text=True)
    assert "4 sesi" in page


def test_filters_sort_and_page_live_in_the_url(
    client: FlaskClient, login_as: Any, world: dict[str, Any]
) -> None:
    login_as("kabapas.madiun")
    pk = f.user("pk.madiun").id
    page = client.get(f"/sesi/daftar?pk={pk}&dari=2026-05-13&sampai=2026-05-31").get_data(
        as_text=True
    )
    assert "2 sesi" in page  # the 13th (recorded) and the 14th (cancelled)
    assert "dari=2026-05-13" in page  # kept in the export link
    assert f"pk={pk}" in page
    page = client.get(f"/sesi/daftar?opd={world['slot'].opd_id}&hasil=attended").get_data(
        as_text=True
    )
    assert "2 sesi" in page
    page = client.get("/sesi/daftar?q=taman+sesi&urut=status&arah=naik").get_data(as_text=True)
    order = [page.index(label) for label in ("Terjadwal</span>", "Tercatat</span>")]
    assert order == sorted(order)
    page = client.get("/sesi/daftar?status=unknown&page=abc&dari=kemarin").get_data(as_text=True)
    assert "Pilihan tidak dikenal" in page
    assert "Nomor halaman tidak valid" in page
    assert "Tanggal tidak valid" in page
    assert "4 sesi" in page


def test_the_filter_form_shows_the_filters_in_force(
    client: FlaskClient, login_as: Any, world: dict[str, Any]
) -> None:
    login_as("kabapas.madiun")
    pk = f.user("pk.madiun").id
    opd = world["slot"].opd_id
    page = client.get(f"/sesi/daftar?status=cancelled&hasil=attended&pk={pk}&opd={opd}")
    html = page.get_data(as_text=True)
    for name, value in (("status", "cancelled"), ("hasil", "attended"), ("pk", pk), ("opd", opd)):
        chosen = re.findall(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
        assert len(chosen) == 1
        assert re.findall(r'<option value="([^"]*)" selected', chosen[0]) == [str(value)]
    html = client.get("/sesi/daftar").get_data(as_text=True)
    for name in ("status", "hasil", "pk", "opd"):
        select_ = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
        assert select_ is not None
        assert " selected" not in select_.group(0)


def test_export_is_the_filtered_list_audited_and_never_a_formula(
    client: FlaskClient, login_as: Any, world: dict[str, Any], db: Any
) -> None:
    world["sessions"][rules.CANCELLED].cancel_reason = '=HYPERLINK("http://x","klik")'
    db.session.commit()
    login_as("pk.madiun")

    def reads() -> int:
        return db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "client_viewed",
                AuditLog.object_id == str(world["client"].id),
            )
        )

    before = reads()
    response = client.get("/sesi/daftar.xlsx?status=cancelled")
    assert response.status_code == 200
    assert reads() == before + 1
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]
    found = [r for r in rows if "MDN-SESI-01" in r]
    assert len(found) == 1
    assert "Dibatalkan" in found[0]
    cell = next(
        c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)
    )
    assert cell.data_type == "s"
    exported = db.session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.action == "list_exported")
    )
    assert exported >= 1


# --- the client list's Excel file --------------------------------------------------

CLIENT_EXPORT_ROLES = {
    "admin": 403,
    "setda.ngawi": 403,
    "kabapas.madiun": 200,
    "pk.madiun": 200,
    "pk2.madiun": 200,
    "opd.dinsos": 403,
    "pj.dinsos": 403,
}


@pytest.mark.parametrize("username", list(CLIENT_EXPORT_ROLES))
def test_client_export_per_role(
    client: FlaskClient, login_as: Any, world: dict[str, Any], username: str, db: Any
) -> None:
    login_as(username)
    response = client.get("/klien/daftar.xlsx")
    assert response.status_code == CLIENT_EXPORT_ROLES[username]
    if response.status_code != 200:
        return
    sheet = load_workbook(io.BytesIO(response.data)).active
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Rahasia Kediri Sesi" not in text
    assert ("Rahasia Sesi Wibowo" in text) == (username != "pk2.madiun")


def test_client_export_keeps_the_list_filters_and_audits_each_client(
    client: FlaskClient, login_as: Any, world: dict[str, Any], db: Any
) -> None:
    other = f.make_client(full_name='=HYPERLINK("http://x","k")', code="MDN-SESI-02")
    db.session.commit()
    login_as("kabapas.madiun")
    page = client.get("/klien/?q=SESI").get_data(as_text=True)
    assert "/klien/daftar.xlsx?q=SESI" in page

    def reads(client_id: int) -> int:
        return db.session.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.action == "client_viewed", AuditLog.object_id == str(client_id)
            )
        )

    before = reads(world["client"].id), reads(other.id)
    response = client.get("/klien/daftar.xlsx?q=SESI-02")
    sheet = load_workbook(io.BytesIO(response.data)).active
    codes = [c.value for row in sheet.iter_rows() for c in row if str(c.value).startswith("MDN-")]
    assert codes == ["MDN-SESI-02"]
    assert (reads(world["client"].id), reads(other.id)) == (before[0], before[1] + 1)
    formula = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    exported = db.session.scalar(
        select(func.count(AuditLog.id)).where(
            AuditLog.action == "list_exported", AuditLog.object_type == "client"
        )
    )
    assert exported == 1


@pytest.mark.parametrize(
    ("sort_max", "windows"),
    [(0, (0, 7, 35, 182)), (10**6, (0,)), (0, (0, 3))],
    ids=["days-at-the-edge", "sort", "days-too-few"],
)
def test_pages_hold_fifty_sessions_in_the_list_order_whichever_way_they_are_found(
    client: FlaskClient,
    login_as: Any,
    world: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    sort_max: int,
    windows: tuple[int, ...],
) -> None:
    """The newest page is found among the sessions of the last days or by sorting the
    user's sessions (also when the days held too few): the same rows, 50 a page, in
    (date, start, id) order."""
    from portal.sessions import listing

    placement = world["sessions"][rules.PLANNED].placement
    second = f.make_placement(world["client"], world["slot"], status="active")
    for n in range(116):
        _session(
            placement if n % 3 else second,
            date(2026, 3, 1 + n % 28),
            start=time(7 + n % 2, 0),
            end=time(12, 0),
            status="cancelled" if n % 5 == 0 else "planned",
        )
    f.db.session.commit()
    monkeypatch.setattr(listing, "SORT_MAX", sort_max)
    monkeypatch.setattr(listing, "WINDOWS", windows)
    expected = sorted(
        f.db.session.scalars(
            select(WorkSession).where(WorkSession.client_id == world["client"].id)
        ),
        key=lambda s: (s.session_date, s.start, s.id),
        reverse=True,
    )
    assert len(expected) == 120
    login_as("pk.madiun")
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"/sesi/daftar?page={number}").get_data(as_text=True)
        assert "120 sesi" in page
        assert f"Halaman {number} dari 3" in page
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        shown += re.findall(r"(\d\d-\d\d-\d{4})", rows)
        assert rows.count("<tr>") == (50 if number < 3 else 20)
    assert shown == [f"{s.session_date:%d-%m-%Y}" for s in expected]
    rows = client.get("/sesi/daftar?arah=naik").get_data(as_text=True).split("<tbody>", 1)[1]
    oldest = re.findall(r"(\d\d-\d\d-\d{4})", rows.split("</tbody>", 1)[0])
    assert oldest == [f"{s.session_date:%d-%m-%Y}" for s in reversed(expected)][:50]
    # The oldest first, and a filter: the same order, counted the same way.
    page = client.get("/sesi/daftar?arah=naik&status=cancelled").get_data(as_text=True)
    cancelled = [s for s in reversed(expected) if s.status == "cancelled"]
    assert f"{len(cancelled)} sesi" in page
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r"(\d\d-\d\d-\d{4})", rows) == [
        f"{s.session_date:%d-%m-%Y}" for s in cancelled
    ]
    assert "Belum ada sesi" in client.get("/sesi/daftar?page=9").get_data(as_text=True)


def test_kept_session_counts_equal_the_sessions_on_random_histories(db: Any) -> None:
    """``Placement.session_count`` against its reference (``session_counts``): plans,
    re-plans on later days and new schedules, ended placements, sessions added, deleted
    and moved one by one."""
    import random
    from datetime import timedelta

    from portal import clock
    from portal.models.work_session import session_counts
    from portal.sessions.services import generate_many, generate_sessions

    rng = random.Random(13)
    clients = [f.make_client(hours_ordered=rng.choice([8, 24, 60])) for _ in range(3)]
    placements = [f.make_placement(rng.choice(clients), status="active") for _ in range(5)]
    day = date(2026, 6, 1)
    for step in range(60):
        action = rng.choice(["plan", "batch", "later", "schedule", "end", "add", "delete", "move"])
        p = rng.choice(placements)
        if action == "plan":
            generate_sessions(p)
        elif action == "batch":
            generate_many(rng.sample(placements, 3))
        elif action == "later":
            day += timedelta(days=rng.randint(1, 4))
            clock.freeze(day)
            generate_sessions(p)
        elif action == "schedule":
            p.schedule = [
                {"weekday": d, "start": "08:00", "end": f"{rng.randint(9, 16)}:00"}
                for d in rng.sample(range(7), rng.randint(0, 4))
            ]
            generate_sessions(p)
        elif action == "end":
            p.status = rng.choice(["ended", "active"])
            generate_sessions(p)
        elif action == "add":
            _session(p, day + timedelta(days=rng.randint(0, 30)))
        else:
            mine = list(
                f.db.session.scalars(select(WorkSession).where(WorkSession.placement_id == p.id))
            )
            if mine and action == "delete":
                f.db.session.delete(rng.choice(mine))
            elif mine:
                target = rng.choice(placements)
                moved = rng.choice(mine)
                moved.placement_id, moved.client_id = target.id, target.client_id
        f.db.session.flush()
        reference = dict(f.db.session.execute(session_counts(p.id for p in placements)).all())
        kept = {p.id: p.session_count for p in placements}
        assert kept == {p.id: reference.get(p.id, 0) for p in placements}, (step, action)
    assert sum(kept.values()) > 0


def test_each_session_names_its_bapas_and_opd_on_random_histories(db: Any) -> None:
    """``WorkSession.bapas_id`` and ``opd_id`` against their reference (``session_keys``):
    sessions planned, re-planned, added one by one and moved to a placement of another
    Bapas and OPD."""
    import random

    from portal.models.work_session import session_keys
    from portal.sessions.services import generate_many, generate_sessions

    rng = random.Random(17)
    slots, clients = f.slots_and_clients_of_two_offices()
    placements = [
        f.make_placement(rng.choice(clients), rng.choice(slots), status="active") for _ in range(6)
    ]
    for step in range(40):
        action = rng.choice(["plan", "batch", "add", "move"])
        p = rng.choice(placements)
        if action == "plan":
            generate_sessions(p)
        elif action == "batch":
            generate_many(rng.sample(placements, 3))
        elif action == "add":
            _session(p, date(2026, 6, rng.randint(2, 28)))
        else:
            mine = list(
                f.db.session.scalars(select(WorkSession).where(WorkSession.placement_id == p.id))
            )
            if mine:
                target = rng.choice(placements)
                moved = rng.choice(mine)
                moved.placement_id, moved.client_id = target.id, target.client_id
        f.db.session.flush()
        f.db.session.expire_all()
        reference = {
            pid: (bapas_id, opd_id)
            for pid, bapas_id, opd_id in f.db.session.execute(
                session_keys(p.id for p in placements)
            )
        }
        kept = f.db.session.execute(
            select(WorkSession.placement_id, WorkSession.bapas_id, WorkSession.opd_id)
        ).all()
        assert all(reference[pid] == (b, o) for pid, b, o in kept), (step, action)
    assert len({b for _, b, _ in kept}) == 2
    assert len({o for _, _, o in kept}) == 3


@pytest.mark.parametrize(
    ("username", "sessions"),
    [("kabapas.madiun", 160), ("pk.madiun", 121), ("opd.dinsos", 121), ("pj.dinsos", 121)],
)
def test_the_newest_page_of_a_long_list_is_the_users_newest_sessions(
    client: FlaskClient,
    login_as: Any,
    world: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    username: str,
    sessions: int,
) -> None:
    """A long list newest first (read off the Bapas's or the OPD's own index, or from the
    last days for a PJ) shows the user's sessions only, in (date, start, id) order, page by
    page, and the same as the list sorted outright; a search keeps its own."""
    from portal.sessions import listing

    placement = world["sessions"][rules.PLANNED].placement
    # Another PK's client at another OPD's site: the Kepala Bapas's, not the others'.
    colleague = f.make_client(pk="pk2.madiun", code="MDN-LAIN-1")
    elsewhere = f.make_placement(colleague, f.make_slot("NGAWI-DLH"), status="active")
    for n in range(156):
        _session(
            placement if n % 4 else elsewhere,
            date(2026, 3, 1 + n % 28),
            start=time(7 + n % 2, 0),
            end=time(12, 0),
        )
    f.db.session.commit()
    login_as(username)

    def dates(query: str) -> list[str]:
        shown = []
        for number in (1, 2, 3, 4):
            page = client.get(f"/sesi/daftar?{query}&page={number}").get_data(as_text=True)
            if "<tbody>" in page:
                rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
                shown += re.findall(r"(\d\d-\d\d-\d{4})", rows)
        return shown

    monkeypatch.setattr(listing, "SORT_MAX", 0)
    newest, oldest, searched = dates(""), dates("arah=naik"), dates("q=LAIN")
    monkeypatch.setattr(listing, "SORT_MAX", 10**6)
    assert newest == dates("")
    assert oldest == dates("arah=naik")
    assert searched == dates("q=LAIN")
    assert len(newest) == sessions
    assert oldest == newest[::-1]
    assert len(searched) == (39 if username == "kabapas.madiun" else 0)


def test_the_sessions_list_runs_as_many_statements_for_more_sessions(
    app: Any, client: FlaskClient, login_as: Any, world: dict[str, Any]
) -> None:

    from portal.sessions import listing

    placement = world["sessions"][rules.PLANNED].placement
    login_as("kabapas.madiun")
    listing_max = listing.SORT_MAX
    listing.SORT_MAX = 0
    try:
        client.get("/sesi/daftar")
        fewer = f.statements(client, "/sesi/daftar")
        for n in range(200):
            _session(placement, date(2026, 4, 1 + n % 28), start=time(7 + n % 3, 0))
        f.db.session.commit()
        assert f.statements(client, "/sesi/daftar") == fewer
    finally:
        listing.SORT_MAX = listing_max


def test_the_sessions_list_builds_its_statements_once_per_reader_and_filters(
    client: FlaskClient, login_as: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of one list reuse its statements (their bounds and day bound at each view) and
    show their own rows; another search builds its own."""
    from portal import listing as portal_listing
    from portal.sessions import listing

    placement = world["sessions"][rules.PLANNED].placement
    for n in range(60):
        _session(placement, date(2026, 3, 1 + n % 28), start=time(7 + n % 3, 0))
    f.db.session.commit()
    monkeypatch.setattr(listing, "SORT_MAX", 0)
    monkeypatch.setattr(portal_listing, "_BUILT", {})  # none kept from other tests
    built: list[str] = []
    build = listing._build
    monkeypatch.setattr(
        listing, "_build", lambda user, params: built.append(params.q) or build(user, params)
    )
    login_as("pk.madiun")
    first, second = client.get("/sesi/daftar").text, client.get("/sesi/daftar?page=2").text
    searched = client.get("/sesi/daftar?q=tidak-ada").text
    assert built == ["", "tidak-ada"]
    rows = [re.findall(r"/penempatan/(\d+)", p.split("<tbody>", 1)[1]) for p in (first, second)]
    assert len(rows[0]) == 50
    assert len(rows[1]) == len(world["sessions"]) + 60 - 50
    assert "Belum ada sesi yang cocok" in searched
