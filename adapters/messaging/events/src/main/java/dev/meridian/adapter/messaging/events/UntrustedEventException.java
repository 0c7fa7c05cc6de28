package dev.meridian.adapter.messaging.events;

import dev.meridian.application.replication.UnreadableChangeException;

/**
 * A well-formed change event that cannot have come from this deployment's own forwarding: its
 * {@code originRegion} is no configured peer, or it was put on a bus in another account. The bus
 * policy lets only the publishers and the peers' forwarding roles put events, so one of these is
 * forged or misrouted. Never applied and never retried: the reconciler dead-letters it with this
 * message, and the dead-letter queue's alarm calls someone.
 */
public final class UntrustedEventException extends UnreadableChangeException {
  public UntrustedEventException(String message) {
    super(message);
  }
}
