package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's chart data (every second of every region) and its nested figures as tables. */
class HtmlReportTest {

  @Test
  void everySecondOfTheDrillHasAPointAndASecondWithoutRequestsIsZero() {
    Map<String, Object> result = result(7_000, Map.of("us-east-1", List.of(row(0, 3, 0, 90), row(1, 4, 1, 120), row(5, 2, 0, 80))));

    Map<String, Object> us = region(HtmlReport.chartData(result), "us-east-1");

    assertThat(HtmlReport.chartData(result).get("seconds")).isEqualTo(7L);
    assertThat(us.get("requests")).isEqualTo(List.of(3L, 4L, 0L, 0L, 0L, 2L, 0L));
    assertThat(us.get("errors")).isEqualTo(List.of(0L, 1L, 0L, 0L, 0L, 0L, 0L));
  }

  @Test
  void aSecondWithoutRequestsHasNoLatencySoTheLatencyLineBreaksThere() {
    Map<String, Object> result = result(4_000, Map.of("us-east-1", List.of(row(0, 3, 0, 90), row(3, 1, 0, 70))));

    Map<String, Object> us = region(HtmlReport.chartData(result), "us-east-1");

    assertThat(us.get("p50Ms")).isEqualTo(Arrays.asList(90.0, null, null, 70.0));
    assertThat(us.get("p99Ms")).isEqualTo(Arrays.asList(180.0, null, null, 140.0));
  }

  @Test
  void aRegionThatServedNothingAtAllIsALineOfZeros() {
    Map<String, Object> result = result(3_000, Map.of("us-east-1", List.of(row(0, 3, 0, 90))));

    Map<String, Object> eu = region(HtmlReport.chartData(result), "eu-west-1");

    assertThat(eu.get("requests")).isEqualTo(List.of(0L, 0L, 0L));
    assertThat(eu.get("errors")).isEqualTo(List.of(0L, 0L, 0L));
  }

  @Test
  void requestsSentAfterTheLastPhaseEndedStillCount() {
    Map<String, Object> result = result(2_000, Map.of("us-east-1", List.of(row(3, 1, 1, 900))));

    Map<String, Object> data = HtmlReport.chartData(result);

    assertThat(data.get("seconds")).isEqualTo(4L);
    assertThat(region(data, "us-east-1").get("errors")).isEqualTo(List.of(0L, 0L, 0L, 1L));
  }

  @Test
  void nestedFiguresAreTablesNotJsonText() throws Exception {
    String html = HtmlReport.render(result(3_000, Map.of("us-east-1", List.of(row(0, 3, 0, 90)))));

    assertThat(html).contains("<th>duringFaultAndRecovery</th>").contains("97.71 %")
        .contains("<th>replicationBacklogAtFault</th>").contains("<th>earliest-reservation-stands</th>");
    // What the report showed before: the figure as escaped JSON in one cell.
    assertThat(html).doesNotContain("&quot;duringFaultAndRecovery&quot;").doesNotContain("{&quot;");
    assertThat(html).contains("<script type=\"application/json\" id=\"chart-data\">{\"seconds\":3,");
  }

  @Test
  void theAuditIsASectionWithItsFindingsAsTables() throws Exception {
    Map<String, Object> result = result(3_000, Map.of());
    Map<String, Object> audit = new LinkedHashMap<>();
    audit.put("schema", Audit.SCHEMA);
    audit.put("clean", false);
    audit.put("itemsPerRegion", Map.of("us-east-1", 12, "eu-west-1", 11));
    audit.put("divergentItems", List.of(Map.of("key", "ORDER#o-7 / ORDER", "entity", "order", "differs", List.of("presence"),
        "byRegion", new LinkedHashMap<>(Map.of("us-east-1", Map.of("version", 1, "stamps", Map.of()))))));
    audit.put("missingOrders", List.of(Map.of("orderId", "o-7", "acknowledgedBy", "us-east-1", "status", "PLACED",
        "missingIn", List.of("eu-west-1"))));
    audit.put("conflicts", List.of());
    result.put("audit", audit);

    String html = HtmlReport.render(result);

    assertThat(html).contains("<h2 id=\"audit\">").contains("The replicas differ")
        .contains("<h3>Items that differ between regions (1)</h3>").contains("<td>ORDER#o-7 / ORDER</td>")
        .contains("<h3>Acknowledged orders missing from a region (1)</h3>").contains("<th>missingIn</th>")
        .contains("<h3>Conflicts recorded in the window (0)</h3>");
    assertThat(html).doesNotContain("<h2>Experiments</h2>");
  }

  @Test
  void experimentsAreShownWhenTheResultHasThem() throws Exception {
    Map<String, Object> result = result(3_000, Map.of());
    result.put("experiments", List.of(Map.of("id", "EXP123", "state", "completed")));

    String html = HtmlReport.render(result);

    assertThat(html).contains("<h2>Experiments</h2>").contains("<td>EXP123</td>");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> region(Map<String, Object> data, String region) {
    return (Map<String, Object>) ((Map<String, Object>) data.get("byRegion")).get(region);
  }

  private static Map<String, Object> row(long second, long requests, long errors, double p50) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("second", second);
    row.put("requests", requests);
    row.put("errors", errors);
    row.put("p50Ms", p50);
    row.put("p90Ms", p50 * 1.5);
    row.put("p99Ms", p50 * 2);
    row.put("maxMs", p50 * 3);
    return row;
  }

  /** A result as Drill assembles it, two regions, phases ending at {@code endMs}. */
  static Map<String, Object> result(double endMs, Map<String, List<Map<String, Object>>> byRegion) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("passed", true);
    r.put("scenario", "region-outage");
    r.put("mode", "active-active");
    r.put("regions", List.of("us-east-1", "eu-west-1"));
    r.put("startedAt", "2026-12-08T01:00:00Z");
    r.put("machine", Map.of("cores", 2));
    r.put("command", "./tools/drill/run drill --scenario region-outage");
    r.put("checks", List.of(Map.of("name", "no lost write", "passed", true, "detail", "0 lost")));
    r.put("acknowledgedOrders", 10);
    r.put("lostWrites", 0);
    r.put("duplicateOrders", 0);
    r.put("oversoldUnits", 0);
    r.put("negativeStock", 0);
    r.put("stockConserved", true);
    r.put("conflictsMerged", Map.of("total", 2, "byEntity", Map.of("order", 2), "byRule", Map.of("earliest-reservation-stands", 2)));
    r.put("convergenceAfterRecoveryMs", 4100.0);
    r.put("failoverMs", 3700.0);
    r.put("rpo", Map.of("affectedRegion", "us-east-1", "replicationBacklogAtFault", 2));
    Map<String, Object> availability = new LinkedHashMap<>();
    availability.put("duringFaultAndRecovery", Map.of("requests", 350, "failed", 8, "availability", 0.97714));
    availability.put("byLocation", Map.of());
    availability.put("wholeDrill", Map.of("requests", 400, "failed", 8, "availability", 0.98));
    r.put("availability", availability);
    r.put("errorWindows", Map.of("virginia", Map.of("errorWindowMs", 3700.0, "failoverMs", 4000.0, "failedRequests", 8,
        "failures", Map.of("place refused @us-east-1", 8))));
    r.put("latency", Map.of("byLocation", Map.of(), "byRegion", Map.of(), "byOperation", Map.of()));
    r.put("markers", List.of(Map.of("atMs", 1000.0, "phase", "fault", "action", "fail us-east-1", "ok", true)));
    List<Map<String, Object>> phases = new ArrayList<>();
    phases.add(Map.of("name", "warm-up", "startMs", 0.0, "endMs", endMs / 2));
    phases.add(Map.of("name", "fault", "startMs", endMs / 2, "endMs", endMs));
    r.put("phases", phases);
    r.put("series", Map.of("byRegion", byRegion, "byLocation", Map.of()));
    return r;
  }
}
