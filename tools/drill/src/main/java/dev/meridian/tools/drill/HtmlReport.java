package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * The drill's HTML report: one self-contained file (no network), the result embedded as JSON, the
 * verification and tables rendered as HTML, and three charts drawn as inline SVG by an inline
 * script (requests and errors per second per region, latency percentiles over time, each with the
 * phases and the fault and recovery markers). When every chart is drawn the script sets
 * {@code data-charts-drawn} on {@code <body>}; a drawing error sets {@code data-chart-error}.
 */
final class HtmlReport {
  static final int CHARTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  @SuppressWarnings("unchecked")
  static String render(Map<String, Object> result) throws Exception {
    StringBuilder h = new StringBuilder();
    boolean passed = Boolean.TRUE.equals(result.get("passed"));
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Meridian drill: ")
        .append(esc(result.get("scenario"))).append(" (").append(esc(result.get("mode"))).append(")</title>\n<style>\n")
        .append(CSS).append("</style></head>\n<body>\n");
    h.append("<h1>Failover drill: ").append(esc(result.get("scenario"))).append(", ").append(esc(result.get("mode")))
        .append(" <span class=\"").append(passed ? "pass" : "fail").append("\">").append(passed ? "PASSED" : "FAILED")
        .append("</span></h1>\n");
    h.append("<p>").append(esc(result.get("startedAt"))).append(" &middot; regions ").append(esc(result.get("regions")))
        .append(" &middot; machine ").append(esc(result.get("machine"))).append("<br><code>").append(esc(result.get("command")))
        .append("</code></p>\n");

    h.append("<h2>Verification</h2>\n<table><tr><th>check</th><th>result</th><th>detail</th></tr>\n");
    for (Map<String, Object> c : (List<Map<String, Object>>) result.get("checks")) {
      boolean ok = Boolean.TRUE.equals(c.get("passed"));
      h.append("<tr><td>").append(esc(c.get("name"))).append("</td><td class=\"").append(ok ? "pass" : "fail").append("\">")
          .append(ok ? "pass" : "FAIL").append("</td><td>").append(esc(c.get("detail"))).append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>What users lost</h2>\n<table>\n");
    for (String key : List.of("acknowledgedOrders", "lostWrites", "duplicateOrders", "oversoldUnits", "negativeStock",
        "stockConserved", "conflictsMerged", "convergenceAfterRecoveryMs", "failoverMs", "rpo", "availability")) {
      h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(JSON.writeValueAsString(result.get(key))))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>Error window per client location</h2>\n<table><tr><th>location</th><th>error window (s)</th>"
        + "<th>failover (s)</th><th>failed requests</th><th>failures</th></tr>\n");
    ((Map<String, Map<String, Object>>) result.get("errorWindows")).forEach((location, w) -> h.append("<tr><td>")
        .append(esc(location)).append("</td><td>").append(seconds(w.get("errorWindowMs"))).append("</td><td>")
        .append(seconds(w.get("failoverMs"))).append("</td><td>").append(esc(w.get("failedRequests"))).append("</td><td>")
        .append(esc(w.getOrDefault("failures", ""))).append("</td></tr>\n"));
    h.append("</table>\n");

    h.append("<h2>Requests and errors per second, per region</h2>\n")
        .append("<svg id=\"chart-requests\" class=\"chart\" viewBox=\"0 0 960 300\" role=\"img\"></svg>\n")
        .append("<svg id=\"chart-errors\" class=\"chart\" viewBox=\"0 0 960 300\" role=\"img\"></svg>\n")
        .append("<h2>Latency percentiles over time, per region</h2>\n")
        .append("<svg id=\"chart-latency\" class=\"chart\" viewBox=\"0 0 960 300\" role=\"img\"></svg>\n");

    h.append("<h2>Latency per location (ms)</h2>\n<table><tr><th>location</th><th>requests</th><th>errors</th><th>p50</th>"
        + "<th>p90</th><th>p99</th><th>max</th></tr>\n");
    Map<String, Object> latency = (Map<String, Object>) result.get("latency");
    for (String group : List.of("byLocation", "byRegion", "byOperation")) {
      ((Map<String, Map<String, Object>>) latency.get(group)).forEach((name, s) -> h.append("<tr><td>")
          .append(esc(group.substring(2).toLowerCase())).append(": ").append(esc(name)).append("</td><td>")
          .append(esc(s.get("requests"))).append("</td><td>").append(esc(s.get("errors"))).append("</td><td>")
          .append(esc(s.get("p50Ms"))).append("</td><td>").append(esc(s.get("p90Ms"))).append("</td><td>")
          .append(esc(s.get("p99Ms"))).append("</td><td>").append(esc(s.get("maxMs"))).append("</td></tr>\n"));
    }
    h.append("</table>\n");
    h.append("<h2>Timeline</h2>\n<table><tr><th>at (s)</th><th>phase</th><th>action</th><th>ok</th></tr>\n");
    for (Map<String, Object> m : (List<Map<String, Object>>) result.get("markers")) {
      h.append("<tr><td>").append(seconds(m.get("atMs"))).append("</td><td>").append(esc(m.get("phase"))).append("</td><td>")
          .append(esc(m.get("action"))).append("</td><td>").append(esc(m.get("ok"))).append("</td></tr>\n");
    }
    h.append("</table>\n<p>The full result is embedded below as JSON (<code>drill-data</code>) and written beside this "
        + "file as <code>result.json</code>.</p>\n");

    String data = JSON.writeValueAsString(result).replace("</", "<\\/").replace("<!--", "<\\!--");
    h.append("<script type=\"application/json\" id=\"drill-data\">").append(data).append("</script>\n");
    h.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String seconds(Object ms) {
    return ms instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f", n.doubleValue() / 1000) : "";
  }

  static String esc(Object value) {
    String s = value == null ? "" : String.valueOf(value);
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String CSS = """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
      table { border-collapse: collapse; margin: 8px 0 16px; }
      th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; font-size: 13px; }
      .pass { color: #1a7f37; font-weight: 600; } .fail { color: #cf222e; font-weight: 700; }
      .chart { width: 960px; max-width: 100%; height: auto; border: 1px solid #ddd; margin: 4px 0 12px; display: block; }
      .chart text { font: 11px sans-serif; fill: #444; }
      """;

  /** Draws the charts from the embedded JSON; no library, no network. */
  private static final String SCRIPT = """
      (function () {
        var NS = 'http://www.w3.org/2000/svg';
        var COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#57606a'];
        function el(parent, name, attrs, text) {
          var e = document.createElementNS(NS, name);
          for (var k in attrs) { e.setAttribute(k, attrs[k]); }
          if (text !== undefined) { e.textContent = text; }
          parent.appendChild(e);
          return e;
        }
        function niceMax(v) {
          if (!(v > 0)) { return 1; }
          var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
          return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
        }
        // lines: [{name, color, dashed, points: [[seconds, value], ...]}]
        function chart(id, title, yLabel, lines, data) {
          var svg = document.getElementById(id);
          var W = 960, H = 300, L = 60, R = 150, T = 28, B = 36;
          var xMax = 1, yMax = 0;
          data.phases.forEach(function (p) { xMax = Math.max(xMax, p.endMs / 1000); });
          lines.forEach(function (l) { l.points.forEach(function (pt) { xMax = Math.max(xMax, pt[0] + 1); yMax = Math.max(yMax, pt[1]); }); });
          yMax = niceMax(yMax);
          function x(s) { return L + (W - L - R) * s / xMax; }
          function y(v) { return H - B - (H - T - B) * v / yMax; }
          el(svg, 'text', {x: L, y: 16, 'font-weight': 'bold'}, title);
          data.phases.forEach(function (p, i) {
            if (i % 2 === 1) { el(svg, 'rect', {x: x(p.startMs / 1000), y: T, width: Math.max(0, x(p.endMs / 1000) - x(p.startMs / 1000)),
                height: H - T - B, fill: '#f3f4f6'}); }
            el(svg, 'text', {x: x(p.startMs / 1000) + 2, y: H - B + 28}, p.name);
          });
          el(svg, 'line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888'});
          el(svg, 'line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#888'});
          for (var i = 0; i <= 4; i++) {
            var v = yMax * i / 4;
            el(svg, 'line', {x1: L - 4, y1: y(v), x2: W - R, y2: y(v), stroke: '#eee'});
            el(svg, 'text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end'}, String(Math.round(v * 100) / 100));
          }
          var step = niceMax(xMax / 10);
          for (var s = 0; s <= xMax; s += step) {
            el(svg, 'text', {x: x(s), y: H - B + 14, 'text-anchor': 'middle'}, s + ' s');
          }
          el(svg, 'text', {x: 12, y: T + 10, transform: 'rotate(-90 12 ' + (T + 10) + ')', 'text-anchor': 'end'}, yLabel);
          data.markers.forEach(function (m) {
            var mx = x(m.atMs / 1000);
            el(svg, 'line', {x1: mx, y1: T, x2: mx, y2: H - B, stroke: m.phase === 'fault' ? '#cf222e' : '#1a7f37',
              'stroke-dasharray': '4 3', 'class': 'marker marker-' + m.phase});
            el(svg, 'text', {x: mx + 3, y: T + 10 + (m.phase === 'fault' ? 0 : 12)}, m.action);
          });
          lines.forEach(function (l, i) {
            if (l.points.length === 0) { return; }
            var d = l.points.map(function (pt, j) { return (j === 0 ? 'M' : 'L') + x(pt[0] + 0.5).toFixed(1) + ' ' + y(pt[1]).toFixed(1); })
                .join(' ');
            el(svg, 'path', {d: d, fill: 'none', stroke: l.color, 'stroke-width': 1.6, 'stroke-dasharray': l.dashed ? '5 3' : 'none',
                'class': 'series'});
            el(svg, 'line', {x1: W - R + 10, y1: T + 14 * i + 6, x2: W - R + 30, y2: T + 14 * i + 6, stroke: l.color,
                'stroke-dasharray': l.dashed ? '5 3' : 'none'});
            el(svg, 'text', {x: W - R + 34, y: T + 14 * i + 10}, l.name);
          });
          return lines.length;
        }
        try {
          var data = JSON.parse(document.getElementById('drill-data').textContent);
          var byRegion = data.series.byRegion;
          var regions = Object.keys(byRegion);
          function lines(field, dashed, suffix) {
            return regions.map(function (r, i) {
              return {name: r + (suffix || ''), color: COLORS[i % COLORS.length], dashed: dashed,
                points: byRegion[r].map(function (row) { return [row.second, row[field]]; })};
            });
          }
          var drawn = 0;
          if (chart('chart-requests', 'Requests per second, per region (the region that answered or was called)', 'requests/s', lines('requests',
              false), data) > 0) { drawn++; }
          if (chart('chart-errors', 'Failed requests per second (timeouts, refused, 5xx), per region', 'errors/s', lines('errors', false),
              data) > 0) { drawn++; }
          if (chart('chart-latency', 'Latency per second: p50 (solid) and p99 (dashed), per region', 'ms', lines('p50Ms', false, ' p50')
              .concat(lines('p99Ms', true, ' p99')), data) > 0) { drawn++; }
          document.body.setAttribute('data-charts-drawn', String(drawn));
        } catch (e) {
          document.body.setAttribute('data-chart-error', String(e));
        }
      })();
      """;
}
