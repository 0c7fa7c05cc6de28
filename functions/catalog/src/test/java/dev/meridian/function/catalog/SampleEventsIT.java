package dev.meridian.function.catalog;

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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every catalog sample event in {@code events/} driven, as shipped, through
 * {@link CatalogHandler#handleRequest} against the emulator with product {@code cup} seeded (version 1, the ETag
 * {@code catalog-put-product.json} names),
 * checking the status and body the README and openapi.yaml promise.
 */
class SampleEventsIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "catalog-samples-it";
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
      wiring.catalog().upsert(new UpsertProduct(ProductId.of("cup"), "Cup", "A cup", Money.of(450, "EUR"), true),
          new CatalogService.IfAbsent());
      wiring.catalog().restock(ProductId.of("cup"), 10);
    }
  }

  private static HttpApiResponse call(SampleEvent event) {
    return event.invoke(handler, "catalog");
  }

  /** This region's available units of the product, summed over its shards, read from the table. */
  private static long available(String product) {
    Map<String, AttributeValue> head = shard(product, 0);
    long available = Long.parseLong(head.get("available").n());
    for (int number = 1; number < Integer.parseInt(head.get("shardsEver").n()); number++) {
      available += Long.parseLong(shard(product, number).get("available").n());
    }
    return available;
  }

  private static Map<String, AttributeValue> shard(String product, int number) {
    return dynamoDb.getItem(r -> r.tableName(TABLE).consistentRead(true)
        .key(Map.of("pk", AttributeValue.fromS("STOCK#" + product + "#" + FunctionEnvironment.REGION + "#" + number),
            "sk", AttributeValue.fromS("STOCK")))).item();
  }

  @Test
  void getProductsListsTheSeededProduct() {
    HttpApiResponse page = call(SampleEvent.load("catalog-get-products"));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/json"));
    JsonNode body = page.json();
    assertThat(body.get("items").findValuesAsText("id")).contains("cup");
    assertThat(body.get("items").size()).isLessThanOrEqualTo(20);
    assertThat(body.has("nextCursor")).isTrue();
  }

  @Test
  void getProductShowsTheAllocationAndAnEtag() {
    HttpApiResponse got = call(SampleEvent.load("catalog-get-product"));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.header("ETag")).isPresent();
    JsonNode body = got.json();
    assertThat(body.get("id").asText()).isEqualTo("cup");
    assertThat(body.get("price").get("currency").asText()).isEqualTo("EUR");
    assertThat(body.get("allocations").findValuesAsText("region")).containsExactly(FunctionEnvironment.REGION);
    assertThat(body.get("totalAvailable").asLong()).isGreaterThanOrEqualTo(10);

    HttpApiResponse missing = call(SampleEvent.load("catalog-get-product").pathParameter("id", "no-such-product"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("type").asText()).endsWith("/not-found");
  }

  @Test
  void putProductReplacesTheSeededFieldsOnceThenIsStale() throws Exception {
    SampleEvent event = SampleEvent.load("catalog-put-product");
    String seeded = call(SampleEvent.load("catalog-get-product")).header("ETag").orElseThrow();
    assertThat(event.tree().at("/headers/if-match").asText()).as("the sample names the seeded cup's ETag").isEqualTo(seeded);
    HttpApiResponse replaced = call(event);
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.header("ETag")).hasValueSatisfying(tag -> assertThat(tag).isNotEqualTo(seeded));
    JsonNode body = replaced.json();
    assertThat(body.get("id").asText()).isEqualTo("cup");
    assertThat(body.get("version").asLong()).isEqualTo(2);
    JsonNode sent = SampleEvent.JSON.readTree(event.tree().get("body").asText());
    assertThat(body.get("name")).isEqualTo(sent.get("name"));
    assertThat(body.get("description")).isEqualTo(sent.get("description"));
    assertThat(body.get("price")).isEqualTo(sent.get("price"));

    HttpApiResponse stale = call(SampleEvent.load("catalog-put-product"));
    assertThat(stale.status()).as("the same If-Match again").isEqualTo(412);
    assertThat(stale.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("application/problem+json"));
    assertThat(stale.json().get("type").asText()).endsWith("/precondition-failed");
    assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(2);

    assertThat(call(SampleEvent.load("catalog-put-product").claim("scope", "openid")).status())
        .as("without the admin scope").isEqualTo(403);
  }

  @Test
  void postStockAddsTheUnitsToThisRegion() {
    long before = available("cup");
    SampleEvent event = SampleEvent.load("catalog-post-stock");
    long units = event.tree().get("body").asText().contains("\"units\":25") ? 25 : -1;
    assertThat(units).as("the sample restocks 25 units").isEqualTo(25);
    HttpApiResponse restocked = call(event);
    assertThat(restocked.status()).isEqualTo(200);
    JsonNode allocation = restocked.json().get("allocations").get(0);
    assertThat(allocation.get("region").asText()).isEqualTo(FunctionEnvironment.REGION);
    assertThat(allocation.get("available").asLong()).isEqualTo(before + 25);
    assertThat(available("cup")).isEqualTo(before + 25);

    HttpApiResponse unknown = call(SampleEvent.load("catalog-post-stock").pathParameter("id", "ghost"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(call(SampleEvent.load("catalog-post-stock").body("{\"units\":0}")).status()).isEqualTo(400);
    assertThat(call(SampleEvent.load("catalog-post-stock").claim("scope", "openid")).status()).isEqualTo(403);
  }

  @Test
  void putShardsSplitsThisRegionsStockWithoutChangingItsUnits() {
    long before = available("cup");
    HttpApiResponse resharded = call(SampleEvent.load("catalog-put-shards"));
    assertThat(resharded.status()).isEqualTo(200);
    JsonNode allocation = resharded.json().get("allocations").get(0);
    assertThat(allocation.get("shards").asInt()).isEqualTo(4);
    assertThat(allocation.get("available").asLong()).isEqualTo(before);
    assertThat(available("cup")).isEqualTo(before);
    assertThat(shard("cup", 3)).as("the fourth shard holds its share").isNotEmpty();

    assertThat(call(SampleEvent.load("catalog-put-shards").body("{\"shards\":51}")).status()).isEqualTo(400);
    assertThat(call(SampleEvent.load("catalog-put-shards").claim("scope", "openid")).status()).isEqualTo(403);
  }
}
