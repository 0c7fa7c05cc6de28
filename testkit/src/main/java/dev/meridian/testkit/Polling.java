package dev.meridian.testkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The one polling loop of the tests and tools: ask, and ask again every {@code every} until the
 * answer satisfies the condition or the budget is spent. Never busy: the emulator answers about 200
 * DynamoDB calls a second for everything on the machine.
 */
public final class Polling {
  /** One look at what is awaited; may fail (the caller decides whether a failure means "not yet"). */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  /** What polling saw last, whether it satisfied the condition, and how long it took. */
  public record Waited<T>(T value, boolean met, long millis) {}

  private Polling() {}

  public static <T> Waited<T> await(Duration budget, Duration every, Probe<T> probe, Predicate<? super T> condition)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    while (true) {
      T value = probe.get();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      if (condition.test(value)) {
        return new Waited<>(value, true, elapsedMillis);
      }
      if (System.nanoTime() > deadline) {
        return new Waited<>(value, false, elapsedMillis);
      }
      Thread.sleep(every.toMillis());
    }
  }

  /** Polls until {@code condition} answers true; throws naming {@code what} when the budget passes. */
  public static void until(Duration budget, Duration every, String what, Probe<Boolean> condition) throws Exception {
    if (!await(budget, every, condition, Boolean.TRUE::equals).met()) {
      throw new IllegalStateException("not within " + budget + ": " + what);
    }
  }
}
