"""A map with more slots than the page carries: markers arrive as JSON and cluster."""

from __future__ import annotations

import random
from typing import Any

from portal.extensions import db
from tests.factories import make_slot

XSS = "<img src=x onerror=alert(1)>${alert(2)}"


def test_fetched_markers_cluster_and_open_as_text(
    app_ctx: Any, page: Any, login: Any, screenshot: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("portal.slots.routes.MAP_INLINE_MAX", 0)
    rng = random.Random(11)
    for n in range(60):
        make_slot(
            "NGAWI-DLH",
            title=f"Taman desa {n}",
            lat=-7.40 + rng.uniform(-0.12, 0.12),
            lng=111.44 + rng.uniform(-0.15, 0.15),
        )
    hostile = make_slot("NGAWI-RSUD", title=XSS, lat=-7.3981, lng=111.4481)
    db.session.commit()

    login(page, "pk.madiun")
    with page.expect_response(lambda r: "/peta.json" in r.url) as fetched:
        page.goto(page.base_url + "/peta")
    assert fetched.value.status == 200
    page.locator(".marker-cluster").first.wait_for()
    assert page.locator(".marker-cluster").count() > 1
    assert "Taman desa" not in page.content().split("<script", 1)[0]
    assert page.inner_text("#slot-map-status") == ""
    screenshot(page, "slot-map-json-clusters")

    # Filtered to one OPD: the fetched marker's popup shows the hostile title as text.
    with page.expect_response(lambda r: "/peta.json" in r.url):
        page.goto(page.base_url + f"/peta?opd={hostile.opd_id}")
    page.locator(".slot-pin").first.click()
    page.locator(".leaflet-popup-content").wait_for()
    assert XSS in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("document.querySelectorAll('.leaflet-popup-content img').length") == 0
    assert page.dialogs == []
