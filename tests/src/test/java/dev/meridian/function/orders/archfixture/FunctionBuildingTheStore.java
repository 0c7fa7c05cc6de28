package dev.meridian.function.orders.archfixture;

import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import java.time.Clock;

/** Breaks the architecture on purpose (ArchitectureRulesTest): a function building an outbound adapter itself. */
public final class FunctionBuildingTheStore {
  public Object repository() {
    return new DynamoDbOrderRepository(null, "meridian", "us-east-1", java.util.List.of("us-east-1"), Clock.systemUTC(), null);
  }
}
