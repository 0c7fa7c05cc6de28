package dev.meridian.local.sources;

import java.time.Duration;

/** Exponential back-off: {@code initial}, doubling up to {@code max}; {@link #reset()} on progress. */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private volatile long currentMillis;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** The next delay: the initial one after a reset, else twice the previous, capped at max. */
  Duration next() {
    long next = currentMillis == 0 ? initialMillis : Math.min(currentMillis * 2, maxMillis);
    currentMillis = next;
    return Duration.ofMillis(next);
  }

  void reset() {
    currentMillis = 0;
  }

  /** The last delay handed out since the last reset, or zero. */
  Duration current() {
    return Duration.ofMillis(currentMillis);
  }
}
