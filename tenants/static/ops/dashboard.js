// Draws the ops dashboard charts from the JSON block the page embeds.
(function () {
  "use strict";
  var data = window.weftCharts.data("ops-chart-data");
  if (!data) { return; }
  var draw = window.weftCharts.draw;
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
