package dev.meridian.domain.order;

import dev.meridian.domain.common.Validation;

/** Cancel an order ({@code POST /orders/{id}/cancel}) on behalf of its owner. */
public record CancelOrder(OrderId orderId, CustomerId customer) {
  public CancelOrder {
    Validation v = Validation.start();
    v.notNull(orderId, "orderId");
    v.notNull(customer, "customer");
    v.orThrow();
  }
}
