package dev.meridian.function.catalog;

import static dev.meridian.testkit.Fuzz.pick;

import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.bootstrap.api.ApiWiring;
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
 * Throws generated requests at the catalog (mutated paths, queries, headers, bodies and
 * claims) and requires that none is answered 500, and that every error is a problem document
 * ({@link Fuzz}: {@code -Dmeridian.fuzz.seed=<seed>} reproduces a run).
 */
class CatalogFuzzIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS");
  private static final List<String> SEGMENTS = List.of("cup", "ghost", "", "%00", "%2F", "..", ".", "UPPER", "a".repeat(300),
      "%C3%A9", "%", "%zz", "cup;x=1", "cup%20x", "-", "0", "stock", "products", "\u00e9", "cup%0Ax", "*", "cup.json");
  private static final List<String> TEMPLATES = List.of("/products", "/products/{}", "/products/{}/stock", "/{}",
      "/products/{}/{}", "/products/{}/stock/{}", "//products", "/products/", "/products/{}/stock/");
  private static final List<String> QUERIES = List.of("", "limit=1", "limit=0", "limit=999999999999", "limit=abc", "limit=",
      "cursor=", "cursor=abc", "cursor=%%", "limit=1&limit=2", "cursor=" + "A".repeat(3000), "x=1", "limit=-5", "limit=1.0");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
      "text/plain", "application/xml", "@@@", "application/json; charset=nonsense", "application/problem+json",
      "multipart/form-data; boundary=x", "application/x-www-form-urlencoded");
  private static final List<String> HEADER_VALUES = List.of("*", "\"1\"", "1", "W/\"1\"", "\"\"", "", "\"abc\"", "1, 2",
      "\"99999999999999999999\"", "-1", "\u00e9", "x".repeat(5000));
  private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-1", "1.5", "1e309", "\"\"", "\"x\"",
      "[]", "{}", "99999999999999999999999", "\"\\u0000\"", "\"" + "y".repeat(5000) + "\"", "-0", "[null]", "{\"a\":{}}");
  private static final List<String> FIELDS = List.of("extra", "name", "units", "");
  private static final String VALID = "{\"name\":\"Cup\",\"description\":\"A cup\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}";

  @Test
  void noInputIsAnsweredWith500() {
    CatalogHandler handler = new CatalogHandler(ApiWiring.of(FunctionEnvironment.activeActive("catalog-fuzz"), EMULATOR.emulator()
        .dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest("catalog-fuzz")), Clock.systemUTC()));
    HttpApiEvent.request("PUT", "/products/cup").admin("ops").header("If-None-Match", "*").json(VALID).invoke(handler, "catalog");
    HttpApiEvent.request("POST", "/products/cup/stock").admin("ops").json("{\"units\":5}").invoke(handler, "catalog");

    Fuzz.assertNoInputIsAnsweredWith500(handler, "catalog", CatalogFuzzIT::generate);
  }

  private static HttpApiEvent generate(Random random) {
    HttpApiEvent event = Fuzz.request(random, METHODS, TEMPLATES, SEGMENTS, QUERIES);
    switch (random.nextInt(5)) {
      case 0 -> { } // anonymous
      case 1 -> event.customer("alice");
      case 2 -> event.claims(Map.of("sub", " ", "scope", "[]"));
      case 3 -> event.claims(Map.of("sub", "z".repeat(500), "scope", "meridian/admin"));
      default -> event.admin("ops");
    }
    if (random.nextBoolean()) {
      event.header("content-type", pick(random, CONTENT_TYPES));
    }
    if (random.nextInt(3) == 0) {
      event.header("If-Match", pick(random, HEADER_VALUES));
    }
    if (random.nextInt(3) == 0) {
      event.header("If-None-Match", pick(random, HEADER_VALUES));
    }
    if (random.nextInt(4) == 0) {
      event.header("accept", pick(random, List.of("text/html", "*/*", "application/xml", "garbage", "application/json;q=0")));
    }
    if (random.nextInt(6) == 0) {
      event.header("content-length", pick(random, List.of("abc", "-1", "99999999999", "0")));
    }
    switch (random.nextInt(8)) {
      case 0 -> { } // no body
      case 1 -> event.body(Fuzz.mutate(random, VALID, FIELDS, SCALARS));
      case 2 -> event.body(Fuzz.mutate(random, "{\"units\":5}", FIELDS, SCALARS));
      case 3 -> event.binaryBody(Fuzz.bytes(random, 300));
      case 4 -> event.body("[".repeat(2000 + random.nextInt(3000)));
      case 5 -> event.body(pick(random, SCALARS));
      case 6 -> event.body(new String(new char[] {(char) random.nextInt(0xD800)}) + VALID);
      default -> event.body(Fuzz.truncated(random, VALID));
    }
    return event;
  }
}
