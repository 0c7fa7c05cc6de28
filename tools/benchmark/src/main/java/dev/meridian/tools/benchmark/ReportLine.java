package dev.meridian.tools.benchmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one invocation's {@code REPORT} record, in either of Lambda's system log formats.
 *
 * <ul>
 *   <li>Text: {@code REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory
 *       Used: 180 MB\t}, plus {@code Init Duration: x ms} on an on-demand cold start, or {@code Restore Duration: x ms\t
 *       Billed Restore Duration: y ms} on a SnapStart restore
 *       (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html).
 *   <li>JSON ({@code LoggingConfig.LogFormat: JSON}, which template.yaml sets): {@code {"type":"platform.report",
 *       "record":{"metrics":{"durationMs":..,"maxMemoryUsedMB":..,"initDurationMs":..,"restoreDurationMs":..}}}}
 *       (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html#ReportMetrics).
 * </ul>
 *
 * <p>A SnapStart function's REPORT never carries Init Duration: its init ran when the version was published.
 */
record ReportLine(double durationMillis, OptionalDouble initDurationMillis, OptionalDouble restoreDurationMillis,
    int maxMemoryUsedMb) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DURATION = field("Duration", "[0-9.]+", "ms");
  private static final Pattern INIT_DURATION = field("Init Duration", "[0-9.]+", "ms");
  private static final Pattern RESTORE_DURATION = field("Restore Duration", "[0-9.]+", "ms");
  private static final Pattern MAX_MEMORY_USED = field("Max Memory Used", "[0-9]+", "MB");

  ReportLine {
    if (!(durationMillis >= 0) || maxMemoryUsedMb < 0) {
      throw new IllegalArgumentException("a REPORT needs a Duration and a Max Memory Used, found " + durationMillis
          + " ms and " + maxMemoryUsedMb + " MB");
    }
  }

  /** A new execution environment: an on-demand init or a SnapStart restore. */
  boolean coldStart() {
    return initDurationMillis.isPresent() || restoreDurationMillis.isPresent();
  }

  /**
   * The REPORT a log event's message carries, or empty for any other event (START, END, INIT_START, the
   * function's own lines, other platform records).
   *
   * @throws IllegalArgumentException for a REPORT that lacks its Duration or Max Memory Used
   */
  static Optional<ReportLine> parse(String message) {
    String trimmed = message.strip();
    if (trimmed.startsWith("REPORT RequestId:")) {
      return Optional.of(fromText(trimmed));
    }
    if (trimmed.startsWith("{") && trimmed.contains("\"platform.report\"")) {
      return fromJson(trimmed);
    }
    return Optional.empty();
  }

  private static ReportLine fromText(String line) {
    return new ReportLine(number(DURATION, line).orElse(Double.NaN), number(INIT_DURATION, line),
        number(RESTORE_DURATION, line), (int) number(MAX_MEMORY_USED, line).orElse(-1));
  }

  private static Optional<ReportLine> fromJson(String message) {
    JsonNode event;
    try {
      event = JSON.readTree(message);
    } catch (JsonProcessingException notJson) {
      return Optional.empty();
    }
    if (!"platform.report".equals(event.path("type").asText())) {
      return Optional.empty();
    }
    JsonNode metrics = event.path("record").path("metrics");
    return Optional.of(new ReportLine(metrics.path("durationMs").asDouble(Double.NaN), optional(metrics, "initDurationMs"),
        optional(metrics, "restoreDurationMs"), metrics.path("maxMemoryUsedMB").asInt(-1)));
  }

  /**
   * A field as the text REPORT spells it: its name right after the start or a tab, so that {@code Duration} is not
   * found inside {@code Billed Duration} or {@code Restore Duration}.
   */
  private static Pattern field(String name, String value, String unit) {
    return Pattern.compile("(?:^|\\t)" + Pattern.quote(name) + ": (" + value + ") " + unit);
  }

  private static OptionalDouble number(Pattern field, String line) {
    Matcher m = field.matcher(line);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static OptionalDouble optional(JsonNode metrics, String name) {
    JsonNode value = metrics.get(name);
    return value != null && value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
  }
}
