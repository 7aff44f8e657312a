/* Monitoring charts: data come from <script type="application/json" id="monitoring-data">.
   Suppressed cells ("< 3") arrive as null and are drawn as gaps. */
(function () {
  "use strict";
  var source = document.getElementById("monitoring-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var teal = "#0b5d56", sky = "#3d8bd9", green = "#3a9d5d", amber = "#e0a100", grey = "#adb5bd";
  var fmt = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });
  function label(ctx) {
    var v = ctx.raw;
    return ctx.dataset.label + ": " + (v === null || v === undefined ? "< 3 / disamarkan" : fmt.format(v));
  }
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { tooltip: { callbacks: { label: label } }, legend: { position: "bottom" } }
  };

  var months = document.getElementById("chart-months");
  if (months) {
    new Chart(months, {
      data: {
        labels: data.months,
        datasets: [
          { type: "bar", label: "Diterima", data: data.received, backgroundColor: sky, yAxisID: "y" },
          { type: "bar", label: "Mulai bekerja", data: data.started, backgroundColor: teal, yAxisID: "y" },
          { type: "bar", label: "Selesai", data: data.completed, backgroundColor: green, yAxisID: "y" },
          { type: "line", label: "Jam terverifikasi", data: data.hours, borderColor: amber,
            backgroundColor: amber, yAxisID: "y1", spanGaps: false, tension: 0.2 }
        ]
      },
      options: Object.assign({}, common, {
        scales: {
          y: { beginAtZero: true, suggestedMax: 4, title: { display: true, text: "Klien" },
               ticks: { precision: 0 } },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                title: { display: true, text: "Jam" } }
        }
      })
    });
  }

  var opds = document.getElementById("chart-opds");
  if (opds) {
    new Chart(opds, {
      type: "bar",
      data: {
        labels: data.opds,
        datasets: [
          { label: "Kapasitas", data: data.capacity, backgroundColor: grey },
          { label: "Terisi", data: data.occupied, backgroundColor: teal }
        ]
      },
      options: Object.assign({}, common, {
        indexAxis: "y",
        scales: { x: { beginAtZero: true, suggestedMax: 4, ticks: { precision: 0 } } }
      })
    });
  }
})();
