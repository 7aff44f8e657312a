"""In Chromium: the PK's booking puts a notification in the OPD admin's inbox (the envelope in the
navbar counts it); he opens it, accepts the booking, and the PK's inbox tells him."""

from __future__ import annotations

from typing import Any

from tests import factories


def test_booking_reaches_the_opd_inbox_and_the_answer_reaches_the_pk(
    page: Any, app_ctx: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    db = app_ctx
    slot = factories.make_slot("NGAWI-DLH", title="Penyapuan Pasar Besar")
    klien = factories.make_client(full_name="Sutrisno Fiktif")
    code, booking = klien.code, f"/klien/{klien.id}/pesan/{slot.id}"
    db.session.commit()
    db.session.remove()  # hold no SQLite lock while the browser writes

    login(page, "pk.madiun")
    page.goto(page.base_url + booking)
    page.click("button:has-text('Pesan penempatan')")
    page.wait_for_url("**/penempatan/*")

    page.context.clear_cookies()
    login(page, "opd.dlh")
    envelope = page.locator("a[data-unread]")
    assert envelope.get_attribute("data-unread") == "1"
    envelope.click()
    item = page.locator("[data-kind=booking_requested]")
    assert f"Pemesanan baru untuk klien {code}" in item.inner_text()
    assert "Sutrisno" not in page.content()
    screenshot(page, "notifications-inbox-opd")
    item.locator("button:has-text('Buka')").click()
    page.wait_for_url("**/penempatan/*")
    assert page.locator("a[data-unread]").get_attribute("data-unread") == "0"
    page.click("button:has-text('Terima')")

    page.context.clear_cookies()
    login(page, "pk.madiun")
    page.click("a[data-unread]")
    decided = page.locator("[data-kind=booking_decided]")
    assert f"Pemesanan {code} Sutrisno Fiktif diterima" in decided.inner_text()
    screenshot(page, "notifications-inbox-pk")
    assert foreign_requests == []
