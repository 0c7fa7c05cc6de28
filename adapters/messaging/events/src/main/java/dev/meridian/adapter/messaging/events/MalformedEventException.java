package dev.meridian.adapter.messaging.events;

import dev.meridian.application.replication.UnreadableChangeException;

/**
 * An incoming event that is not a change event this code can apply: not JSON, not Meridian's,
 * an unknown schema version or entity, or a state that does not decode. Never retried: the
 * reconciler sends it to the dead-letter queue with this message.
 */
public final class MalformedEventException extends UnreadableChangeException {
  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
