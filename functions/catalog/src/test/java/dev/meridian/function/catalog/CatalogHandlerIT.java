package dev.meridian.function.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiEvent;
import dev.meridian.testkit.HttpApiResponse;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Drives every catalog route through {@link CatalogHandler#handleRequest} with HTTP API v2
 * events against the emulator, and checks statuses, bodies, headers and the items written.
 */
class CatalogHandlerIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "catalog-it";
  private static final String CUP = "{\"name\":\"Cup\",\"description\":\"A cup\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}";
  private static ApiWiring wiring;
  private static DynamoDbClient dynamoDb;
  private static CatalogHandler handler;

  @BeforeEach
  void startOnce() {
    // Lazily, after EmulatorExtension's beforeEach has skipped the test if the emulator is unavailable.
    if (handler == null) {
      dynamoDb = EMULATOR.emulator().dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest(TABLE));
      wiring = ApiWiring.of(FunctionEnvironment.activeActive(TABLE), dynamoDb, Clock.systemUTC());
      handler = new CatalogHandler(wiring);
    }
  }

  private static HttpApiResponse call(HttpApiEvent event) {
    return event.invoke(handler, "catalog");
  }

  private static HttpApiEvent admin(String method, String path) {
    return HttpApiEvent.request(method, path).admin("ops");
  }

  private static HttpApiEvent customer(String method, String path) {
    return HttpApiEvent.request(method, path).customer("alice");
  }

  private static HttpApiResponse create(String id, String json) {
    return call(admin("PUT", "/products/" + id).header("If-None-Match", "*").json(json));
  }

  private static Map<String, AttributeValue> item(String pk, String sk) {
    return dynamoDb.getItem(r -> r.tableName(TABLE).consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
  }

  @Test
  void createThenReplaceUnderOptimisticConcurrency() {
    HttpApiResponse created = create("mug", CUP.replace("Cup", "Mug"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).contains("/products/mug");
    String createdTag = created.header("ETag").orElseThrow();
    assertThat(createdTag).matches("\"[0-9a-f]{32}\"");
    assertThat(created.header("Content-Type")).contains("application/json");
    JsonNode body = created.json();
    assertThat(body.get("id").asText()).isEqualTo("mug");
    assertThat(body.get("name").asText()).isEqualTo("Mug");
    assertThat(body.get("price").get("amount").asLong()).isEqualTo(450);
    assertThat(body.get("price").get("currency").asText()).isEqualTo("EUR");
    assertThat(body.get("version").asLong()).isEqualTo(1);
    assertThat(body.get("allocations")).isEmpty();
    assertThat(body.get("totalAvailable").asLong()).isZero();
    assertThat(item("PRODUCT#mug", "PRODUCT").get("version").n()).isEqualTo("1");

    assertThat(create("mug", CUP).status()).as("If-None-Match: * on an existing product").isEqualTo(412);

    HttpApiResponse quoted = call(admin("PUT", "/products/mug").header("If-Match", createdTag).json(CUP.replace("450", "500")));
    assertThat(quoted.status()).isEqualTo(200);
    String quotedTag = quoted.header("ETag").orElseThrow();
    assertThat(quotedTag).isNotEqualTo(createdTag);
    assertThat(quoted.json().get("price").get("amount").asLong()).isEqualTo(500);
    assertThat(quoted.json().get("version").asLong()).isEqualTo(2);

    String bareTag = quotedTag.substring(1, quotedTag.length() - 1);
    HttpApiResponse bare = call(admin("PUT", "/products/mug").header("If-Match", bareTag).json(CUP.replace("A cup", "A mug")));
    assertThat(bare.status()).isEqualTo(200);
    assertThat(bare.json().get("version").asLong()).isEqualTo(3);
    assertThat(item("PRODUCT#mug", "PRODUCT").get("version").n()).isEqualTo("3");

    HttpApiResponse stale = call(admin("PUT", "/products/mug").header("If-Match", createdTag).json(CUP));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.header("Content-Type")).contains("application/problem+json");
    assertThat(stale.json().get("type").asText()).isEqualTo("https://meridian.dev/problems/precondition-failed");
    assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(3);
    assertThat(stale.header("ETag")).isEqualTo(bare.header("ETag"));
    assertThat(item("PRODUCT#mug", "PRODUCT").get("version").n()).as("nothing written").isEqualTo("3");

    HttpApiResponse missing = call(admin("PUT", "/products/mug").json(CUP));
    assertThat(missing.status()).isEqualTo(428);
    assertThat(missing.json().get("type").asText()).endsWith("/precondition-required");

    assertThat(call(admin("PUT", "/products/ghost").header("If-Match", createdTag).json(CUP)).status())
        .as("If-Match on a missing product").isEqualTo(412);
    String current = bare.header("ETag").orElseThrow();
    HttpApiResponse both = call(admin("PUT", "/products/mug").header("If-Match", current).header("If-None-Match", "*").json(CUP));
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
    // RFC 9110 §13.1.1: any well-formed entity-tag that does not match is a 412, a malformed header a 400.
    assertThat(call(admin("PUT", "/products/mug").header("If-Match", "W/" + current).json(CUP)).status())
        .as("a weak tag never matches strongly").isEqualTo(412);
    assertThat(call(admin("PUT", "/products/mug").header("If-Match", "\"3\"").json(CUP)).status())
        .as("a foreign (well-formed) tag").isEqualTo(412);
    assertThat(call(admin("PUT", "/products/mug").header("If-Match", "3").json(CUP)).status())
        .as("not an entity-tag at all").isEqualTo(400);
    HttpApiResponse anyCurrent = call(admin("PUT", "/products/mug").header("If-Match", "*").json(CUP.replace("450", "475")));
    assertThat(anyCurrent.status()).as("If-Match: * replaces whatever exists").isEqualTo(200);
    assertThat(call(admin("PUT", "/products/ghost").header("If-Match", "*").json(CUP)).status())
        .as("If-Match: * on a missing product").isEqualTo(412);
    assertThat(call(admin("PUT", "/products/mug").header("If-None-Match", current).json(CUP)).status()).isEqualTo(400);
  }

  @Test
  void getShowsEveryAllocationAndTheTotal() {
    create("bowl", CUP.replace("Cup", "Bowl"));
    HttpApiResponse restocked = call(admin("POST", "/products/bowl/stock").json("{\"units\":7}"));
    assertThat(restocked.status()).isEqualTo(200);
    assertThat(restocked.json().get("allocations").get(0).get("available").asLong()).isEqualTo(7);
    assertThat(call(admin("POST", "/products/bowl/stock").json("{\"units\":3}")).status()).isEqualTo(200);
    assertThat(item("STOCK#bowl#us-east-1#0", "STOCK").get("available").n()).isEqualTo("10");

    HttpApiResponse got = call(customer("GET", "/products/bowl"));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.header("ETag")).as("restocks do not change the product's fields").isEqualTo(restocked.header("ETag"));
    JsonNode body = got.json();
    assertThat(body.get("allocations")).hasSize(1);
    JsonNode allocation = body.get("allocations").get(0);
    assertThat(allocation.get("region").asText()).isEqualTo("us-east-1");
    assertThat(allocation.get("available").asLong()).isEqualTo(10);
    assertThat(allocation.get("reserved").asLong()).isZero();
    assertThat(allocation.get("sold").asLong()).isZero();
    assertThat(allocation.get("inTransit").asLong()).as("nothing given to another region").isZero();
    assertThat(allocation.get("shards").asInt()).isEqualTo(1);
    assertThat(body.get("totalAvailable").asLong()).isEqualTo(10);

    assertThat(call(customer("GET", "/products/nothing-here")).status()).isEqualTo(404);
    HttpApiResponse badId = call(customer("GET", "/products/NOT_A_SLUG"));
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().get("errors").get(0).get("field").asText()).isEqualTo("productId");
  }

  @Test
  void anAdminSplitsARegionsStockOverShardsAndTheProductShowsTheSum() {
    create("saucer", CUP.replace("Cup", "Saucer"));
    assertThat(call(admin("POST", "/products/saucer/stock").json("{\"units\":10}")).status()).isEqualTo(200);

    HttpApiResponse resharded = call(admin("PUT", "/products/saucer/shards").json("{\"shards\":4}"));

    assertThat(resharded.status()).isEqualTo(200);
    JsonNode allocation = resharded.json().get("allocations").get(0);
    assertThat(allocation.get("shards").asInt()).isEqualTo(4);
    assertThat(allocation.get("available").asLong()).as("the sum over the shards: no unit created or lost").isEqualTo(10);
    assertThat(item("STOCK#saucer#us-east-1#3", "STOCK").get("available").n()).isEqualTo("2");
    assertThat(call(admin("POST", "/products/saucer/stock").json("{\"units\":4}")).json().get("totalAvailable").asLong())
        .as("a restock spreads over the shards").isEqualTo(14);
    assertThat(item("STOCK#saucer#us-east-1#3", "STOCK").get("available").n()).isEqualTo("3");

    assertThat(call(admin("PUT", "/products/ghost/shards").json("{\"shards\":2}")).status()).isEqualTo(404);
    assertThat(call(customer("PUT", "/products/saucer/shards").json("{\"shards\":2}")).status()).isEqualTo(403);
    for (String body : List.of("{\"shards\":0}", "{\"shards\":51}", "{}", "{\"shards\":\"2\"}", "{\"shards\":2,\"x\":1}")) {
      HttpApiResponse refused = call(admin("PUT", "/products/saucer/shards").json(body));
      assertThat(refused.status()).as(body).isEqualTo(400);
      assertThat(refused.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
    }
    assertThat(item("STOCK#saucer#us-east-1#0", "STOCK").get("shards").n()).as("nothing written by a refused request").isEqualTo("4");
  }

  @Test
  void restockRefusesUnknownProductsAndBadUnits() {
    HttpApiResponse unknown = call(admin("POST", "/products/ghost/stock").json("{\"units\":1}"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asText()).endsWith("/not-found");
    assertThat(item("STOCK#ghost#us-east-1#0", "STOCK")).as("no stock written").isEmpty();
    create("plate", CUP);
    for (String body : List.of("{\"units\":0}", "{\"units\":-1}", "{\"units\":\"5\"}", "{\"units\":1.5}", "{}",
        "{\"units\":null}", "{\"units\":5,\"extra\":1}", "{\"units\":1000001}")) {
      HttpApiResponse r = call(admin("POST", "/products/plate/stock").json(body));
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().get("errors").get(0).get("field").asText()).as(body).isIn("units", "extra");
    }
    assertThat(call(customer("POST", "/products/plate/stock").json("{\"units\":1}")).status()).isEqualTo(403);
  }

  @Test
  void listsPagesInIdOrderAndRefusesForgedCursors() {
    for (String id : List.of("p-a", "p-b", "p-c", "p-d", "p-e")) {
      create(id, CUP);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpApiResponse page = call(customer("GET", "/products?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      assertThat(page.status()).isEqualTo(200);
      page.json().get("items").forEach(p -> seen.add(p.get("id").asText()));
      cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
      assertThat(++pages).isLessThan(20);
    } while (cursor != null);
    assertThat(seen).isSorted().doesNotHaveDuplicates().contains("p-a", "p-b", "p-c", "p-d", "p-e");

    HttpApiResponse first = call(customer("GET", "/products?limit=2"));
    String issued = first.json().get("nextCursor").asText();
    String forged = issued.substring(0, issued.length() - 2) + (issued.endsWith("A") ? "BB" : "AA");
    for (String bad : List.of(forged, "bm90LWEtY3Vyc29y", "%%%", "x".repeat(2000))) {
      HttpApiResponse r = call(customer("GET", "/products?cursor=" + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("cursor");
    }
    for (String limit : List.of("0", "101", "-1", "abc", "1.5")) {
      HttpApiResponse r = call(customer("GET", "/products?limit=" + limit));
      assertThat(r.status()).as(limit).isEqualTo(400);
      assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("limit");
    }
  }

  @Test
  void identityIsRequiredAndWritesNeedTheAdminScope() {
    HttpApiResponse anonymous = call(HttpApiEvent.request("GET", "/products"));
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).contains("Bearer");
    assertThat(anonymous.json().get("type").asText()).endsWith("/unauthenticated");
    assertThat(call(HttpApiEvent.request("GET", "/products").claims(Map.of("scope", "meridian/admin"))).status())
        .as("claims without sub").isEqualTo(401);
    assertThat(call(HttpApiEvent.request("PUT", "/products/x").header("If-None-Match", "*").json("{")).status())
        .as("401 before the body is read").isEqualTo(401);
    HttpApiResponse customerWrite = call(customer("PUT", "/products/x").header("If-None-Match", "*").json(CUP));
    assertThat(customerWrite.status()).isEqualTo(403);
    assertThat(customerWrite.json().get("type").asText()).endsWith("/forbidden");
    assertThat(call(HttpApiEvent.request("PUT", "/products/spaced").claims(Map.of("sub", "ops", "scope", "openid meridian/admin",
        "client_id", FunctionEnvironment.ADMIN_CLIENT, "cognito:groups", "[meridian-admins]"))
        .header("If-None-Match", "*").json(CUP)).status()).as("space-separated scope").isEqualTo(201);
  }

  @Test
  void adminIsTheAdminClientWithTheGroupOrTheOperationsClient() {
    // A customer-client token that asked for the admin scope: the gateway's admin authorizer refuses
    // its audience (401); reaching the function directly, it is still no administrator.
    HttpApiResponse greedyCustomer = call(HttpApiEvent.request("PUT", "/products/greedy").claims(Map.of("sub", "eve",
        "client_id", FunctionEnvironment.CUSTOMER_CLIENT, "scope", "openid meridian/customer meridian/admin",
        "cognito:groups", "[meridian-admins]")).header("If-None-Match", "*").json(CUP));
    assertThat(greedyCustomer.status()).isEqualTo(403);
    assertThat(greedyCustomer.json().get("type").asText()).endsWith("/forbidden");
    // Any user of the admin client may ask for the admin scope: without the group it is no administrator.
    HttpApiResponse groupless = call(HttpApiEvent.request("PUT", "/products/groupless").claims(Map.of("sub", "mallory",
        "client_id", FunctionEnvironment.ADMIN_CLIENT, "scope", "openid meridian/admin"))
        .header("If-None-Match", "*").json(CUP));
    assertThat(groupless.status()).isEqualTo(403);
    assertThat(groupless.json().get("detail").asText()).contains("meridian-admins");
    // scp (Okta, Entra ID) counts as scope.
    assertThat(call(HttpApiEvent.request("PUT", "/products/scp").claims(Map.of("sub", "root",
        "client_id", FunctionEnvironment.ADMIN_CLIENT, "scp", "[meridian/admin]", "cognito:groups", "[meridian-admins]"))
        .header("If-None-Match", "*").json(CUP)).status()).isEqualTo(201);
    // The operations client's own client-credentials token: a machine administrator.
    assertThat(call(HttpApiEvent.request("PUT", "/products/machine").operations().header("If-None-Match", "*").json(CUP))
        .status()).isEqualTo(201);
    // An administrator's token is no customer token, and neither is an ID token (no scope).
    assertThat(call(admin("GET", "/products")).status()).isEqualTo(403);
    assertThat(call(HttpApiEvent.request("GET", "/products").claims(Map.of("sub", "alice", "aud",
        FunctionEnvironment.CUSTOMER_CLIENT, "token_use", "id"))).status()).as("an ID token").isEqualTo(403);
    assertThat(call(customer("GET", "/products")).status()).isEqualTo(200);
  }

  @Test
  void preconditionsAreEvaluatedBeforeTheBody() {
    String tag = create("kettle", CUP.replace("Cup", "Kettle")).header("ETag").orElseThrow();
    HttpApiResponse created = call(admin("PUT", "/products/kettle").header("If-Match", tag).json(CUP.replace("450", "460")));
    assertThat(created.status()).isEqualTo(200);

    // RFC 9110 §13.2.1: a stale If-Match with an invalid body is a 412, not a 400 about the body.
    HttpApiResponse staleAndInvalid = call(admin("PUT", "/products/kettle").header("If-Match", tag).json("{\"name\":7}"));
    assertThat(staleAndInvalid.status()).isEqualTo(412);
    assertThat(staleAndInvalid.header("ETag")).isEqualTo(created.header("ETag"));
    assertThat(call(admin("PUT", "/products/kettle").header("If-Match", "\"foreign\"").json("{")).status())
        .as("foreign tag, malformed JSON").isEqualTo(412);
    assertThat(call(admin("PUT", "/products/kettle").json("{")).status()).as("no precondition, malformed JSON").isEqualTo(428);
    HttpApiResponse malformedHeader = call(admin("PUT", "/products/kettle").header("If-Match", "kettle").json("{"));
    assertThat(malformedHeader.status()).isEqualTo(400);
    assertThat(malformedHeader.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
    // A precondition that holds lets the body be judged: then the body's own 400.
    HttpApiResponse currentButInvalid = call(admin("PUT", "/products/kettle")
        .header("If-Match", created.header("ETag").orElseThrow()).json("{\"name\":7}"));
    assertThat(currentButInvalid.status()).isEqualTo(400);
    assertThat(currentButInvalid.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
  }

  @Test
  void bodiesAreStrictJson() {
    record Case(String body, String field) {}
    List<Case> cases = List.of(
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":\"450\",\"currency\":\"EUR\"},\"active\":true}", "price.amount"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":4.5,\"currency\":\"EUR\"},\"active\":true}", "price.amount"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"euro\"},\"active\":true}", "price.currency"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":-1,\"currency\":\"EUR\"},\"active\":true}", "price.amount"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":\"true\"}", "active"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":1}", "active"),
        new Case("{\"name\":7,\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}", "name"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"}}", "active"),
        new Case("{\"name\":null,\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}", "name"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":null,\"active\":true}", "price"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true,\"colour\":\"red\"}",
            "colour"),
        new Case("{\"name\":\"Cup\",\"name\":\"Mug\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}", "name"),
        new Case("{\"name\":\"Cup\",\"description\":\"d\",\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true} 1", "body"),
        new Case("[]", "body"),
        new Case("{\"name\":\"Cup\",\"description\":", "description"),
        new Case("", "body"));
    for (Case c : cases) {
      HttpApiResponse r = call(admin("PUT", "/products/strict").header("If-None-Match", "*").json(c.body()));
      assertThat(r.status()).as(c.body()).isEqualTo(400);
      assertThat(r.header("Content-Type")).contains("application/problem+json");
      assertThat(r.json().get("errors").findValuesAsText("field")).as(c.body()).contains(c.field());
    }
    assertThat(item("PRODUCT#strict", "PRODUCT")).isEmpty();
    assertThat(call(admin("PUT", "/products/strict").header("If-None-Match", "*").header("content-type", "text/plain").body(CUP)).status())
        .isEqualTo(415);
  }

  @Test
  void bodiesOver64KibAre413AndUnknownRoutesAre404() {
    String big = "{\"name\":\"" + "x".repeat(64 * 1024) + "\"}";
    HttpApiResponse tooLarge = call(admin("PUT", "/products/big").header("If-None-Match", "*").json(big));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().get("type").asText()).endsWith("/payload-too-large");
    String justFits = "{\"units\":1" + " ".repeat(64 * 1024 - 11) + "}";
    assertThat(justFits.length()).isEqualTo(64 * 1024);
    assertThat(call(admin("POST", "/products/ghost/stock").json(justFits)).status()).isEqualTo(404);

    HttpApiResponse noRoute = call(customer("GET", "/orders"));
    assertThat(noRoute.status()).isEqualTo(404);
    assertThat(noRoute.header("Content-Type")).contains("application/problem+json");
    HttpApiResponse wrongMethod = call(customer("DELETE", "/products/cup"));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "PUT"));
  }

  @Test
  void aStandbyRefusesWritesUntilPromoted() {
    ApiWiring standbyWiring = ApiWiring.of(FunctionEnvironment.activePassive("catalog-standby", FunctionEnvironment.PEER), EMULATOR.emulator()
        .dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest("catalog-standby")), Clock.systemUTC());
    CatalogHandler standby = new CatalogHandler(standbyWiring);
    HttpApiResponse refused = HttpApiEvent.request("PUT", "/products/cup").admin("ops").header("If-None-Match", "*").json(CUP)
        .invoke(standby, "catalog");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(refused.json().get("type").asText()).endsWith("/writes-refused");
    assertThat(HttpApiEvent.request("GET", "/products").customer("alice").invoke(standby, "catalog").status())
        .as("a standby serves reads").isEqualTo(200);

    assertThat(standbyWiring.control().promote(FunctionEnvironment.REGION))
        .isInstanceOf(dev.meridian.application.control.ControlService.Changed.class);
    assertThat(HttpApiEvent.request("PUT", "/products/cup").admin("ops").header("If-None-Match", "*").json(CUP)
        .invoke(standby, "catalog").status()).isEqualTo(201);
    assertThat(HttpApiEvent.request("POST", "/products/cup/stock").admin("ops").json("{\"units\":2}")
        .invoke(standby, "catalog").status()).isEqualTo(200);
  }
}
