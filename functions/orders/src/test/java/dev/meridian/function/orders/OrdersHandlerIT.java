package dev.meridian.function.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.Versioned;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.OrderWrite;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiEvent;
import dev.meridian.testkit.HttpApiResponse;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Drives every orders and control route through {@link OrdersHandler#handleRequest} with HTTP
 * API v2 events against the emulator. Concurrency is modelled as Lambda does it: one container (handler
 * instance, with its own ApiWiring) per concurrent request.
 */
class OrdersHandlerIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "orders-it";
  private static final int CONCURRENCY = 20;
  private static ApiWiring wiring;
  private static DynamoDbClient dynamoDb;
  private static OrdersHandler handler;
  private static List<OrdersHandler> containers;

  @BeforeEach
  void startOnce() {
    // Lazily, after EmulatorExtension's beforeEach has skipped the test if the emulator is unavailable.
    if (handler == null) {
      dynamoDb = EMULATOR.emulator().dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest(TABLE));
      wiring = ApiWiring.of(FunctionEnvironment.activeActive(TABLE), dynamoDb, Clock.systemUTC());
      handler = new OrdersHandler(wiring);
      product("cup", 450, 100);
      product("mug", 800, 100);
      product("usd-cup", 300, 100, "USD");
    }
  }

  private static void product(String id, long cents, long stock) {
    product(id, cents, stock, "EUR");
  }

  private static void product(String id, long cents, long stock, String currency) {
    CatalogService catalog = wiring.catalog();
    catalog.upsert(new UpsertProduct(ProductId.of(id), id, "", Money.of(cents, currency), true), new CatalogService.IfAbsent());
    if (stock > 0) {
      catalog.restock(ProductId.of(id), stock);
    }
  }

  private static List<OrdersHandler> containers() {
    if (containers == null) {
      containers = IntStream.range(0, CONCURRENCY)
          .mapToObj(i -> new OrdersHandler(ApiWiring.of(FunctionEnvironment.activeActive(TABLE), EMULATOR.emulator()
              .dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest(TABLE)), Clock.systemUTC()))).toList();
    }
    return containers;
  }

  private static HttpApiResponse call(HttpApiEvent event) {
    return event.invoke(handler, "orders");
  }

  private static HttpApiEvent order(String customer, String key, String body) {
    HttpApiEvent event = HttpApiEvent.request("POST", "/orders").customer(customer).json(body);
    return key == null ? event : event.header("Idempotency-Key", key);
  }

  private static String lines(String product, int quantity) {
    return "{\"lines\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}";
  }

  private static Map<String, AttributeValue> item(String pk, String sk) {
    return dynamoDb.getItem(r -> r.tableName(TABLE).consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
  }

  private static long allocation(String product, String counter) {
    return Long.parseLong(item("STOCK#" + product + "#" + FunctionEnvironment.REGION + "#0", "STOCK").get(counter).n());
  }

  /** Runs {@code n} requests at once, request i on container i, and returns the answers in order. */
  private static List<HttpApiResponse> concurrently(int n, IntFunction<HttpApiEvent> request) throws Exception {
    List<OrdersHandler> pool = containers();
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpApiResponse>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        HttpApiEvent event = request.apply(i);
        futures.add(threads.submit(() -> {
          go.await();
          return event.invoke(pool.get(index), "orders");
        }));
      }
      go.countDown();
      List<HttpApiResponse> answers = new ArrayList<>();
      for (Future<HttpApiResponse> f : futures) {
        answers.add(f.get());
      }
      return answers;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void placesAnOrderAndReplaysItsAnswer() {
    long availableBefore = allocation("cup", "available");
    HttpApiResponse placed = call(order("alice", "k-place",
        "{\"lines\":[{\"productId\":\"cup\",\"quantity\":2},{\"productId\":\"mug\",\"quantity\":1}]}"));
    assertThat(placed.status()).isEqualTo(201);
    JsonNode body = placed.json();
    String id = body.get("id").asText();
    assertThat(id).matches("o-[0-9a-f]{32}");
    assertThat(placed.header("Location")).contains("/orders/" + id);
    assertThat(placed.header("Idempotent-Replayed")).isEmpty();
    assertThat(body.get("status").asText()).isEqualTo("PLACED");
    assertThat(body.get("lines")).hasSize(2);
    assertThat(body.get("lines").get(0).get("unitPrice").get("amount").asLong()).isEqualTo(450);
    assertThat(body.get("lines").get(0).get("lineTotal").get("amount").asLong()).isEqualTo(900);
    assertThat(body.get("total").get("amount").asLong()).isEqualTo(1700);
    assertThat(body.get("total").get("currency").asText()).isEqualTo("EUR");
    assertThat(body.get("homeRegion").asText()).isEqualTo("us-east-1");
    assertThat(body.get("placedAt").asText()).endsWith("Z");
    assertThat(body.get("reservations").get(0).get("region").asText()).isEqualTo("us-east-1");
    assertThat(body.get("reservations").get(0).get("state").asText()).isEqualTo("RESERVED");
    assertThat(body.get("reservations").get(0).get("units").get("cup").asInt()).isEqualTo(2);
    assertThat(body.get("conflicts")).isEmpty();
    assertThat(body.get("version").asLong()).isEqualTo(1);
    assertThat(item("ORDER#" + id, "ORDER")).isNotEmpty();
    assertThat(allocation("cup", "available")).isEqualTo(availableBefore - 2);

    HttpApiResponse replay = call(order("alice", "k-place",
        "{\"lines\":[{\"productId\":\"mug\",\"quantity\":1},{\"productId\":\"cup\",\"quantity\":2}]}"));
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.header("Idempotent-Replayed")).contains("true");
    assertThat(replay.json()).isEqualTo(body);
    assertThat(allocation("cup", "available")).as("held once").isEqualTo(availableBefore - 2);

    HttpApiResponse reused = call(order("alice", "k-place", lines("cup", 3)));
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().get("type").asText()).isEqualTo("https://meridian.dev/problems/idempotency-key-reused");
    assertThat(reused.json().get("orderId").asText()).isEqualTo(id);

    HttpApiResponse sameKeyOtherCustomer = call(order("bob", "k-place", lines("cup", 3)));
    assertThat(sameKeyOtherCustomer.status()).as("keys are per customer").isEqualTo(201);
    assertThat(sameKeyOtherCustomer.json().get("id").asText()).isNotEqualTo(id);
  }

  @Test
  void refusalsAreRememberedAndReplayed() {
    product("rare", 100, 1);
    HttpApiResponse out = call(order("carol", "k-rare", lines("rare", 2)));
    assertThat(out.status()).isEqualTo(409);
    assertThat(out.header("Content-Type")).contains("application/problem+json");
    assertThat(out.json().get("type").asText()).isEqualTo("https://meridian.dev/problems/out-of-stock");
    assertThat(out.json().get("productId").asText()).isEqualTo("rare");
    HttpApiResponse again = call(order("carol", "k-rare", lines("rare", 2)));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Idempotent-Replayed")).contains("true");
    assertThat(again.json()).isEqualTo(out.json());
    assertThat(call(order("carol", "k-rare", lines("rare", 1))).status()).as("refused key, other body").isEqualTo(422);

    HttpApiResponse unknown = call(order("carol", "k-unknown", lines("nothing", 1)));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("type").asText()).endsWith("/unknown-product");
    HttpApiResponse mixed = call(order("carol", "k-mixed",
        "{\"lines\":[{\"productId\":\"cup\",\"quantity\":1},{\"productId\":\"usd-cup\",\"quantity\":1}]}"));
    assertThat(mixed.status()).isEqualTo(422);
    assertThat(mixed.json().get("type").asText()).endsWith("/mixed-currency");
    wiring.catalog().upsert(new UpsertProduct(ProductId.of("rare"), "rare", "", Money.of(100, "EUR"), false),
        new CatalogService.IfMatch(wiring.catalog().get(ProductId.of("rare")).orElseThrow().tag()));
    assertThat(call(order("carol", "k-inactive", lines("rare", 1))).json().get("type").asText()).endsWith("/product-inactive");
  }

  @Test
  void ordersAreValidatedStrictly() {
    HttpApiResponse noKey = call(order("dave", null, lines("cup", 1)));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(call(order("dave", "bad key with spaces", lines("cup", 1))).json().get("errors").get(0).get("field").asText())
        .isEqualTo("Idempotency-Key");
    record Case(String body, String field) {}
    String fiftyOne = IntStream.range(0, 51).mapToObj(i -> "{\"productId\":\"p" + i + "\",\"quantity\":1}")
        .collect(Collectors.joining(",", "{\"lines\":[", "]}"));
    List<Case> cases = List.of(
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":\"2\"}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":2.5}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":2.0}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":true}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":0}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1},{\"productId\":\"mug\",\"quantity\":101}]}", "lines[1].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":99999999999}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\"}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":null}]}", "lines[0].quantity"),
        new Case("{\"lines\":[{\"quantity\":1}]}", "lines[0].productId"),
        new Case("{\"lines\":[{\"productId\":5,\"quantity\":1}]}", "lines[0].productId"),
        new Case("{\"lines\":[{\"productId\":\"Cup!\",\"quantity\":1}]}", "lines[0].productId"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1},{\"productId\":\"cup\",\"quantity\":1}]}", "lines[1].productId"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1,\"colour\":\"red\"}]}", "lines[0].colour"),
        new Case("{\"lines\":[null]}", "lines[0]"),
        new Case("{\"lines\":[]}", "lines"),
        new Case("{\"lines\":null}", "lines"),
        new Case("{\"lines\":{}}", "lines"),
        new Case("{}", "lines"),
        new Case(fiftyOne, "lines"),
        new Case("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1}]", "lines"), // where parsing stopped
        new Case("not json", "body"));
    for (Case c : cases) {
      HttpApiResponse r = call(order("dave", "k-strict", c.body()));
      assertThat(r.status()).as(c.body()).isEqualTo(400);
      assertThat(r.header("Content-Type")).contains("application/problem+json");
      assertThat(r.json().get("errors").findValuesAsText("field")).as(c.body()).contains(c.field());
    }
    assertThat(call(HttpApiEvent.request("GET", "/orders").customer("dave")).json().get("items")).as("nothing placed").isEmpty();
    HttpApiResponse tooLarge = call(order("dave", "k-big", "{\"lines\":[" + " ".repeat(64 * 1024) + "]}"));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("type").asText()).endsWith("/payload-too-large");
  }

  @Test
  void oneKeyPlacedConcurrentlyYieldsOneOrder() throws Exception {
    long reservedBefore = allocation("mug", "reserved");
    List<HttpApiResponse> answers = concurrently(CONCURRENCY, i -> order("erin", "k-race", lines("mug", 3)));
    assertThat(answers).extracting(HttpApiResponse::status).containsOnly(201);
    assertThat(answers.stream().map(a -> a.json().get("id").asText()).distinct()).hasSize(1);
    assertThat(answers.stream().filter(a -> a.header("Idempotent-Replayed").isEmpty())).as("exactly one placement").hasSize(1);
    HttpApiResponse mine = call(HttpApiEvent.request("GET", "/orders").customer("erin"));
    assertThat(mine.json().get("items")).hasSize(1);
    assertThat(allocation("mug", "reserved")).as("units held once").isEqualTo(reservedBefore + 3);
  }

  @Test
  void theLastUnitsAreNeverOversold() throws Exception {
    product("last", 100, 5);
    List<HttpApiResponse> answers = concurrently(CONCURRENCY, i -> order("frank", "k-last-" + i, lines("last", 1)));
    assertThat(answers.stream().filter(a -> a.status() == 201)).hasSize(5);
    assertThat(answers.stream().filter(a -> a.status() == 409)).hasSize(CONCURRENCY - 5);
    assertThat(allocation("last", "available")).isZero();
    assertThat(allocation("last", "reserved")).isEqualTo(5);
    assertThat(answers.stream().filter(a -> a.status() == 201).map(a -> item("ORDER#" + a.json().get("id").asText(),
        "HOLD#" + FunctionEnvironment.REGION).get("state").s())).as("one hold item per placed order").containsOnly("RESERVED")
        .hasSize(5);
  }

  @Test
  void customersSeeOnlyTheirOwnOrdersNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(call(order("gina", "k-list-" + i, lines("cup", 1))).json().get("id").asText());
    }
    HttpApiResponse one = call(HttpApiEvent.request("GET", "/orders/" + ids.get(0)).customer("gina"));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("id").asText()).isEqualTo(ids.get(0));
    HttpApiResponse foreign = call(HttpApiEvent.request("GET", "/orders/" + ids.get(0)).customer("mallory"));
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().get("type").asText()).endsWith("/not-found");
    assertThat(call(HttpApiEvent.request("GET", "/orders/o-00000000000000000000000000000000").customer("gina")).status()).isEqualTo(404);
    assertThat(call(HttpApiEvent.request("GET", "/orders/not-an-id").customer("gina")).status()).isEqualTo(400);

    List<String> listed = new ArrayList<>();
    String cursor = null;
    do {
      HttpApiResponse page = call(HttpApiEvent.request("GET", "/orders?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).customer("gina"));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
      page.json().get("items").forEach(o -> listed.add(o.get("id").asText()));
      cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
    } while (cursor != null);
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(listed).isEqualTo(newestFirst);
    assertThat(call(HttpApiEvent.request("GET", "/orders").customer("mallory")).json().get("items")).isEmpty();

    for (String bad : List.of("Zm9yZ2Vk", "c1|orders|x|0", "!!!")) {
      HttpApiResponse r = call(HttpApiEvent.request("GET", "/orders?cursor=" + java.net.URLEncoder.encode(bad,
          java.nio.charset.StandardCharsets.UTF_8)).customer("gina"));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("cursor");
    }
    assertThat(call(HttpApiEvent.request("GET", "/orders?limit=0").customer("gina")).status()).isEqualTo(400);
    assertThat(call(HttpApiEvent.request("GET", "/orders")).status()).as("no claims").isEqualTo(401);
  }

  @Test
  void cancelReleasesStockOnceAndShippedOrdersStay() {
    long available = allocation("cup", "available");
    String id = call(order("hana", "k-cancel", lines("cup", 4))).json().get("id").asText();
    assertThat(allocation("cup", "available")).isEqualTo(available - 4);
    HttpApiResponse cancelled = call(HttpApiEvent.request("POST", "/orders/" + id + "/cancel").customer("hana"));
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().get("reservations").get(0).get("state").asText()).isEqualTo("RELEASED");
    assertThat(cancelled.json().get("version").asLong()).isEqualTo(2);
    assertThat(allocation("cup", "available")).isEqualTo(available);
    HttpApiResponse again = call(HttpApiEvent.request("POST", "/orders/" + id + "/cancel").customer("hana"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(cancelled.json());
    assertThat(allocation("cup", "available")).as("released once").isEqualTo(available);
    assertThat(call(HttpApiEvent.request("POST", "/orders/" + id + "/cancel").customer("mallory")).status()).isEqualTo(404);
    assertThat(call(HttpApiEvent.request("POST", "/orders/o-00000000000000000000000000000000/cancel").customer("hana")).status()).isEqualTo(404);

    String shippedId = call(order("hana", "k-ship", lines("cup", 1))).json().get("id").asText();
    DynamoDbOrderRepository repository = new DynamoDbOrderRepository(dynamoDb, TABLE, FunctionEnvironment.REGION,
        List.of(FunctionEnvironment.REGION), Clock.systemUTC(),
        Backoff.transactions(1));
    Versioned<Order> stored = repository.find(new OrderId(shippedId)).orElseThrow();
    Order shipped = stored.value().ship(FunctionEnvironment.REGION, wiring.clock().after(stored.value().latestStamp()));
    OrderWrite.HoldMove commit = new OrderWrite.HoldMove(Optional.of(stored.value().reservations().get(FunctionEnvironment.REGION)),
        shipped.reservations().get(FunctionEnvironment.REGION));
    assertThat(repository.write(OrderWrite.of(shipped, stored.version(), stored.version() + 1).withHold(commit)))
        .isEqualTo(OrderRepository.WriteResult.WRITTEN);
    HttpApiResponse refused = call(HttpApiEvent.request("POST", "/orders/" + shippedId + "/cancel").customer("hana"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("type").asText()).endsWith("/order-shipped");
    assertThat(call(HttpApiEvent.request("GET", "/orders/" + shippedId).customer("hana")).json().get("status").asText()).isEqualTo("SHIPPED");
  }

  @Test
  void adminControlNeedsTheAdminScope() {
    HttpApiResponse control = call(HttpApiEvent.request("GET", "/admin/control").admin("ops"));
    assertThat(control.status()).isEqualTo(200);
    JsonNode body = control.json();
    assertThat(body.get("mode").asText()).isEqualTo("active-active");
    assertThat(body.get("region").asText()).isEqualTo("us-east-1");
    assertThat(body.get("role").asText()).isEqualTo("active");
    assertThat(body.get("writable").asBoolean()).isTrue();
    assertThat(body.get("epoch").asLong()).isZero();
    assertThat(body.get("regions")).hasSize(2);
    assertThat(call(HttpApiEvent.request("GET", "/admin/control").customer("alice")).status()).isEqualTo(403);
    assertThat(call(HttpApiEvent.request("GET", "/admin/control")).status()).isEqualTo(401);

    HttpApiResponse killed = call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/eu-west-1").admin("ops").json("{\"engaged\":true}"));
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.json().get("killSwitches").get("eu-west-1").asBoolean()).isTrue();
    assertThat(killed.json().get("version").asLong()).isPositive();
    assertThat(item("CONTROL", "CONTROL")).isNotEmpty();
    assertThat(call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/eu-west-1").admin("ops").json("{\"engaged\":false}"))
        .json().get("killSwitches").get("eu-west-1").asBoolean()).isFalse();
    assertThat(call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/ap-south-1").admin("ops").json("{\"engaged\":true}")).status())
        .isEqualTo(404);
    assertThat(call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/eu-west-1").admin("ops").json("{\"engaged\":\"yes\"}")).status())
        .isEqualTo(400);
    assertThat(call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/eu-west-1").admin("ops").json("{}")).status()).isEqualTo(400);
    assertThat(call(HttpApiEvent.request("PUT", "/admin/control/kill-switch/eu-west-1").customer("alice").json("{\"engaged\":true}")).status())
        .isEqualTo(403);

    HttpApiResponse promote = call(HttpApiEvent.request("POST", "/admin/control/promote/eu-west-1").admin("ops"));
    assertThat(promote.status()).isEqualTo(409);
    assertThat(promote.json().get("type").asText()).endsWith("/promotion-not-applicable");
    assertThat(call(HttpApiEvent.request("POST", "/admin/control/promote/eu-west-1").customer("alice")).status()).isEqualTo(403);
  }

  @Test
  void aStandbyRefusesWritesUntilPromoted() {
    ApiWiring standbyWiring = ApiWiring.of(FunctionEnvironment.activePassive("orders-standby", FunctionEnvironment.PEER), EMULATOR.emulator()
        .dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest("orders-standby")), Clock.systemUTC());
    CatalogService catalog = standbyWiring.catalog();
    OrdersHandler standby = new OrdersHandler(standbyWiring);
    HttpApiResponse before = HttpApiEvent.request("GET", "/admin/control").admin("ops").invoke(standby, "orders");
    assertThat(before.json().get("role").asText()).isEqualTo("standby");
    assertThat(before.json().get("writable").asBoolean()).isFalse();
    assertThat(before.json().get("reserveHolder").asText()).as("the standby keeps the reserve").isEqualTo(FunctionEnvironment.REGION);

    HttpApiResponse refused = order("ivy", "k-standby", lines("cup", 1)).invoke(standby, "orders");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(refused.json().get("type").asText()).endsWith("/writes-refused");
    assertThat(HttpApiEvent.request("GET", "/orders").customer("ivy").invoke(standby, "orders").status()).as("reads served").isEqualTo(200);
    assertThat(HttpApiEvent.request("POST", "/admin/control/promote/ap-south-1").admin("ops").invoke(standby, "orders").status()).isEqualTo(404);

    HttpApiResponse promoted = HttpApiEvent.request("POST", "/admin/control/promote/us-east-1").admin("ops").invoke(standby, "orders");
    assertThat(promoted.status()).isEqualTo(200);
    assertThat(promoted.json().get("role").asText()).isEqualTo("primary");
    assertThat(promoted.json().get("primaryRegion").asText()).isEqualTo("us-east-1");
    assertThat(promoted.json().get("epoch").asLong()).isEqualTo(1);
    assertThat(promoted.json().get("reserveHolder").asText()).as("the old primary keeps it now").isEqualTo(FunctionEnvironment.PEER);

    catalog.upsert(new UpsertProduct(ProductId.of("cup"), "Cup", "", Money.of(450, "EUR"), true), new CatalogService.IfAbsent());
    catalog.restock(ProductId.of("cup"), 3);
    assertThat(order("ivy", "k-standby", lines("cup", 1)).invoke(standby, "orders").status()).isEqualTo(201);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    HttpApiResponse none = call(HttpApiEvent.request("GET", "/admin/nothing-here").admin("ops"));
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.header("Content-Type")).contains("application/problem+json");
    HttpApiResponse method = call(HttpApiEvent.request("DELETE", "/orders").customer("alice"));
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
  }
}
