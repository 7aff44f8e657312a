"""Attendance pages: who may open what, one-tap recording, verification, photos."""

from __future__ import annotations

import io
import re
from datetime import date, time
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import event, func, select

from portal.models import Attendance
from tests import factories


def _count(db: Any) -> int:
    return db.session.scalar(select(func.count(Attendance.id)))


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pj.dinsos", 200),
        ("opd.dinsos", 200),
        ("pk.madiun", 200),
        ("kabapas.madiun", 403),
        ("setda.ngawi", 403),
        ("admin", 403),
    ],
)
def test_today_page_by_role(client: Any, login_as: Any, username: str, status: int) -> None:
    login_as(username)
    assert client.get("/kehadiran/").status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pj.dinsos", 200),
        ("opd.dinsos", 200),
        ("pk.madiun", 200),
        ("kabapas.madiun", 200),
        ("opd.dlh", 404),
        ("opd.rsud", 404),
        ("setda.ngawi", 403),
    ],
)
def test_placement_page_by_role(
    client: Any, db: Any, login_as: Any, username: str, status: int
) -> None:
    placement = factories.make_supervised_placement()
    login_as(username)
    assert client.get(f"/kehadiran/penempatan/{placement.id}").status_code == status


def test_pj_sees_only_his_own_sites(client: Any, db: Any, login_as: Any) -> None:
    other = factories.make_placement()  # a Dinas Sosial slot with another PJ
    login_as("pj.dinsos")
    assert client.get(f"/kehadiran/penempatan/{other.id}").status_code == 404


def test_another_bapas_placement_is_hidden_from_the_pk(client: Any, db: Any, login_as: Any) -> None:
    kediri = factories.make_placement(factories.make_client("KDR", pk=None))
    login_as("pk.madiun")
    assert client.get(f"/kehadiran/penempatan/{kediri.id}").status_code == 404


def test_pj_records_with_one_tap_and_sees_only_the_client_code(
    client: Any, db: Any, login_as: Any
) -> None:
    placement = factories.make_supervised_placement()  # weekdays 08:00-12:00; 1 June is Monday
    login_as("pj.dinsos")
    page = client.get("/kehadiran/").get_data(as_text=True)
    assert placement.client.code in page
    assert placement.client.full_name not in page
    assert "Hadir 08:00–12:00" in page
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}/hadir",
        data={"time_in": "08:00", "time_out": "12:00"},
        follow_redirects=True,
    )
    assert "dicatat" in response.get_data(as_text=True)
    record = db.session.scalar(select(Attendance))
    assert (record.work_date, record.minutes, record.verified) == (date(2026, 6, 1), 240, False)
    page = client.get("/kehadiran/").get_data(as_text=True)
    assert "Menunggu verifikasi" in page
    client.post(f"/kehadiran/{record.id}/verifikasi", data={"back": "today"})
    db.session.refresh(record)
    assert record.verified


def test_nine_hours_are_refused_on_the_form_in_words(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    login_as("pj.dinsos")
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}",
        data={"work_date": "2026-05-29", "time_in": "07:00", "time_out": "16:00"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "DAILY_HOURS_EXCEEDED" not in text  # the rule in words, never its code
    assert "Melebihi 8 jam" in text
    assert _count(db) == 0


def test_the_pk_cannot_verify(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    record = factories.make_attendance(placement)
    login_as("pk.madiun")
    assert client.post(f"/kehadiran/{record.id}/verifikasi").status_code == 403
    db.session.refresh(record)
    assert not record.verified


def test_an_opd_admin_of_another_opd_cannot_verify(client: Any, db: Any, login_as: Any) -> None:
    record = factories.make_attendance(factories.make_supervised_placement())
    login_as("opd.dlh")
    assert client.post(f"/kehadiran/{record.id}/verifikasi").status_code == 404


def test_correction_form_keeps_the_verified_original(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    record = factories.make_attendance(
        placement, verified=True, verified_by_id=factories.user("pj.dinsos").id
    )
    login_as("opd.dinsos")
    response = client.post(
        f"/kehadiran/{record.id}/koreksi",
        data={
            "work_date": "2026-05-11",
            "time_in": "08:00",
            "time_out": "11:00",
            "activity": "Menyapu",
            "reason": "Pulang lebih awal",
        },
    )
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.superseded_by_id is not None
    page = client.get(f"/kehadiran/penempatan/{placement.id}").get_data(as_text=True)
    assert "Diganti koreksi" in page
    assert "Pulang lebih awal" in page


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_photo_upload_is_served_only_to_those_allowed(
    app: Any, client: Any, db: Any, login_as: Any
) -> None:
    placement = factories.make_supervised_placement()
    login_as("pj.dinsos")
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}",
        data={
            "work_date": "2026-05-29",
            "time_in": "08:00",
            "time_out": "12:00",
            "activity": "Menyapu",
            "photo": (io.BytesIO(_png()), "bukti.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    record = db.session.scalar(select(Attendance))
    assert record.photo_path.endswith(".jpg")
    photo = client.get(f"/kehadiran/{record.id}/foto")
    assert photo.status_code == 200
    assert photo.mimetype == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]
    # Served only as a download (an <img> still shows it), never rendered as a document.
    assert photo.headers["Content-Disposition"].startswith("attachment")
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    login_as("opd.dlh")
    assert client.get(f"/kehadiran/{record.id}/foto").status_code == 404
    login_as("setda.ngawi")
    assert client.get(f"/kehadiran/{record.id}/foto").status_code == 403


def test_a_fake_image_is_refused_next_to_the_field(client: Any, db: Any, login_as: Any) -> None:
    placement = factories.make_supervised_placement()
    login_as("pj.dinsos")
    response = client.post(
        f"/kehadiran/penempatan/{placement.id}",
        data={
            "work_date": "2026-05-29",
            "time_in": "08:00",
            "time_out": "12:00",
            "photo": (io.BytesIO(b"GIF89a<script>alert(1)</script>"), "bukti.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Berkas bukan gambar" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_unverified_records_from_earlier_days_wait_on_the_today_page(
    client: Any, db: Any, login_as: Any
) -> None:
    placement = factories.make_supervised_placement()
    factories.make_attendance(placement, work_date=date(2026, 5, 29), time_in=time(8))
    login_as("pj.dinsos")
    page = client.get("/kehadiran/").get_data(as_text=True)
    assert "Menunggu verifikasi dari hari sebelumnya" in page
    assert "29 Mei 2026" in page


def test_todays_cards_are_the_placements_scheduled_or_recorded_today(db: Any) -> None:
    """The list reads the schedule's weekday in SQL: it agrees with reading it in Python
    on random schedules, dates, statuses and records of the day, page by page."""
    import random
    from datetime import timedelta

    from portal import clock
    from portal.attendance.today import scheduled_today_count, today_list

    rng = random.Random(13)
    today = clock.today()
    slot = factories.make_slot(supervisor_user_id=factories.user("pj.dinsos").id)
    expected_cards, expected_scheduled, working = set(), set(), set()
    for _ in range(130):
        windows = [
            {"weekday": d if rng.random() < 0.7 else str(d), "start": "08:00", "end": "10:00"}
            for d in rng.sample(range(7), rng.randint(0, 3))
        ]
        client = factories.make_client(deadline=today + timedelta(days=rng.randint(-3, 60)))
        status = rng.choice(["active", "accepted", "ended", "booked"])
        placement = factories.make_placement(
            client,
            slot,
            status=status,
            schedule=windows,
            start_date=today + timedelta(days=rng.randint(-30, 2)),
            deadline=today + timedelta(days=rng.randint(-2, 90)),
        )
        recorded = rng.random() < 0.15
        if recorded:
            factories.make_attendance(placement, work_date=today)
        if status not in ("active", "accepted"):
            continue
        working.add(placement.id)
        in_period = placement.start_date <= today <= min(placement.deadline, client.deadline)
        if in_period and any(int(w["weekday"]) == today.weekday() for w in windows):
            expected_scheduled.add(placement.id)
        if placement.id in expected_scheduled or recorded:
            expected_cards.add(placement.id)
    db.session.flush()
    assert expected_scheduled
    assert expected_cards - expected_scheduled
    assert working - expected_cards
    # The site's PJ, and the clients' PK (a Bapas side: his clients' placements).
    for reader in (factories.user("pj.dinsos"), factories.user("pk.madiun")):
        first = today_list(reader, today, 1)
        cards = [p.id for p in first.page.items]
        for number in range(2, first.page.pages + 1):
            cards += [p.id for p in today_list(reader, today, number).page.items]
        assert len(cards) == len(set(cards)) == first.page.total
        assert set(cards) == expected_cards
        assert first.others_total == len(working - expected_cards)
        # One site: the others by placement, the first few shown.
        shown = [p.id for p in first.others.items]
        assert shown == sorted(working - expected_cards)[: len(shown)]
        assert len(shown) == min(10, first.others_total)
        assert scheduled_today_count(reader, today) == len(expected_scheduled)
        assert today_list(reader, today, 99).page.page == first.page.pages  # past the end


def test_a_site_with_no_card_today_still_counts_and_shows_its_other_clients(db: Any) -> None:
    """No placement is due today: no card, and the working ones are all among the others
    (counted apart, as the cards' statement returns no row to carry the count)."""
    from portal import clock
    from portal.attendance.today import today_list

    slot = factories.make_slot(supervisor_user_id=factories.user("pj.dinsos").id)
    weekend = [{"weekday": 6, "start": "08:00", "end": "12:00"}]  # 01-06-2026 is a Monday
    made = [
        factories.make_placement(slot=slot, status="active", schedule=weekend) for _ in range(3)
    ]
    db.session.flush()
    found = today_list(factories.user("pj.dinsos"), clock.today(), 1)
    assert found.page.items == []
    assert found.page.total == 0
    assert found.others_total == 3
    assert [p.id for p in found.others.items] == sorted(p.id for p in made)


def test_today_shows_the_ten_newest_records_to_verify_and_links_to_them_all(
    client: Any, db: Any, login_as: Any
) -> None:
    """Today's page: ten records to verify and ten other placements, each with its count and
    a link; the whole list of records to verify is paged, newest first, and a record verified
    there returns to it. The statements do not grow with the records."""
    from datetime import timedelta

    slot = factories.make_slot(supervisor_user_id=factories.user("pj.dinsos").id)
    weekend = [{"weekday": 6, "start": "08:00", "end": "12:00"}]  # 01-06-2026 is a Monday
    placements = [factories.make_placement(slot=slot, status="active") for _ in range(3)]
    for _ in range(12):
        factories.make_placement(slot=slot, status="active", schedule=weekend)
    first_day = date(2026, 3, 2)
    for n in range(55):
        factories.make_attendance(
            placements[n % 3], work_date=first_day + timedelta(days=n), time_in=time(8)
        )
    db.session.commit()
    login_as("pj.dinsos")
    page = client.get("/kehadiran/").get_data(as_text=True)
    fewer = factories.statements(client, "/kehadiran/")
    waiting = page.split("Menunggu verifikasi dari hari sebelumnya", 1)[1]
    assert '<span class="badge text-bg-secondary">55</span>' in waiting
    assert waiting.count("Verifikasi</button>") == 10
    assert "25 April 2026" in waiting  # the newest
    assert "15 April 2026" not in waiting  # the eleventh
    assert "Lihat semua 55 catatan yang menunggu verifikasi" in waiting
    assert "/kehadiran/menunggu" in waiting
    rest = page.split("Klien lain di lokasi Anda", 1)[1]
    assert "tidak terjadwal hari ini): 12" in rest
    assert rest.count("list-group-item px-0") == 10
    assert "10 dari 12 ditampilkan" in rest
    assert "/penempatan/?status=berjalan" in rest
    first = client.get("/kehadiran/menunggu").get_data(as_text=True)
    assert first.count("Verifikasi</button>") == 50
    assert "Halaman 1 dari 2" in first
    assert first.index("25 April 2026") < first.index("24 April 2026")
    second = client.get("/kehadiran/menunggu?page=2").get_data(as_text=True)
    assert second.count("Verifikasi</button>") == 5
    assert "02 Maret 2026" in second or "2 Maret 2026" in second
    oldest = db.session.scalar(select(Attendance).where(Attendance.work_date == first_day))
    response = client.post(
        f"/kehadiran/{oldest.id}/verifikasi", data={"back": "waiting"}, follow_redirects=True
    )
    assert response.request.path == "/kehadiran/menunggu"
    assert "54</span>" in response.get_data(as_text=True)
    for n in range(40):
        factories.make_attendance(
            placements[n % 3], work_date=date(2026, 2, 1) + timedelta(days=n % 28)
        )
        factories.make_placement(slot=slot, status="active", schedule=weekend)
    db.session.commit()
    assert factories.statements(client, "/kehadiran/") == fewer


@pytest.mark.parametrize(("username", "status"), [("pk.madiun", 200), ("pj.dinsos", 200),
                                                   ("opd.dinsos", 200), ("kabapas.madiun", 403),
                                                   ("admin", 403)])  # fmt: skip
def test_the_records_to_verify_by_role(
    client: Any, db: Any, login_as: Any, username: str, status: int
) -> None:
    placement = factories.make_supervised_placement()
    factories.make_attendance(placement, work_date=date(2026, 5, 29))
    db.session.commit()
    login_as(username)
    response = client.get("/kehadiran/menunggu")
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert "29 Mei 2026" in page
        # The OPD side verifies; the PK sees the state.
        assert ("Verifikasi</button>" in page) == (username != "pk.madiun")


def test_today_keeps_its_ids_and_counts_until_a_change_is_saved(
    app: Any, client: Any, db: Any, login_as: Any, shared_cache: Any
) -> None:
    """Today's cards and the records to verify are sorted and counted at the first view and
    kept; a record verified, a record of the day and a new placement show at the next view."""
    slot = factories.make_slot(supervisor_user_id=factories.user("pj.dinsos").id)
    placements = [factories.make_placement(slot=slot, status="active") for _ in range(2)]
    for day in (date(2026, 5, 28), date(2026, 5, 29)):
        factories.make_attendance(placements[0], work_date=day, time_in=time(8))
    db.session.commit()
    login_as("pj.dinsos")

    def waiting_and_cards() -> tuple[str, int]:
        page = client.get("/kehadiran/").get_data(as_text=True)
        head, waiting = page.split("Menunggu verifikasi dari hari sebelumnya", 1)
        badge = re.search(r'badge text-bg-secondary">(\d+)<', waiting)
        assert badge, waiting
        return badge.group(1), head.count("Hadir 08:00")

    def sorted_and_counted() -> int:
        seen: list[str] = []

        def note(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
            seen.append(sql)

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert client.get("/kehadiran/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        return sum(" OVER ()" in sql for sql in seen)

    assert waiting_and_cards() == ("2", 2)
    assert sorted_and_counted() == 0  # kept from the first view
    app.config["CACHE_SECONDS"] = 0
    assert sorted_and_counted() == 2  # without the cache: the cards and the records waiting
    app.config["CACHE_SECONDS"] = 60
    oldest = db.session.scalar(select(Attendance).where(Attendance.work_date == date(2026, 5, 28)))
    client.post(f"/kehadiran/{oldest.id}/verifikasi")
    assert waiting_and_cards() == ("1", 2)
    factories.make_placement(slot=slot, status="active")
    db.session.commit()
    assert waiting_and_cards() == ("1", 3)
    client.post(
        f"/kehadiran/penempatan/{placements[1].id}/hadir",
        data={"time_in": "08:00", "time_out": "12:00"},
    )
    assert waiting_and_cards() == ("1", 2)  # recorded: its card shows the record instead
