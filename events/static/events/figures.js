// Check-ins per hour per list, drawn with the vendored Chart.js.
(function () {
  "use strict";
  const canvas = document.getElementById("hourly-chart");
  const data = JSON.parse(document.getElementById("hourly-data").textContent);
  if (!canvas || typeof Chart === "undefined" || !data.labels.length) return;
  new Chart(canvas, {
    type: "bar",
    data: data,
    options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
  });
})();
