package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * report-lines over recorded REPORT lines: {@code report-lines/text-format.txt} (catalog with SnapStart and health
 * without, Lambda's text log format, X-Ray on) and {@code report-lines/json-format.txt} (orders with SnapStart and
 * health, the JSON log format template.yaml sets), each with the START, END, RESTORE and INIT records and the
 * functions' own lines around the REPORTs; and Logs Insights rows shaped as {@code GetQueryResults} returns them.
 * Every expected figure below is worked out by hand from the fixture's lines.
 */
class ReportLinesTest {
  private static final String HEADER = "| function | invocations | cold starts | Init Duration, median (ms) "
      + "| Init Duration, p99 (ms) | Restore Duration, median (ms) | Restore Duration, p99 (ms) | warm Duration, p50 (ms) "
      + "| warm Duration, p99 (ms) | Max Memory Used, max (MB) | Max Memory Used, median (MB) |";

  @Test
  void theTextFormatGivesRestoresForSnapStartInitsForOnDemandStartsAndWarmDurationsOfTheRest() throws Exception {
    Printed printed = run("--file", fixture("text-format.txt"));

    assertThat(printed.status()).isZero();
    // catalog: restores 512.40, 478.91, 1,302.77 ms; warm 14.81, 9.62, 11.37, 22.05, 10.48 ms; memory 199-207 MB.
    // health: inits 1,845.63 and 2,011.20 ms (median their mean); warm 21.30, 18.75, 25.02, 19.90 ms.
    assertThat(printed.out()).contains("REPORT lines recorded in", ": 14 (1 lines of another shape skipped)")
        .contains(HEADER)
        .contains("| catalog | 8 | 3 | – | – | 512 | 1,303 | 11.37 | 22.05 | 207 | 204 |\n")
        .contains("| health | 6 | 2 | 1,928 | 2,011 | – | – | 20.60 | 25.02 | 149 | 146 |\n");
  }

  @Test
  void theJsonFormatGivesTheSameFiguresFromThePlatformReportRecordsMetrics() throws Exception {
    Printed printed = run("--file", fixture("json-format.txt"));

    assertThat(printed.status()).isZero();
    // orders: restoreDurationMs 455.12 and 621.88 (median 538.5); warm 12.04, 8.77, 30.61, 9.96 ms; memory
    // 228-235 MB (median 231.5). health: one initDurationMs 1,702.48; warm 17.20, 16.40, 19.80 ms.
    assertThat(printed.out()).contains(": 10 (0 lines of another shape skipped)")
        .contains("| health | 4 | 1 | 1,702 | 1,702 | – | – | 17.20 | 19.80 | 152 | 151 |\n")
        .contains("| orders | 6 | 2 | – | – | 539 | 622 | 11.00 | 30.61 | 235 | 232 |\n");
  }

  @Test
  void insightsRowsAreReadAsGetQueryResultsReturnsThemWhateverTheLogFieldLooksLike() {
    FunctionLogGroups groups = new FunctionLogGroups("meridian", Map.of(
        "catalog", new FunctionLogGroups.Group("/aws/lambda/meridian-catalog", true),
        "health", new FunctionLogGroups.Group("/aws/lambda/meridian-health", false)));
    List<List<ResultField>> results = new ArrayList<>();
    // AWS names the group "account-id:group"; moto names it bare. Both come back with @ptr and @timestamp.
    results.add(row("123456789012:/aws/lambda/meridian-catalog", "REPORT RequestId: a1\tDuration: 700.00 ms\t"
        + "Billed Duration: 701 ms\tMemory Size: 1024 MB\tMax Memory Used: 210 MB\tRestore Duration: 400.00 ms\t"
        + "Billed Restore Duration: 160 ms\t"));
    results.add(row("/aws/lambda/meridian-catalog", "{\"time\":\"2026-12-07T21:14:10.101Z\",\"type\":\"platform.report\","
        + "\"record\":{\"requestId\":\"a2\",\"metrics\":{\"durationMs\":9.5,\"billedDurationMs\":10,\"memorySizeMB\":1024,"
        + "\"maxMemoryUsedMB\":212},\"status\":\"success\"}}"));
    results.add(row("123456789012:/aws/lambda/meridian-health", "START RequestId: h1 Version: $LATEST"));
    results.add(row("123456789012:/aws/lambda/meridian-health", "REPORT RequestId: h1\tDuration: 30.00 ms\t"
        + "Billed Duration: 30 ms\tMemory Size: 512 MB\tMax Memory Used: 150 MB\tInit Duration: 1500.00 ms\t"));
    results.add(List.of(ResultField.builder().field("@ptr").value("CmAKJwoj").build()));
    ReportLineFigures figures = new ReportLineFigures();

    ReportLinesCommand.readInsights(results.stream().map(InsightsReportQuery.Row::of)
        .flatMap(Optional::stream).toList(), groups, figures);

    assertThat(figures.count()).isEqualTo(3);
    assertThat(figures.table())
        .contains("| catalog (SnapStart) | 2 | 1 | – | – | 400 | 400 | 9.50 | 9.50 | 212 | 211 |\n")
        .contains("| health | 1 | 1 | 1,500 | 1,500 | – | – | – | – | 150 | 150 |\n");
  }

  @Test
  void aRowFromALogGroupTheQueryDidNotNameIsAnErrorNotAnotherFunction() {
    FunctionLogGroups groups = new FunctionLogGroups("meridian",
        Map.of("health", new FunctionLogGroups.Group("/aws/lambda/meridian-health", false)));
    List<InsightsReportQuery.Row> rows = List.of(new InsightsReportQuery.Row("123456789012:/aws/lambda/other-health",
        "REPORT RequestId: x\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t"));

    assertThatThrownBy(() -> ReportLinesCommand.readInsights(rows, groups, new ReportLineFigures()))
        .hasMessageContaining("/aws/lambda/other-health");
  }

  @Test
  void theLocalStacksLogReadsAsARecordedLogWithOneRowPerRegionAndFunction() {
    ReportLineFigures figures = new ReportLineFigures();

    int skipped = ReportLinesCommand.readRecorded(List.of(
        "2026-12-07T18:24:01.113Z [us-east-1/catalog] REPORT RequestId: c1\tDuration: 401.70 ms\tBilled Duration: 402 ms"
            + "\tMemory Size: 1024 MB\tMax Memory Used: 298 MB\tInit Duration: 2664.20 ms",
        "2026-12-07T18:24:01.420Z [us-west-2/catalog] REPORT RequestId: c2\tDuration: 13.08 ms\tBilled Duration: 14 ms"
            + "\tMemory Size: 1024 MB\tMax Memory Used: 301 MB",
        "2026-12-07T18:24:01.421Z [us-east-1] {\"requestId\":\"g1\",\"integrationRequestId\":\"c2\",\"status\":\"200\"}",
        ""), figures);

    assertThat(skipped).isZero();
    assertThat(figures.table())
        .contains("| us-east-1/catalog | 1 | 1 | 2,664 | 2,664 | – | – | – | – | 298 | 298 |\n")
        .contains("| us-west-2/catalog | 1 | 0 | – | – | – | – | 13.08 | 13.08 | 301 | 301 |\n");
  }

  @Test
  void durationIsNotTakenFromBilledOrRestoreDurationWhateverTheFieldOrder() {
    ReportLine line = ReportLine.parse("REPORT RequestId: r\tBilled Restore Duration: 90 ms\tRestore Duration: 250.50 ms"
        + "\tBilled Duration: 61 ms\tDuration: 60.25 ms\tMax Memory Used: 180 MB\tMemory Size: 1024 MB\t").orElseThrow();

    assertThat(line.durationMillis()).isEqualTo(60.25);
    assertThat(line.restoreDurationMillis()).isEqualTo(OptionalDouble.of(250.50));
    assertThat(line.initDurationMillis()).isEmpty();
    assertThat(line.maxMemoryUsedMb()).isEqualTo(180);
    assertThat(line.coldStart()).isTrue();
  }

  @Test
  void onlyReportRecordsAreReportLines() {
    assertThat(ReportLine.parse("RESTORE_REPORT Restore Duration: 512.40 ms")).isEmpty();
    assertThat(ReportLine.parse("INIT_REPORT Init Duration: 4012.11 ms\tPhase: init\tStatus: success")).isEmpty();
    assertThat(ReportLine.parse("{\"time\":\"t\",\"type\":\"platform.initReport\",\"record\":{\"metrics\":"
        + "{\"durationMs\":4012.11}}}")).isEmpty();
    assertThat(ReportLine.parse("{\"level\":\"INFO\",\"message\":\"saw platform.report in a customer's note\"}")).isEmpty();
    assertThat(ReportLine.parse("{\"message\":\"platform.report\" cut off")).isEmpty();
  }

  @Test
  void aReportWithoutItsDurationOrMemoryIsRefusedRatherThanCountedAsZero() {
    assertThatThrownBy(() -> ReportLine.parse("REPORT RequestId: r\tBilled Duration: 61 ms\tMax Memory Used: 180 MB"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duration");
    assertThatThrownBy(() -> ReportLine.parse("{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":3.2}}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Max Memory Used");
  }

  @Test
  void optionsNameAStackAndRegionOrAFileAndASpanWithItsUnit() {
    ReportLinesSettings stack = ReportLinesSettings.parse(List.of("--stack", "meridian", "--region", "eu-west-1",
        "--since", "90m"));
    assertThat(stack.stack()).contains("meridian");
    assertThat(stack.region()).contains("eu-west-1");
    assertThat(stack.since()).isEqualTo(Duration.ofMinutes(90));
    assertThat(ReportLinesSettings.parse(List.of("--stack", "s", "--region", "r")).since()).isEqualTo(Duration.ofHours(1));
    assertThat(ReportLinesSettings.parse(List.of("--file", "r.log")).file()).contains(Path.of("r.log"));
    assertThat(ReportLinesSettings.parse(List.of("--stack", "s", "--region", "r", "--since", "2d")).since())
        .isEqualTo(Duration.ofDays(2));

    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of())).hasMessageContaining("not both and not neither");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--stack", "s", "--file", "f")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--stack", "s"))).hasMessageContaining("--region");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--file", "f", "--since", "1h")))
        .hasMessageContaining("read whole");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--stack", "s", "--region", "r", "--since", "1 hour")))
        .hasMessageContaining("90m or 2d");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--stack", "s", "--region", "r", "--since", "0h")))
        .hasMessageContaining("longer than nothing");
    assertThatThrownBy(() -> ReportLinesSettings.parse(List.of("--function", "catalog"))).hasMessageContaining("usage");
  }

  @Test
  void badOptionsExitTwoWithTheReasonAndALogWithoutReportsExitsOne() throws Exception {
    Printed bad = run("--stack", "meridian");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.out()).contains("--stack needs --region");

    Path empty = Files.createTempFile("no-reports", ".log");
    try {
      Files.writeString(empty, "2026-12-07T21:14:10.101Z [catalog] START RequestId: a Version: 7\n");
      Printed none = run("--file", empty.toString());
      assertThat(none.status()).isEqualTo(1);
      assertThat(none.out()).contains("no REPORT line found").doesNotContain("| function |");
    } finally {
      Files.delete(empty);
    }
  }

  private record Printed(int status, String out) {}

  private static Printed run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      int status = ReportLinesCommand.run(Path.of("."), List.of(args), out, region -> {
        throw new AssertionError("a recorded log needs no Logs client");
      }, Clock.systemUTC());
      return new Printed(status, bytes.toString(StandardCharsets.UTF_8));
    }
  }

  private static String fixture(String name) throws URISyntaxException {
    return Path.of(ReportLinesTest.class.getResource("/report-lines/" + name).toURI()).toString();
  }

  private static List<ResultField> row(String log, String message) {
    return List.of(ResultField.builder().field("@timestamp").value("2026-12-07 21:14:10.101").build(),
        ResultField.builder().field("@log").value(log).build(),
        ResultField.builder().field("@message").value(message).build(),
        ResultField.builder().field("@ptr").value("CmAKJwojMTIzNDU2Nzg5MDEyOi9hd3MvbGFtYmRh").build());
  }
}
