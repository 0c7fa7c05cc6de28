package dev.meridian.domain.order;

import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import java.util.Objects;

/** One line of a placed order, with the unit price captured at placement. */
public record OrderLine(ProductId productId, int quantity, Money unitPrice) {
  public static final int MIN_QUANTITY = 1;
  public static final int MAX_QUANTITY = 100;

  public OrderLine {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(unitPrice, "unitPrice");
    if (quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity must be between 1 and 100");
    }
  }

  public Money lineTotal() {
    return unitPrice.times(quantity);
  }
}
