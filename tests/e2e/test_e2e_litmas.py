"""The PK records a client's Litmas and an assessment in the browser and sees them on his page."""

from __future__ import annotations

from typing import Any

from tests import factories


def test_pk_records_litmas_and_assessment(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    person = factories.make_client(pk="pk.madiun")
    client_id = person.id
    app_ctx.session.commit()

    login(page, "pk.madiun")
    page.goto(f"{page.base_url}/klien/{client_id}")
    page.get_by_role("link", name="Litmas", exact=True).click()
    page.fill("#number", "W15.PAS.42-PK.01.05/101")
    page.fill("#social_summary", "Tinggal bersama istri dan dua anak; bekerja sebagai petani.")
    page.fill("#recommendation", "Pidana kerja sosial di lingkungan Dinas Lingkungan Hidup.")
    screenshot(page, "pk-litmas-form")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Litmas tersimpan.")

    page.get_by_role("link", name="Asesmen", exact=True).click()
    page.select_option("#kind", "skills")
    page.fill("#findings", "Terampil bertani dan merawat taman; belum bisa komputer.")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Asesmen individual tersimpan.")
    card = page.locator("#tahap-1")
    text = card.inner_text()
    assert "W15.PAS.42-PK.01.05/101" in text
    assert "Asesmen keterampilan" in text
    assert "Belum: Asesmen sosial, Asesmen psikologis." in text
    card.scroll_into_view_if_needed()
    screenshot(page, "pk-client-stage-one")
    assert foreign_requests == []
