package dev.meridian.tools.drill;

import dev.meridian.testkit.Polling;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.io.IOException;
import java.time.Duration;

/** Setup and verification calls that must get through on a busy machine. */
final class Retry {
  @FunctionalInterface
  interface Call {
    TimedHttpClient.Answer send() throws Exception;
  }

  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  private Retry() {}

  /** Repeats a call answered 5xx or failing in transport, up to 6 times, waiting 1, 2, 3 ... s. */
  static TimedHttpClient.Answer call(Call call) throws Exception {
    Exception last = null;
    for (int attempt = 1; attempt <= 6; attempt++) {
      try {
        TimedHttpClient.Answer answer = call.send();
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
    Polling.until(budget, Duration.ofMillis(500), what, () -> {
      try {
        return condition.holds();
      } catch (IOException e) {
        return false; // not yet
      }
    });
  }
}
