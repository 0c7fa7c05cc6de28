package dev.meridian.tools.local.dns;

import java.util.concurrent.CompletableFuture;

/**
 * One simulated checker's view of one endpoint (Route 53 semantics): it starts healthy and
 * changes its mind only after {@code threshold} consecutive results of the other kind.
 * Not thread-safe: {@link HealthCheckers} guards it with the region's lock.
 */
final class CheckerState {
  final int index;
  final int threshold;
  boolean healthy = true;
  int consecutiveSuccesses;
  int consecutiveFailures;
  long probes;
  ProbeResult last;
  /** Results are applied in the order their probes were sent (only the scheduler thread touches this). */
  CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  CheckerState(int index, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("FailureThreshold must be at least 1, was " + threshold);
    }
    this.index = index;
    this.threshold = threshold;
  }

  /** Counts one result; true when the checker's view flipped. */
  boolean record(ProbeResult result) {
    probes++;
    last = result;
    if (result.success()) {
      consecutiveSuccesses++;
      consecutiveFailures = 0;
      if (!healthy && consecutiveSuccesses >= threshold) {
        healthy = true;
        return true;
      }
    } else {
      consecutiveFailures++;
      consecutiveSuccesses = 0;
      if (healthy && consecutiveFailures >= threshold) {
        healthy = false;
        return true;
      }
    }
    return false;
  }
}
