package dev.meridian.tools.benchmark;

import java.util.Arrays;
import java.util.Collection;

/**
 * Order statistics of a series of latencies (nanoseconds in, milliseconds out). The median of an even count is
 * the mean of the two middle values; other percentiles are nearest-rank (the smallest sample with at least p %
 * of the samples at or below it), so p99 of 1,000 samples is the 990th smallest, a latency that really occurred.
 */
final class LatencyStats {
  private final long[] sorted;

  private LatencyStats(long[] sorted) {
    this.sorted = sorted;
  }

  /** @throws IllegalArgumentException for no samples or a negative one */
  static LatencyStats of(Collection<Long> nanos) {
    long[] values = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (values.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (values[0] < 0) {
      throw new IllegalArgumentException("negative latency " + values[0]);
    }
    return new LatencyStats(values);
  }

  int count() {
    return sorted.length;
  }

  double medianMillis() {
    int n = sorted.length;
    long middle = n % 2 == 1 ? sorted[n / 2] * 2 : sorted[n / 2 - 1] + sorted[n / 2];
    return middle / 2.0 / 1e6;
  }

  /** Nearest-rank percentile, {@code 0 < p <= 100}. */
  double percentileMillis(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1] / 1e6;
  }

  double minMillis() {
    return sorted[0] / 1e6;
  }

  double maxMillis() {
    return sorted[sorted.length - 1] / 1e6;
  }

  double meanMillis() {
    return Arrays.stream(sorted).average().orElseThrow() / 1e6;
  }

  /**
   * Invocations per second one sequential client gets: the count over the time spent waiting for them
   * (the client does nothing else in between).
   */
  double sequentialThroughputPerSecond() {
    double totalSeconds = Arrays.stream(sorted).sum() / 1e9;
    return totalSeconds == 0 ? Double.POSITIVE_INFINITY : sorted.length / totalSeconds;
  }
}
