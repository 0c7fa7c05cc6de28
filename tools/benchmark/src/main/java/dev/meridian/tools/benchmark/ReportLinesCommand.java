package dev.meridian.tools.benchmark;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@code tools/benchmark/run report-lines}: the cold starts, warm durations and memory of a deployed stack's functions,
 * from their REPORT records, as a table like the cold/warm benchmark's. {@code --stack NAME --region R [--since 1h]}
 * reads the function log groups template.yaml declares through a Logs Insights query (AWS credentials from the SDK's
 * default chain; {@code AWS_ENDPOINT_URL} points it elsewhere); {@code --file PATH} reads a recorded log instead.
 *
 * <p>A recorded log has one event a line, {@code [<function>] <message>}, optionally after a timestamp, so the local
 * stack's {@code .local-stack/logs/stack.log} ({@code <instant> [<region>/<function>] REPORT ...}) reads as it is. Lines
 * of another shape are counted and skipped.
 */
final class ReportLinesCommand {
  private static final Pattern RECORDED = Pattern.compile("^(?:\\S+ )?\\[([^\\]]+)\\] (.*)$");

  private ReportLinesCommand() {}

  /** Exit status: 0 with a table, 1 when no REPORT line was found, 2 for bad options. */
  static int run(Path root, List<String> args, PrintStream out) throws Exception {
    return run(root, args, out, region -> CloudWatchLogsClient.builder().region(Region.of(region))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build(), Clock.systemUTC());
  }

  /** As {@link #run(Path, List, PrintStream)}, with the Logs client and the clock given (tests). */
  static int run(Path root, List<String> args, PrintStream out, Function<String, CloudWatchLogsClient> clients, Clock clock)
      throws Exception {
    ReportLinesSettings settings;
    try {
      settings = ReportLinesSettings.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return 2;
    }
    ReportLineFigures figures = new ReportLineFigures();
    if (settings.file().isPresent()) {
      Path file = settings.file().get();
      int skipped = readRecorded(Files.readAllLines(file, StandardCharsets.UTF_8), figures);
      out.printf("REPORT lines recorded in %s: %d (%d lines of another shape skipped)%n", file, figures.count(), skipped);
    } else {
      String stack = settings.stack().orElseThrow();
      String region = settings.region().orElseThrow();
      FunctionLogGroups groups = FunctionLogGroups.of(root, stack);
      Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      Instant from = to.minus(settings.since());
      List<InsightsReportQuery.Row> rows;
      try (CloudWatchLogsClient logs = clients.apply(region)) {
        rows = new InsightsReportQuery(logs).run(groups.byFunction().values().stream()
            .map(FunctionLogGroups.Group::logGroupName).sorted().toList(), from, to);
      }
      readInsights(rows, groups, figures);
      out.printf("REPORT lines of stack %s in %s from %s to %s (Logs Insights, %d rows): %d%n", stack, region, from, to,
          rows.size(), figures.count());
      out.println("query: " + InsightsReportQuery.QUERY.replace("\n", " "));
      if (rows.size() >= InsightsReportQuery.ROW_LIMIT) {
        out.printf("the query stopped at its %,d-row limit: later REPORT lines are not counted; use a shorter --since%n",
            InsightsReportQuery.ROW_LIMIT);
      }
    }
    if (figures.count() == 0) {
      out.println("no REPORT line found");
      return 1;
    }
    out.println();
    out.print(figures.table());
    return 0;
  }

  /** Adds every REPORT of a recorded log; returns how many lines had another shape. */
  static int readRecorded(List<String> lines, ReportLineFigures figures) {
    int skipped = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = RECORDED.matcher(lines.get(i));
      if (!m.matches()) {
        skipped += lines.get(i).isBlank() ? 0 : 1;
        continue;
      }
      try {
        ReportLine.parse(m.group(2)).ifPresent(report -> figures.add(m.group(1), report));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return skipped;
  }

  /** Adds every REPORT among an Insights query's rows, each to the function whose log group it came from. */
  static void readInsights(List<InsightsReportQuery.Row> rows, FunctionLogGroups groups, ReportLineFigures figures) {
    List<String> unknown = new ArrayList<>();
    for (InsightsReportQuery.Row row : rows) {
      Optional<String> function = groups.functionOf(row.log());
      if (function.isEmpty()) {
        unknown.add(row.log());
        continue;
      }
      FunctionLogGroups.Group group = groups.byFunction().get(function.get());
      ReportLine.parse(row.message())
          .ifPresent(report -> figures.add(group.snapStart() ? function.get() + " (SnapStart)" : function.get(), report));
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("rows from log groups the query did not ask for: " + unknown);
    }
  }
}
