"""The monitoring map: one circle per OPD with its slots, seats and utilisation; no clients.

Safety as in portal/slots/maps.py: OPD names travel as JSON to a FastMarkerCluster
callback that builds the popup with ``textContent``; nothing is inserted as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from folium.plugins import FastMarkerCluster

from portal.monitoring.indicators import is_small
from portal.slots.maps import DEFAULT_CENTRE, EmbeddedMap, TileSettings, _json_for_script, embed

_CALLBACK = """function (row) {
    var meta = %(meta)s;
    var util = row[5];
    var colour = util === null ? "#6c757d"
        : (util >= 80 ? "#0b5d56" : (util >= 40 ? "#e0a100" : "#3d8bd9"));
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: 8 + Math.min(row[3], 30) / 2,
        color: colour, fillColor: colour, fillOpacity: 0.55, weight: 2
    });
    marker.bindPopup(function () {
        var box = document.createElement("div");
        function add(text, bold) {
            var el = document.createElement("div");
            el.textContent = text;
            if (bold) { el.style.fontWeight = "bold"; }
            box.appendChild(el);
        }
        add(meta.names[row[2]], true);
        add("Slot terbit: " + row[6] + " · kapasitas " + row[3] + " kursi");
        add("Kursi terisi: " + row[4]);
        add("Utilisasi: " + (util === null
            ? "disamarkan / belum ada" : util.toLocaleString("id-ID") + " %%"));
        return box;
    });
    marker.bindTooltip(meta.names[row[2]]);
    return marker;
}"""


def opd_map(rows: Sequence[dict[str, Any]], coords: dict[int, tuple[float, float]],
            tiles: TileSettings) -> EmbeddedMap:  # fmt: skip
    """Circles per OPD from the public view's ``by_opd`` rows (already suppressed)."""
    names: list[str] = []
    data: list[list[Any]] = []
    for r in rows:
        point = coords.get(r["opd_id"])
        if point is None:
            continue
        names.append(r["opd"])
        occupied = r["occupied"]
        data.append(
            [
                round(point[0], 5),
                round(point[1], 5),
                len(names) - 1,
                r["capacity"],
                "< 3" if is_small(occupied) else occupied,
                r["utilisation_percent"],
                r["slots"],
            ]
        )
    m = folium.Map(location=list(DEFAULT_CENTRE), zoom_start=11, tiles=None, control_scale=True)
    folium.TileLayer(
        tiles=tiles.url, attr=tiles.attribution, max_zoom=tiles.max_zoom, name="Peta dasar"
    ).add_to(m)
    FastMarkerCluster(
        data=data,
        callback=_CALLBACK % {"meta": _json_for_script({"names": names})},
        name="Perangkat Daerah",
        control=False,
        disableClusteringAtZoom=10,
    ).add_to(m)
    if len(data) > 1:
        lats = [d[0] for d in data]
        lngs = [d[1] for d in data]
        m.fit_bounds([[min(lats), min(lngs)], [max(lats), max(lngs)]], max_zoom=14)
    elif data:
        m.location = [data[0][0], data[0][1]]
    return embed(m)
