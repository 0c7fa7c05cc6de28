package dev.meridian.tools.benchmark;

import dev.meridian.testkit.Polling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * A CloudWatch Logs Insights query over a stack's function log groups that returns each REPORT record's log group and
 * message, for {@link ReportLine#parse} to read.
 *
 * <p>The figures are read from {@code @message}, not from the fields Insights discovers in a text REPORT
 * ({@code @duration}, {@code @initDuration}, {@code @maxMemoryUsed}): the stack logs in JSON (template.yaml's
 * {@code LogFormat: JSON}), whose {@code platform.report} records carry their figures under {@code record.metrics}
 * instead; none of the discovered fields holds a text REPORT's Restore Duration; and one parser then serves the query,
 * a recorded file and both formats alike. The filter keeps text REPORT lines ({@code @type}) and JSON report records ({@code type});
 * the parser skips anything else a query returns.
 */
final class InsightsReportQuery {
  /** The most rows one query returns (the API's limit); more REPORT lines in the window are not read. */
  static final int ROW_LIMIT = 10_000;
  static final String QUERY = String.join("\n",
      "fields @timestamp, @log, @message",
      "| filter @type = \"REPORT\" or type = \"platform.report\"",
      "| sort @timestamp asc",
      "| limit " + ROW_LIMIT);
  private static final Duration BUDGET = Duration.ofMinutes(5);

  /** One result row: the log group (as {@code @log} names it) and the message. */
  record Row(String log, String message) {
    /** A row as {@code GetQueryResults} returns it: a list of field and value pairs. */
    static Optional<Row> of(List<ResultField> fields) {
      Map<String, String> byName = fields.stream().filter(f -> f.field() != null && f.value() != null)
          .collect(Collectors.toMap(ResultField::field, ResultField::value, (a, b) -> a));
      String log = byName.get("@log");
      String message = byName.get("@message");
      return log == null || message == null ? Optional.empty() : Optional.of(new Row(log, message));
    }
  }

  private final CloudWatchLogsClient logs;

  InsightsReportQuery(CloudWatchLogsClient logs) {
    this.logs = logs;
  }

  /**
   * Runs {@link #QUERY} over {@code logGroupNames} from {@code from} to {@code to} and waits for it to complete.
   *
   * @throws IllegalStateException when the query fails, is cancelled, times out, or does not complete within 5 minutes
   */
  List<Row> run(List<String> logGroupNames, Instant from, Instant to) throws Exception {
    String queryId = logs.startQuery(b -> b.logGroupNames(logGroupNames).startTime(from.getEpochSecond())
        .endTime(to.getEpochSecond()).queryString(QUERY).limit(ROW_LIMIT)).queryId();
    Polling.Waited<GetQueryResultsResponse> done = Polling.await(BUDGET, Duration.ofSeconds(1),
        () -> logs.getQueryResults(b -> b.queryId(queryId)),
        r -> r.status() != QueryStatus.SCHEDULED && r.status() != QueryStatus.RUNNING);
    GetQueryResultsResponse response = done.value();
    if (!done.met() || response.status() != QueryStatus.COMPLETE) {
      throw new IllegalStateException("Logs Insights query " + queryId + " ended " + response.statusAsString()
          + " after " + done.millis() + " ms");
    }
    return response.results().stream().map(Row::of).flatMap(Optional::stream).toList();
  }
}
