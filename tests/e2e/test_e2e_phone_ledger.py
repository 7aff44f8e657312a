"""The attendance ledger on a 390 px phone: every column visible, nothing wider than the screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from portal import clock
from tests import factories


def test_attendance_ledger_fits_a_phone(
    app_ctx: Any, phone_page: Any, login: Any, screenshot: Any
) -> None:
    placement = factories.make_supervised_placement()
    for days_ago in (1, 2, 3):
        factories.make_attendance(placement, work_date=clock.today() - timedelta(days=days_ago))
    placement_id = placement.id
    app_ctx.session.commit()

    login(phone_page, "pj.dinsos")
    phone_page.goto(f"{phone_page.base_url}/kehadiran/penempatan/{placement_id}")
    ledger = phone_page.locator("#attendance-ledger")
    assert ledger.locator("tbody tr").count() == 3
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("td[data-label=Status]", "td[data-label=Aksi] .btn"):
        box = ledger.locator(selector).first.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, selector
    screenshot(phone_page, "phone-attendance-ledger")
