"""In Chromium, three days after the Ngawi agreement ended (30-11-2026, a Monday).

* The demo loaded that day lives: an OPD publishes a slot, a PK books a waiting demo
  client into it with the form's defaults, the OPD accepts, the PJ records attendance
  on his phone; no addendum typed by hand.
* Without the demo, the Kepala Bapas follows the red banner to the addendum form and
  proposes one with its scan; the Setda follows hers to confirm it; the banner is gone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.demo import load_demo
from portal.models import Client, Slot
from tests import factories
from tests.pdftools import minimal_pdf

TODAY = date(2026, 11, 30)
PDF = minimal_pdf()  # parses whole, as every upload must


def test_demo_on_the_day_after_expiry_runs_the_whole_placement(
    app_ctx: Any,
    page: Any,
    phone_page: Any,
    login: Any,
    screenshot: Any,
    foreign_requests: list[str],
) -> None:
    clock.freeze(TODAY)
    load_demo()
    waiting = app_ctx.session.scalar(select(Client).where(Client.full_name.like("dr. Bagus%")))
    waiting_id, waiting_code = waiting.id, waiting.code
    app_ctx.session.commit()  # (reading after this would hold SQLite's lock against the server)

    login(page, "opd.dinsos")
    assert "Kesepakatan telah berakhir" not in page.content()
    page.goto(page.base_url + "/lokasi-kerja/baru")
    assert page.input_value("#valid_until") == "27-11-2027"  # kept in force by the demo
    page.fill("#title", "Perpustakaan keliling (uji)")
    page.select_option("#category", "social_institution")
    page.select_option("#sector", "social_care")
    page.select_option("#place_type", "social_welfare")
    page.fill("#capacity", "2")
    page.fill("#tasks", "Menata buku dan membantu pengunjung")
    page.fill("#address", "Jl. Contoh Pustaka, Ngawi (fiktif)")
    page.locator("#location-picker svg path[stroke-dasharray]").wait_for()
    page.locator("#location-picker").click()
    for day in range(5):
        if day:
            page.click("#schedule-add")
        last = page.locator(".schedule-row").count() - 1
        page.select_option(f"#schedule-{last}-weekday", str(day))
        page.fill(f"#schedule-{last}-start", "08:00")
        page.fill(f"#schedule-{last}-end", "12:00")
    page.fill("#supervisor_name", "Slamet Riyadi (Demo)")
    page.select_option("#supervisor_user_id", label="Slamet Riyadi (Demo)")
    page.fill("#complaint_contact", "Sekretariat Dinas Sosial, telepon (0351) 000000")
    page.check("#unpaid_confirmed")
    page.click("button[value=publish]")
    page.wait_for_url(re.compile(r".*/lokasi-kerja/\d+$"))
    assert "Lokasi kerja diterbitkan" in page.content()
    slot_id = int(page.url.rsplit("/", 1)[1])

    page.click("text=Keluar")
    login(page, "pk.madiun")
    page.goto(f"{page.base_url}/klien/{waiting_id}/pencocokan")
    page.locator(f"a[href='/klien/{waiting_id}/pesan/{slot_id}']").first.click()
    assert page.input_value("#start_date") == f"{TODAY:%d-%m-%Y}"
    page.click("button >> text=Pesan penempatan")
    page.wait_for_url(re.compile(r".*/penempatan/\d+$"))
    placement_url = page.url
    screenshot(page, "demo-pk-booked")

    page.click("text=Keluar")
    login(page, "opd.dinsos")
    page.goto(placement_url)
    page.get_by_role("button", name=re.compile("Terima")).first.click()
    assert "diterima" in page.content()

    login(phone_page, "pj.dinsos")
    phone_page.goto(phone_page.base_url + "/kehadiran/")
    card = phone_page.locator(".attendance-card", has_text="Perpustakaan keliling (uji)")
    assert waiting_code in card.inner_text()
    card.get_by_role("button", name="Hadir 08:00–12:00").tap()
    phone_page.wait_for_selector("text=menunggu verifikasi")
    screenshot(phone_page, "demo-pj-recorded")
    assert all("tile.openstreetmap.org" in url for url in foreign_requests)  # map tiles only


def test_banner_leads_the_bapas_to_propose_and_the_setda_to_confirm(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, tmp_path: Any
) -> None:
    clock.freeze(TODAY)
    slot = factories.make_slot(valid_until=date(2026, 11, 27))
    agreement_id, slot_id = slot.agreement_id, slot.id
    app_ctx.session.commit()
    scan = tmp_path / "addendum.pdf"
    scan.write_bytes(PDF)

    login(page, "kabapas.madiun")
    banner = page.locator(".alert-danger", has_text="Kesepakatan telah berakhir")
    assert "hanya penerbitan slot" in banner.inner_text() or "berhenti" in banner.inner_text()
    banner.get_by_role("link", name="Usulkan Addendum").click()
    page.fill("#number_bapas", "WP.15.PAS.42.HK.01.02-ADD/2026")
    page.fill("#number_pemda", "400.9.4.3/ADD/NK/2026")
    assert page.input_value("#valid_until") == "27-11-2027"
    page.fill("#summary", "Perpanjangan masa berlaku satu tahun dengan isi yang sama.")
    page.set_input_files("#scan", str(scan))
    page.click("button >> text=Usulkan Addendum")
    page.wait_for_url(re.compile(rf".*/kesepakatan/{agreement_id}.*"))
    assert "Menunggu persetujuan Setda" in page.content()
    screenshot(page, "addendum-proposed")

    page.click("text=Keluar")
    login(page, "setda.ngawi")
    page.get_by_role("link", name="Tinjau dan setujui Addendum").first.click()
    assert page.locator("#extend_slots").is_checked()
    page.get_by_role("button", name="Setujui Addendum").click()
    assert "Addendum disetujui dan berlaku. 1 slot ikut diperpanjang." in page.content()
    screenshot(page, "addendum-confirmed")
    page.goto(page.base_url + "/beranda")
    assert "Kesepakatan telah berakhir" not in page.content()
    app_ctx.session.expire_all()
    assert app_ctx.session.get(Slot, slot_id).valid_until == date(2027, 11, 27)
