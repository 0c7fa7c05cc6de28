package dev.meridian.function.health.archfixture;

import dev.meridian.function.orders.OrdersHandler;

/** Breaks the architecture on purpose (ArchitectureRulesTest): one function using another's code. */
public final class FunctionCallingAnotherFunction {
  public Object orders() {
    return new OrdersHandler();
  }
}
