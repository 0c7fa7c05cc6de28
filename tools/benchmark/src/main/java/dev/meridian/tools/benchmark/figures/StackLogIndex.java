package dev.meridian.tools.benchmark.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stack's log ({@code .local-stack/logs/stack.log}) says about invocations: the HTTP API's
 * access-log lines (gateway request id → the Lambda RequestId of its integration) and Lambda's
 * {@code REPORT} lines. Read incrementally: {@link #refresh()} parses what was appended since.
 */
final class StackLogIndex {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** {@code <instant> [<region>/<function>] REPORT RequestId: <id>\tDuration: ...}. */
  private static final Pattern REPORT = Pattern.compile("^\\S+ \\[([^/\\]]+)/([^\\]]+)\\] REPORT RequestId: (\\S+)\\t(.*)$");
  /** {@code <instant> [<region>] {"requestId":...}} (the access log). */
  private static final Pattern ACCESS = Pattern.compile("^\\S+ \\[([a-z0-9-]+)\\] (\\{.*\\})$");

  /** One REPORT line. {@code initMillis} is negative on a warm invocation; {@code status} null on success. */
  record Report(long order, String region, String function, String requestId, double durationMillis,
      double initMillis, long maxMemoryUsedMb, String status) {
    boolean cold() {
      return initMillis >= 0;
    }
  }

  /** One access-log line: the gateway's request id and its integration's (Lambda's) RequestId. */
  record Access(String region, String requestId, String routeKey, int status, String integrationRequestId) {}

  private final Path file;
  private final Map<String, Report> reports = new ConcurrentHashMap<>();
  private final Map<String, Access> accesses = new ConcurrentHashMap<>();
  private final List<Report> reportOrder = new ArrayList<>();
  private long offset;
  private String partial = "";

  StackLogIndex(Path file) {
    this.file = file;
  }

  /** Parses the lines appended since the last call. */
  synchronized void refresh() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length < offset) {
        offset = 0; // a new stack truncated the log
        partial = "";
      }
      byte[] bytes = new byte[(int) (length - offset)];
      raf.seek(offset);
      raf.readFully(bytes);
      offset = length;
      String text = partial + new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      partial = end < 0 ? text : text.substring(end + 1);
      if (end >= 0) {
        for (String line : text.substring(0, end).split("\n")) {
          accept(line);
        }
      }
    }
  }

  /** Parses one line (package-private for tests). */
  synchronized void accept(String line) {
    Matcher report = REPORT.matcher(line);
    if (report.matches()) {
      double duration = -1;
      double init = -1;
      long maxUsed = -1;
      String status = null;
      for (String field : report.group(4).split("\\t")) {
        int colon = field.indexOf(": ");
        if (colon < 0) {
          continue;
        }
        String key = field.substring(0, colon);
        String value = field.substring(colon + 2).replace(" ms", "").replace(" MB", "").trim();
        switch (key) {
          case "Duration" -> duration = Double.parseDouble(value);
          case "Init Duration" -> init = Double.parseDouble(value);
          case "Max Memory Used" -> maxUsed = Long.parseLong(value);
          case "Status" -> status = value;
          default -> { }
        }
      }
      Report r = new Report(reportOrder.size(), report.group(1), report.group(2), report.group(3), duration, init,
          maxUsed, status);
      reports.put(r.requestId(), r);
      reportOrder.add(r);
      return;
    }
    Matcher access = ACCESS.matcher(line);
    if (access.matches()) {
      try {
        JsonNode node = JSON.readTree(access.group(2));
        if (node.has("requestId") && node.has("integrationRequestId")) {
          Access a = new Access(access.group(1), node.path("requestId").asText(), node.path("routeKey").asText(),
              Integer.parseInt(node.path("status").asText("0")), node.path("integrationRequestId").asText());
          accesses.put(a.requestId(), a);
        }
      } catch (IOException | NumberFormatException e) {
        // not an access-log line after all
      }
    }
  }

  /** The REPORT line of the invocation behind a gateway request id (its {@code apigw-requestid} header). */
  synchronized Optional<Report> reportForGatewayRequest(String gatewayRequestId) {
    Access access = accesses.get(gatewayRequestId);
    if (access == null || access.integrationRequestId().equals("-")) {
      return Optional.empty();
    }
    return Optional.ofNullable(reports.get(access.integrationRequestId()));
  }

  /** How many REPORT lines have been read so far: a mark for {@link #firstColdReportAfter}. */
  synchronized long mark() {
    return reportOrder.size();
  }

  /** The first cold-start REPORT of {@code region/function} read after {@code mark}. */
  synchronized Optional<Report> firstColdReportAfter(long mark, String region, String function) {
    for (int i = (int) mark; i < reportOrder.size(); i++) {
      Report r = reportOrder.get(i);
      if (r.region().equals(region) && r.function().equals(function) && r.cold()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
