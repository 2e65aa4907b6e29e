/* Charts drawn from data the page embeds with json_script (no inline script):
 *
 *   weftCharts.data("some-id")          the parsed JSON of <script id="some-id">, or null
 *   weftCharts.draw("name", option)     an ECharts (SVG) chart in [data-chart="name"], resized with the window
 */
(function () {
  "use strict";
  window.weftCharts = {
    data: function (id) {
      var source = document.getElementById(id);
      return source && window.echarts ? JSON.parse(source.textContent) : null;
    },
    draw: function (name, option) {
      var node = document.querySelector('[data-chart="' + name + '"]');
      if (!node) { return; }
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    }
  };
})();
