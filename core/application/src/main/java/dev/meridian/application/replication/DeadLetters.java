package dev.meridian.application.replication;

/** Where a change nobody can apply goes, with the reason, for a person to look at (the reconcile DLQ). */
@FunctionalInterface
public interface DeadLetters {
  /** @throws dev.meridian.application.StoreUnavailableException when it cannot be stored now (the caller retries) */
  void send(String message, String reason);
}
