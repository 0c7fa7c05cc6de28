package dev.meridian.application;

/**
 * The region's data store could not answer (unreachable, throttled, or contended beyond the
 * adapter's retries). Adapters throw it instead of any SDK exception; handlers answer 503 with
 * {@code Retry-After}, never 500.
 */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
