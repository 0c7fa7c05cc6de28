package dev.meridian.adapter.dynamodb.archfixture;

import dev.meridian.application.orders.OrderService;

/** Breaks the architecture on purpose (ArchitectureRulesTest): an adapter calling a use case. */
public final class AdapterCallingAUseCase {
  public Object list(OrderService orders) {
    return orders.list(null, null, 10);
  }
}
