"""The menu on common laptop widths: every role's navbar fits on one line without a
horizontal scroll, and below 1200 px it folds behind the menu button."""

from __future__ import annotations

from typing import Any

import pytest

ROLES = ["admin", "kabapas.madiun", "pk.madiun", "setda.ngawi", "opd.dinsos", "pj.dinsos"]


@pytest.mark.parametrize("width", [1200, 1280, 1366])
def test_every_role_s_menu_fits_a_laptop_screen(page: Any, login: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    for username in ROLES:
        page.context.clear_cookies()
        login(page, username)
        page.goto(f"{page.base_url}/beranda")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, username
        logout = page.locator("form[action$='/keluar'] button")
        box = logout.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width, username
        # One line: the sign-out button sits level with the first menu entry.
        first = page.locator("#menu .nav-link").first.bounding_box()
        assert first is not None
        assert abs(first["y"] - box["y"]) < first["height"], username
        assert logout.get_attribute("title") == "Keluar"


def test_a_narrower_screen_folds_the_menu_behind_its_button(page: Any, login: Any) -> None:
    page.set_viewport_size({"width": 1024, "height": 800})
    login(page, "kabapas.madiun")
    page.goto(f"{page.base_url}/beranda")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert not page.locator("#menu .nav-link").first.is_visible()
    page.get_by_role("button", name="Buka menu").click()
    page.locator("#menu .nav-link").first.wait_for(state="visible")
    assert page.locator("#menu").get_by_text("Keluar").count() == 1
