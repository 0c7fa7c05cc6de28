package dev.meridian.bootstrap.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.orders.OrderService;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The use cases over the real DynamoDB adapter and the real SDK client, against the emulator
 * (moto, or LocalStack with -Plocalstack). Each test uses its own table, so tests are independent
 * within the one emulator of the JVM.
 */
@ExtendWith(EmulatorExtension.class)
class DynamoDbAdaptersIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final ProductId CUP = ProductId.of("cup");

  private DynamoDbClient dynamoDb;
  private String table;

  @BeforeEach
  void createTable(Emulator emulator) {
    this.dynamoDb = emulator.dynamoDb("us-east-1");
    this.table = "meridian-" + TABLES.incrementAndGet();
    dynamoDb.createTable(TableDesign.createTableRequest(table));
  }

  private ApiWiring region(String region, String mode) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", region);
    env.put("TABLE_NAME", table);
    env.put("DEPLOYMENT_MODE", mode);
    env.put("INITIAL_PRIMARY_REGION", "us-east-1");
    env.put("STANDBY_REGION", "eu-west-1");
    env.put("PEER_REGIONS", "us-east-1,eu-west-1");
    // Both "regions" share one table here: the point is the adapter's semantics, not replication.
    return ApiWiring.of(env, dynamoDb, Clock.systemUTC());
  }

  private CatalogEntry seedCup(ApiWiring w, long units) {
    w.catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(250, "EUR"), true), new CatalogService.IfAbsent());
    if (units > 0) {
      w.catalog().restock(CUP, units);
    }
    return w.catalog().get(CUP).orElseThrow();
  }

  private static PlaceOrder order(String key, int quantity) {
    return new PlaceOrder(ALICE, new IdempotencyKey(key), List.of(new PlaceOrder.Line("cup", quantity)));
  }

  @Test
  void aReplaceRefusesAReplicatedWriteThatCarriesTheSameVersion() {
    ApiWiring us = region("us-east-1", "active-active");
    CatalogEntry read = seedCup(us, 0);
    // Replication from another region lands between the read and the write, with the same version number.
    Product elsewhere = read.product().apply(new UpsertProduct(CUP, "Teacup", "A cup", Money.of(250, "EUR"), true),
        new HlcStamp(read.product().latestStamp().physicalMillis() + 1, 0, "eu-west-1"));
    dynamoDb.putItem(software.amazon.awssdk.services.dynamodb.model.PutItemRequest.builder()
        .tableName(table).item(Items.product(elsewhere, read.version(), "eu-west-1")).build());

    Product mine = read.product().apply(new UpsertProduct(CUP, "Cup", "A cup", Money.of(300, "EUR"), true),
        new HlcStamp(read.product().latestStamp().physicalMillis() + 2, 0, "us-east-1"));
    DynamoDbCatalogRepository repository = new DynamoDbCatalogRepository(dynamoDb, table, "us-east-1");
    assertThat(repository.replace(mine, read)).as("the fields changed under the same version").isEmpty();
    assertThat(us.catalog().get(CUP).orElseThrow().product()).isEqualTo(elsewhere);
    assertThat(repository.replace(mine, us.catalog().get(CUP).orElseThrow())).as("the fields as stored").isPresent();
  }

  @Test
  void productsAreVersionedAndAStaleReplaceChangesNothing() {
    ApiWiring us = region("us-east-1", "active-active");
    CatalogEntry created = seedCup(us, 0);
    assertThat(created.version()).isEqualTo(1);
    UpsertProduct pricier = new UpsertProduct(CUP, "Cup", "A cup", Money.of(300, "EUR"), true);
    assertThat(us.catalog().upsert(pricier, new CatalogService.IfMatch(created.tag())))
        .isInstanceOf(CatalogService.Replaced.class);
    CatalogService.UpsertOutcome stale = us.catalog().upsert(
        new UpsertProduct(CUP, "Cup", "A cup", Money.of(1, "EUR"), true), new CatalogService.IfMatch(created.tag()));
    assertThat(stale).isInstanceOfSatisfying(CatalogService.PreconditionFailed.class,
        failed -> assertThat(failed.current().orElseThrow().version()).isEqualTo(2));
    assertThat(us.catalog().get(CUP).orElseThrow().product().currentPrice()).isEqualTo(Money.of(300, "EUR"));
    assertThat(us.catalog().upsert(pricier, new CatalogService.NoPrecondition())).isInstanceOf(CatalogService.PreconditionRequired.class);
    assertThat(item("PRODUCT#cup", "PRODUCT")).containsEntry("originRegion",
        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("us-east-1"));
  }

  @Test
  void restockAddsToThisRegionsAllocationAndRefusesUnknownProducts() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 5);
    us.catalog().restock(CUP, 3);
    ApiWiring eu = region("eu-west-1", "active-active");
    eu.catalog().restock(CUP, 4);
    CatalogEntry entry = us.catalog().get(CUP).orElseThrow();
    assertThat(entry.allocations()).extracting(StockAllocation::region, StockAllocation::available)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("us-east-1", 8L), org.assertj.core.groups.Tuple.tuple("eu-west-1", 4L));
    assertThat(entry.totalAvailable()).isEqualTo(12);
    assertThat(us.catalog().restock(ProductId.of("teapot"), 1)).isInstanceOf(CatalogService.UnknownProduct.class);
  }

  @Test
  void twentyConcurrentPlacementsWithOneKeyMakeExactlyOneOrder() throws Exception {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 50);
    List<OrderService.PlaceOutcome> outcomes = concurrently(20, i -> us.orders().place(order("same-key", 2)));
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(OrderService.Placed.class));
    assertThat(outcomes.stream().map(o -> ((OrderService.Placed) o).order().id()).distinct()).hasSize(1);
    assertThat(outcomes.stream().filter(o -> !((OrderService.Placed) o).replayed())).hasSize(1);
    StockAllocation allocation = localAllocation(us);
    assertThat(allocation.reserved()).isEqualTo(2);
    assertThat(allocation.available()).isEqualTo(48);
  }

  @Test
  void concurrentOrdersForTheLastUnitsNeverOversell() throws Exception {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 5);
    List<OrderService.PlaceOutcome> outcomes = concurrently(20, i -> us.orders().place(order("k-" + i, 1)));
    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Placed)).hasSize(5);
    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Refused)).hasSize(15);
    StockAllocation allocation = localAllocation(us);
    assertThat(allocation.available()).isZero();
    assertThat(allocation.reserved()).isEqualTo(5);
    assertThat(allocation.holds()).hasSize(5);
  }

  @Test
  void replaysAnswerTheOriginalOutcomeAndAReusedKeyIsRefused() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 3);
    OrderService.PlaceOutcome first = us.orders().place(order("k1", 2));
    OrderService.PlaceOutcome again = us.orders().place(order("k1", 2));
    assertThat(again).isEqualTo(new OrderService.Placed(((OrderService.Placed) first).order(), true));
    assertThat(us.orders().place(order("k1", 1))).isInstanceOf(OrderService.KeyReused.class);
    OrderService.PlaceOutcome refused = us.orders().place(order("k2", 5));
    assertThat(refused).isInstanceOf(OrderService.Refused.class);
    us.catalog().restock(CUP, 10);
    assertThat(us.orders().place(order("k2", 5))).isInstanceOfSatisfying(OrderService.Refused.class,
        r -> assertThat(r.replayed()).isTrue());
  }

  @Test
  void cancelReleasesTheUnitsOnceAndOnlyTheOwnerSeesTheOrder() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 3);
    Order order = ((OrderService.Placed) us.orders().place(order("k1", 2))).order();
    assertThat(us.orders().get(order.id(), new CustomerId("mallory"))).isEmpty();
    assertThat(us.orders().cancel(new CancelOrder(order.id(), new CustomerId("mallory")))).isInstanceOf(OrderService.NotFound.class);
    OrderService.CancelOutcome cancelled = us.orders().cancel(new CancelOrder(order.id(), ALICE));
    assertThat(cancelled).isInstanceOfSatisfying(OrderService.Cancelled.class,
        c -> assertThat(c.order().currentStatus()).isEqualTo(OrderStatus.CANCELLED));
    assertThat(us.orders().cancel(new CancelOrder(order.id(), ALICE))).isInstanceOf(OrderService.Cancelled.class);
    StockAllocation allocation = localAllocation(us);
    assertThat(allocation.available()).isEqualTo(3);
    assertThat(allocation.reserved()).isZero();
    Versioned<Order> stored = us.orders().get(order.id(), ALICE).orElseThrow();
    assertThat(stored.version()).isEqualTo(2);
  }

  @Test
  void listingPagesThroughACustomersOrdersAndRefusesForgedCursors() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 20);
    for (int i = 0; i < 5; i++) {
      us.orders().place(order("k" + i, 1));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<Versioned<Order>> page = us.orders().list(ALICE, cursor, 2);
      page.items().forEach(o -> seen.add(o.value().id().value()));
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    assertThat(us.orders().list(new CustomerId("bob"), null, 10).items()).isEmpty();
    for (String forged : List.of("nonsense", "YzF8b3JkZXJzfHh8MA", "%%%", "")) {
      assertThatThrownBy(() -> us.orders().list(ALICE, forged, 2)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("cursor"));
    }
  }

  @Test
  void aStandbyRefusesWritesUntilPromotedAndTheOldPrimaryIsFencedAfter() {
    ApiWiring us = region("us-east-1", "active-passive");
    ApiWiring eu = region("eu-west-1", "active-passive");
    seedCup(us, 5);
    assertThat(eu.orders().place(order("k1", 1))).isInstanceOf(OrderService.WritesRefused.class);
    assertThat(eu.control().current().role()).isEqualTo("standby");
    assertThat(eu.control().promote("eu-west-1")).isInstanceOf(ControlService.Changed.class);
    assertThat(eu.control().current().state().epoch()).isEqualTo(1);
    assertThat(us.orders().place(order("k2", 1))).isInstanceOf(OrderService.WritesRefused.class);
    assertThat(us.control().current().role()).isEqualTo("standby");
    assertThat(us.control().promote("ap-south-1")).isInstanceOf(ControlService.UnknownRegion.class);
    assertThat(region("us-east-1", "active-active").control().promote("eu-west-1")).isInstanceOf(ControlService.NotApplicable.class);
  }

  @Test
  void anUnreachableStoreIsAnApplicationErrorNotAnSdkException() {
    DynamoDbClient closed = DynamoDbClient.builder()
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("x", "y")))
        .build();
    Map<String, String> env = Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", table);
    ApiWiring w = ApiWiring.of(env, closed, Clock.systemUTC());
    assertThatThrownBy(() -> w.catalog().get(CUP)).isInstanceOf(dev.meridian.application.StoreUnavailableException.class);
  }

  private StockAllocation localAllocation(ApiWiring w) {
    return w.catalog().get(CUP).orElseThrow().allocations().stream()
        .filter(a -> a.region().equals(w.config().region())).findFirst().orElseThrow();
  }

  private Map<String, AttributeValue> item(String pk, String sk) {
    Map<String, AttributeValue> key = Map.of(TableDesign.PK, AttributeValue.fromS(pk), TableDesign.SK, AttributeValue.fromS(sk));
    return dynamoDb.getItem(GetItemRequest.builder().tableName(table).key(key).build()).item();
  }

  private interface Task<T> {
    T run(int index) throws Exception;
  }

  private static <T> List<T> concurrently(int n, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> call = () -> {
          start.await();
          return task.run(index);
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
