package dev.meridian.function.orders;

import static dev.meridian.testkit.Fuzz.pick;

import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.Fuzz;
import dev.meridian.testkit.HttpApiEvent;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throws generated requests at the orders function (mutated paths, queries, headers, bodies
 * and claims) and requires that none is answered 500, and that every error is a problem
 * document ({@link Fuzz}: {@code -Dmeridian.fuzz.seed=<seed>} reproduces a run).
 */
class OrdersFuzzIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS");
  private static final List<String> SEGMENTS = List.of("o-0123456789abcdef0123456789abcdef", "o-", "", "%00", "%2F", "..",
      "UPPER", "a".repeat(300), "%C3%A9", "%", "%zz", "cancel", "us-east-1", "eu-west-1", "ap-south-1", "*", "control",
      "kill-switch", "promote", "\u00e9", "o-0123456789ABCDEF0123456789ABCDEF");
  private static final List<String> TEMPLATES = List.of("/orders", "/orders/{}", "/orders/{}/cancel", "/{}", "/admin/control",
      "/admin/control/kill-switch/{}", "/admin/control/promote/{}", "/admin/{}", "/orders/{}/{}", "/admin/control/{}/{}",
      "/orders/", "//orders");
  private static final List<String> QUERIES = List.of("", "limit=1", "limit=0", "limit=abc", "cursor=", "cursor=abc",
      "cursor=%%", "limit=1&limit=2", "cursor=" + "A".repeat(3000), "limit=101", "x=%zz");
  private static final List<String> KEYS = List.of("k1", "", " ", "k".repeat(129), "\u00e9", "k 1", "k\u0000", "key-" + "x".repeat(100));
  private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "application/xml", "@@@",
      "application/json; charset=nonsense", "application/x-www-form-urlencoded", "multipart/form-data");
  private static final List<String> SCALARS = List.of("null", "true", "0", "-1", "1.5", "2.0", "1e309", "\"\"", "\"x\"", "[]",
      "{}", "99999999999999999999999", "\"\\u0000\"", "\"2\"", "[null]", "[{}]", "101", "50");
  private static final List<String> FIELDS = List.of("extra", "lines", "engaged", "");
  private static final List<String> BODIES = List.of("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1}]}",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":1},{\"productId\":\"mug\",\"quantity\":2}]}", "{\"engaged\":true}",
      "{\"engaged\":false}");

  @Test
  void noInputIsAnsweredWith500() {
    ApiWiring wiring = ApiWiring.of(FunctionEnvironment.activeActive("orders-fuzz"), EMULATOR.emulator().dynamoDb(FunctionEnvironment.REGION,
        TableDesign.createTableRequest("orders-fuzz")), Clock.systemUTC());
    for (String id : List.of("cup", "mug")) {
      wiring.catalog().upsert(new UpsertProduct(ProductId.of(id), id, "", Money.of(100, "EUR"), true), new CatalogService.IfAbsent());
      wiring.catalog().restock(ProductId.of(id), 1_000);
    }
    OrdersHandler handler = new OrdersHandler(wiring);

    Fuzz.assertNoInputIsAnsweredWith500(handler, "orders", OrdersFuzzIT::generate);
  }

  private static HttpApiEvent generate(Random random) {
    HttpApiEvent event = Fuzz.request(random, METHODS, TEMPLATES, SEGMENTS, QUERIES);
    switch (random.nextInt(5)) {
      case 0 -> { } // anonymous
      case 1 -> event.customer("alice");
      case 2 -> event.claims(Map.of("sub", "", "scope", "[meridian/admin"));
      case 3 -> event.claims(Map.of("sub", "\u0001" + "z".repeat(200), "scope", "meridian/admin"));
      default -> event.admin("ops");
    }
    if (random.nextInt(3) > 0) {
      event.header("Idempotency-Key", pick(random, KEYS) + (random.nextBoolean() ? "" : random.nextInt(1000)));
    }
    if (random.nextBoolean()) {
      event.header("content-type", pick(random, CONTENT_TYPES));
    }
    if (random.nextInt(5) == 0) {
      event.header("content-length", pick(random, List.of("abc", "-1", "99999999999")));
    }
    if (random.nextInt(5) == 0) {
      event.header("accept", pick(random, List.of("text/html", "application/xml", "garbage")));
    }
    switch (random.nextInt(7)) {
      case 0 -> { } // no body
      case 1, 2 -> event.body(Fuzz.mutate(random, pick(random, BODIES), FIELDS, SCALARS));
      case 3 -> event.binaryBody(Fuzz.bytes(random, 300));
      case 4 -> event.body("{\"lines\":" + "[".repeat(1000 + random.nextInt(3000)));
      case 5 -> event.body(pick(random, SCALARS));
      default -> event.body(Fuzz.truncated(random, pick(random, BODIES)));
    }
    return event;
  }
}
