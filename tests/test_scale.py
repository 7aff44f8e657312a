"""Work that grows with the page: the fast totals agree with the reference ledger,
the monitoring figures are cached but never outlive a saved change, SQLite runs in WAL.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import pytest
from sqlalchemy import create_engine, text

from portal import cache, clock
from portal.attendance.ledger import ScheduledPeriod, count_scheduled_days, scheduled_days
from portal.attendance.services import client_ledger, ledgers_for, verified_minutes
from portal.clients.listing import client_list_rows
from portal.clients.services import SUMMONS_VIOLATION, summons_violations
from portal.extensions import db as _db
from portal.models import Client, ConductCase, Placement
from portal.models.attendance import recount_months
from portal.monitoring.facts import summarise
from portal.monitoring.indicators import Filters
from tests import factories as f


def test_counted_scheduled_days_equal_the_listed_ones():
    rng = random.Random(13)
    for _ in range(2000):
        periods = []
        for _ in range(rng.randint(0, 3)):
            start = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
            periods.append(
                ScheduledPeriod(
                    frozenset(rng.sample(range(7), rng.randint(0, 7))),
                    start,
                    start + timedelta(days=rng.randint(-3, 200)),
                )
            )
        first = date(2026, 1, 1) + timedelta(days=rng.randint(0, 400))
        last = first + timedelta(days=rng.randint(-5, 300))
        assert count_scheduled_days(periods, first, last) == len(
            scheduled_days(periods, first, last)
        )


def test_list_totals_agree_with_the_reference_ledger_on_random_histories(db):
    """``ledgers_for`` and the client list sum in SQL; ``client_ledger`` walks every record:
    same figures."""
    rng = random.Random(7)
    today = clock.today()
    clients = []
    for _ in range(12):
        start = today - timedelta(days=rng.randint(0, 120))
        klien = f.make_client(
            hours_ordered=rng.choice((40, 120, 240)),
            start_date=start,
            deadline=start + timedelta(days=rng.randint(30, 200)),
        )
        schedule = [
            {"weekday": d, "start": "08:00", "end": "12:00"}
            for d in sorted(rng.sample(range(7), rng.randint(1, 5)))
        ]
        for status in rng.sample(("active", "completed", "ended", "declined"), rng.randint(1, 2)):
            placement = f.make_placement(klien, status=status, schedule=schedule)
            for day in range(rng.randint(0, 25)):
                work_date = start + timedelta(days=day * rng.randint(1, 3))
                if work_date > today:
                    break
                minutes = rng.choice((60, 120, 240))
                record = f.make_attendance(
                    placement,
                    work_date=work_date,
                    minutes=minutes,
                    time_out=time(8 + minutes // 60, 0),
                    verified=rng.random() < 0.7,
                )
                if rng.random() < 0.1:  # corrected: the original no longer counts
                    fixed = f.make_attendance(
                        placement, work_date=work_date, verified=True, minutes=60,
                        time_out=time(9, 0),
                    )  # fmt: skip
                    record.superseded_by_id = fixed.id
        if rng.random() < 0.3:
            _db.session.add(
                ConductCase(client_id=klien.id, kind="violation", category=SUMMONS_VIOLATION,
                            occurred_on=today, description="Tiga panggilan tidak dipenuhi.")
            )  # fmt: skip
        clients.append(klien)
    outsider = f.make_placement(f.make_client(hours_ordered=40), status="active")
    f.make_attendance(outsider, work_date=today, verified=False)  # not among ``clients``
    _db.session.commit()
    fast = ledgers_for(clients, absences=False)
    # The same read by a statement choosing the clients (the reminders' scope) instead of a
    # list of ids; one that chooses more (here every client) adds no one.
    assert ledgers_for(clients, absences=False, within=_db.select(Client.id)) == fast
    rows = {row.id: row for row in client_list_rows([c.id for c in clients])}
    summoned = summons_violations(c.id for c in clients)
    for klien in clients:
        reference = client_ledger(klien)
        # The client list's row: its hours, placement and summons flag read in SQL.
        row = rows[klien.id]
        assert row.minutes_verified == reference.minutes_verified, klien.code
        assert verified_minutes(klien.id) == reference.minutes_verified, klien.code
        # The status shown is that of his latest booking (the last booked, then the last id).
        booked = _db.session.scalars(_db.select(Placement).where(Placement.client_id == klien.id))
        latest = max(booked, key=lambda p: (p.booked_at, p.id))
        assert row.placement_status == latest.status, klien.code
        assert row.summons_violation == (klien.id in summoned), klien.code
        got = fast[klien.id]
        assert (got.minutes_verified, got.minutes_pending, got.working_days_left) == (
            reference.minutes_verified,
            reference.minutes_pending,
            reference.working_days_left,
        ), klien.code
        assert (got.served, got.pace_warning) == (reference.served, reference.pace_warning)


def _hours(agreement_id: int) -> float:
    return summarise(
        _db.session, Filters((agreement_id,), date(2026, 1, 1), date(2026, 12, 31))
    ).hours_verified


def test_monitoring_figures_are_cached_until_a_change_is_saved(app, db, shared_cache):
    klien = f.make_client(hours_ordered=120, execution_order_date=date(2026, 4, 25))
    placement = f.make_placement(klien, f.make_slot(), status="active")
    f.make_attendance(placement, work_date=date(2026, 5, 11), verified=True)
    _db.session.commit()
    agreement_id = placement.slot.agreement_id
    with app.test_request_context():
        assert _hours(agreement_id) == 4
    # A bulk statement outside the unit of work, not committed yet: the cached figure stays.
    _db.session.execute(text("UPDATE attendance SET minutes = 120"))
    recount_months(_db.session.connection())  # as every bulk write of attendance does
    with app.test_request_context():
        assert _hours(agreement_id) == 4
    _db.session.commit()  # saved: a new generation, recomputed
    with app.test_request_context():
        assert _hours(agreement_id) == 2


def test_a_change_saved_by_one_worker_refreshes_the_other_workers_figures(app, tmp_path):
    """Two workers of one host, each with its own memory: a change saved through one starts
    a new generation in the instance folder, and the other computes its figure again."""
    marker = str(tmp_path / "cache-generation")
    first, second = cache.MemoryStore(marker), cache.MemoryStore(marker)
    computed = []

    def figure(store: cache.MemoryStore) -> int:
        app.extensions["portal_cache"] = store
        with app.test_request_context():
            return cache.cached("test", "figure", lambda: computed.append(1) or len(computed))

    app.config["CACHE_SECONDS"] = 60
    try:
        assert figure(second) == 1
        assert figure(second) == 1  # kept
        with app.test_request_context():
            app.extensions["portal_cache"] = first
            cache.invalidate()  # what a commit of a changed record does in the first worker
        assert figure(second) == 2
        assert figure(first) == 3  # the first kept nothing of this generation yet
        assert figure(second) == 2
        # Without a folder to write in, each keeps its own generation.
        alone = cache.MemoryStore(str(tmp_path / "absent" / "cache-generation"))
        before = alone.generation()
        alone.bump()
        assert alone.generation() != before
    finally:
        app.config["CACHE_SECONDS"] = 0
        app.extensions["portal_cache"] = cache.MemoryStore()


def test_sqlite_files_run_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        # NORMAL (1): commits do not wait for the disk; WAL keeps the file consistent.
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -32000
    engine.dispose()


def test_postgresql_connections_plan_for_tables_in_memory(app, db):
    # The default random page cost (a spinning disk's) made PostgreSQL read every
    # placement of the province to find a PJ's 200; kept through rollbacks and the pool.
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    for _ in range(2):
        assert _db.session.execute(text("SHOW random_page_cost")).scalar() == "1.1"
        _db.session.rollback()
    with _db.engine.connect() as fresh:
        assert fresh.execute(text("SHOW random_page_cost")).scalar() == "1.1"


def test_client_list_pages_by_fifty_with_search_and_filters_in_the_url(client, login_as, db):
    login_as("kabapas.madiun")
    made = [f.make_client(pk="pk.madiun" if n % 2 else "pk2.madiun") for n in range(55)]
    made[0].status = "active"
    _db.session.commit()
    first = client.get("/klien/").text
    second = client.get("/klien/?page=2").text
    codes = {c.code for c in made}
    on_first = {code for code in codes if code in first}
    on_second = {code for code in codes if code in second}
    assert len(on_first) == 50
    assert not on_first & on_second
    assert "Halaman 1 dari 2" in first
    found = client.get(f"/klien/?q={made[7].code}").text
    assert made[7].code in found
    assert made[8].code not in found
    active = client.get("/klien/?status=active").text
    assert made[0].code in active
    assert made[1].code not in active
    pk2 = _db.session.scalar(text("SELECT id FROM user_account WHERE username = 'pk2.madiun'"))
    by_pk = client.get(f"/klien/?pk={pk2}&page=1").text
    assert made[0].code in by_pk
    assert made[1].code not in by_pk


@pytest.mark.parametrize("rows", [0, 1, 49, 50, 51, 101])
def test_a_page_of_a_statement_has_its_rows_in_order_and_the_whole_count(app, db, rows):
    """Every page of 50 holds the next rows in the statement's order, the total and the
    number of pages are those of the whole statement (also when the first page holds it
    all and no count is read), and a page past the end is empty but still counts them."""
    from sqlalchemy import select

    from portal.pagination import select_page

    ids = sorted(f.make_client().id for _ in range(rows))
    _db.session.commit()
    stmt = select(Client.id).order_by(Client.id.desc())
    pages = max(1, -(-rows // 50))
    seen = []
    for number in range(1, pages + 2):
        page = select_page(stmt, number, 50)
        assert (page.total, page.pages, page.page) == (rows, pages, number)
        assert page.has_next == (number < pages)
        seen += page.items
    assert seen == ids[::-1]
    assert select_page(stmt, pages + 1, 50).items == []


def test_reminders_show_ten_of_each_kind_and_page_one_kind(client, login_as, db):
    placement = f.make_placement(f.make_client(), f.make_slot("NGAWI-DINSOS"), status="active")
    for n in range(12):
        f.make_attendance(placement, work_date=date(2026, 5, 1) + timedelta(days=n))
    _db.session.commit()
    login_as("opd.dinsos")
    overview = client.get("/pengingat/").text
    assert overview.count("Verifikasi kehadiran") == 10
    assert "Lihat semua 12 pengingat" in overview
    one_kind = client.get("/pengingat/?jenis=verify").text
    assert one_kind.count("Verifikasi kehadiran") == 12
    assert "Semua pengingat" in one_kind


def test_matches_page_offers_the_best_fifty_and_counts_exclusions_by_rule(client, login_as, db):
    klien = f.make_client()
    for n in range(55):
        f.make_slot(title=f"Taman dekat {n}")
    for n in range(52):
        f.make_slot(title=f"Taman jauh {n}", lat=-6.2, lng=106.8)  # Jakarta: far from Ngawi
    _db.session.commit()
    login_as("pk.madiun")
    page = client.get(f"/klien/{klien.id}/pencocokan").text
    assert page.count("match-eligible") == 50
    assert "50 slot terbaik ditampilkan" in page
    assert page.count("match-excluded") == 0
    rules = page.split("match-rules", 1)[1].split("</table>", 1)[0]
    assert "Terlalu jauh dari rumah" in rules
    assert "TOO_FAR" not in rules  # the link names the rule in words too
    assert '<td class="text-end">52</td>' in rules
    first = client.get(f"/klien/{klien.id}/pencocokan?aturan=terlalu-jauh-dari-rumah").text
    assert first.count("match-excluded") == 50
    assert "Terlalu jauh" in first
    second = client.get(f"/klien/{klien.id}/pencocokan?aturan=terlalu-jauh-dari-rumah&page=2").text
    assert second.count("match-excluded") == 2


def test_attendance_page_shows_twenty_five_cards_a_page(client, login_as, db):
    slot = f.make_slot("NGAWI-DINSOS")
    for _ in range(55):
        f.make_placement(f.make_client(), slot, status="active")
    _db.session.commit()
    login_as("pk.madiun")
    first = client.get("/kehadiran/").text
    assert first.count('class="card shadow-sm mb-3 attendance-card"') == 25
    assert "Halaman 1 dari 3" in first
    third = client.get("/kehadiran/?page=3").text
    assert third.count('class="card shadow-sm mb-3 attendance-card"') == 5


def test_dashboard_counts_todays_scheduled_clients_of_the_opd_sites(db):
    """The widget counts in SQL what the attendance page lists for today."""
    from portal.attendance.routes import scheduled_today

    today = clock.today()
    slot = f.make_slot("NGAWI-DINSOS")
    weekend = [{"weekday": (today.weekday() + 1) % 7, "start": "08:00", "end": "12:00"}]
    f.make_placement(slot=slot, status="active")  # works today
    f.make_placement(slot=slot, status="accepted")  # works today
    f.make_placement(slot=slot, status="active", schedule=weekend)
    f.make_placement(slot=slot, status="ended")
    f.make_placement(slot=slot, status="active", start_date=today + timedelta(days=1))
    late = f.make_client(deadline=today - timedelta(days=1))
    f.make_placement(late, slot=slot, status="active", start_date=today - timedelta(days=30))
    f.make_placement(slot=f.make_slot("NGAWI-DLH"), status="active")  # another OPD's site
    _db.session.commit()
    assert scheduled_today(f.user("opd.dinsos")) == 2


def test_supervision_list_keeps_its_ledgers_until_a_change_is_saved(
    client, login_as, db, shared_cache, monkeypatch
):
    from portal.attendance import services

    computed = []
    real = services.ledgers_for
    monkeypatch.setattr(
        services, "ledgers_for", lambda clients: computed.append(1) or real(clients)
    )
    klien = f.make_client(hours_ordered=120, full_name="Uji Tersimpan")
    placement = f.make_placement(klien, f.make_slot(), status="active")
    record = f.make_attendance(placement, work_date=clock.today(), verified=False)
    _db.session.commit()
    login_as("pk.madiun")
    assert "0 jam dari 120 jam" in client.get("/pengawasan/").text
    assert "0 jam dari 120 jam" in client.get("/pengawasan/").text
    assert len(computed) == 1  # the second view read the kept ledgers
    record.verified = True
    _db.session.commit()  # saved: a new generation, computed again
    assert "4 jam dari 120 jam" in client.get("/pengawasan/").text
    assert len(computed) == 2


def test_signing_in_keeps_the_kept_figures_and_a_change_of_the_account_does_not(
    client, login_as, db, shared_cache, monkeypatch
):
    """A morning of sign-ins (their sessions, throttles and time of sign-in) and the
    notifications sent meanwhile change no figure: what was computed is read again."""
    from portal.attendance import services
    from portal.notifications.service import notify

    computed = []
    real = services.ledgers_for
    monkeypatch.setattr(
        services, "ledgers_for", lambda clients: computed.append(1) or real(clients)
    )
    klien = f.make_client(hours_ordered=120, full_name="Uji Tersimpan")
    f.make_placement(klien, f.make_slot(), status="active")
    _db.session.commit()
    login_as("pk.madiun")
    assert "0 jam dari 120 jam" in client.get("/pengawasan/").text
    assert len(computed) == 1
    other = client.application.test_client()
    signed_in = other.post("/masuk", data={"username": "opd.dinsos", "password": "sinergi-demo"})
    assert signed_in.status_code == 302
    assert f.user("opd.dinsos").last_login_at is not None
    notify(
        [f.user("pk.madiun")],
        "placement_starting",
        lambda user: ("Penempatan mulai besok", "Uji mulai besok."),
        "/penempatan/",
    )
    _db.session.commit()
    assert "0 jam dari 120 jam" in client.get("/pengawasan/").text
    assert len(computed) == 1  # read from the cache: nothing a figure counts was saved
    f.user("pk.madiun").full_name = "PK Madiun Baru"
    _db.session.commit()  # an account's name is shown in lists: a new generation
    assert "0 jam dari 120 jam" in client.get("/pengawasan/").text
    assert len(computed) == 2


def test_candidate_slots_are_kept_until_a_change_is_saved(app, db, shared_cache):
    from portal.placements.engine import candidate_table, rank_for

    slot = f.make_slot(capacity=2)
    klien = f.make_client()
    _db.session.commit()
    with app.test_request_context():
        first = candidate_table(klien.bapas_id)
        assert slot.id in first.ids.tolist()
    with app.test_request_context():
        assert candidate_table(klien.bapas_id) is first  # kept as it is, in this process
    f.make_placement(f.make_client(), slot)
    f.make_placement(f.make_client(), slot)
    _db.session.commit()  # the slot is full now: a new table without it
    with app.test_request_context():
        assert slot.id not in candidate_table(klien.bapas_id).ids.tolist()
        rows, ranking = rank_for(klien)
        shown = ranking.eligible()[:1] + ranking.excluded()[:1]
        assert all(rows[x.slot.id].id == x.slot.id for x in shown)


def test_records_read_once_per_request_are_read_again_after_a_saved_change(app, db):
    from portal.agreements.services import list_agreements
    from portal.models import Agreement, Pemda, User

    kabapas = db.session.scalar(_db.select(User).filter_by(username="kabapas.madiun"))
    with app.test_request_context():
        before = list_agreements(kabapas)
        assert list_agreements(kabapas) is before  # the banner and the widgets share one read
        pemda = Pemda(code="UJI", name="Pemkab Uji", short_name="Uji")
        draft = Agreement(
            bapas_id=before[0].bapas_id, pemda=pemda, title="Draf uji", status="draft"
        )
        db.session.add(draft)
        db.session.flush()
        after = list_agreements(kabapas)
        assert draft in after
        assert draft not in before


def test_a_drawn_map_is_kept_for_its_inputs_only(client, login_as, db, shared_cache, monkeypatch):
    from portal.models import Slot
    from portal.slots import routes

    drawn = []
    draw = routes.single_slot_map
    monkeypatch.setattr(routes, "single_slot_map", lambda *args: drawn.append(args) or draw(*args))
    login_as("opd.dinsos")
    first, second = f.make_slot(lat=-7.41234, lng=111.4321), f.make_slot(lat=-7.45678, lng=111.4)
    db.session.commit()
    assert "-7.41234" in client.get(f"/lokasi-kerja/{first.id}").get_data(as_text=True)
    page = client.get(f"/lokasi-kerja/{second.id}").get_data(as_text=True)
    assert "-7.45678" in page
    assert "-7.41234" not in page
    client.get(f"/lokasi-kerja/{first.id}")
    assert len(drawn) == 2  # the second view of the first slot reused its map
    # Moved: the map is drawn again at the new place.
    db.session.get(Slot, first.id).lat = -7.49999
    db.session.commit()
    page = client.get(f"/lokasi-kerja/{first.id}").get_data(as_text=True)
    assert "-7.49999" in page
    assert "-7.41234" not in page


def test_the_kept_map_markers_follow_a_published_slot(client, login_as, db, shared_cache):
    login_as("pk.madiun")
    before = client.get("/peta.json").get_json()["rows"]
    assert client.get("/peta.json").get_json()["rows"] == before
    f.make_slot(title="Taman baru di peta")
    db.session.commit()
    after = client.get("/peta.json").get_json()["rows"]
    assert len(after) == len(before) + 1
    assert "Taman baru di peta" in client.get("/peta.json").get_data(as_text=True)
    assert "Taman baru di peta" not in str(before)


def test_the_user_list_reads_each_organisation_with_the_page_not_per_row(app, client, login_as, db):
    from portal.models import Opd, User

    login_as("admin")
    opds = list(db.session.scalars(_db.select(Opd).order_by(Opd.id)))
    client.get("/admin/pengguna")
    fewer = f.statements(client, "/admin/pengguna")
    for n in range(20):
        db.session.add(
            User(
                username=f"staf{n}",
                full_name=f"Staf {n}",
                role="site_supervisor",
                opd_id=opds[n % len(opds)].id,
            )
        )
    db.session.commit()
    assert f.statements(client, "/admin/pengguna") == fewer
    from portal.models import Role

    page = client.get("/admin/pengguna?q=staf1&urut=pengguna&arah=naik").get_data(as_text=True)
    row = page.split(">staf1<", 1)[1].split("</tr>", 1)[0]
    assert Role.LABELS["site_supervisor"] in row
    assert opds[1 % len(opds)].name in row
    admin_row = client.get("/admin/pengguna?q=admin").get_data(as_text=True)
    assert "Portal Sinergi" in admin_row.split(">admin<", 1)[1].split("</tr>", 1)[0]


def test_the_admin_dashboard_reads_agreements_with_the_page_not_per_agreement(
    app, client, login_as, db
):
    from portal.models import WorkplanActivity

    login_as("admin")
    client.get("/beranda")
    fewer = f.statements(client, "/beranda")
    for n in range(5):
        # ends within 60 days: a warning each
        agreement = f.make_agreement_with(f"Uji {n}", date(2026, 6, 20), date(2025, 6, 20))
        # Each with a Rencana Kerja: its progress is read with the others'.
        agreement.activities.append(
            WorkplanActivity(
                seq=1, stage=1, stage_name="Perencanaan", activity=f"Sosialisasi {n}",
                responsible="Bapas", responsible_party="bapas", output="Berita acara",
                period_start=date(2026, 1, 5), period_end=date(2026, 3, 31),
            )
        )  # fmt: skip
    db.session.commit()
    page = client.get("/beranda").get_data(as_text=True)
    assert "Uji 4" in page
    assert f.statements(client, "/beranda") == fewer


def test_a_read_is_audited_after_its_page_is_drawn_in_the_same_commit(app, client, login_as, db):
    """On SQLite the audit row's write lock is then held for the insert and the commit only,
    not while the page renders (two workers' record pages would otherwise queue)."""
    from flask import template_rendered
    from sqlalchemy import event

    from portal.models import AuditLog

    login_as("pk.madiun")
    klien = f.make_client()
    db.session.commit()
    order: list[str] = []

    def statement(conn, cursor, sql, parameters, context, executemany):  # noqa: ANN001, PLR0913
        if sql.startswith("INSERT INTO audit_log"):
            order.append("audit")

    def drawn(sender, template, context, **extra):  # noqa: ANN001, ANN003
        order.append("page")

    event.listen(_db.engine, "before_cursor_execute", statement)
    template_rendered.connect(drawn, app)
    try:
        assert client.get(f"/klien/{klien.id}").status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", statement)
        template_rendered.disconnect(drawn, app)
    assert order[-1] == "audit"
    assert "page" in order
    viewed = db.session.scalars(
        _db.select(AuditLog).filter_by(action="client_viewed", object_id=str(klien.id))
    ).all()
    assert len(viewed) == 1


def test_monitored_agreements_are_the_agreements_each_monitoring_user_is_party_to(app, db, user):
    """The dashboards read one list of agreements per request: for the admin, a Kepala
    Bapas and a Setda it is what they monitor; the other roles monitor none."""
    from portal.agreements.services import list_agreements
    from portal.models import Agreement, Bapas, Pemda
    from portal.monitoring.services import monitored_agreements

    other = Agreement(
        bapas=db.session.scalars(_db.select(Bapas).where(Bapas.code != "MDN")).first()
        or Bapas(code="UJI", name="Bapas Uji", full_name="Bapas Uji", city="Uji"),
        pemda=Pemda(code="UJI", name="Pemkab Uji", short_name="Uji"),
        title="Kesepakatan pihak lain",
        status="signed",
        signed_on=date(2026, 1, 5),
        valid_until=date(2027, 1, 5),
    )
    db.session.add(other)
    db.session.commit()
    everyone = set(db.session.scalars(_db.select(Agreement.id)))
    for username in ("admin", "kabapas.madiun", "setda.ngawi", "pk.madiun", "opd.dinsos"):
        account = user(username)
        with app.test_request_context("/"):
            shown = [a.id for a in monitored_agreements(account)]
            party = [a.id for a in list_agreements(account)]
        if username == "admin":
            assert set(shown) == everyone
        elif username in ("kabapas.madiun", "setda.ngawi"):
            assert shown
            assert shown == party
            assert other.id not in shown
        else:
            assert shown == []
            assert other.id not in party
