package dev.meridian.tools.local.lambda;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** The lines Lambda itself writes to a function's log stream, and the identifiers it issues. */
final class PlatformLog {

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STREAM_DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private PlatformLog() {}

  static String start(String requestId) {
    return "START RequestId: " + requestId + " Version: $LATEST";
  }

  static String end(String requestId) {
    return "END RequestId: " + requestId;
  }

  /** The line Lambda writes when it stops an invocation at the function's timeout. */
  static String timedOut(Instant at, String requestId, int timeoutSeconds) {
    return TIMESTAMP.format(at) + " " + requestId + " Task timed out after "
        + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds";
  }

  /**
   * {@code REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024
   * MB\tMax Memory Used: 187 MB[\tInit Duration: 1432.10 ms][\tStatus: timeout|error[\tError Type:
   * <type>]]}.
   *
   * @param initMillis  the cold start's init duration, or negative on a warm invocation
   * @param maxUsedMb   peak resident memory of the function process, or negative when unknown
   * @param status      null on success / function error; "timeout" or "error" otherwise
   * @param errorType   with status "error": the platform error type (e.g. Runtime.ExitError), or null
   */
  static String report(String requestId, double durationMillis, long billedMillis, int memoryMb, long maxUsedMb,
      double initMillis, String status, String errorType) {
    StringBuilder line = new StringBuilder("REPORT RequestId: ").append(requestId)
        .append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", durationMillis)).append(" ms")
        .append("\tBilled Duration: ").append(billedMillis).append(" ms")
        .append("\tMemory Size: ").append(memoryMb).append(" MB")
        .append("\tMax Memory Used: ").append(Math.max(maxUsedMb, 0)).append(" MB");
    if (initMillis >= 0) {
      line.append("\tInit Duration: ").append(String.format(Locale.ROOT, "%.2f", initMillis)).append(" ms");
    }
    if (status != null) {
      line.append("\tStatus: ").append(status);
      if (errorType != null) {
        line.append("\tError Type: ").append(errorType);
      }
    }
    return line.toString();
  }

  /** Lambda bills whole milliseconds, rounded up. */
  static long billedMillis(double durationMillis) {
    return Math.max(1, (long) Math.ceil(durationMillis));
  }

  /** An X-Ray trace header as Lambda passes it: {@code Root=1-<8 hex epoch s>-<24 hex>;Parent=<16 hex>;Sampled=0}. */
  static String traceHeader(Instant now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] root = new byte[12];
    byte[] parent = new byte[8];
    random.nextBytes(root);
    random.nextBytes(parent);
    return "Root=1-" + String.format(Locale.ROOT, "%08x", now.getEpochSecond()) + "-" + HexFormat.of().formatHex(root)
        + ";Parent=" + HexFormat.of().formatHex(parent) + ";Sampled=0";
  }

  /** A log stream name as Lambda makes one per execution environment: {@code 2024/05/01/[$LATEST]<32 hex>}. */
  static String logStreamName(Instant now) {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return STREAM_DATE.format(now.truncatedTo(ChronoUnit.DAYS)) + "/[$LATEST]" + HexFormat.of().formatHex(id);
  }
}
