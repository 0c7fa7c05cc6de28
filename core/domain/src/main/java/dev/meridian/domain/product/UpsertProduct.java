package dev.meridian.domain.product;

import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.Validation;

/**
 * Create or replace a product's fields ({@code PUT /products/{id}}). Self-validating: a
 * constructed command is always valid.
 */
public record UpsertProduct(ProductId productId, String name, String description, Money price, boolean active) {
  public static final int MAX_NAME = 200;
  public static final int MAX_DESCRIPTION = 4_000;

  public UpsertProduct {
    Validation v = Validation.start();
    v.notNull(productId, "productId");
    v.text(name, "name", 1, MAX_NAME);
    v.text(description, "description", 0, MAX_DESCRIPTION);
    v.notNull(price, "price");
    v.orThrow();
  }
}
