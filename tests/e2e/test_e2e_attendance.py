"""A PJ lokasi records and verifies a day on his phone; the PK sees the hours move."""

from __future__ import annotations

from typing import Any

from tests import factories


def test_pj_records_and_verifies_on_a_phone_and_pk_sees_the_hours(
    app_ctx: Any,
    page: Any,
    phone_page: Any,
    login: Any,
    screenshot: Any,
    foreign_requests: list[str],
) -> None:
    placement = factories.make_supervised_placement()  # weekdays 08:00-12:00; today is Monday
    person = placement.client
    client_id, code, name = person.id, person.code, person.full_name
    app_ctx.session.commit()

    login(page, "pk.madiun")
    page.goto(f"{page.base_url}/pengawasan/klien/{client_id}")
    assert page.locator('[data-ledger="verified"]').inner_text() == "0 jam"

    login(phone_page, "pj.dinsos")
    phone_page.goto(phone_page.base_url + "/kehadiran/")
    card = phone_page.locator(".attendance-card")
    assert code in card.inner_text()
    assert name not in phone_page.content()  # the PJ sees the code, never the name
    button = card.get_by_role("button", name="Hadir 08:00–12:00")
    box = button.bounding_box()
    assert box["width"] > 300  # a full-width button, easy to tap
    assert box["height"] >= 44
    button.tap()
    phone_page.wait_for_selector("text=menunggu verifikasi")
    assert "Menunggu verifikasi" in card.inner_text()
    assert phone_page.locator("[data-reminders]").get_attribute("data-reminders") == "1"
    screenshot(phone_page, "phone-attendance-recorded")
    card.get_by_role("button", name="Verifikasi").tap()
    phone_page.wait_for_selector("text=diverifikasi")
    assert "Terverifikasi" in card.inner_text()
    assert phone_page.locator("[data-reminders]").get_attribute("data-reminders") == "0"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the phone
    screenshot(phone_page, "phone-attendance-verified")

    page.reload()
    assert page.locator('[data-ledger="verified"]').inner_text() == "4 jam"
    assert page.locator('[data-ledger="remaining"]').inner_text() == "116 jam"
    screenshot(page, "pk-client-ledger")
    assert foreign_requests == []


def test_pk_assesses_a_visit_and_starts_a_violation_case(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    placement = factories.make_supervised_placement()
    client_id = placement.client_id
    app_ctx.session.commit()

    login(page, "pk.madiun")
    page.goto(f"{page.base_url}/pengawasan/klien/{client_id}/penilaian")
    for label in (
        "Klien hadir dan pulang sesuai dengan jam yang ditentukan",
        "Klien rajin melaksanakan pekerjaannya",
        "Klien tidak mendapatkan keluhan dari masyarakat",
    ):
        page.get_by_label(label).check()
    page.select_option("#stage", "action")
    page.fill("#notes", "Bekerja rajin, perlu diingatkan soal istirahat.")
    screenshot(page, "pk-assessment-form")
    page.get_by_role("button", name="Simpan penilaian").click()
    page.wait_for_selector("text=Penilaian sikap disimpan.")
    assert "3/10" in page.locator("main").inner_text()
    assert "Tindakan" in page.locator("main").inner_text()

    page.get_by_role("link", name="Catat pelanggaran").click()
    page.wait_for_selector("text=Pelanggaran atau perilaku baik")
    page.get_by_role("button", name="Catat").click()  # nothing typed: refused, on the page
    page.wait_for_selector("#description.is-invalid")
    page.select_option("#category", "absent_without_reason")
    page.fill("#description", "Tidak hadir tanpa kabar pada hari Jumat.")
    screenshot(page, "pk-conduct-form")
    page.get_by_role("button", name="Catat").click()
    page.wait_for_selector("text=usulkan tim pemeriksa")
    page.fill("#members", "Rina Kusumawati (PK), Agus Prasetyo (PK)")
    page.get_by_role("button", name="Simpan").click()
    deadline = page.locator("#team-deadline").inner_text()
    assert "batas pemeriksaan tim (7 hari" in deadline
    assert "08-06-2026: 7 hari lagi" in deadline
    screenshot(page, "pk-conduct-case")
    assert foreign_requests == []
