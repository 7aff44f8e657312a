"""Dates and times in Indonesian form (dd-mm-yyyy, 24 hours) in an English Chromium.

A browser draws ``<input type="date">`` in its own language (mm/dd/yyyy and AM/PM
with ``--lang=en-US``); the portal's inputs are text, shown and parsed as Indonesians
write them, whatever the browser's language.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from portal import clock
from tests import factories

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
DATE_LIKE = "input[type=date], input[type=time], input[type=datetime-local], input[type=month]"


@pytest.fixture
def english_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page of the run's Chromium in English (a second Playwright in the same run fails)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server
    yield page
    context.close()


def test_english_browser_shows_and_accepts_indonesian_dates_and_times(
    app_ctx: Any, english_page: Any, login: Any, screenshot: Any
) -> None:
    page = english_page
    placement = factories.make_supervised_placement()  # weekdays 08:00-12:00
    placement_id = placement.id
    app_ctx.session.commit()
    today = clock.today()

    login(page, "pj.dinsos")
    assert page.evaluate("navigator.language") == "en-US"
    page.goto(f"{page.base_url}/kehadiran/penempatan/{placement_id}")
    assert page.locator(DATE_LIKE).count() == 0
    work_date = page.locator("#work_date")
    assert work_date.get_attribute("type") == "text"
    assert work_date.get_attribute("placeholder") == "hh-bb-tttt"
    assert work_date.input_value() == today.strftime("%d-%m-%Y")
    assert page.locator("#time_in").input_value() == "08:00"

    # The file picker is the portal's own, in Indonesian (the browser's says "Choose File").
    picker = page.locator("label.btn[for=photo]")
    assert picker.inner_text().strip() == "Pilih berkas"
    assert page.locator("#photo").bounding_box()["width"] <= 1  # only for screen readers
    assert page.locator("[data-file-name-for=photo]").inner_text() == "Belum ada berkas dipilih"
    page.set_input_files("#photo", files=[{"name": "bukti.png", "mimeType": "image/png",
                                           "buffer": PNG}])  # fmt: skip
    assert page.locator("[data-file-name-for=photo]").inner_text() == "bukti.png"
    page.set_input_files("#photo", files=[])

    work_date.fill(today.strftime("%d-%m-%Y"))
    page.fill("#time_in", "13:00")
    page.fill("#time_out", "16:30")
    page.fill("#activity", "Menyapu halaman kantor")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("text=Kehadiran dicatat")
    row = page.locator("table tbody tr").first.inner_text()
    assert today.strftime("%d-%m-%Y") in row
    assert "13:00–16:30" in row
    assert "PM" not in row
    screenshot(page, "english-browser-indonesian-times")

    # A date written the American way is refused next to the field, not misread.
    page.fill("#work_date", "11/30/2026")
    page.click("form[enctype] button[type=submit]")
    assert "Tanggal tidak sah" in page.locator("#work_date ~ .invalid-feedback").inner_text()


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("admin", "/kesepakatan/baru"),
        ("kabapas.madiun", "/monitoring/"),
        ("pk.madiun", "/klien/baru"),
        ("opd.dinsos", "/lokasi-kerja/baru"),
    ],
)
def test_forms_have_no_browser_date_inputs(
    app_ctx: Any, english_page: Any, login: Any, username: str, path: str
) -> None:
    login(english_page, username)
    response = english_page.goto(english_page.base_url + path)
    assert response.status == 200
    assert english_page.locator(DATE_LIKE).count() == 0
    dates = english_page.locator("input[placeholder='hh-bb-tttt']")
    assert dates.count() > 0
    for i in range(dates.count()):
        value = dates.nth(i).input_value()
        assert value == "" or (len(value) == 10 and value[2] == "-" and value[5] == "-"), value
