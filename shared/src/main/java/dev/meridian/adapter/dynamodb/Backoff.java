package dev.meridian.adapter.dynamodb;

import java.util.concurrent.ThreadLocalRandom;

/** Full-jitter exponential backoff for transactions cancelled by contention (TransactionConflict). */
final class Backoff {
  private static final long BASE_MILLIS = 10;

  private Backoff() {}

  static void pause(int attempt) {
    long ceiling = BASE_MILLIS << Math.min(attempt, 6);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
