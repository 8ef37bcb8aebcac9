// Draws the dashboard charts from the data-values attribute of each canvas.chart.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") {
    return;
  }
  const colours = ["#198754", "#0d6efd", "#fd7e14", "#6f42c1"];
  document.querySelectorAll("canvas.chart").forEach((canvas) => {
    const data = JSON.parse(canvas.dataset.values);
    const keys = Object.keys(data).filter((key) => key !== "labels" && key !== "series");
    const datasets = keys.map((key, index) => ({
      label: data.series[index] || key,
      data: data[key],
      backgroundColor: colours[index % colours.length],
      borderColor: colours[index % colours.length],
    }));
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: { labels: data.labels, datasets },
      options: { responsive: true, plugins: { legend: { position: "bottom" } } },
    });
  });
});
