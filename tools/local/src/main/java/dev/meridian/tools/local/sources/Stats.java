package dev.meridian.tools.local.sources;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Counters behind {@link SourceStatus}. */
final class Stats {

  final AtomicLong invocations = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  final AtomicLong discarded = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  void error(String message) {
    lastErrorAt = Instant.now();
    lastError = message;
  }

  String lastError() {
    return lastError;
  }

  Instant lastErrorAt() {
    return lastErrorAt;
  }
}
