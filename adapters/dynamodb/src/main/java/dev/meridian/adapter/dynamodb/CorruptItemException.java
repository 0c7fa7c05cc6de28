package dev.meridian.adapter.dynamodb;

/** A stored item does not have the shape this code writes: a bug or a foreign writer, never bad input. */
public final class CorruptItemException extends RuntimeException {
  public CorruptItemException(String message) {
    super(message);
  }
}
