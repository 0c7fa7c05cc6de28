package dev.meridian.function.orders;

import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiEvent;
import dev.meridian.testkit.UnreachableStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** With DynamoDB unreachable every route answers 503 store-unavailable with Retry-After, never 500. No emulator needed. */
class StoreUnavailableIT {
  @Test
  void anUnreachableStoreIsA503() {
    UnreachableStore.assertEachAnswers503(new OrdersHandler(ApiWiring.of(FunctionEnvironment.activeActive("unreachable"),
        UnreachableStore.dynamoDb(), Clock.systemUTC())), "orders",
        HttpApiEvent.request("GET", "/orders").customer("alice"),
        HttpApiEvent.request("GET", "/orders/o-0123456789abcdef0123456789abcdef").customer("alice"),
        HttpApiEvent.request("POST", "/orders").customer("alice").header("Idempotency-Key", "k1")
            .json("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1}]}"),
        HttpApiEvent.request("POST", "/orders/o-0123456789abcdef0123456789abcdef/cancel").customer("alice"),
        HttpApiEvent.request("GET", "/admin/control").admin("ops"),
        HttpApiEvent.request("PUT", "/admin/control/kill-switch/us-east-1").admin("ops").json("{\"engaged\":true}"));
  }
}
