package dev.meridian.function.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiResponse;
import dev.meridian.testkit.SampleEvent;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every orders and control sample event in {@code events/} driven through
 * {@link OrdersHandler#handleRequest} against the emulator with {@code cup} (450 EUR) and {@code mug}
 * (800 EUR) seeded. Only what must vary is overridden: the created order's id in the path.
 */
class SampleEventsIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "orders-samples-it";
  private static ApiWiring wiring;
  private static OrdersHandler handler;

  @BeforeEach
  void startOnce() {
    // Lazily, after EmulatorExtension's beforeEach has skipped the test if the emulator is unavailable.
    if (handler == null) {
      wiring = ApiWiring.of(FunctionEnvironment.activeActive(TABLE), EMULATOR.emulator().dynamoDb(FunctionEnvironment.REGION,
          TableDesign.createTableRequest(TABLE)), Clock.systemUTC());
      handler = new OrdersHandler(wiring);
      seed(wiring.catalog(), "cup", 450);
      seed(wiring.catalog(), "mug", 800);
    }
  }

  private static void seed(CatalogService catalog, String id, long cents) {
    catalog.upsert(new UpsertProduct(ProductId.of(id), id, "", Money.of(cents, "EUR"), true), new CatalogService.IfAbsent());
    catalog.restock(ProductId.of(id), 100);
  }

  private static HttpApiResponse call(SampleEvent event) {
    return event.invoke(handler, "orders");
  }

  @Test
  void anOrderIsPlacedReplayedReadListedAndCancelled() {
    SampleEvent place = SampleEvent.load("orders-post-orders");
    assertThat(place.tree().at("/headers/idempotency-key").asText()).isNotEmpty();
    String sub = place.tree().at("/requestContext/authorizer/jwt/claims/sub").asText();

    HttpApiResponse placed = call(place);
    assertThat(placed.status()).isEqualTo(201);
    JsonNode order = placed.json();
    String id = order.get("id").asText();
    assertThat(id).matches("o-[0-9a-f]{32}");
    assertThat(placed.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/orders/" + id));
    assertThat(placed.header("Idempotent-Replayed")).isEmpty();
    assertThat(order.get("status").asText()).isEqualTo("PLACED");
    assertThat(order.get("lines")).hasSize(2);
    assertThat(order.get("total").get("amount").asLong()).isEqualTo(2 * 450 + 800);
    assertThat(order.get("total").get("currency").asText()).isEqualTo("EUR");
    assertThat(order.get("reservations").get(0).get("state").asText()).isEqualTo("RESERVED");

    HttpApiResponse replay = call(SampleEvent.load("orders-post-orders"));
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(replay.json()).isEqualTo(order);
    HttpApiResponse otherKey = call(SampleEvent.load("orders-post-orders").header("Idempotency-Key", "k-" + UUID.randomUUID()));
    assertThat(otherKey.status()).as("another key is another order").isEqualTo(201);
    String second = otherKey.json().get("id").asText();
    assertThat(second).isNotEqualTo(id);

    HttpApiResponse got = call(SampleEvent.load("orders-get-order").pathParameter("id", id));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json()).isEqualTo(order);
    HttpApiResponse foreign = call(SampleEvent.load("orders-get-order").pathParameter("id", id).sub("mallory"));
    assertThat(foreign.status()).as("another customer's order").isEqualTo(404);
    HttpApiResponse asShipped = call(SampleEvent.load("orders-get-order"));
    assertThat(asShipped.status()).as("the sample's own id names no order here").isEqualTo(404);
    assertThat(asShipped.json().get("type").asText()).endsWith("/not-found");

    SampleEvent list = SampleEvent.load("orders-list-orders");
    assertThat(list.tree().at("/requestContext/authorizer/jwt/claims/sub").asText()).isEqualTo(sub);
    HttpApiResponse listed = call(list);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("items").findValuesAsText("id")).containsExactlyInAnyOrder(id, second);
    assertThat(call(SampleEvent.load("orders-list-orders").sub("mallory")).json().get("items")).isEmpty();

    HttpApiResponse cancelled = call(SampleEvent.load("orders-cancel-order").pathParameter("id", id));
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("id").asText()).isEqualTo(id);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().get("reservations").get(0).get("state").asText()).isEqualTo("RELEASED");
    HttpApiResponse again = call(SampleEvent.load("orders-cancel-order").pathParameter("id", id));
    assertThat(again.status()).as("cancel is idempotent").isEqualTo(200);
    assertThat(again.json()).isEqualTo(cancelled.json());
    assertThat(call(SampleEvent.load("orders-cancel-order")).status()).as("the sample's own id").isEqualTo(404);
  }

  @Test
  void theConflictsSampleListsAPageAndNeedsTheAdminScope() {
    HttpApiResponse page = call(SampleEvent.load("orders-list-conflicts"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().get("items").isArray()).isTrue();
    assertThat(page.json().has("nextCursor")).isTrue();
    assertThat(call(SampleEvent.load("orders-list-conflicts").claim("scope", "openid")).status())
        .as("without the admin scope").isEqualTo(403);
  }

  @Test
  void theControlPlaneSamplesReadAndFlipTheKillSwitch() {
    HttpApiResponse control = call(SampleEvent.load("orders-get-control"));
    assertThat(control.status()).isEqualTo(200);
    assertThat(control.json().get("mode").asText()).isEqualTo("active-active");
    assertThat(control.json().get("region").asText()).isEqualTo(FunctionEnvironment.REGION);
    assertThat(control.json().get("writable").asBoolean()).isTrue();
    assertThat(call(SampleEvent.load("orders-get-control").claim("scope", "openid")).status())
        .as("without the admin scope").isEqualTo(403);

    SampleEvent kill = SampleEvent.load("orders-put-kill-switch");
    String region = kill.tree().at("/pathParameters/region").asText();
    assertThat(region).isEqualTo(FunctionEnvironment.PEER);
    HttpApiResponse killed = call(kill);
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.json().get("killSwitches").get(region).asBoolean()).isTrue();
    HttpApiResponse restored = call(SampleEvent.load("orders-put-kill-switch").body("{\"engaged\":false}"));
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().get("killSwitches").get(region).asBoolean()).isFalse();
    assertThat(call(SampleEvent.load("orders-put-kill-switch").pathParameter("region", "ap-south-1")).status()).isEqualTo(404);

    HttpApiResponse notApplicable = call(SampleEvent.load("orders-post-promote"));
    assertThat(notApplicable.status()).as("active-active has nothing to promote").isEqualTo(409);
    assertThat(notApplicable.json().get("type").asText()).endsWith("/promotion-not-applicable");
  }

  @Test
  void thePromoteSamplePromotesAStandby() {
    ApiWiring standbyWiring = ApiWiring.of(FunctionEnvironment.activePassive("orders-samples-standby", FunctionEnvironment.PEER),
        EMULATOR.emulator().dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest("orders-samples-standby")), Clock.systemUTC());
    OrdersHandler standby = new OrdersHandler(standbyWiring);
    SampleEvent promote = SampleEvent.load("orders-post-promote");
    assertThat(promote.tree().at("/pathParameters/region").asText()).isEqualTo(FunctionEnvironment.REGION);
    assertThat(SampleEvent.load("orders-get-control").invoke(standby, "orders").json().get("role").asText()).isEqualTo("standby");

    HttpApiResponse promoted = promote.invoke(standby, "orders");
    assertThat(promoted.status()).isEqualTo(200);
    assertThat(promoted.json().get("role").asText()).isEqualTo("primary");
    assertThat(promoted.json().get("primaryRegion").asText()).isEqualTo(FunctionEnvironment.REGION);
    assertThat(promoted.json().get("epoch").asLong()).isEqualTo(1);
  }
}
