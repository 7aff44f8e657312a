"""The PJ's week on a 390 px phone: five clients, part of it without a signal; each outcome
arrives once, a conflict with the PK's change is shown, an absence reaches the PK."""

from __future__ import annotations

import time as timer
from datetime import date, time
from typing import Any

from sqlalchemy import func, select

from portal import clock
from portal.models import Attendance, AuditLog, ConductCase
from portal.models.work_session import OutcomeReceipt, WorkSession
from portal.sessions.services import OutcomeInput, generate_sessions, record_outcome
from tests import factories


def _wait(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll an expression (wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = timer.monotonic() + timeout
    while not page.evaluate(expression):
        assert timer.monotonic() < deadline, expression
        page.wait_for_timeout(100)


def _queue(page: Any) -> int:
    return int(page.locator("[data-queue-count]").inner_text())


def _day(page: Any, iso: str) -> Any:
    return page.locator(f'section.roster-day[data-date="{iso}"]')


def test_pj_records_a_week_for_five_clients_offline_and_online(
    app_ctx: Any, phone_page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    slot = factories.make_slot("NGAWI-DINSOS", supervisor_user_id=factories.user("pj.dinsos").id)
    people = [factories.make_client(full_name=f"Budi{i} Santoso (Demo)") for i in range(5)]
    placements = [factories.make_placement(p, slot) for p in people]
    for p in placements:
        generate_sessions(p)  # today is Monday 1 June: planned from today
    app_ctx.session.commit()
    code = people[0].code
    placement_ids = [p.id for p in placements]
    absent_client = placements[0].client_id
    # Nothing of the test may hold SQLite's read lock while the server writes.
    app_ctx.session.close()
    clock.freeze(date(2026, 6, 5))  # Friday: the whole week can be recorded
    try:
        page = phone_page
        script_errors: list[str] = []
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        login(page, "pj.dinsos")
        page.goto(page.base_url + "/sesi/lokasi")
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now the service worker keeps the roster
        _wait(page, "navigator.serviceWorker.controller !== null")
        cards = page.locator(".session-card")
        assert cards.count() == 25  # five clients × five weekdays
        text = page.locator("main").inner_text()
        assert "Budi0" in text
        assert "Santoso" not in text  # code and first name only
        assert code in text
        assert "Hari ini · Jumat, 5 Juni" in text  # as written, not "Hari Ini"
        screenshot(page, "phone-sessions-roster")

        started = timer.monotonic()
        # Friday, online: everyone present with one tap.
        _day(page, "2026-06-05").get_by_role("button", name="Semua hadir 08:00–12:00").tap()
        _wait(page, "document.querySelector('[data-queue-count]').textContent === '0'")
        assert _day(page, "2026-06-05").get_by_text("Hadir · menunggu verifikasi").count() == 5

        # No signal from here: the page comes from the phone itself.
        page.context.set_offline(True)
        page.reload()
        assert page.locator("#net-state").inner_text() == "Luring"
        assert _day(page, "2026-06-05").get_by_text("Hadir · menunggu verifikasi").count() == 5
        for day in ("2026-06-01", "2026-06-02"):
            _day(page, day).get_by_role("button", name="Semua hadir 08:00–12:00").tap()
        wednesday = _day(page, "2026-06-03")
        wednesday.locator(".session-card").nth(0).get_by_role(
            "button", name="Tidak hadir tanpa alasan"
        ).tap()
        wednesday.get_by_role("button", name="Semua hadir 08:00–12:00").tap()
        thursday = _day(page, "2026-06-04")
        first = thursday.locator(".session-card").nth(0)
        first.get_by_role("button", name="Izin/sakit").tap()
        first.get_by_role("button", name="Sakit (dengan surat keterangan)").tap()
        last = thursday.locator(".session-card").nth(4)
        last.get_by_role("button", name="Hadir 08:00–12:00").tap()
        # A mistake, taken back before it was sent.
        second = thursday.locator(".session-card").nth(1)
        second.get_by_role("button", name="Hadir 08:00–12:00").tap()
        second.get_by_role("button", name="Batalkan").tap()
        second.get_by_role("button", name="Jam lain…").tap()
        second.get_by_label("Jam datang").fill("08:30")
        second.get_by_role("button", name="Simpan hadir").tap()
        thursday.get_by_role("button", name="Semua hadir 08:00–12:00").tap()
        assert _queue(page) == 20
        assert page.locator(".badge", has_text="belum terkirim").count() == 20
        assert (
            page.locator(".badge", has_text="Absen tanpa alasan sah · belum terkirim").count() == 1
        )
        assert page.locator("#queue-state").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "phone-sessions-offline")
        elapsed = timer.monotonic() - started

        # Meanwhile the PK excused Thursday's fifth client: the PJ's outcome must not win.
        thursday_session = app_ctx.session.scalar(
            select(WorkSession).where(
                WorkSession.placement_id == placement_ids[4],
                WorkSession.session_date == date(2026, 6, 4),
            )
        )
        record_outcome(
            thursday_session,
            OutcomeInput("acceptable_absence", reason_code="force_majeure", reason="Banjir"),
            factories.user("pk.madiun"),
        )
        app_ctx.session.commit()
        app_ctx.session.close()

        page.context.set_offline(False)
        _wait(page, "document.querySelector('[data-queue-count]').textContent === '0'", 20)
        page.wait_for_selector(".conflict")
        assert "sudah tercatat" in page.locator(".conflict").inner_text()
        screenshot(page, "phone-sessions-synced")
        print(f"week of five clients recorded in {elapsed:.1f} s")
        assert script_errors == []
    finally:
        clock.freeze(date(2026, 6, 1))

    app_ctx.session.expire_all()
    week = app_ctx.session.scalars(
        select(WorkSession).where(
            WorkSession.placement_id.in_(placement_ids),
            WorkSession.session_date.between(date(2026, 6, 1), date(2026, 6, 5)),
        )
    ).all()
    assert len(week) == 25
    assert all(s.outcome is not None for s in week)
    # Each outcome arrived exactly once: one audit entry and at most one attendance per session.
    per_session = dict(
        app_ctx.session.execute(
            select(AuditLog.object_id, func.count())
            .where(AuditLog.action == "session_outcome")
            .group_by(AuditLog.object_id)
        ).all()
    )
    assert sorted(per_session.values()) == [1] * 25
    attended = [s for s in week if s.outcome == "attended"]
    assert len(attended) == 22
    records = app_ctx.session.scalars(select(Attendance.minutes)).all()
    assert len(records) == 22
    assert sorted(records)[0] == 210  # 08:30 to 12:00, entered on the phone
    assert app_ctx.session.scalar(select(func.count()).select_from(OutcomeReceipt)) == 24
    # The absence is on the client's conduct record, without anyone typing a violation.
    [case] = app_ctx.session.scalars(select(ConductCase)).all()
    assert case.category == "absence"
    assert case.client_id == absent_client
    assert foreign_requests == []


def test_pk_sees_the_absence_on_the_calendar_conduct_and_reminders(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    placement = factories.make_supervised_placement(
        factories.make_client(full_name="Sri Lestari (Demo)")
    )
    generate_sessions(placement)
    sessions = app_ctx.session.scalars(
        select(WorkSession)
        .where(WorkSession.placement_id == placement.id)
        .order_by(WorkSession.session_date)
    ).all()
    pj = factories.user("pj.dinsos")
    clock.freeze(date(2026, 6, 3))
    try:
        record_outcome(sessions[0], OutcomeInput("attended", time(8), time(12), "Sapu"), pj)
        record_outcome(sessions[1], OutcomeInput("unacceptable_absence"), pj)
        client_id = placement.client_id
        app_ctx.session.commit()
        app_ctx.session.close()
        login(page, "pk.madiun")
        page.goto(f"{page.base_url}/pengingat/")
        assert "Usulkan tim pemeriksa: Sri Lestari" in page.locator("main").inner_text()
        page.goto(f"{page.base_url}/pengawasan/klien/{client_id}")
        assert "Tidak hadir atau dipulangkan" in page.locator("main").inner_text()
        page.get_by_role("link", name="Kalender sesi").click()
        page.wait_for_selector(".session-calendar")
        assert page.locator('[data-kind="attended"]').count() == 1
        assert page.locator('[data-kind="absent"]').count() == 1
        assert page.locator('[data-ledger="pending"]').inner_text() == "4 jam"
        screenshot(page, "pk-session-calendar")
    finally:
        clock.freeze(date(2026, 6, 1))
    assert foreign_requests == []
