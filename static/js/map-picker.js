/* Portal Sinergi: pick a point on a Leaflet map into two hidden inputs (lat, lng). */
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("map-settings").textContent);
  var DEFAULT = [-7.404, 111.446]; // Ngawi

  function fmt(v) { return Number(v).toFixed(5); }

  document.querySelectorAll(".map-picker").forEach(function (box) {
    var lat = document.getElementById(box.dataset.lat);
    var lng = document.getElementById(box.dataset.lng);
    var info = document.querySelector('[data-coords-for="' + box.dataset.lat + '"]');
    var has = lat.value !== "" && lng.value !== "" && !isNaN(parseFloat(lat.value));
    var map = L.map(box).setView(has ? [parseFloat(lat.value), parseFloat(lng.value)] : DEFAULT, has ? 14 : 11);
    L.tileLayer(settings.tiles, { attribution: settings.attribution, maxZoom: settings.maxZoom }).addTo(map);
    var marker = null;
    function show() {
      if (lat.value === "" || lng.value === "") {
        if (marker) { map.removeLayer(marker); marker = null; }
        if (info) { info.textContent = "Belum ditandai."; }
        return;
      }
      var p = [parseFloat(lat.value), parseFloat(lng.value)];
      if (!marker) {
        marker = L.circleMarker(p, { radius: 9, color: box.dataset.colour || "#0b5d56", weight: 3, fillOpacity: 0.5 }).addTo(map);
        marker.bindTooltip(box.dataset.label || "");
      } else { marker.setLatLng(p); }
      if (info) { info.textContent = (box.dataset.label || "Titik") + ": " + fmt(p[0]) + ", " + fmt(p[1]); }
    }
    map.on("click", function (e) { lat.value = fmt(e.latlng.lat); lng.value = fmt(e.latlng.lng); show(); });
    show();
  });
  document.querySelectorAll("[data-clear]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      btn.dataset.clear.split(",").forEach(function (id) { document.getElementById(id).value = ""; });
      var info = document.querySelector('[data-coords-for="' + btn.dataset.clear.split(",")[0] + '"]');
      if (info) { info.textContent = "Titik dihapus (simpan untuk menerapkan)."; }
    });
  });
})();
