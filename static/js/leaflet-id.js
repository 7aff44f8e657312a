/* Leaflet in Indonesian and metric: loaded right after leaflet.js, before any map is made. */
(function (L) {
  if (!L) { return; }
  L.Control.Zoom.prototype.options.zoomInTitle = 'Perbesar';
  L.Control.Zoom.prototype.options.zoomOutTitle = 'Perkecil';
  L.Control.Scale.prototype.options.metric = true;
  L.Control.Scale.prototype.options.imperial = false;
  L.Control.Attribution.prototype.options.prefix = false;
})(window.L);
