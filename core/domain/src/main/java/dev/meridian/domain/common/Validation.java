package dev.meridian.domain.common;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects field errors so a command reports all of its problems, not just the first.
 * Used from the compact constructors of self-validating records.
 */
public final class Validation {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  private final List<FieldError> errors;
  private final String prefix;

  private Validation(List<FieldError> errors, String prefix) {
    this.errors = errors;
    this.prefix = prefix;
  }

  public static Validation start() {
    return new Validation(new ArrayList<>(), "");
  }

  /** A view whose errors land in this validation, prefixed with {@code path.}, e.g. {@code lines[2].}. */
  public Validation nested(String path) {
    return new Validation(errors, prefix + path + ".");
  }

  public Validation fail(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
    return this;
  }

  public boolean require(boolean condition, String field, String message) {
    if (!condition) {
      fail(field, message);
    }
    return condition;
  }

  public boolean notNull(Object value, String field) {
    return require(value != null, field, "is required");
  }

  /** Non-null, between {@code min} and {@code max} characters, not blank when required, no control characters. */
  public boolean text(String value, String field, int min, int max) {
    if (!notNull(value, field)) {
      return false;
    }
    if (min > 0 && value.isBlank()) {
      return require(false, field, "must not be blank");
    }
    if (value.length() < min) {
      return require(false, field, "must have at least " + min + " characters");
    }
    if (value.length() > max) {
      return require(false, field, "must have at most " + max + " characters");
    }
    return require(value.chars().noneMatch(Validation::isControl), field, "must not contain control characters");
  }

  public boolean range(long value, long min, long max, String field) {
    return require(value >= min && value <= max, field, "must be between " + min + " and " + max);
  }

  public boolean region(String value, String field) {
    return notNull(value, field)
        && require(REGION.matcher(value).matches(), field, "must be an AWS region name such as us-east-1");
  }

  public static boolean isRegion(String value) {
    return value != null && REGION.matcher(value).matches();
  }

  private static boolean isControl(int c) {
    return Character.isISOControl(c) && c != '\n' && c != '\t';
  }

  /** Throws a {@link ValidationException} carrying every error recorded so far. */
  public void orThrow() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
