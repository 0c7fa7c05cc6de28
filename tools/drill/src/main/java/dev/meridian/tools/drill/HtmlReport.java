package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The drill's HTML report: one self-contained file (no network), the result embedded as JSON, the
 * verification, the nested figures (availability, RPO, conflicts, audit, experiments) and the other
 * tables rendered as HTML tables, and three charts drawn as inline SVG by an inline script (requests
 * and errors per second per region, latency percentiles over time, each with the phases and the
 * fault and recovery markers). The charts draw {@link #chartData}: every second of the drill for
 * every region, so a region that served nothing draws zero, not a slope between the seconds it
 * served. When every chart is drawn the script sets {@code data-charts-drawn} on {@code <body>}; a
 * drawing error sets {@code data-chart-error}.
 */
final class HtmlReport {
  static final int CHARTS = 3;
  /** Rows of one list shown in the report; result.json and audit.json hold them all. */
  static final int LIST_ROWS = 200;
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
      h.append("<tr><th>").append(esc(key)).append("</th><td>").append(figure(key, result.get(key))).append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (result.get("audit") instanceof Map<?, ?> audit) {
      h.append(auditSection((Map<String, Object>) audit));
    }
    if (result.get("experiments") != null) {
      h.append("<h2>Experiments</h2>\n").append(figure("experiments", result.get("experiments"))).append("\n");
    }

    h.append("<h2>Error window per client location</h2>\n<table><tr><th>location</th><th>error window (s)</th>"
        + "<th>failover (s)</th><th>failed requests</th><th>failures</th></tr>\n");
    ((Map<String, Map<String, Object>>) result.get("errorWindows")).forEach((location, w) -> h.append("<tr><td>")
        .append(esc(location)).append("</td><td>").append(seconds(w.get("errorWindowMs"))).append("</td><td>")
        .append(seconds(w.get("failoverMs"))).append("</td><td>").append(esc(w.get("failedRequests"))).append("</td><td>")
        .append(figure("failures", w.get("failures"))).append("</td></tr>\n"));
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

    h.append("<script type=\"application/json\" id=\"drill-data\">").append(scriptJson(result)).append("</script>\n");
    h.append("<script type=\"application/json\" id=\"chart-data\">").append(scriptJson(chartData(result))).append("</script>\n");
    h.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String scriptJson(Object value) throws Exception {
    return JSON.writeValueAsString(value).replace("</", "<\\/").replace("<!--", "<\\!--");
  }

  /**
   * The charts' data: for every region (the result's, then any other the series name) and every
   * second from 0 to the end of the drill's last phase, its requests and errors, zero where the
   * series has no row (nobody was answered by or sent to the region that second), and its p50 and
   * p99 latency, null there: a second without requests has no latency, and the line breaks rather
   * than claim instant answers. Without the zeros, a line joined the seconds that had data, so a
   * region that served nothing during its outage drew a slope from its last error to its recovery.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> chartData(Map<String, Object> result) {
    Map<String, List<Map<String, Object>>> series = (Map<String, List<Map<String, Object>>>) ((Map<String, Object>) result
        .get("series")).get("byRegion");
    Set<String> regions = new LinkedHashSet<>((Collection<String>) result.getOrDefault("regions", List.of()));
    regions.addAll(series.keySet());
    double endMs = 0;
    for (Map<String, Object> phase : (List<Map<String, Object>>) result.getOrDefault("phases", List.of())) {
      endMs = Math.max(endMs, ((Number) phase.get("endMs")).doubleValue());
    }
    long seconds = (long) Math.ceil(endMs / 1000);
    for (List<Map<String, Object>> rows : series.values()) {
      for (Map<String, Object> row : rows) {
        seconds = Math.max(seconds, ((Number) row.get("second")).longValue() + 1);
      }
    }
    Map<String, Object> byRegion = new LinkedHashMap<>();
    for (String region : regions) {
      List<Object> requests = new ArrayList<>();
      List<Object> errors = new ArrayList<>();
      List<Object> p50 = new ArrayList<>();
      List<Object> p99 = new ArrayList<>();
      for (long s = 0; s < seconds; s++) {
        requests.add(0L);
        errors.add(0L);
        p50.add(null);
        p99.add(null);
      }
      for (Map<String, Object> row : series.getOrDefault(region, List.of())) {
        int s = ((Number) row.get("second")).intValue();
        if (s < 0) {
          continue;
        }
        requests.set(s, row.get("requests"));
        errors.set(s, row.get("errors"));
        p50.set(s, row.get("p50Ms"));
        p99.set(s, row.get("p99Ms"));
      }
      Map<String, Object> lines = new LinkedHashMap<>();
      lines.put("requests", requests);
      lines.put("errors", errors);
      lines.put("p50Ms", p50);
      lines.put("p99Ms", p99);
      byRegion.put(region, lines);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("seconds", seconds);
    data.put("byRegion", byRegion);
    return data;
  }

  // ------------------------------------------------------------------ nested figures as tables

  /**
   * A figure as HTML: a map as a two-column table, a list of maps as a table with a column per
   * key, other lists joined, nested values nested the same way. An availability ratio reads as a
   * percentage.
   */
  @SuppressWarnings("unchecked")
  static String figure(String name, Object value) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return "<span class=\"none\">none</span>";
      }
      StringBuilder t = new StringBuilder("<table class=\"figure\">");
      ((Map<String, Object>) map).forEach((k, v) -> t.append("<tr><th>").append(esc(k)).append("</th><td>").append(figure(k, v))
          .append("</td></tr>"));
      return t.append("</table>").toString();
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return "<span class=\"none\">none</span>";
      }
      if (list.stream().allMatch(e -> e instanceof Map<?, ?>)) {
        Set<String> columns = new LinkedHashSet<>();
        list.forEach(e -> columns.addAll(((Map<String, Object>) e).keySet()));
        StringBuilder t = new StringBuilder("<table class=\"figure\"><tr>");
        columns.forEach(c -> t.append("<th>").append(esc(c)).append("</th>"));
        t.append("</tr>");
        list.stream().limit(LIST_ROWS).forEach(e -> {
          t.append("<tr>");
          columns.forEach(c -> t.append("<td>").append(figure(c, ((Map<String, Object>) e).get(c))).append("</td>"));
          t.append("</tr>");
        });
        if (list.size() > LIST_ROWS) {
          t.append("<tr><td colspan=\"").append(columns.size()).append("\">").append(list.size() - LIST_ROWS)
              .append(" more in the JSON</td></tr>");
        }
        return t.append("</table>").toString();
      }
      List<String> parts = new ArrayList<>();
      list.forEach(e -> parts.add(figure(name, e)));
      return String.join(", ", parts);
    }
    if (value == null) {
      return "&ndash;";
    }
    if ("availability".equals(name) && value instanceof Number n) {
      return String.format(Locale.ROOT, "%.2f %%", n.doubleValue() * 100);
    }
    return esc(value);
  }

  private static String auditSection(Map<String, Object> audit) {
    StringBuilder h = new StringBuilder("<h2 id=\"audit\">Incident audit: the replicas, item by item</h2>\n");
    boolean clean = Boolean.TRUE.equals(audit.get("clean"));
    h.append("<p class=\"").append(clean ? "pass" : "fail").append("\">")
        .append(clean ? "Every replica holds the same items, versions and stamps." : "The replicas differ, or could not be read.")
        .append("</p>\n<table>\n");
    for (String key : List.of("error", "target", "window", "itemsPerRegion", "heartbeatsSkipped", "expectedOrders")) {
      if (audit.containsKey(key)) {
        h.append("<tr><th>").append(esc(key)).append("</th><td>").append(figure(key, audit.get(key))).append("</td></tr>\n");
      }
    }
    h.append("</table>\n");
    for (List<String> list : List.of(List.of("divergentItems", "Items that differ between regions"),
        List.of("missingOrders", "Acknowledged orders missing from a region"), List.of("conflicts", "Conflicts recorded in the window"))) {
      if (audit.get(list.get(0)) instanceof List<?> rows) {
        h.append("<h3>").append(esc(list.get(1))).append(" (").append(rows.size()).append(")</h3>\n")
            .append(figure(list.get(0), rows)).append("\n");
      }
    }
    return h.toString();
  }

  private static String seconds(Object ms) {
    return ms instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue() / 1000) : "";
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
      table.figure { margin: 0; } table.figure th { font-weight: 500; background: #f6f8fa; }
      .none { color: #888; }
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
          lines.forEach(function (l) { l.points.forEach(function (pt) {
            xMax = Math.max(xMax, pt[0] + 1);
            if (pt[1] !== null) { yMax = Math.max(yMax, pt[1]); }
          }); });
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
            // A null value (no latency in a second without requests) breaks the line there.
            var d = [], pen = 'M', drawn = 0;
            l.points.forEach(function (pt) {
              if (pt[1] === null) { pen = 'M'; return; }
              d.push(pen + x(pt[0] + 0.5).toFixed(1) + ' ' + y(pt[1]).toFixed(1));
              pen = 'L';
              drawn++;
            });
            if (drawn === 0) { return; }
            el(svg, 'path', {d: d.join(' '), fill: 'none', stroke: l.color, 'stroke-width': 1.6, 'stroke-dasharray': l.dashed ? '5 3' : 'none',
                'class': 'series', 'data-region': l.region, 'data-points': String(drawn)});
            el(svg, 'line', {x1: W - R + 10, y1: T + 14 * i + 6, x2: W - R + 30, y2: T + 14 * i + 6, stroke: l.color,
                'stroke-dasharray': l.dashed ? '5 3' : 'none'});
            el(svg, 'text', {x: W - R + 34, y: T + 14 * i + 10}, l.name);
          });
          return lines.length;
        }
        try {
          var data = JSON.parse(document.getElementById('drill-data').textContent);
          var perSecond = JSON.parse(document.getElementById('chart-data').textContent);
          var byRegion = perSecond.byRegion;
          var regions = Object.keys(byRegion);
          function lines(field, dashed, suffix) {
            return regions.map(function (r, i) {
              return {name: r + (suffix || ''), region: r, color: COLORS[i % COLORS.length], dashed: dashed,
                points: byRegion[r][field].map(function (v, second) { return [second, v]; })};
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
