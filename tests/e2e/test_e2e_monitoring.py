"""Setda Ngawi in the browser: the work plan with derived progress, the indicators and charts."""

from __future__ import annotations

from typing import Any

from tests.monitoring_fixture import build_world


def test_setda_sees_workplan_indicators_and_charts(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    world = build_world()
    names = [c.full_name for c in world.clients.values()]
    codes = [c.code for c in world.clients.values()]
    agreement_id = world.agreement.id
    app_ctx.session.commit()
    app_ctx.session.close()  # no open read transaction may lock SQLite for the server

    login(page, "setda.ngawi")
    assert page.locator("text=Indikator 2026").count() == 1
    screenshot(page, "monitoring-setda-dashboard")

    page.goto(f"{page.base_url}/monitoring/rencana-kerja/{agreement_id}")
    page.get_by_role("heading", name="Capaian Rencana Kerja").wait_for()
    body = page.inner_text("body")
    assert "Dihitung dari data portal" in body
    assert "61 dari 310 jam putusan terverifikasi" in body
    assert "Tertinggal" in body
    assert "Sesuai jadwal" in body
    assert page.locator(".gantt-bar").count() == 12
    screenshot(page, "monitoring-setda-workplan")

    page.goto(f"{page.base_url}/monitoring/?kesepakatan={agreement_id}")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart('chart-months') && Chart.getChart('chart-opds')"
    )
    datasets = page.evaluate("() => Chart.getChart('chart-months').data.datasets.length")
    assert datasets == 4
    body = page.inner_text("body")
    assert "60,0 %" in body  # % ready to live in society (LKjIP)
    for secret in names + codes:
        assert secret not in page.content()
    screenshot(page, "monitoring-setda-indicators")
    assert foreign_requests == []


def test_monitoring_map_shows_opds_without_clients(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, foreign_requests: list[str]
) -> None:
    world = build_world()
    agreement_id = world.agreement.id
    app_ctx.session.commit()
    app_ctx.session.close()

    login(page, "setda.ngawi")
    page.goto(f"{page.base_url}/monitoring/peta?kesepakatan={agreement_id}")
    page.wait_for_selector("path.leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() == 2  # Dinas Sosial and DLH
    page.locator("path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Slot terbit" in popup.inner_text()
    page.wait_for_timeout(500)  # let the popup finish fading in
    screenshot(page, "monitoring-setda-map")
    # tiles come from the internet and are blocked in tests; nothing else is foreign
    assert all("tile.openstreetmap.org" in url for url in foreign_requests)
