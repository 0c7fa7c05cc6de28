package dev.meridian.domain.common;

import java.util.Objects;

/** One reason a command or value was refused, naming the offending field as a JSON path. */
public record FieldError(String field, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
