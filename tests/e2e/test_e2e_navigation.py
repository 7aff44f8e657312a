"""The menu groups related pages so every role's navbar fits on one line."""

from __future__ import annotations

from typing import Any


def test_kepala_bapas_menu_fits_and_groups_open(page: Any, login: Any, screenshot: Any) -> None:
    login(page, "kabapas.madiun")
    nav = page.locator("#menu .navbar-nav").first
    box = nav.bounding_box()
    assert box is not None
    assert box["height"] < 60  # one line at 1366 px
    page.click("#menu >> text=Lokasi kerja")
    page.locator("#menu .dropdown-menu.show >> text=Peta lokasi kerja").wait_for()
    screenshot(page, "menu-kepala-bapas")
    page.click("#menu .dropdown-menu.show >> text=Peta lokasi kerja")
    page.wait_for_url("**/peta**")
    assert "active" in (
        page.locator("#menu .dropdown-toggle", has_text="Lokasi kerja").get_attribute("class") or ""
    )


def test_setda_sees_no_client_menu(page: Any, login: Any) -> None:
    login(page, "setda.ngawi")
    menu = page.locator("#menu").inner_text()
    assert "Klien" not in menu
    assert "Lokasi kerja" not in menu
    assert "Monitoring" in menu


def test_navbar_stays_one_line_with_long_organisation_names(page: Any, login: Any) -> None:
    """The signed-in name and a long role · organisation line do not push the menu onto two
    lines at 1366 px (Admin OPD of the Dinas Lingkungan Hidup, penanggung jawab lokasi)."""
    for username in ("opd.dlh", "pj.dinsos"):
        login(page, username)
        box = page.locator("nav.portal-navbar").bounding_box()
        assert box is not None
        assert box["height"] < 60, username
        label = page.locator("#menu .nav-link", has_text="Kesepakatan").first.bounding_box()
        assert label is not None
        assert label["height"] < 48, username  # one text line
        page.context.clear_cookies()
