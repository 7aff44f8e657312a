"""In Chromium: a PK registers a client, sees ranked and excluded slots with reasons, books
one; the OPD admin sees only the client code and accepts it."""

from __future__ import annotations

from typing import Any

from tests import factories


def test_pk_registers_matches_books_and_opd_accepts(
    page: Any, app_ctx: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    db = app_ctx
    factories.make_slot(title="Kebersihan Taman Kota Ngawi", capacity=2)
    factories.make_slot(
        "NGAWI-DLH", title="Penyapuan Pasar Besar", lat=-7.399, lng=111.452, capacity=3
    )
    factories.make_slot(
        title="Pengarsipan berkas bantuan sosial",
        category="light_admin",
        sector="administration",
        risks=["confidential_data"],
    )
    factories.make_slot("NGAWI-RSUD", title="Kebersihan bangsal", lat=-7.95, lng=111.80)
    db.session.commit()

    login(page, "pk.madiun")
    screenshot(page, "dashboard-pk-clients")
    page.click("nav >> text=Klien")
    page.click("text=Daftarkan klien")
    page.fill("#full_name", "Sutrisno Fiktif")
    page.fill("#birth_place", "Ngawi")
    page.fill("#birth_date", "1985-07-17")
    page.select_option("#sex", "L")
    page.fill("#address", "Dusun Fiktif RT 02, Kecamatan Ngawi")
    page.locator(".map-picker").first.click()  # the map opens on Ngawi: click its centre
    page.fill("#decision_number", "31/Pid.C/2026/PN Ngw")
    page.fill("#decision_date", "2026-05-18")
    page.fill("#court", "Pengadilan Negeri Ngawi")
    page.fill("#execution_order_number", "PRINT-77/M.5.30/Eku.2/05/2026")
    page.fill("#hours_ordered", "241")
    page.fill("#start_date", "2026-06-01")
    page.fill("#deadline", "2026-11-27")
    for check in ("issuer", "name", "identity", "signature", "stamp", "date"):
        page.check(f"input[name=document_checks][value={check}]")
    page.fill("#occupation", "Buruh tani")
    page.fill("#offence", "Pencurian ringan (Pasal 478 KUHP)")
    page.check("input[name=skills][value=environment_cleaning]")
    for day in range(5):
        page.fill(f"#available-{day}-start", "08:00")
        page.fill(f"#available-{day}-end", "12:00")
    page.click("button[type=submit] >> text=Daftarkan klien")

    # 241 hours for an adult: refused at the field, nothing saved
    assert "8 sampai 240 jam" in page.locator("#hours_ordered ~ .invalid-feedback").inner_text()
    screenshot(page, "clients-register-refused")
    page.fill("#hours_ordered", "120")
    page.click("button[type=submit] >> text=Daftarkan klien")
    page.wait_for_url("**/klien/*")
    assert "Klien terdaftar dengan kode MDN-2026-" in page.content()
    screenshot(page, "clients-detail")

    page.click("text=Cari tempat kerja sosial")
    eligible = page.locator(".match-eligible")
    assert eligible.count() == 2
    assert "Kebersihan Taman Kota Ngawi" in eligible.first.inner_text()
    assert "Sesuai minat dan keahlian klien" in eligible.first.inner_text()
    excluded = page.locator(".match-excluded").all_inner_texts()
    assert any("Akses data rahasia" in x and "Pengarsipan berkas" in x for x in excluded)
    assert any("Terlalu jauh dari rumah" in x and "Kebersihan bangsal" in x for x in excluded)
    assert not any("CONFIDENTIAL_DATA" in x or "TOO_FAR" in x for x in excluded)
    page.locator("#match-map .leaflet-interactive").first.wait_for()
    screenshot(page, "clients-matches")

    eligible.first.locator("text=Pesan tempat ini").click()
    assert page.input_value("input[name=start_0]") == "08:00"
    screenshot(page, "placements-book")
    page.click("button >> text=Pesan penempatan")
    page.wait_for_url("**/penempatan/*")
    assert "Menunggu konfirmasi OPD" in page.content()
    code = page.locator("h1 code").inner_text()

    page.click("text=Keluar")
    login(page, "opd.dinsos")
    assert "Permintaan penempatan menunggu keputusan Anda" in page.content()
    # The OPD's client pages (placements, the sessions list) share the "Klien" menu.
    page.click("nav .dropdown-toggle:has-text('Klien')")
    page.click("nav >> text=Penempatan")
    listing = page.locator("main").inner_text()
    assert code in listing
    assert "Sutrisno" not in listing
    page.click(f"text={code}")
    body = page.locator("main").inner_text()
    assert "Sutrisno" not in body
    assert "Pencurian" not in body
    page.click("button >> text=Terima")
    assert "Diterima OPD" in page.locator("main").inner_text()
    screenshot(page, "placements-opd-accepted")
    assert page.dialogs == []
    assert all("openstreetmap" in url for url in foreign_requests)
