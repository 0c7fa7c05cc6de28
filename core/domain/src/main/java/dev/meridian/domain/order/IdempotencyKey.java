package dev.meridian.domain.order;

import dev.meridian.domain.common.ValidationException;

/** The client's {@code Idempotency-Key}: 1-128 visible ASCII characters. */
public record IdempotencyKey(String value) {
  public static final int MAX_LENGTH = 128;

  public IdempotencyKey {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH
        || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      throw ValidationException.of("Idempotency-Key", "must be 1-" + MAX_LENGTH + " visible ASCII characters");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
