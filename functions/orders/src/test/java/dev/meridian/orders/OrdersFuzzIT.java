package dev.meridian.orders;

import dev.meridian.adapter.http.testing.TestStack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.http.HttpApiEvent;
import dev.meridian.adapter.http.HttpApiResponse;
import dev.meridian.app.catalog.CatalogService;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.local.moto.MotoExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Throws generated requests at the orders function (mutated paths, queries, headers, bodies
 * and claims) and requires that none is answered 500, and that every error is a problem
 * document. Reproducible: {@code -Dmeridian.fuzz.seed=<seed>}; {@code -Dmeridian.fuzz.requests=<n>}.
 */
class OrdersFuzzIT {
  @RegisterExtension static final MotoExtension MOTO = new MotoExtension();

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
  private static final List<String> BODIES = List.of("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1}]}",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":1},{\"productId\":\"mug\",\"quantity\":2}]}", "{\"engaged\":true}",
      "{\"engaged\":false}");

  @Test
  void noInputIsAnsweredWith500() {
    Wiring wiring = TestStack.activeActive(MOTO.server(), "orders-fuzz");
    for (String id : List.of("cup", "mug")) {
      wiring.catalog().upsert(new UpsertProduct(ProductId.of(id), id, "", Money.of(100, "EUR"), true), new CatalogService.IfAbsent());
      wiring.catalog().restock(ProductId.of(id), 1_000);
    }
    OrdersHandler handler = new OrdersHandler(wiring);

    long seed = Long.getLong("meridian.fuzz.seed", System.nanoTime());
    int requests = Integer.getInteger("meridian.fuzz.requests", 400);
    Random random = new Random(seed);
    for (int i = 0; i < requests; i++) {
      HttpApiEvent event = generate(random);
      HttpApiResponse response = event.invoke(handler, "orders");
      String what = "request " + i + " (seed " + seed + "): " + event.toJson();
      assertThat(response.status()).as(what).isBetween(200, 599).isNotEqualTo(500);
      if (response.status() >= 400 && !event.toJson().contains("\"method\":\"HEAD\"")) {
        assertThat(response.header("Content-Type")).as(what).contains("application/problem+json");
        assertThat(response.json().get("status").asInt()).as(what).isEqualTo(response.status());
      }
    }
  }

  private static HttpApiEvent generate(Random random) {
    String path = pick(random, TEMPLATES);
    while (path.contains("{}")) {
      path = path.replaceFirst("\\{}", Matcher.quoteReplacement(pick(random, SEGMENTS)));
    }
    String query = pick(random, QUERIES);
    HttpApiEvent event = HttpApiEvent.request(pick(random, METHODS), query.isEmpty() ? path : path + "?" + query);
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
      case 1, 2 -> event.body(mutate(random, pick(random, BODIES)));
      case 3 -> {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        event.binaryBody(bytes);
      }
      case 4 -> event.body("{\"lines\":" + "[".repeat(1000 + random.nextInt(3000)));
      case 5 -> event.body(pick(random, SCALARS));
      default -> {
        String body = pick(random, BODIES);
        event.body(body.substring(0, random.nextInt(body.length())));
      }
    }
    return event;
  }

  private static String mutate(Random random, String json) {
    if (random.nextInt(4) == 0) {
      return json.substring(0, json.length() - 1) + ",\"" + pick(random, List.of("extra", "lines", "engaged", "")) + "\":"
          + pick(random, SCALARS) + "}";
    }
    Matcher m = Pattern.compile(":(\"[^\"]*\"|-?[0-9.]+|true|false|\\[)").matcher(json);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(1), m.end(1)});
    }
    if (spans.isEmpty()) {
      return json;
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    return json.substring(0, span[0]) + pick(random, SCALARS) + json.substring(span[1]);
  }

  private static String pick(Random random, List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
