package dev.meridian.tools.local.sources;

import dev.meridian.testkit.Polling;
import java.time.Duration;
import java.util.function.BooleanSupplier;

final class Await {

  private Await() {}

  /** Polls {@code condition} every 100 ms; fails with {@code what} after {@code timeout}. */
  static void until(Duration timeout, String what, BooleanSupplier condition) {
    try {
      Polling.until(timeout, Duration.ofMillis(100), what, condition::getAsBoolean);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
