/* Slot form: the location picker (click the map to set lat/lng) and the schedule editor. */
(function () {
  "use strict";

  function initPicker() {
    var box = document.getElementById("location-picker");
    if (!box || typeof L === "undefined") { return; }
    var latInput = document.getElementById("lat");
    var lngInput = document.getElementById("lng");
    var boundary = [];
    try { boundary = JSON.parse(box.dataset.boundary || "[]"); } catch (e) { boundary = []; }
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, {
      attribution: box.dataset.tileAttribution,
      maxZoom: parseInt(box.dataset.tileMaxZoom || "19", 10)
    }).addTo(map);
    var area = null;
    if (boundary.length > 2) {
      area = L.polygon(boundary, { color: "#0b5d56", weight: 2, dashArray: "6 6", fill: false, interactive: false }).addTo(map);
    }
    var marker = null;
    function place(lat, lng, pan) {
      if (marker) { marker.setLatLng([lat, lng]); } else { marker = L.marker([lat, lng]).addTo(map); }
      if (pan) { map.setView([lat, lng], Math.max(map.getZoom() || 14, 14)); }
    }
    var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
    if (!isNaN(lat) && !isNaN(lng)) {
      map.setView([lat, lng], 15);
      place(lat, lng, false);
    } else if (area) {
      map.fitBounds(area.getBounds());
    } else {
      map.setView([-7.404, 111.446], 11);
    }
    map.on("click", function (ev) {
      latInput.value = ev.latlng.lat.toFixed(6);
      lngInput.value = ev.latlng.lng.toFixed(6);
      place(ev.latlng.lat, ev.latlng.lng, false);
    });
    function fromInputs() {
      var a = parseFloat(latInput.value), b = parseFloat(lngInput.value);
      if (!isNaN(a) && !isNaN(b)) { place(a, b, true); }
    }
    latInput.addEventListener("change", fromInputs);
    lngInput.addEventListener("change", fromInputs);
  }

  function initSchedule() {
    var rows = document.getElementById("schedule-rows");
    var add = document.getElementById("schedule-add");
    if (!rows || !add) { return; }
    rows.addEventListener("click", function (ev) {
      var button = ev.target.closest(".schedule-clear");
      if (!button) { return; }
      button.closest(".schedule-row").querySelectorAll("select, input").forEach(function (el) { el.value = ""; });
    });
    add.addEventListener("click", function () {
      var all = rows.querySelectorAll(".schedule-row");
      var last = all[all.length - 1];
      var copy = last.cloneNode(true);
      var next = all.length;
      copy.querySelectorAll("[id], [name], label[for]").forEach(function (el) {
        ["id", "name", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/schedule-\d+-/, "schedule-" + next + "-")); }
        });
      });
      copy.querySelectorAll("select, input").forEach(function (el) { el.value = ""; });
      rows.appendChild(copy);
      var first = copy.querySelector("select");
      if (first) { first.focus(); }
    });
  }

  initPicker();
  initSchedule();
})();
