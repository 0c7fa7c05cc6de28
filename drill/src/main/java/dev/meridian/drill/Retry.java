package dev.meridian.drill;

import dev.meridian.local.client.Api;
import java.io.IOException;
import java.time.Duration;

/** Setup and verification calls that must get through on a busy machine. */
final class Retry {
  @FunctionalInterface
  interface Call {
    Api.Answer send() throws Exception;
  }

  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  private Retry() {}

  /** Repeats a call answered 5xx or failing in transport, up to 6 times, waiting 1, 2, 3 ... s. */
  static Api.Answer call(Call call) throws Exception {
    Exception last = null;
    for (int attempt = 1; attempt <= 6; attempt++) {
      try {
        Api.Answer answer = call.send();
        if (answer.status() < 500 || attempt == 6) {
          return answer;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(1_000L * attempt);
    }
    throw last;
  }

  /** Polls every 500 ms until the condition holds (transport errors count as not yet). */
  static void until(Duration budget, Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + budget.toNanos();
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + budget + ": " + what);
      }
      Thread.sleep(500);
    }
  }
}
