package dev.meridian.tools.local.gateway;

import java.util.function.LongSupplier;

/**
 * API Gateway's throttle: a bucket of {@code burst} tokens, refilled at {@code ratePerSecond},
 * starting full; a request takes one token or is refused (429). Thread-safe.
 */
public final class TokenBucket {

  private final double ratePerSecond;
  private final double capacity;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.capacity = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  public TokenBucket(double ratePerSecond, int burst) {
    this(ratePerSecond, burst, System::nanoTime);
  }

  /** Takes a token if there is one. */
  public synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerSecond / 1_000_000_000d);
      last = now;
    }
    if (tokens >= 1d) {
      tokens -= 1d;
      return true;
    }
    return false;
  }

  /** Tokens left now (fractional while refilling). */
  public synchronized double available() {
    long now = nanoTime.getAsLong();
    return Math.min(capacity, tokens + Math.max(0, now - last) * ratePerSecond / 1_000_000_000d);
  }
}
