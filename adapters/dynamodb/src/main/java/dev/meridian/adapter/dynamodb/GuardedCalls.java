package dev.meridian.adapter.dynamodb;

import dev.meridian.application.StoreUnavailableException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns any SDK failure that escaped an adapter's own handling into the application's 503 signal. */
final class GuardedCalls {
  private GuardedCalls() {}

  static <T> T guard(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw new StoreUnavailableException("DynamoDB could not " + what + ": " + e.getMessage(), e);
    }
  }

  static void run(String what, Runnable call) {
    guard(what, () -> {
      call.run();
      return null;
    });
  }
}
