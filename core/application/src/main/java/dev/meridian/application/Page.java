package dev.meridian.application;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing. {@code nextCursor} is opaque to callers; the repository that issued it
 * validates it when it comes back and refuses a forged or corrupt one with a
 * {@link dev.meridian.domain.common.ValidationException} naming {@code cursor}.
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  public Page {
    items = List.copyOf(items);
  }
}
