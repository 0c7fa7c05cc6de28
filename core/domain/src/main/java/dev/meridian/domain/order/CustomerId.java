package dev.meridian.domain.order;

import dev.meridian.domain.common.Validation;

/** The customer who owns an order: the JWT {@code sub} claim. */
public record CustomerId(String value) {
  public CustomerId {
    Validation v = Validation.start();
    v.text(value, "customerId", 1, 128);
    v.orThrow();
  }

  @Override
  public String toString() {
    return value;
  }
}
