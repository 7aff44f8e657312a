/* Portal Sinergi: the matching map. Data arrives as JSON; popups are built with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("match-data").textContent);
  var map = L.map("match-map");
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: data.maxZoom }).addTo(map);
  var bounds = [];
  function popup(title, text) {
    var div = document.createElement("div");
    var b = document.createElement("strong");
    b.textContent = title;
    var p = document.createElement("div");
    p.textContent = text;
    div.appendChild(b);
    div.appendChild(p);
    return div;
  }
  data.markers.forEach(function (m) {
    var colour = m.ok ? "#198754" : "#dc3545";
    L.circleMarker([m.lat, m.lng], { radius: m.ok ? 8 : 6, color: colour, fillColor: colour, fillOpacity: 0.6 })
      .bindPopup(popup(m.title, m.text)).addTo(map);
    bounds.push([m.lat, m.lng]);
  });
  if (data.home) {
    L.marker([data.home.lat, data.home.lng], { title: "Rumah klien" }).bindPopup(popup("Rumah klien", "")).addTo(map);
    bounds.push([data.home.lat, data.home.lng]);
  }
  data.victims.forEach(function (v) {
    L.circleMarker([v.lat, v.lng], { radius: 7, color: "#6f42c1", weight: 3, fillOpacity: 0.2 })
      .bindPopup(popup(v.label, "Klien tidak ditempatkan di dekat titik ini.")).addTo(map);
    bounds.push([v.lat, v.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 }); } else { map.setView([-7.404, 111.446], 11); }
})();
