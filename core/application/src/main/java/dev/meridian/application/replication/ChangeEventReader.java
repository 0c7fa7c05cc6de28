package dev.meridian.application.replication;

/** The reconciler's input port: a remote region's change event, as its queue message carries it. */
@FunctionalInterface
public interface ChangeEventReader {
  /** @throws UnreadableChangeException when the message is not a change event this code can apply */
  ChangeEvent read(String message);
}
