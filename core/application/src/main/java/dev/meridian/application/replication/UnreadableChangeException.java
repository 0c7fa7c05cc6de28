package dev.meridian.application.replication;

/**
 * A change this code cannot read: a stream record whose image does not decode, or an event that is
 * malformed, of an unknown schema version or type, or from a region it cannot come from. Retrying
 * cannot help, so the caller sets it aside (dead letter, on-failure destination) with the reason.
 */
public class UnreadableChangeException extends RuntimeException {
  public UnreadableChangeException(String message) {
    super(message);
  }

  public UnreadableChangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
