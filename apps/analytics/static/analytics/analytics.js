/* Data analysis: draws each chart of the page with ECharts from the JSON the server embedded (json_script), and
   opens the records behind a value when a bar, a slice or a cell is clicked. No inline script (CSP). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var PACE_COLOURS = { green: "#146c43", amber: "#8a4b00", red: "#b02a37" };

  function recordsUrl(payload, xIndex, seriesIndex) {
    var key = payload.xKeys[xIndex];
    var series = payload.series[seriesIndex];
    if (series && series.key) { key += "|" + series.key; }
    return payload.recordsUrl + "&key=" + encodeURIComponent(key);
  }

  function option(payload) {
    var base = {
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText" },
      aria: { enabled: true },
      legend: { type: "scroll", top: 0 },
    };
    var kind = payload.kind;
    if (kind === "pie") {
      var s = payload.series[0];
      base.series = [{
        type: "pie", radius: ["35%", "65%"], top: 30, name: s.name,
        data: payload.x.map(function (label, i) { return { name: label, value: s.data[i] }; }),
      }];
      return base;
    }
    if (kind === "funnel") {
      var f = payload.series[0];
      base.series = [{
        type: "funnel", sort: "none", top: 30, bottom: 10, left: "10%", width: "80%", name: f.name,
        label: { show: true, position: "inside", formatter: "{b}: {c}" },
        data: payload.x.map(function (label, i) { return { name: label, value: f.data[i] }; }),
      }];
      return base;
    }
    if (kind === "heatmap") {
      var cells = [], max = 1, notes = payload.notes || [];
      payload.series.forEach(function (s, si) {
        // the cells of a member behind pace (amber or red) are outlined in the status's colour
        var note = notes[si], outline = note && (note.status === "red" || note.status === "amber")
          ? { borderColor: PACE_COLOURS[note.status], borderWidth: 2 } : null;
        s.data.forEach(function (v, xi) {
          cells.push(outline ? { value: [xi, si, v], itemStyle: outline } : [xi, si, v]);
          if (v > max) { max = v; }
        });
      });
      base.grid = { left: 20, right: 20, top: 20, bottom: 70, containLabel: true };
      base.xAxis = { type: "category", data: payload.x, splitArea: { show: true } };
      base.yAxis = {
        type: "category", data: payload.series.map(function (s) { return s.name; }), splitArea: { show: true },
        axisLabel: {  // a member's name with their pace in words
          formatter: function (name, index) {
            var note = notes[index];
            return note && note.status ? name + " {" + note.status + "|" + note.label + "}" : name;
          },
          rich: { green: { color: PACE_COLOURS.green }, amber: { color: PACE_COLOURS.amber },
                  red: { color: PACE_COLOURS.red, fontWeight: "bold" } },
        },
      };
      base.visualMap = { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 };
      base.legend = { show: false };
      base.series = [{ type: "heatmap", data: cells, label: { show: true } }];
      return base;
    }
    base.grid = { left: 50, right: 20, top: 40, bottom: 60, containLabel: true };
    base.xAxis = { type: "category", data: payload.x, axisLabel: { interval: 0, rotate: payload.x.length > 8 ? 30 : 0 } };
    base.yAxis = { type: "value", minInterval: 1 };
    base.series = payload.series.map(function (s) {
      var one = { type: "bar", name: s.name, data: s.data };
      if (kind === "stacked") { one.stack = "total"; }
      return one;
    });
    if (payload.series.length === 1) { base.legend.show = false; }
    return base;
  }

  document.querySelectorAll(".analytics-chart[data-payload]").forEach(function (element) {
    var source = document.getElementById(element.dataset.payload);
    if (!source) { return; }
    var payload = JSON.parse(source.textContent);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(payload));
    element.chart = chart;  // for the browser tests: the drawn chart
    chart.on("click", function (params) {
      if (payload.kind === "heatmap") {
        if (params.value[2]) { window.location.href = recordsUrl(payload, params.value[0], params.value[1]); }
        return;
      }
      var seriesIndex = payload.kind === "pie" || payload.kind === "funnel" ? 0 : params.seriesIndex;
      if (params.value) { window.location.href = recordsUrl(payload, params.dataIndex, seriesIndex); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    // On paper (A4, css/print.css) the drawing area is narrower: redraw to fit it, and back after printing.
    window.addEventListener("beforeprint", function () { chart.resize({width: 680, animation: {duration: 0}}); });
    window.addEventListener("afterprint", function () { chart.resize(); });
  });
}());
