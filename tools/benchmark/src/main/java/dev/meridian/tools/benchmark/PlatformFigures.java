package dev.meridian.tools.benchmark;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads from the local runtime's platform log ({@code [region/LogicalId] line}):
 * each function's largest Max Memory Used over its REPORT lines, and the published versions'
 * training reports (how long each AOT cache took to build).
 */
final class PlatformFigures {
  private static final Pattern PREFIX = Pattern.compile("^\\[[^/\\]]+/([^\\]]+)] (.*)$");

  private final Map<String, Integer> maxMemoryUsedMb = new ConcurrentHashMap<>();
  private final List<String> publishReports = new CopyOnWriteArrayList<>();

  /** One platform line (the runtime's sink). */
  void accept(String line) {
    Matcher prefixed = PREFIX.matcher(line);
    if (!prefixed.matches()) {
      return;
    }
    String function = prefixed.group(1);
    String message = prefixed.group(2);
    if (message.startsWith("PUBLISH_REPORT") || message.startsWith("PUBLISH_FAILED")) {
      publishReports.add(function + ": " + message);
    }
    ReportLine.parse(message).ifPresent(report -> maxMemoryUsedMb.merge(function, report.maxMemoryUsedMb(), Math::max));
  }

  /** The largest Max Memory Used of {@code functionLogicalId}'s invocations, or -1 when it reported none. */
  int maxMemoryUsedMb(String functionLogicalId) {
    return maxMemoryUsedMb.getOrDefault(functionLogicalId, -1);
  }

  /** Each published version's training report, a line each. */
  String publishReports() {
    StringBuilder out = new StringBuilder("published versions (local stand-in: a training run writes an AOT cache):\n");
    publishReports.forEach(line -> out.append("  ").append(line).append('\n'));
    return out.toString();
  }
}
