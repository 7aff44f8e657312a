"""An OPD admin publishes a slot in Chromium; it shows on the map with its free seats."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Slot
from tests.factories import make_client, make_placement, make_slot

XSS = "<img src=x onerror=alert(1)>${alert(2)}"
TITLE = "Pendampingan dapur umum (uji browser)"


def _only_tiles(foreign: list[str], tile_url: str) -> None:
    tile_host = urlsplit(tile_url.replace("{s}", "a")).netloc
    assert {urlsplit(u).netloc for u in foreign} <= {tile_host}


def test_opd_admin_publishes_a_slot_that_appears_on_the_map(
    app: Any,
    app_ctx: Any,
    page: Any,
    login: Any,
    screenshot: Any,
    foreign_requests: list[str],
) -> None:
    # Neighbours for clusters, and one whose title tries to run code.
    rng = random.Random(7)
    for n in range(80):
        make_slot(
            "NGAWI-DLH",
            title=f"Taman desa {n}",
            lat=-7.40 + rng.uniform(-0.12, 0.12),
            lng=111.44 + rng.uniform(-0.15, 0.15),
            category=rng.choice(["environment_cleaning", "public_service", "light_admin"]),
        )
    hostile = make_slot("NGAWI-RSUD", title=XSS, lat=-7.3981, lng=111.4481)
    db.session.commit()

    login(page, "opd.dinsos")
    page.goto(page.base_url + "/lokasi-kerja/baru")
    page.fill("#title", TITLE)
    page.select_option("#category", "social_institution")
    page.select_option("#sector", "social_care")
    page.select_option("#place_type", "social_welfare")
    page.fill("#capacity", "3")
    page.fill("#tasks", "Menyiapkan bahan makanan dan membersihkan dapur")
    page.fill("#address", "Jl. Contoh No. 1, Ngawi")
    # The Pemda's outline is drawn; clicking sets the coordinates (centre of the outline).
    page.locator("#location-picker svg path[stroke-dasharray]").wait_for()
    page.locator("#location-picker").click()
    assert page.input_value("#lat") != ""
    assert page.input_value("#lng") != ""
    page.select_option("#schedule-0-weekday", "0")
    page.fill("#schedule-0-start", "08:00")
    page.fill("#schedule-0-end", "12:00")
    page.click("#schedule-add")
    rows = page.locator(".schedule-row")
    last = rows.count() - 1
    page.select_option(f"#schedule-{last}-weekday", "2")
    page.fill(f"#schedule-{last}-start", "13:00")
    page.fill(f"#schedule-{last}-end", "15:00")
    page.fill("#supervisor_name", "Slamet Riyadi")
    page.check("input[name=facilities][value=prayer_room]")
    page.check("input[name=facilities][value=safe_toilet]")
    page.fill("#complaint_contact", "Kotak pengaduan di pos satpam")
    # First without the unpaid confirmation: refused at the field, nothing saved.
    page.click("button[value=publish]")
    assert "Belum ada yang disimpan" in page.locator("#form-refused").inner_text()
    assert "tidak dibayar" in page.locator("#unpaid_confirmed ~ .invalid-feedback").inner_text()
    screenshot(page, "slot-form-refused")
    page.check("#unpaid_confirmed")
    page.click("button[value=publish]")
    page.wait_for_url("**/lokasi-kerja/*")
    assert "Lokasi kerja diterbitkan" in page.content()
    assert page.locator("#seats-free").inner_text() == "3"
    assert "Senin 08:00–12:00; Rabu 13:00–15:00" in page.locator("main").inner_text()
    page.locator(".folium-map .leaflet-marker-icon").first.wait_for()
    # The map speaks Indonesian and measures in metres/kilometres only.
    map_frame = page.locator(".folium-map").first
    assert map_frame.locator(".leaflet-control-zoom-in").get_attribute("title") == "Perbesar"
    assert map_frame.locator(".leaflet-control-zoom-out").get_attribute("title") == "Perkecil"
    scale = map_frame.locator(".leaflet-control-scale").inner_text()
    assert "m" in scale
    assert "ft" not in scale
    assert "mi" not in scale
    screenshot(page, "slot-detail")

    slot = db.session.scalar(select(Slot).where(Slot.title == TITLE))
    assert slot.status == "published"
    make_placement(make_client(), slot)  # one seat taken: 2 of 3 free
    db.session.commit()

    page.goto(page.base_url + "/beranda")
    page.click("text=Keluar")
    login(page, "pk.madiun")
    page.goto(page.base_url + "/peta")
    page.locator(".marker-cluster").first.wait_for()
    assert page.locator(".marker-cluster").count() > 1
    # Without tiles (no internet here) the Pemda's outline still gives a bearing.
    assert page.locator(".folium-map svg path[stroke-dasharray]").count() == 1
    screenshot(page, "slot-map-clusters")

    # Filtered to the new slot's OPD and category: one marker, its popup, its seats.
    page.goto(page.base_url + f"/peta?opd={slot.opd_id}&kategori=social_institution")
    page.locator(".slot-pin").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")  # faded in
    assert TITLE in popup.inner_text()
    assert "Kursi kosong: 2 dari 3" in popup.inner_text()
    assert "Dinas Sosial" in popup.inner_text()
    screenshot(page, "slot-map-popup")

    # The hostile title is shown as text and runs nothing.
    page.goto(page.base_url + f"/peta?opd={hostile.opd_id}")
    page.locator(".slot-pin").first.click()
    page.locator(".leaflet-popup-content").wait_for()
    assert XSS in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("document.querySelectorAll('.leaflet-popup-content img').length") == 0
    assert page.dialogs == []
    _only_tiles(foreign_requests, app.config["MAP_TILE_URL"])
