// Draws the pipeline analysis charts from the JSON block the page embeds
// (the tables beside them carry the same figures for readers and printing).
(function () {
  "use strict";
  var data = window.weftCharts.data("pipeline-chart-data");
  if (!data) { return; }
  var draw = window.weftCharts.draw;
  function bars(rows, keys) {
    return {
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 60, right: 10, top: 30, bottom: 60 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
      yAxis: { type: "value" },
      series: keys.map(function (key) {
        return { name: key.label, type: "bar", data: rows.map(function (r) { return r[key.field]; }) };
      })
    };
  }
  var currency = data.currency ? " (" + data.currency + ")" : "";
  draw("funnel", {
    tooltip: { trigger: "item", formatter: "{b}: {c}" },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { show: true, position: "inside" },
               data: data.funnel.map(function (r) { return { name: r.name, value: r.value }; }) }]
  });
  var labels = data.labels;
  draw("by_rep", bars(data.by_rep, [{ field: "weighted", label: labels.weighted + currency },
                                     { field: "forecast", label: labels.forecast + currency }]));
  draw("by_source", bars(data.by_source, [{ field: "amount", label: labels.amount + currency }]));
  draw("by_region", bars(data.by_region, [{ field: "amount", label: labels.amount + currency }]));
})();
