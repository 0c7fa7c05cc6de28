package dev.meridian.application;

/**
 * A stored value with the item's {@code version} attribute, the in-region optimistic
 * concurrency token: every update is conditional on it and increments it.
 */
public record Versioned<T>(T value, long version) {
  public Versioned {
    if (version < 1) {
      throw new IllegalArgumentException("stored versions start at 1");
    }
  }
}
