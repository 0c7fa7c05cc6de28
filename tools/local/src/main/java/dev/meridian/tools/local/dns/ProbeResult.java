package dev.meridian.tools.local.dns;

import java.time.Instant;

/**
 * One health-check probe's outcome.
 *
 * @param success       whether Route 53 would count it as a pass
 * @param statusCode    the HTTP status, or -1 when none arrived (refused, timed out, TCP check)
 * @param latencyMillis time from sending to the verdict
 * @param error         why it failed (null on success), e.g. {@code HTTP 503},
 *                      {@code timed out after 2000 ms}, {@code connection refused}
 * @param at            when the verdict was reached
 */
public record ProbeResult(boolean success, int statusCode, long latencyMillis, String error, Instant at) {

  static ProbeResult pass(int statusCode, long latencyMillis, Instant at) {
    return new ProbeResult(true, statusCode, latencyMillis, null, at);
  }

  static ProbeResult fail(int statusCode, long latencyMillis, String error, Instant at) {
    return new ProbeResult(false, statusCode, latencyMillis, error, at);
  }
}
