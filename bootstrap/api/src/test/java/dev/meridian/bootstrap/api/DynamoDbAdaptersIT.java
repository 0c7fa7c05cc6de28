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
import dev.meridian.domain.stock.RegionStock;
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
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
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
    DynamoDbCatalogRepository repository = new DynamoDbCatalogRepository(dynamoDb, table, "us-east-1",
        List.of("us-east-1", "eu-west-1"));
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
    assertThat(entry.stock()).filteredOn(stock -> !stock.shards().isEmpty()).extracting(RegionStock::region, RegionStock::available)
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
    RegionStock stock = localStock(us);
    assertThat(stock.reserved()).isEqualTo(2);
    assertThat(stock.available()).isEqualTo(48);
  }

  @Test
  void concurrentOrdersForTheLastUnitsNeverOversell() throws Exception {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 5);
    List<OrderService.PlaceOutcome> outcomes = concurrently(20, i -> us.orders().place(order("k-" + i, 1)));
    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Placed)).hasSize(5);
    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Refused)).hasSize(15);
    RegionStock stock = localStock(us);
    assertThat(stock.available()).isZero();
    assertThat(stock.reserved()).isEqualTo(5);
    assertThat(activeHoldsTaken(us, outcomes)).as("units held by the placed orders' hold items, per shard")
        .isEqualTo(Map.of(StockAllocation.HEAD, 5L));
  }

  @Test
  void aProductSplitOverShardsSellsEveryUnitExactlyOnceUnderConcurrency() throws Exception {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 0);
    assertThat(us.catalog().reshard(CUP, 4)).isInstanceOf(CatalogService.Resharded.class);
    us.catalog().restock(CUP, 8);
    assertThat(localStock(us).all()).extracting(StockAllocation::available).containsExactly(2L, 2L, 2L, 2L);

    List<OrderService.PlaceOutcome> outcomes = concurrently(20, i -> us.orders().place(order("k-" + i, 1)));

    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Placed)).hasSize(8);
    assertThat(outcomes.stream().filter(o -> o instanceof OrderService.Refused)).hasSize(12);
    RegionStock stock = localStock(us);
    assertThat(stock.available()).isZero();
    Map<Integer, Long> reservedPerShard = new HashMap<>();
    stock.all().forEach(shard -> reservedPerShard.put(shard.shard(), shard.reserved()));
    assertThat(activeHoldsTaken(us, outcomes)).isEqualTo(reservedPerShard);
    assertThat(reservedPerShard).containsOnlyKeys(0, 1, 2, 3).allSatisfy((shard, units) -> assertThat(units).isEqualTo(2));
  }

  @Test
  void aPlacementOfAHotProductReadsOneOfItsShardsNotAllOfThem(Emulator emulator) {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 0);
    us.catalog().reshard(CUP, 10);
    us.catalog().restock(CUP, 100);
    List<String> stockReads = new ArrayList<>();
    ExecutionInterceptor recorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        switch (context.request()) {
          case GetItemRequest get when get.key().get(TableDesign.PK).s().startsWith("STOCK#") ->
              stockReads.add("GetItem " + get.key().get(TableDesign.PK).s());
          case BatchGetItemRequest batch -> stockReads.add("BatchGetItem " + batch.requestItems().get(table).keys().size() + " keys");
          default -> { }
        }
      }
    };
    DynamoDbClient recorded = emulator.configure(DynamoDbClient.builder(), "us-east-1")
        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
    Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "TABLE_NAME", table,
        "PEER_REGIONS", "us-east-1,eu-west-1"));
    ApiWiring placing = ApiWiring.of(env, recorded, Clock.systemUTC());
    assertThat(placing.orders().place(order("first", 1))).isInstanceOf(OrderService.Placed.class);
    stockReads.clear();

    assertThat(placing.orders().place(order("second", 1))).isInstanceOf(OrderService.Placed.class);

    assertThat(stockReads).as("one shard read: the head and the product as this instance read them a moment ago")
        .singleElement().asString().startsWith("GetItem STOCK#cup#us-east-1#");
    assertThat(localStock(us).reserved()).isEqualTo(2);
    assertThat(localStock(us).available()).isEqualTo(98);
  }

  @Test
  void reshardingMovesAvailableUnitsAndNeverCreatesOrLosesOne() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 10);
    us.orders().place(order("k1", 3));
    us.catalog().reshard(CUP, 5);
    us.orders().place(order("k2", 2));
    RegionStock spread = localStock(us);
    assertThat(spread.shardsInUse()).isEqualTo(5);
    assertThat(spread.available() + spread.reserved()).isEqualTo(10);

    assertThat(us.catalog().reshard(CUP, 1)).isInstanceOf(CatalogService.Resharded.class);
    RegionStock merged = localStock(us);
    assertThat(merged.shardsInUse()).isEqualTo(1);
    assertThat(merged.shardsEver()).as("retired shards stay readable: their held units return there").isEqualTo(5);
    assertThat(merged.available()).isEqualTo(5);
    assertThat(merged.reserved()).isEqualTo(5);
    assertThat(merged.head().available()).as("every available unit moved into the shard in use").isEqualTo(5);
    assertThatThrownBy(() -> us.catalog().reshard(CUP, StockAllocation.MAX_SHARDS + 1))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("shards"));
  }

  @Test
  void anOrderTakesUnitsFromSeveralShardsWhenNoSingleShardHasThem() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 0);
    us.catalog().reshard(CUP, 3);
    us.catalog().restock(CUP, 3);
    Order order = ((OrderService.Placed) us.orders().place(order("k1", 3))).order();
    assertThat(order.standingReservation().orElseThrow().takenFrom().get(CUP)).containsOnlyKeys(0, 1, 2);
    assertThat(localStock(us).available()).isZero();
    us.orders().cancel(new CancelOrder(order.id(), ALICE));
    assertThat(localStock(us).all()).extracting(StockAllocation::available).containsExactly(1L, 1L, 1L);
  }

  @Test
  void aFiftyLineOrderOverShardedProductsIsPlacedInOneTransaction() {
    ApiWiring us = region("us-east-1", "active-active");
    List<PlaceOrder.Line> lines = new ArrayList<>();
    for (int i = 0; i < PlaceOrder.MAX_LINES; i++) {
      ProductId id = ProductId.of("item-" + i);
      us.catalog().upsert(new UpsertProduct(id, "Item " + i, "One of fifty", Money.of(100, "EUR"), true),
          new CatalogService.IfAbsent());
      us.catalog().reshard(id, 2);
      us.catalog().restock(id, 2);
      lines.add(new PlaceOrder.Line(id.value(), 2));
    }
    // Two units of each, one in each shard: taken as they lie, every line needs both shards, 100 shard
    // writes plus the order and its hold, over the 100 actions of one transaction. The units of each
    // product are first moved into one shard, then the order is placed in one transaction of 52 items.
    OrderService.PlaceOutcome placed = us.orders().place(new PlaceOrder(ALICE, new IdempotencyKey("fifty"), lines));
    assertThat(placed).isInstanceOf(OrderService.Placed.class);
    Order order = ((OrderService.Placed) placed).order();
    Map<String, AttributeValue> hold = item("ORDER#" + order.id().value(), "HOLD#us-east-1");
    assertThat(hold.get("takenFrom").m()).hasSize(PlaceOrder.MAX_LINES)
        .allSatisfy((product, shards) -> assertThat(shards.m()).as(product + " from one shard").hasSize(1));
    assertThat(item("ORDER#" + order.id().value(), "ORDER")).doesNotContainKey("reservations");
    for (int i = 0; i < PlaceOrder.MAX_LINES; i++) {
      RegionStock stock = us.catalog().get(ProductId.of("item-" + i)).orElseThrow().stockIn("us-east-1").orElseThrow();
      assertThat(stock.reserved()).isEqualTo(2);
      assertThat(stock.available()).isZero();
    }
    assertThat(us.orders().cancel(new CancelOrder(order.id(), ALICE))).isInstanceOf(OrderService.Cancelled.class);
    assertThat(us.catalog().get(ProductId.of("item-7")).orElseThrow().stockIn("us-east-1").orElseThrow().available())
        .as("released where it was taken from, in one transaction too").isEqualTo(2);
  }

  @Test
  void theStockItemsKeepCountersOnlyAndNoSharedIndexKey() {
    ApiWiring us = region("us-east-1", "active-active");
    seedCup(us, 100);
    for (int i = 0; i < 10; i++) {
      us.orders().place(order("k" + i, 1));
    }
    Map<String, AttributeValue> head = item("STOCK#cup#us-east-1#0", "STOCK");
    assertThat(head).doesNotContainKeys("holds", "gsi1pk", "gsi1sk");
    assertThat(head.get("reserved").n()).isEqualTo("10");
    assertThat(head.get("pending").n()).as("pending demand is a counter here, its orders items of their own").isEqualTo("0");
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
    RegionStock stock = localStock(us);
    assertThat(stock.available()).isEqualTo(3);
    assertThat(stock.reserved()).isZero();
    assertThat(item("ORDER#" + order.id().value(), "HOLD#us-east-1").get("state").s()).isEqualTo("RELEASED");
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
      assertThat(page.items()).as("each listed order with its hold, read from the hold items")
          .allSatisfy(o -> assertThat(o.value().standingReservation()).hasValueSatisfying(r -> assertThat(r.isActive()).isTrue()));
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

  private RegionStock localStock(ApiWiring w) {
    return w.catalog().get(CUP).orElseThrow().stockIn(w.config().region()).orElseThrow();
  }

  /** Per shard, the units the active holds of the placed orders took from it, read from the hold items. */
  private Map<Integer, Long> activeHoldsTaken(ApiWiring w, List<OrderService.PlaceOutcome> outcomes) {
    Map<Integer, Long> taken = new HashMap<>();
    for (OrderService.PlaceOutcome outcome : outcomes) {
      if (outcome instanceof OrderService.Placed placed) {
        Map<String, AttributeValue> hold = item("ORDER#" + placed.order().id().value(), "HOLD#" + w.config().region());
        assertThat(hold.get("state").s()).isEqualTo("RESERVED");
        hold.get("takenFrom").m().get("cup").m().forEach((shard, units) ->
            taken.merge(Integer.parseInt(shard), Long.parseLong(units.n()), Long::sum));
      }
    }
    return taken;
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
