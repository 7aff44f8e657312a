"""In the browser: the strict script policy (nonces, no 'unsafe-inline') breaks nothing.

The map's inline folium scripts run with the request's nonce; the confirm before
revoking a token comes from static/js/portal.js, not an inline handler; Chromium
reports no Content-Security-Policy violation on these pages.
"""

from __future__ import annotations

from typing import Any

from portal.extensions import db
from tests.factories import make_slot


def test_maps_and_confirmations_work_under_the_nonce_policy(
    app_ctx: Any, page: Any, login: Any, screenshot: Any
) -> None:
    slot_id = make_slot("NGAWI-DINSOS", title="Pendampingan dapur umum (CSP)").id
    db.session.commit()
    db.session.close()  # no open read transaction may lock SQLite for the server
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    login(page, "pk.madiun")
    for path in ("/peta", f"/lokasi-kerja/{slot_id}"):
        page.goto(page.base_url + path)
        page.locator(".leaflet-tile-pane").wait_for(state="attached")
        page.locator(".leaflet-marker-pane > *").first.wait_for()
    screenshot(page, "csp-slot-detail-map")

    page.goto(page.base_url + "/profil")
    page.fill("#name", "Uji CSP")
    page.click("text=Buat token")
    page.goto(page.base_url + "/profil")
    page.click("button:has-text('Cabut')")  # the dialog is dismissed: nothing is revoked
    assert page.dialogs
    assert page.dialogs[0].startswith("Cabut token")
    assert page.locator("button:has-text('Cabut')").count() == 1
    assert violations == []
