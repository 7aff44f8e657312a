"""Each demo role signs in through the browser and lands on its own dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from portal import clock


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("admin", "Beranda admin sistem"),
        ("setda.ngawi", "Beranda Sekretariat Daerah"),
        ("kabapas.madiun", "Beranda Kepala Bapas"),
        ("pk.madiun", "Beranda Pembimbing Kemasyarakatan"),
        ("opd.dinsos", "Beranda Admin OPD"),
        ("pj.dinsos", "Beranda penanggung jawab lokasi"),
    ],
)
def test_role_lands_on_its_dashboard(page: Any, login: Any, username: str, heading: str) -> None:
    login(page, username)
    assert page.locator("h1").inner_text() == heading
    assert page.dialogs == []


def test_agreement_page_warns_before_expiry(
    page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    from datetime import date

    clock.freeze(date(2026, 11, 23))
    login(page, "setda.ngawi")
    assert "4 hari lagi" in page.content()
    page.click("text=Lihat kesepakatan")
    body = page.locator("main").inner_text()
    assert "WP.15.PAS.42.HK.01.02-1671" in body
    assert "400.9.4.3/11.05/NK/404.101.1/2025" in body
    assert "Segera berakhir" in body
    assert page.locator("table.workplan tbody tr").count() == 12
    screenshot(page, "agreement-ngawi")
    assert foreign_requests == []


def test_phone_menu_collapses(phone_page: Any, login: Any, screenshot: Any) -> None:
    login(phone_page, "pj.dinsos")
    assert not phone_page.locator("#menu").is_visible()
    phone_page.click("button.navbar-toggler")
    phone_page.locator("#menu.show:not(.collapsing)").wait_for(state="visible")
    assert phone_page.locator("#menu >> text=Kesepakatan").is_visible()
    screenshot(phone_page, "phone-dashboard-pj")
