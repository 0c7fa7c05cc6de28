package dev.meridian.function.catalog;

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
    UnreachableStore.assertEachAnswers503(new CatalogHandler(ApiWiring.of(FunctionEnvironment.activeActive("unreachable"),
        UnreachableStore.dynamoDb(), Clock.systemUTC())), "catalog",
        HttpApiEvent.request("GET", "/products").customer("alice"),
        HttpApiEvent.request("GET", "/products/cup").customer("alice"),
        HttpApiEvent.request("PUT", "/products/cup").admin("ops").header("If-None-Match", "*")
            .json("{\"name\":\"Cup\",\"description\":\"\",\"price\":{\"amount\":1,\"currency\":\"EUR\"},\"active\":true}"),
        HttpApiEvent.request("POST", "/products/cup/stock").admin("ops").json("{\"units\":1}"));
  }
}
