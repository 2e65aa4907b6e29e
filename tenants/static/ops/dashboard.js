// Draws the ops dashboard charts from the JSON block the page embeds.
(function () {
  "use strict";
  var source = document.getElementById("ops-chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  function draw(name, option) {
    var node = document.querySelector('[data-chart="' + name + '"]');
    if (!node) { return; }
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var pie = function (rows) {
    return { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["40%", "70%"], data: rows }] };
  };
  draw("by_state", pie(data.by_state));
  draw("by_plan", pie(data.by_plan));
  draw("signups", {
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.signups.map(function (r) { return r.day.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.signups.map(function (r) { return r.n; }) }],
    grid: { left: 30, right: 10, top: 10, bottom: 30 }
  });
})();
