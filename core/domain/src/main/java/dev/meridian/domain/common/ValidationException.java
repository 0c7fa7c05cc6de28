package dev.meridian.domain.common;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when input breaks a rule of the domain. It carries every error found, each naming its
 * field, so an API can answer 400 with all of them at once.
 */
public final class ValidationException extends IllegalArgumentException {
  private final transient List<FieldError> errors;

  public ValidationException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
