"""Folium maps of work slots, served from the portal's own static files and embedded
in the portal's page (no iframe).

Safety: a slot's text never reaches the page as HTML or JavaScript source. Marker
data travel as JSON (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``) to a
FastMarkerCluster callback that builds each popup with ``textContent``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import folium
from branca.element import Figure
from folium.plugins import FastMarkerCluster, MarkerCluster
from markupsafe import Markup

from portal import codes

DEFAULT_CENTRE = (-7.404, 111.446)  # Kota Ngawi

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS: dict[str, str] = {
    "social_institution": "#0072B2",
    "public_service": "#E69F00",
    "environment_cleaning": "#009E73",
    "light_admin": "#CC79A7",
    "teaching_training": "#D55E00",
}
CATEGORY_ORDER: list[str] = list(codes.JOB_CATEGORIES)


def configure_folium(static_url_path: str) -> None:
    """Point folium and its plugins at the vendored Leaflet files, once at start-up."""
    vendor = f"{static_url_path}/vendor"
    folium.Map.default_js = [
        ("leaflet", f"{vendor}/leaflet-1.9.4/leaflet.js"),
        # Zoom buttons in Indonesian, a metric scale only (no "1000 ft").
        ("leaflet_id", f"{static_url_path}/js/leaflet-id.js"),
        ("jquery", f"{vendor}/jquery-3.7.1/jquery.min.js"),
    ]
    folium.Map.default_css = [("leaflet_css", f"{vendor}/leaflet-1.9.4/leaflet.css")]
    cluster_js = [
        ("markerclusterjs", f"{vendor}/leaflet.markercluster-1.5.3/leaflet.markercluster.js")
    ]
    cluster_css = [
        ("markerclustercss", f"{vendor}/leaflet.markercluster-1.5.3/MarkerCluster.css"),
        (
            "markerclusterdefaultcss",
            f"{vendor}/leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
        ),
    ]
    for plugin in (MarkerCluster, FastMarkerCluster):
        plugin.default_js = list(cluster_js)
        plugin.default_css = list(cluster_css)


@dataclass(frozen=True)
class TileSettings:
    """The tile server: URL template, attribution and maximum zoom."""

    url: str
    attribution: str
    max_zoom: int


@dataclass(frozen=True)
class EmbeddedMap:
    """The three parts of a rendered folium map, to place in the portal's own page."""

    header: Markup
    html: Markup
    script: Markup


class MapSlot(NamedTuple):
    """What the map shows of one slot (a tuple: tens of thousands are built per page)."""

    id: int
    lat: float
    lng: float
    title: str
    opd_name: str
    category: str
    capacity: int
    occupied: int
    schedule: str


_VIEWPORT = re.compile(r"<meta name=\"viewport\"[^>]*>", re.S)
_PAGE_STYLE = re.compile(r"<style>\s*html,\s*body\s*\{[^}]*\}\s*</style>", re.S)
_MAP_ID_STYLE = re.compile(r"<style>\s*#map\s*\{[^}]*\}\s*</style>", re.S)


def _base_map(tiles: TileSettings, location: Sequence[float], zoom: int) -> folium.Map:
    m = folium.Map(location=list(location), zoom_start=zoom, tiles=None, control_scale=True)
    # Always a tile layer with max_zoom: MarkerCluster needs the map's maxZoom.
    folium.TileLayer(
        tiles=tiles.url, attr=tiles.attribution, max_zoom=tiles.max_zoom, name="Peta dasar"
    ).add_to(m)
    return m


def embed(m: folium.Map) -> EmbeddedMap:
    """Render a map into head, body and script parts for the portal's page.

    folium's page header also sets a viewport that forbids zooming and a full-page
    ``html, body`` style meant for a stand-alone page: both are dropped here.
    """
    root = m.get_root()
    assert isinstance(root, Figure)  # a map not placed in a page is the root of its own Figure
    root.render()
    header = root.header.render()
    for pattern in (_VIEWPORT, _PAGE_STYLE, _MAP_ID_STYLE):
        header = pattern.sub("", header)
    # Rendered by folium from data that Jinja's tojson escaped; no user text is raw.
    return EmbeddedMap(
        header=Markup(header),  # noqa: S704
        html=Markup(root.html.render()),  # noqa: S704
        script=Markup(root.script.render()),  # noqa: S704
    )


def _json_for_script(value: Any) -> str:
    """JSON safe inside a <script>: no '<', '>', '&' or quote can close the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# One marker factory for the page: ``slotMarkers(meta)`` returns the callback that turns
# one JSON row into a marker whose popup is built with textContent.
_MARKER_FACTORY = """var slotMarkers = function (meta) {
    var icons = meta.cats.map(function (cat, i) {
        return L.divIcon({className: "slot-pin slot-pin-" + i, iconSize: [16, 16]});
    });
    return function (row) {
        var cat = meta.cats[row[5]];
        var marker = L.marker(new L.LatLng(row[0], row[1]), {
            icon: icons[row[5]],
            title: row[3],
            alt: row[3]
        });
        marker.bindPopup(function () {
            var box = document.createElement("div");
            box.className = "slot-popup";
            function add(tag, text, cls) {
                var el = document.createElement(tag);
                el.textContent = text;
                if (cls) { el.className = cls; }
                box.appendChild(el);
                return el;
            }
            add("div", row[3], "slot-popup-title");
            add("div", meta.opds[row[4]], "slot-popup-opd");
            add("div", cat[0], "slot-popup-cat");
            add("div", "Kursi kosong: " + row[6] + " dari " + row[7], "slot-popup-seats");
            add("div", "Jadwal: " + meta.scheds[row[8]], "slot-popup-schedule");
            var link = document.createElement("a");
            link.href = meta.url + row[2];
            link.textContent = "Buka lokasi kerja";
            box.appendChild(link);
            return box;
        });
        return marker;
    };
};
"""

# Markers fetched after the page: one request, one addLayers (the cluster layer builds
# its tree once). A failed fetch says so under the map's title.
_MARKER_LOADER = """(function (layer, url) {
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) {
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json();
        })
        .then(function (data) {
            var make = slotMarkers(data.meta);
            var markers = new Array(data.rows.length);
            for (var i = 0; i < data.rows.length; i++) { markers[i] = make(data.rows[i]); }
            layer.addLayers(markers);
            document.getElementById("slot-map-status").textContent = "";
        })
        .catch(function () {
            document.getElementById("slot-map-status").textContent =
                "Titik lokasi kerja gagal dimuat. Muat ulang halaman.";
        });
})(%(layer)s, %(url)s);
"""


def _category_meta() -> list[list[str]]:
    return [[codes.JOB_CATEGORIES[c], CATEGORY_COLOURS[c]] for c in CATEGORY_ORDER]


def marker_data(slots: Iterable[MapSlot], slot_url_prefix: str) -> dict[str, Any]:
    """The markers as compact JSON: shared texts (OPD names, schedules) listed once.

    Each row is ``[lat, lng, id, title, opd, category, free, capacity, schedule]``,
    the three indexes pointing into ``meta``.
    """
    opd_index: dict[str, int] = {}
    sched_index: dict[str, int] = {}
    cat_index = {code: i for i, code in enumerate(CATEGORY_ORDER)}
    rows = [
        [
            round(s.lat, 5),
            round(s.lng, 5),
            s.id,
            s.title,
            opd_index.setdefault(s.opd_name, len(opd_index)),
            cat_index.get(s.category, 0),
            max(s.capacity - s.occupied, 0),
            s.capacity,
            sched_index.setdefault(s.schedule, len(sched_index)),
        ]
        for s in slots
    ]
    meta = {
        "opds": list(opd_index),
        "scheds": list(sched_index),
        "cats": _category_meta(),
        "url": slot_url_prefix,
    }
    return {"meta": meta, "rows": rows}


def slots_map(
    slots: Iterable[MapSlot],
    tiles: TileSettings,
    slot_url_prefix: str,
    outlines: Sequence[Sequence[Sequence[float]]] = (),
    data_url: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> EmbeddedMap:
    """The map of many slots: clustered, coloured by job category, popups on click.

    With ``data_url`` the page carries no markers: the browser fetches them as JSON
    from that address (``slots`` is then empty and ``bounds`` — south, west, north,
    east — frames the map). ``outlines`` are Pemda areas drawn as dashed lines, so
    that the map keeps its bearings when the tile server cannot be reached.
    """
    data = marker_data(slots, slot_url_prefix)
    rows = data["rows"]
    if rows:
        lats = [r[0] for r in rows]
        lngs = [r[1] for r in rows]
        bounds = (min(lats), min(lngs), max(lats), max(lngs))
    m = _base_map(tiles, DEFAULT_CENTRE, 11)
    for outline in outlines:
        if len(outline) > 2:
            folium.Polygon(
                locations=[list(p) for p in outline],
                color="#0b5d56",
                weight=2,
                dash_array="6 6",
                fill=False,
                interactive=False,
            ).add_to(m)
    cluster = FastMarkerCluster(
        data=rows,
        callback=f"slotMarkers({_json_for_script(data['meta'])})",
        name="Lokasi kerja",
        control=False,
        # One pass, no chunking: with 20,000 markers chunked loading only delays the clusters.
        showCoverageOnHover=False,
    )
    cluster.add_to(m)
    if bounds:
        south, west, north, east = (round(v, 5) for v in bounds)
        if south == north and west == east:
            m.location = [south, west]
        else:
            m.fit_bounds([[south, west], [north, east]], max_zoom=15)
    embedded = embed(m)
    loader = ""
    if data_url:
        loader = _MARKER_LOADER % {
            "layer": cluster.get_name(),
            "url": _json_for_script(data_url),
        }
    return EmbeddedMap(
        header=embedded.header,
        html=embedded.html,
        # Fixed script text around folium's own output; the only data are JSON-escaped.
        script=Markup(_MARKER_FACTORY + str(embedded.script) + loader),  # noqa: S704
    )


def single_slot_map(lat: float, lng: float, tiles: TileSettings) -> EmbeddedMap:
    """A small map with one marker (the slot's page)."""
    m = _base_map(tiles, (lat, lng), 15)
    folium.Marker([lat, lng]).add_to(m)
    return embed(m)


def category_legend() -> list[tuple[str, str, str, int]]:
    """(code, label, colour, index) of each job category, for the legend and the CSS."""
    return [
        (code, codes.JOB_CATEGORIES[code], CATEGORY_COLOURS[code], i)
        for i, code in enumerate(CATEGORY_ORDER)
    ]
