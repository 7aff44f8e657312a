"""The map: vendored assets only, slot text never executable, filters, legend."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.factories import make_placement, make_slot

XSS = "<img src=x onerror=alert(1)>${alert(2)}"


def test_map_uses_only_vendored_assets(client: FlaskClient, login_as: Any) -> None:
    make_slot()
    login_as("pk.madiun")
    page = client.get("/peta").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("vendor/leaflet-1.9.4/leaflet.js" in s for s in sources)
    assert any("leaflet.markercluster-1.5.3/leaflet.markercluster.js" in s for s in sources)
    assert any("vendor/jquery-3.7.1/jquery.min.js" in s for s in sources)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []
    assert "<iframe" not in page
    # folium's stand-alone page settings are dropped (no zoom lock, no full-page body).
    assert "user-scalable=no" not in page
    assert "html, body {" not in page


def test_tiles_come_from_the_settings(app: Any, client: FlaskClient, login_as: Any) -> None:
    make_slot()
    login_as("pk.madiun")
    page = client.get("/peta").get_data(as_text=True)
    assert app.config["MAP_TILE_URL"] in page
    assert '"maxZoom": 19' in page


def test_slot_text_is_never_executable(client: FlaskClient, login_as: Any) -> None:
    make_slot(title=XSS)
    make_slot(title="</script><script>alert(3)</script>")
    login_as("pk.madiun")
    page = client.get("/peta").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "</script><script>alert(3)" not in page
    # The title travels as JSON data (escaped), read by a callback that uses textContent.
    assert "\\u003cimg src=x onerror=alert(1)\\u003e${alert(2)}" in page
    assert "textContent" in page
    assert "bindPopup(function" in page
    # No template literal anywhere could evaluate ${...}.
    script = page[page.index("FastMarkerCluster") if "FastMarkerCluster" in page else 0 :]
    assert "`" not in script


def test_popup_data_has_free_seats_of_capacity(client: FlaskClient, login_as: Any) -> None:
    slot = make_slot(title="Taman kota uji", capacity=4)
    make_placement(slot=slot)
    login_as("pk.madiun")
    page = client.get("/peta").get_data(as_text=True)
    # row: [lat, lng, id, title, opd, category, free, capacity, schedule]
    assert re.search(
        rf'\[-7\.404, 111\.446, {slot.id}, "Taman kota uji", \d+, 2, 3, 4, \d+\]', page
    )
    assert "Senin\\u2013Jumat" in page or "Senin–Jumat" in page
    assert "Kursi kosong: " in page
    assert "1 lokasi terbit" in page


def test_map_filters_and_legend(client: FlaskClient, login_as: Any) -> None:
    full = make_slot(title="Penuh sekali", capacity=1)
    make_placement(slot=full)
    make_slot(title="Ada ramp", facilities=["ramp"], category="light_admin")
    make_slot(title="Masih draf", status="draft")
    login_as("opd.dinsos")
    page = client.get("/peta").get_data(as_text=True)
    assert "Penuh sekali" in page
    assert "Ada ramp" in page
    assert "Masih draf" not in page
    page = client.get("/peta?kosong=1").get_data(as_text=True)
    assert "Penuh sekali" not in page
    assert "Ada ramp" in page
    page = client.get("/peta?fasilitas=ramp&kategori=light_admin").get_data(as_text=True)
    assert "Penuh sekali" not in page
    assert "Ada ramp" in page
    assert 'id="map-legend"' in page
    for label in ("Administrasi ringan", "Kebersihan lingkungan dan fasilitas umum"):
        assert label in page


def test_slot_page_has_its_own_map(client: FlaskClient, login_as: Any) -> None:
    slot = make_slot(title=XSS)
    login_as("opd.dinsos")
    page = client.get(f"/lokasi-kerja/{slot.id}").get_data(as_text=True)
    assert "folium-map" in page
    assert "L.marker" in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;${alert(2)}" in page


def test_map_of_other_bapas_is_empty(client: FlaskClient, login_as: Any, db: Any) -> None:
    from portal.models import Role, User
    from tests.factories import bapas

    make_slot(title="Hanya untuk Madiun")
    other = User(username="kb.kediri", full_name="Kabapas Kediri", role=Role.KEPALA_BAPAS)
    other.bapas_id = bapas("KDR").id
    db.session.add(other)
    db.session.flush()
    login_as("kb.kediri")
    page = client.get("/peta").get_data(as_text=True)
    assert "Hanya untuk Madiun" not in page
    assert "0 lokasi terbit" in page


# --- many slots: markers fetched as JSON -------------------------------------------


def _json_map(monkeypatch: Any) -> None:
    """Make every map fetch its markers, as it does with more than MAP_INLINE_MAX slots."""
    monkeypatch.setattr("portal.slots.routes.MAP_INLINE_MAX", 1)


def test_a_large_map_page_carries_no_markers_but_their_address(
    client: FlaskClient, login_as: Any, monkeypatch: Any
) -> None:
    _json_map(monkeypatch)
    full = make_slot(title="Penuh sekali", capacity=1)
    make_placement(slot=full)
    make_slot(title=XSS, capacity=5, lat=-7.45, lng=111.4)
    login_as("opd.dinsos")
    page = client.get("/peta?kategori=environment_cleaning").get_data(as_text=True)
    assert "Penuh sekali" not in page
    assert "onerror" not in page
    assert "2 lokasi terbit · 5 kursi kosong" in page
    assert '"/peta.json?kategori=environment_cleaning"' in page
    assert "addLayers(markers)" in page
    assert 'id="slot-map-status"' in page
    # The map is framed on the slots even without them in the page.
    assert "fitBounds" in page
    data = client.get("/peta.json?kategori=environment_cleaning").get_json()
    titles = {row[3]: row for row in data["rows"]}
    assert set(titles) == {"Penuh sekali", XSS}
    row = titles["Penuh sekali"]
    assert row[6:8] == [0, 1]
    assert data["meta"]["opds"][row[4]] == full.opd.short_name
    assert data["meta"]["url"] == "/lokasi-kerja/"
    assert data["meta"]["scheds"][row[8]].startswith("Senin")


def test_marker_json_never_carries_markup_unescaped(client: FlaskClient, login_as: Any) -> None:
    make_slot(title="</script><b>tebal</b>")
    login_as("pk.madiun")
    response = client.get("/peta.json")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"].startswith("no-store")
    assert response.get_json()["rows"][0][3] == "</script><b>tebal</b>"


def test_marker_json_keeps_the_filters_and_the_scope(
    client: FlaskClient, login_as: Any, db: Any
) -> None:
    from portal.models import Role, User
    from tests.factories import bapas

    full = make_slot(title="Penuh sekali", capacity=1)
    make_placement(slot=full)
    make_slot(title="Ada ramp", facilities=["ramp"], category="light_admin")
    make_slot(title="Masih draf", status="draft")
    login_as("pk.madiun")

    def titles(url: str) -> set[str]:
        return {row[3] for row in client.get(url).get_json()["rows"]}

    assert titles("/peta.json") == {"Penuh sekali", "Ada ramp"}
    assert titles("/peta.json?kosong=1") == {"Ada ramp"}
    assert titles("/peta.json?fasilitas=ramp&kategori=light_admin") == {"Ada ramp"}
    other = User(username="kb.kediri", full_name="Kabapas Kediri", role=Role.KEPALA_BAPAS)
    other.bapas_id = bapas("KDR").id
    db.session.add(other)
    db.session.flush()
    login_as("kb.kediri")
    assert titles("/peta.json") == set()


def test_the_page_counts_like_the_markers(client: FlaskClient, login_as: Any) -> None:
    """Count and free seats come from one SQL aggregate; the inline markers agree."""
    a = make_slot(title="Dua kursi", capacity=2)
    make_placement(slot=a)
    make_slot(title="Tiga kursi", capacity=3)
    login_as("pk.madiun")
    page = client.get("/peta").get_data(as_text=True)
    rows = client.get("/peta.json").get_json()["rows"]
    assert f"{len(rows)} lokasi terbit · {sum(r[6] for r in rows)} kursi kosong" in page
    assert "2 lokasi terbit · 4 kursi kosong" in page
