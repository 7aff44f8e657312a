"""Work lists read what their page shows: ids on the scope's own tables and indexes, the
page's rows by id, filter choices from the small tables, the Daftar Mitra counted in SQL.
"""

from __future__ import annotations

import io
import random
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select, text

from portal import codes, policy
from portal.codes import effective_facilities
from portal.extensions import db as _db
from portal.listing import parse_list
from portal.models import Client, Opd, Placement, Role, Slot
from portal.models.placement import fill_keys, placement_keys, with_slot_and_client
from portal.placements.listing import PLACEMENT_LIST, placement_list
from portal.slots.services import partner_pairs, partners_of, visible_opds
from tests import factories as f

FACILITY_CODES = list(codes.FACILITIES)


def _sql(user: Any, query: dict[str, str]) -> str:
    params = parse_list(query, PLACEMENT_LIST)
    return str(placement_list(user, params, ids_only=True).compile())


def test_placement_ids_join_only_the_tables_the_scope_filters_and_sort_read(db: Any) -> None:
    kabapas, pk, opd_admin = f.user("kabapas.madiun"), f.user("pk.madiun"), f.user("opd.dinsos")
    # A Bapas's and an OPD's placements are found by their own keys; a PK's by his clients.
    bapas_side = _sql(kabapas, {})
    assert "JOIN client" not in bapas_side
    assert "JOIN slot" not in bapas_side
    assert "placement.bapas_id" in bapas_side
    assert "JOIN client" in _sql(pk, {})
    assert "JOIN slot" not in _sql(pk, {})
    opd_side = _sql(opd_admin, {})
    assert "JOIN slot" not in opd_side
    assert "JOIN client" not in opd_side
    assert "placement.opd_id" in opd_side
    assert "JOIN client" in _sql(opd_admin, {"urut": "kode"})
    assert "JOIN slot" in _sql(kabapas, {"q": "taman"})
    assert "JOIN slot" in _sql(kabapas, {"opd": "3"})
    assert "JOIN client" in _sql(kabapas, {"pk": "4"})


def test_placement_list_sorts_and_searches_across_the_tables_it_joins(
    client: Any, db: Any, login_as: Any
) -> None:
    taman = f.make_slot("NGAWI-DINSOS", title="Taman alun-alun")
    other = f.make_slot("NGAWI-DINSOS", title="Kantor dinas")
    made = [f.make_placement(slot=taman if n % 2 else other) for n in range(6)]
    _db.session.commit()
    login_as("opd.dinsos")
    page = client.get("/penempatan/?urut=kode&arah=naik").get_data(as_text=True)
    codes_in_order = sorted(p.client.code for p in made)
    positions = [page.index(code) for code in codes_in_order]
    assert positions == sorted(positions)
    assert "Klien Uji" not in page  # the OPD sees codes only
    login_as("kabapas.madiun")
    found = client.get("/penempatan/?q=alun-alun").get_data(as_text=True)
    assert all((p.client.code in found) == (p.slot_id == taman.id) for p in made)
    assert "Taman alun-alun" in found
    assert made[1].client.full_name in found  # the Bapas side sees names


def _reference_opds(user: Any) -> list[int]:
    """The OPDs whose slots the user may see, read over the slot table (the definition)."""
    stmt = select(Opd.id).where(Opd.id.in_(select(Slot.opd_id).where(policy.slots_scope(user))))
    return sorted(_db.session.scalars(stmt))


@pytest.mark.parametrize(
    "username", ["kabapas.madiun", "pk.madiun", "opd.dinsos", "setda.ngawi", "admin"]
)
def test_opd_filter_choices_are_the_opds_of_the_slots_in_scope(db: Any, username: str) -> None:
    f.make_slot("NGAWI-DINSOS")
    f.make_slot("NGAWI-DLH", status="draft")  # a draft: not offered to the Bapas side
    f.make_slot("NGAWI-RSUD", status="closed")
    user = f.user(username)
    assert sorted(o.id for o in visible_opds(user)) == _reference_opds(user)


def _reference_partner(opd_id: int) -> tuple[list[str], int, frozenset[str]]:
    """Titles, seats and facilities of an OPD's published slots, walked in Python."""
    slots = [
        s
        for s in _db.session.scalars(select(Slot).where(Slot.opd_id == opd_id))
        if s.status == "published"
    ]
    facilities: frozenset[str] = frozenset()
    for s in slots:
        facilities |= effective_facilities(s.facilities)
    return sorted(s.title for s in slots), sum(s.capacity for s in slots), facilities


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_partners_counted_in_sql_agree_with_every_slot_walked(db: Any, seed: int) -> None:
    rng = random.Random(seed)
    opd_codes = ["NGAWI-DINSOS", "NGAWI-DLH", "NGAWI-RSUD"]
    for n in range(rng.randint(10, 40)):
        f.make_slot(
            rng.choice(opd_codes),
            title=f"Lokasi {rng.randint(0, 999):03d}-{n:03d}",
            status=rng.choice(["published", "published", "draft", "closed"]),
            capacity=rng.randint(1, 5),
            facilities=rng.sample(FACILITY_CODES, rng.randint(0, 4)),
        )
    pairs = partner_pairs(f.user("kabapas.madiun"))
    shown = rng.randint(1, 6)
    for whole, page in zip(partners_of(pairs), partners_of(pairs, titles=shown), strict=True):
        titles, seats, facilities = _reference_partner(page.opd.id)
        assert whole.scope == titles
        assert page.scope == titles[:shown]
        assert page.more == len(titles) - len(page.scope)
        assert whole.more == 0
        assert page.capacity == whole.capacity == seats
        assert page.facilities == whole.facilities == facilities


def test_the_kept_partner_figures_follow_a_published_slot(
    app: Any, db: Any, shared_cache: Any
) -> None:
    f.make_slot("NGAWI-DINSOS", title="Lokasi A", capacity=2)
    _db.session.commit()
    pairs = partner_pairs(f.user("kabapas.madiun"))

    def dinsos() -> Any:
        with app.test_request_context():
            return next(p for p in partners_of(pairs, titles=5) if p.opd.code == "NGAWI-DINSOS")

    before = dinsos()
    # A bulk change not saved yet: the figures read before are kept.
    _db.session.execute(text("UPDATE slot SET capacity = capacity + 10"))
    assert dinsos().capacity == before.capacity
    _db.session.rollback()
    f.make_slot("NGAWI-DINSOS", title="Lokasi 0 baru", capacity=3)
    _db.session.commit()
    after = dinsos()
    assert after.capacity == before.capacity + 3
    assert "Lokasi 0 baru" in after.scope


def test_daftar_mitra_page_names_the_first_slots_and_the_files_name_them_all(
    client: Any, db: Any, login_as: Any
) -> None:
    for n in range(12):
        extra = ["adequate_lighting"] if n == 11 else []
        f.make_slot("NGAWI-DINSOS", title=f"Lokasi {n:02d}", facilities=["prayer_room", *extra])
    _db.session.commit()
    login_as("setda.ngawi")
    page = client.get("/mitra").get_data(as_text=True)
    assert "Lokasi 09" in page
    assert "Lokasi 10" not in page
    assert "dan 2 lokasi kerja lain" in page
    assert "Penerangan yang cukup" in page  # a facility of a slot the page does not name
    ws = load_workbook(io.BytesIO(client.get("/mitra.xlsx").data)).active
    scope = [
        r[4] for r in ws.iter_rows(min_row=4, values_only=True) if r[1].startswith("Dinas Sos")
    ]
    assert scope == ["; ".join(f"Lokasi {n:02d}" for n in range(12))]


def test_daftar_mitra_pages_its_partners_in_the_url(client: Any, db: Any, login_as: Any) -> None:
    ngawi = f.opd("NGAWI-DINSOS").pemda_id
    for n in range(60):
        _db.session.add(
            Opd(pemda_id=ngawi, code=f"NGAWI-UJI-{n:02d}", name=f"Mitra Uji {n:02d}",
                short_name=f"Uji {n:02d}")
        )  # fmt: skip
    _db.session.commit()
    login_as("setda.ngawi")
    first = client.get("/mitra").get_data(as_text=True)
    total = len(partner_pairs(f.user("setda.ngawi")))
    assert f"{total} mitra" in first
    assert "Halaman 1 dari 2" in first
    numbers = [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td><td class="fw', first)]
    assert numbers == list(range(1, 51))
    second = client.get("/mitra?page=2").get_data(as_text=True)
    numbers = [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td><td class="fw', second)]
    assert numbers == list(range(51, total + 1))
    assert "Halaman 2 dari 2" in second


@pytest.mark.parametrize(
    ("username", "path", "few", "many", "counted"),
    [
        ("kabapas.madiun", "/penempatan/", 3, 60, 1),
        ("opd.dinsos", "/penempatan/", 3, 60, 1),
        ("kabapas.madiun", "/klien/", 3, 60, 1),
        ("kabapas.madiun", "/pengawasan/", 3, 60, 1),
        ("kabapas.madiun", "/lokasi-kerja/", 3, 30, 0),
    ],
)
def test_a_list_reads_as_many_statements_for_a_full_page_as_for_a_few_rows(
    client: Any,
    db: Any,
    login_as: Any,
    username: str,
    path: str,
    few: int,
    many: int,
    counted: int,
) -> None:
    """However many rows, a page reads the same statements; a list whose first page holds
    every row reads no count (``counted``: the one statement it adds when it does not)."""
    login_as(username)
    slot = f.make_slot("NGAWI-DINSOS")
    for _ in range(few):
        f.make_placement(slot=slot, status="active")
    _db.session.commit()
    client.get(path)
    small = f.statements(client, path)
    for n in range(many - few):
        f.make_placement(slot=f.make_slot("NGAWI-DINSOS") if n % 3 else slot, status="active")
    _db.session.commit()
    client.get(path)
    assert f.statements(client, path) == small + counted


@pytest.mark.parametrize("seed", [3, 11])
def test_a_bapas_slot_page_merged_per_agreement_equals_the_whole_list_sorted(
    db: Any, seed: int
) -> None:
    """Each agreement's first slots are read off its index and merged: every sort, both
    directions, first, middle and past-the-end pages give the rows a full sort gives."""
    from datetime import UTC, date, datetime, timedelta

    from portal.slots.routes import SLOT_LIST, SLOT_SORTS, _slot_order
    from portal.slots.services import (
        SlotFilters,
        merged_agreements,
        page_of_slots,
        slot_ids,
        slot_page,
    )

    rng = random.Random(seed)
    kabapas = f.user("kabapas.madiun")
    agreements = [f.agreement_of(f.opd("NGAWI-DINSOS"))]
    for n in range(2):
        agreements.append(f.make_agreement_with(f"Urut {n}", date(2027, 1, 5), date(2026, 1, 5)))
    _db.session.flush()
    moments = [datetime(2026, 5, 1, 8, tzinfo=UTC) + timedelta(hours=h) for h in range(6)]  # ties
    for _ in range(40):
        f.make_slot(
            agreement_id=rng.choice(agreements).id,
            title=rng.choice(["Taman", "Pasar", "Panti", "Masjid"]),
            capacity=rng.randint(1, 4),
            valid_until=date(2026, 12, 1) + timedelta(days=rng.randint(0, 3)),
            status=rng.choice(["published", "published", "closed", "draft"]),
            updated_at=rng.choice(moments),
        )
    _db.session.flush()
    filters = SlotFilters()
    merged = merged_agreements(kabapas)
    assert len(merged) == 3
    for sort in SLOT_SORTS:
        for direction in ("naik", "turun"):
            params = parse_list({"urut": sort, "arah": direction}, SLOT_LIST)
            whole = list(_db.session.scalars(_slot_order(params, slot_ids(kabapas, filters))))
            assert len(whole) > 20
            # The statements built once serve every page: the bounds are bound at each.
            statements = slot_page(kabapas, filters, SLOT_SORTS[sort], params.desc, merged)
            for offset in (0, 7, len(whole) - 3, len(whole) + 5):
                page = page_of_slots(statements, 7, offset)
                assert page == whole[offset : offset + 7], (sort, direction, offset)
            # Built afresh, with the agreements read again, as a view's first build does.
            fresh = slot_page(
                kabapas, filters, SLOT_SORTS[sort], params.desc, merged_agreements(kabapas)
            )
            assert page_of_slots(fresh, 7, 7) == whole[7:14]


def test_each_placement_names_its_bapas_and_opd_on_random_histories(db: Any) -> None:
    """``Placement.bapas_id`` and ``opd_id`` against their reference (``placement_keys``):
    placements booked one by one, loaded in bulk and moved to another client or slot; and
    the scopes read on them select what the client's Bapas and the slot's OPD select."""
    rng = random.Random(23)
    slots, clients = f.slots_and_clients_of_two_offices()
    placements: list[Placement] = []
    for step in range(30):
        action = rng.choice(["book", "book", "bulk", "move"])
        if action == "book" or not placements:
            placements.append(f.make_placement(rng.choice(clients), rng.choice(slots)))
        elif action == "bulk":
            klien, slot = rng.choice(clients), rng.choice(slots)
            _db.session.execute(
                insert(Placement),
                [dict(client_id=klien.id, slot_id=slot.id, status="booked",
                      start_date=klien.start_date, deadline=klien.deadline, schedule=[],
                      hours_planned=klien.hours_ordered, decision_reason="", end_reason="")],
            )  # fmt: skip
            fill_keys(_db.session.connection())
        else:
            moved = rng.choice(placements)
            moved.client_id, moved.slot_id = rng.choice(clients).id, rng.choice(slots).id
        _db.session.flush()
        _db.session.expire_all()
        rows = _db.session.execute(
            select(Placement.id, Placement.bapas_id, Placement.opd_id, Placement.client_id,
                   Placement.slot_id)
        ).all()  # fmt: skip
        for _, bapas_id, opd_id, client_id, slot_id in rows:
            assert (bapas_id, opd_id) == tuple(
                _db.session.execute(placement_keys(client_id, slot_id)).one()
            ), (step, action)
    assert len({r.bapas_id for r in rows}) == 2
    assert len({r.opd_id for r in rows}) == 3
    for username, reference in [
        ("kabapas.madiun", Client.bapas_id == f.user("kabapas.madiun").bapas_id),
        ("opd.dinsos", Slot.opd_id == f.user("opd.dinsos").opd_id),
    ]:
        found = with_slot_and_client(select(Placement.id))
        scoped = set(_db.session.scalars(found.where(policy.placements_scope(f.user(username)))))
        assert scoped == set(_db.session.scalars(found.where(reference))), username
        assert scoped


def test_a_list_statement_is_built_once_per_reader_and_filters(app: Any, db: Any) -> None:
    """The same reader with the same filters reuses the list's statements (another page
    too); other filters, another reader or the same account in another role get their own."""
    from portal.listing import built

    pk = f.user("pk.madiun")
    made: list[str] = []

    def build(user: Any, params: Any) -> Any:
        made.append(params.q)
        return placement_list(user, params, ids_only=True)

    def statements(user: Any, query: dict[str, str]) -> Any:
        params = parse_list(query, PLACEMENT_LIST)
        return built("placements-test", user, params, lambda: build(user, params))

    first = statements(pk, {})
    assert statements(pk, {"page": "2"}) is first
    assert statements(pk, {"q": "MDN"}) is not first
    assert statements(f.user("pk2.madiun"), {}) is not first
    assert made == ["", "MDN", ""]
    pk.role = Role.KEPALA_BAPAS
    assert statements(pk, {}) is not first


def test_a_reader_whose_role_changes_sees_his_new_scope_on_the_list(
    client: Any, db: Any, login_as: Any
) -> None:
    login_as("pk.madiun")
    slot = f.make_slot("NGAWI-DINSOS")
    own = f.make_placement(f.make_client(pk="pk.madiun"), slot)
    other = f.make_placement(f.make_client(pk="pk2.madiun"), slot)
    _db.session.commit()
    codes_of = (own.client.code, other.client.code)
    page = client.get("/penempatan/").text
    assert codes_of[0] in page
    assert codes_of[1] not in page
    f.user("pk.madiun").role = Role.KEPALA_BAPAS
    _db.session.commit()
    page = client.get("/penempatan/").text
    assert codes_of[0] in page
    assert codes_of[1] in page


def test_plain_rows_see_what_the_session_has_not_yet_flushed(app: Any, db: Any) -> None:
    """A list read on the connection (no ORM loading) still sees a change made earlier in
    the same request, as the session's own reads would."""
    from portal.extensions import plain_rows

    slot = f.make_slot("NGAWI-DINSOS", title="Taman kota")
    _db.session.commit()
    slot.title = "Taman kota baru"
    assert slot in _db.session.dirty
    titles = plain_rows(select(Slot.title).where(Slot.id == slot.id))
    assert list(titles.scalars()) == ["Taman kota baru"]


def test_a_page_of_mapped_objects_gives_objects_and_a_page_of_ids_gives_ids(
    app: Any, db: Any
) -> None:
    from portal.pagination import PagedSelect, select_page

    made = [f.make_slot("NGAWI-DINSOS", title=f"Slot {n}") for n in range(3)]
    _db.session.commit()
    mine = select(Slot).where(Slot.id.in_([s.id for s in made])).order_by(Slot.id)
    assert not PagedSelect(mine).plain
    assert PagedSelect(mine.with_only_columns(Slot.id)).plain
    objects = select_page(mine, 2, 2)
    assert objects.items == [made[2]]
    assert objects.total == 3
    ids = select_page(mine.with_only_columns(Slot.id), 1, 2)
    assert ids.items == [made[0].id, made[1].id]
    assert ids.total == 3


@pytest.mark.parametrize(
    ("username", "path", "unit"),
    [
        ("pk.madiun", "/penempatan/", "penempatan"),
        ("kabapas.madiun", "/klien/", "klien"),
        ("kabapas.madiun", "/pengawasan/", "klien"),
        ("opd.dinsos", "/lokasi-kerja/", "lokasi"),
    ],
)
def test_a_list_counts_its_rows_once_and_again_after_a_saved_change(
    app: Any, client: Any, db: Any, login_as: Any, shared_cache: Any,
    username: str, path: str, unit: str,
) -> None:  # fmt: skip
    """The total of a list is counted at its first view and kept; the rows are read at every
    view; a saved booking (a new client, a new slot) counts the list again."""
    login_as(username)
    for _ in range(52):
        f.make_placement(slot=f.make_slot("NGAWI-DINSOS"))
    _db.session.commit()

    def total() -> int:
        html = client.get(path).get_data(as_text=True)
        found = re.search(rf"([\d.]+) {unit}\b", html)
        assert found, html
        return int(found.group(1).replace(".", ""))

    first = total()
    assert first >= 52
    assert _counts_run(client, path) == 0  # kept from the first view
    assert _pages_read(client, path) == 0  # and the page's ids with it: its rows by id
    app.config["CACHE_SECONDS"] = 0
    assert _counts_run(client, path) == 1  # without the cache: counted at every view
    assert _pages_read(client, path) == 1  # and sorted for its page
    app.config["CACHE_SECONDS"] = 60
    assert total() == first
    f.make_placement(slot=f.make_slot("NGAWI-DINSOS"))
    _db.session.commit()
    assert total() == first + 1
    assert _counts_run(client, path) == 0

    def shown(url: str) -> set[str]:
        html = client.get(url).get_data(as_text=True)
        return set(re.findall(rf'href="{path}(?:klien/)?(\d+)"', html))

    first_page, second_page = shown(path), shown(f"{path}?page=2")
    assert first_page  # each page's ids kept apart
    assert second_page
    assert not first_page & second_page


def _counts_run(client: Any, path: str) -> int:
    """How many statements counting a list's rows one GET of ``path`` runs."""
    return sum(sql.lstrip().startswith("SELECT count(*)") for sql in _statements(client, path))


def _pages_read(client: Any, path: str) -> int:
    """How many statements one GET of ``path`` runs that cut a page out of a list (end with
    its bounds; a row's own subquery may hold a LIMIT too)."""
    page_cut = re.compile(r"LIMIT \S+ OFFSET \S+\s*$")
    return sum(bool(page_cut.search(sql)) for sql in _statements(client, path))


def _statements(client: Any, path: str) -> list[str]:
    """The statements one GET of ``path`` runs."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    event.listen(_db.engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", note)
    return seen


def test_sessions_planned_in_one_batch_count_the_session_list_again(
    client: Any, db: Any, login_as: Any, shared_cache: Any
) -> None:
    """Sessions written in one statement on the connection (a batch's plan) are a saved
    change like any other: the list's kept total follows them."""
    from portal.sessions.services import generate_many

    login_as("kabapas.madiun")
    placement = f.make_placement(status="active")
    _db.session.commit()

    def total() -> int:
        html = client.get("/sesi/daftar").get_data(as_text=True)
        found = re.search(r"([\d.]+) sesi\b", html)
        return int(found.group(1).replace(".", "")) if found else 0

    before = total()
    generate_many([placement], f.user("kabapas.madiun"))
    _db.session.commit()
    planned = _db.session.scalar(
        select(Placement.session_count).where(Placement.id == placement.id)
    )
    assert planned
    assert total() == before + planned
