package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * report-lines end to end against moto: the recorded lines of {@code report-lines/} put into the log groups
 * template.yaml gives a stack named {@code meridian}, then the command's own Logs Insights query and table.
 *
 * <p>moto 5.2.1 runs {@code StartQuery} and {@code GetQueryResults}, keeps to the query's time window and returns
 * {@code @timestamp}, {@code @log} (the group's name, without AWS's {@code account-id:} prefix) and {@code @message}; it
 * ignores the {@code filter} command, and it discovers no field ({@code @type}, {@code @duration}) and parses none. So
 * here every event of the window comes back, START, END and the functions' own lines included, and only the command's
 * parser keeps the REPORTs apart; on AWS the filter already has. The figures come from {@code @message} on AWS too
 * ({@link InsightsReportQuery}).
 */
@ExtendWith(EmulatorExtension.class)
class ReportLinesIT {
  private static final String REGION = "us-east-1";
  private static final Pattern RECORDED = Pattern.compile("^\\S+ \\[([^\\]]+)\\] (.*)$");

  @Test
  void theQueryReadsEachFunctionsGroupWithinTheWindowAndPrintsTheFiguresOfItsReportLines(Emulator emulator)
      throws Exception {
    Instant now = Instant.now();
    try (CloudWatchLogsClient logs = emulator.configure(CloudWatchLogsClient.builder(), REGION).build()) {
      for (String function : List.of("catalog", "orders", "health", "publisher", "reconciler")) {
        logs.createLogGroup(b -> b.logGroupName("/aws/lambda/meridian-" + function));
        logs.createLogStream(b -> b.logGroupName("/aws/lambda/meridian-" + function).logStreamName("2026/12/07/[7]a1"));
      }
      // Outside --since 1h: a restore that must not be counted.
      put(logs, "catalog", List.of("REPORT RequestId: old\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 1024 MB"
          + "\tMax Memory Used: 400 MB\tRestore Duration: 5000.00 ms\tBilled Restore Duration: 200 ms\t"),
          now.minus(Duration.ofHours(2)));
      // catalog logs in text, orders and health in JSON: a stack moved to JSON keeps its older text lines in the window.
      put(logs, "catalog", recorded("text-format.txt", "catalog"), now.minus(Duration.ofMinutes(20)));
      put(logs, "orders", recorded("json-format.txt", "orders"), now.minus(Duration.ofMinutes(10)));
      put(logs, "health", recorded("json-format.txt", "health"), now.minus(Duration.ofMinutes(5)));

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int status;
      try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
        status = ReportLinesCommand.run(RepositoryRoot.path(),
            List.of("--stack", "meridian", "--region", REGION, "--since", "1h"), out,
            region -> emulator.configure(CloudWatchLogsClient.builder(), region).build(), Clock.systemUTC());
      }
      String printed = bytes.toString(StandardCharsets.UTF_8);

      assertThat(status).as(printed).isZero();
      assertThat(printed).contains("REPORT lines of stack meridian in us-east-1", ": 18\n")
          .contains("| catalog (SnapStart) | 8 | 3 | – | – | 512 | 1,303 | 11.37 | 22.05 | 207 | 204 |\n")
          .contains("| orders (SnapStart) | 6 | 2 | – | – | 539 | 622 | 11.00 | 30.61 | 235 | 232 |\n")
          .contains("| health | 4 | 1 | 1,702 | 1,702 | – | – | 17.20 | 19.80 | 152 | 151 |\n")
          .doesNotContain("publisher").doesNotContain("5,000");
    }
  }

  /** The messages one function logged in a recorded fixture, in order. */
  private static List<String> recorded(String fixture, String function) throws Exception {
    Path file = Path.of(ReportLinesIT.class.getResource("/report-lines/" + fixture).toURI());
    List<String> messages = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = RECORDED.matcher(line);
      if (m.matches() && m.group(1).equals(function)) {
        messages.add(m.group(2));
      }
    }
    return messages;
  }

  /** Puts the messages one millisecond apart from {@code first}, as one batch (PutLogEvents wants them in order). */
  private static void put(CloudWatchLogsClient logs, String function, List<String> messages, Instant first) {
    List<InputLogEvent> events = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      events.add(InputLogEvent.builder().timestamp(first.toEpochMilli() + i).message(messages.get(i)).build());
    }
    logs.putLogEvents(b -> b.logGroupName("/aws/lambda/meridian-" + function).logStreamName("2026/12/07/[7]a1")
        .logEvents(events));
  }
}
