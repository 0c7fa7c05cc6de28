package dev.meridian.application.health;

/** How many messages wait in the reconcile queue (SQS {@code ApproximateNumberOfMessages}). */
public interface BacklogProbe {

  /**
   * The queue's approximate number of visible messages.
   *
   * @throws RuntimeException when the queue cannot be asked; the health check reports it as an error
   */
  long approximateMessages();
}
