package dev.meridian.bootstrap.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Two regions' replicas (the same table name in two moto regions, as a global table has) and the
 * real reconcile use case over the real adapters. Events travel as the wire form: each write's
 * item is read back, encoded by {@link ChangeEventJson}, wrapped as the EventBridge event the
 * queue rule delivers, decoded, and applied in the other region. No global-table replication
 * runs here unless a test copies an item itself, so every convergence shown is the reconciler's.
 */
@ExtendWith(EmulatorExtension.class)
class ReconciliationIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String US = RegionReplica.US;
  private static final String EU = RegionReplica.EU;
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final ProductId CUP = ProductId.of("cup");

  private String table;
  private RegionReplica us;
  private RegionReplica eu;

  @BeforeEach
  void replicas(Emulator emulator) {
    table = "meridian-reconcile-" + TABLES.incrementAndGet();
    us = region(emulator, US);
    eu = region(emulator, EU);
  }

  private RegionReplica region(Emulator emulator, String name) {
    return RegionReplica.of(emulator, table, name, Map.of(MeridianConfig.PENDING_STOCK_TIMEOUT_SECONDS, "2"));
  }


  // ------------------------------------------------------------------ helpers

  private Map<String, AttributeValue> item(RegionReplica r, Map<String, AttributeValue> key) {
    return r.dynamoDb().getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build()).item();
  }

  /** Global-table replication of one item, as it would arrive: the whole item, last writer wins. */
  private void replicate(RegionReplica from, RegionReplica to, Map<String, AttributeValue> key) {
    to.dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(item(from, key)).build());
  }

  /** The event {@code from}'s publisher emits for the item's current state, through the wire form. */
  private ChangeEvent eventFor(RegionReplica from, Map<String, AttributeValue> key) {
    StoredChange stored = StoredChanges.of("1", item(from, key)).orElseThrow();
    ChangeEvent published = ChangeEvent.of(stored.originRegion(), stored.version(),
        stored.change().latestStamp().orElseGet(() -> from.wiring().clock().now()), stored.change());
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", "eb-" + published.eventId().hashCode());
    event.put("detail-type", ChangeEventJson.detailType(published));
    event.put("source", ChangeEventJson.SOURCE);
    event.put("region", from.name());
    try {
      event.set("detail", JSON.readTree(ChangeEventJson.detail(published)));
      return ChangeEventJson.fromEventBridgeEvent(JSON.writeValueAsString(event));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private ReconcileService.Outcome deliver(RegionReplica from, RegionReplica to, Map<String, AttributeValue> key) {
    return to.reconcile().apply(eventFor(from, key));
  }

  /**
   * Exchanges the items' events until nothing changes: what the event links do. Each region
   * publishes only what it wrote itself (its own origin), as the publisher does.
   */
  @SafeVarargs
  private int exchangeUntilQuiet(Map<String, AttributeValue>... keys) {
    int rounds = 0;
    while (rounds < 10) {
      rounds++;
      boolean quiet = true;
      for (Map<String, AttributeValue> key : keys) {
        for (RegionReplica[] link : List.of(new RegionReplica[] {us, eu}, new RegionReplica[] {eu, us})) {
          Map<String, AttributeValue> item = item(link[0], key);
          if (item != null && !item.isEmpty() && link[0].name().equals(item.get("originRegion").s())) {
            quiet &= quiet(link[1].reconcile().apply(eventFor(link[0], key)));
          }
        }
      }
      if (quiet) {
        return rounds;
      }
    }
    throw new AssertionError("no convergence after 10 exchanges");
  }

  private static boolean quiet(ReconcileService.Outcome outcome) {
    return outcome.action() == ReconcileService.Action.CONTAINED || outcome.action() == ReconcileService.Action.NOT_ADDRESSED;
  }

  private void seedCupEverywhere(long unitsPerRegion) {
    us.wiring().catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(250, "EUR"), true),
        new CatalogService.IfAbsent());
    replicate(us, eu, Items.productKey(CUP));
    if (unitsPerRegion > 0) {
      us.wiring().catalog().restock(CUP, unitsPerRegion);
      eu.wiring().catalog().restock(CUP, unitsPerRegion);
    }
  }

  private DynamoDbCatalogRepository stockOf(RegionReplica r) {
    return new DynamoDbCatalogRepository(r.dynamoDb(), table, r.name(), List.of(US, EU));
  }

  /** The region's own stock of the cup, every shard. */
  private RegionStock stock(RegionReplica r) {
    return stockOf(r).stock(CUP, r.name());
  }

  private static Map<String, AttributeValue> head(String region) {
    return Items.shardKey(CUP, region, StockAllocation.HEAD);
  }

  private Reservation hold(RegionReplica r, OrderId id) {
    return Items.hold(item(r, Items.holdKey(id, r.name())));
  }

  private Versioned<Order> order(RegionReplica r, OrderId id) {
    return r.wiring().orders().get(id, ALICE).orElseThrow();
  }

  private static PlaceOrder place(String key, int quantity) {
    return new PlaceOrder(ALICE, new IdempotencyKey(key), List.of(new PlaceOrder.Line("cup", quantity)));
  }

  // ------------------------------------------------------------------ orders

  @Test
  void anOrderRetriedInASecondRegionDuringFailoverKeepsOneReservationAndTheLoserReleasesItsUnits() {
    seedCupEverywhere(10);
    OrderService.Placed first = (OrderService.Placed) us.wiring().orders().place(place("retry-1", 3));
    OrderService.Placed retry = (OrderService.Placed) eu.wiring().orders().place(place("retry-1", 3));
    OrderId id = first.order().id();
    assertThat(retry.order().id()).isEqualTo(id);
    assertThat(stock(us).reserved()).isEqualTo(3);
    assertThat(stock(eu).reserved()).isEqualTo(3);

    exchangeUntilQuiet(Items.orderKey(id), Items.holdKey(id, US), Items.holdKey(id, EU));

    Versioned<Order> inUs = order(us, id);
    Versioned<Order> inEu = order(eu, id);
    // Equal order items; versions are each replica's own concurrency token and may differ until
    // global-table replication copies one item over the other (it does not run here, nor bring
    // each region the other's hold item).
    assertThat(inUs.value().itemState()).isEqualTo(inEu.value().itemState());
    // The earlier reservation (us-east-1 placed first) stands; eu-west-1 returned its 3 units.
    Reservation standing = inUs.value().standingReservation().orElseThrow();
    assertThat(standing.region()).isEqualTo(US);
    assertThat(hold(us, id).isActive()).isTrue();
    assertThat(hold(eu, id).state()).isEqualTo(ReservationState.RELEASED);
    assertThat(stock(us).reserved()).isEqualTo(3);
    assertThat(stock(eu).reserved()).isZero();
    assertThat(stock(eu).available()).isEqualTo(10);
    assertThat(inUs.value().conflicts()).extracting(Conflict::rule).contains("earliest-reservation-stands");
    assertThat(us.wiring().conflicts().list(null, 10).items()).extracting(Conflict::rule).contains("earliest-reservation-stands");
    assertThat(eu.wiring().conflicts().list(null, 10).items()).extracting(Conflict::rule).contains("earliest-reservation-stands");
  }

  @Test
  void aCancellationInAnotherRegionReleasesTheUnitsWhereTheyAreHeld() {
    seedCupEverywhere(10);
    OrderService.Placed placed = (OrderService.Placed) us.wiring().orders().place(place("cancel-1", 4));
    OrderId id = placed.order().id();
    assertThat(deliver(us, eu, Items.orderKey(id)).action()).isEqualTo(ReconcileService.Action.COPIED);

    assertThat(eu.wiring().orders().cancel(new CancelOrder(id, ALICE))).isInstanceOf(OrderService.Cancelled.class);
    assertThat(stock(us).reserved()).as("still held until the cancellation arrives").isEqualTo(4);

    ReconcileService.Outcome arrived = deliver(eu, us, Items.orderKey(id));
    assertThat(arrived.releasedHold()).isTrue();
    assertThat(stock(us).reserved()).isZero();
    assertThat(stock(us).available()).isEqualTo(10);
    exchangeUntilQuiet(Items.orderKey(id), Items.holdKey(id, US));
    assertThat(order(us, id).value().itemState()).isEqualTo(order(eu, id).value().itemState());
    assertThat(order(us, id).value().currentStatus()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(stock(us).available()).as("released once").isEqualTo(10);
  }

  @Test
  void theReleaseHappensEvenWhenReplicationDeliveredTheCancelledStateFirst() {
    seedCupEverywhere(10);
    OrderId id = ((OrderService.Placed) us.wiring().orders().place(place("lww-1", 2))).order().id();
    replicate(us, eu, Items.orderKey(id));
    eu.wiring().orders().cancel(new CancelOrder(id, ALICE));
    // Global-table replication (last writer wins) brings eu's cancelled item to us before the event.
    replicate(eu, us, Items.orderKey(id));
    assertThat(stock(us).reserved()).isEqualTo(2);

    ReconcileService.Outcome arrived = deliver(eu, us, Items.orderKey(id));
    assertThat(arrived.action()).isEqualTo(ReconcileService.Action.RELEASED);
    assertThat(stock(us).reserved()).isZero();
    assertThat(deliver(eu, us, Items.orderKey(id)).action()).isIn(ReconcileService.Action.CONTAINED,
        ReconcileService.Action.MERGED);
    assertThat(stock(us).available()).as("never released twice").isEqualTo(10);
  }

  @Test
  void theSameEventTwiceOrAnOlderOneAfterANewerChangesNothing() {
    seedCupEverywhere(10);
    OrderId id = ((OrderService.Placed) us.wiring().orders().place(place("dup-1", 1))).order().id();
    ChangeEvent placedEvent = eventFor(us, Items.orderKey(id));
    us.wiring().orders().cancel(new CancelOrder(id, ALICE));
    ChangeEvent cancelledEvent = eventFor(us, Items.orderKey(id));

    assertThat(eu.reconcile().apply(cancelledEvent).action()).isEqualTo(ReconcileService.Action.COPIED);
    Versioned<Order> afterNewer = order(eu, id);
    assertThat(eu.reconcile().apply(cancelledEvent).action()).isEqualTo(ReconcileService.Action.CONTAINED);
    assertThat(eu.reconcile().apply(placedEvent).action()).isEqualTo(ReconcileService.Action.CONTAINED);
    assertThat(order(eu, id)).isEqualTo(afterNewer);
    assertThat(order(eu, id).value().currentStatus()).isEqualTo(OrderStatus.CANCELLED);
  }

  // ------------------------------------------------------------------ products and the conflict log

  @Test
  void concurrentProductEditsMergeIdenticallyAndAreListedNewestFirst() {
    seedCupEverywhere(0);
    String seeded = us.wiring().catalog().get(CUP).orElseThrow().tag();
    us.wiring().catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(300, "EUR"), true),
        new CatalogService.IfMatch(seeded));
    eu.wiring().catalog().upsert(new UpsertProduct(CUP, "Big cup", "A cup", Money.of(280, "EUR"), true),
        new CatalogService.IfMatch(seeded));

    // eu-west-1 wrote later: us-east-1's price loses there, and is recorded and kept as superseded.
    ReconcileService.Outcome inEu = deliver(us, eu, Items.productKey(CUP));
    assertThat(inEu.action()).isEqualTo(ReconcileService.Action.MERGED);
    assertThat(eu.wiring().catalog().get(CUP).orElseThrow().product().currentPrice()).isEqualTo(Money.of(280, "EUR"));
    assertThat(inEu.conflicts()).extracting(Conflict::field).containsExactly("price");
    // eu-west-1's merged state knows us-east-1's price was superseded: us-east-1 takes it without recording the
    // conflict a second time (eu-west-1's record reaches it by global-table replication, as every item does).
    ReconcileService.Outcome inUs = deliver(eu, us, Items.productKey(CUP));
    assertThat(inUs.action()).isEqualTo(ReconcileService.Action.MERGED);
    assertThat(inUs.conflicts()).isEmpty();
    exchangeUntilQuiet(Items.productKey(CUP));

    var usEntry = us.wiring().catalog().get(CUP).orElseThrow();
    var euEntry = eu.wiring().catalog().get(CUP).orElseThrow();
    assertThat(usEntry.product()).isEqualTo(euEntry.product());
    assertThat(usEntry.product().currentName()).isEqualTo("Big cup");
    Page<Conflict> listed = eu.wiring().conflicts().list(null, 10);
    assertThat(listed.items()).extracting(Conflict::field).containsExactly("price");
    replicate(eu, us, Items.conflictRecordKey(listed.items().get(0)));
    assertThat(us.wiring().conflicts().list(null, 10).items()).isEqualTo(listed.items());
  }

  @Test
  void theConflictLogPagesNewestFirstAndRefusesForgedCursors() {
    seedCupEverywhere(0);
    for (int i = 0; i < 3; i++) {
      String usTag = us.wiring().catalog().get(CUP).orElseThrow().tag();
      String euTag = eu.wiring().catalog().get(CUP).orElseThrow().tag();
      us.wiring().catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(300 + i, "EUR"), true),
          new CatalogService.IfMatch(usTag));
      eu.wiring().catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(400 + i, "EUR"), true),
          new CatalogService.IfMatch(euTag));
      exchangeUntilQuiet(Items.productKey(CUP));
    }
    // eu-west-1 merged each pair first (the exchange delivers to it first), so its log holds the three records.
    Page<Conflict> first = eu.wiring().conflicts().list(null, 2);
    assertThat(first.items()).hasSize(2);
    Page<Conflict> second = eu.wiring().conflicts().list(first.nextCursor().orElseThrow(), 2);
    assertThat(second.items()).hasSize(1);
    List<Conflict> all = new java.util.ArrayList<>(first.items());
    all.addAll(second.items());
    assertThat(all).extracting(Conflict::detectedAfter).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThatThrownBy(() -> us.wiring().conflicts().list("Zm9yZ2Vk", 2)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> us.wiring().conflicts().list(null, 0)).isInstanceOf(ValidationException.class);
  }

  // ------------------------------------------------------------------ transfers

  @Test
  void aTransferIsReceivedExactlyOnce() {
    seedCupEverywhere(10);
    us.wiring().catalog().reshard(CUP, 3); // 4, 3 and 3 units: the head gives 5 after 1 more moves in
    RegionStock before = stock(us);
    assertThat(stockOf(us).writeStock(before.give(EU, 5).changedSince(before))).isTrue();
    assertThat(stockOf(us).writeStock(before.give(EU, 5).changedSince(before))).as("stale revision").isFalse();
    assertThat(stock(us).head().outgoing()).as("given from the head, the units moved there from the other shards first")
        .hasSize(1);

    // A giver judges a region's need from its replica of every shard and the event's newer head:
    // global-table replication brings the other shards, as it would within a second.
    replicate(us, eu, Items.shardKey(CUP, US, 1));
    replicate(us, eu, Items.shardKey(CUP, US, 2));
    ReconcileService.Outcome received = deliver(us, eu, head(US));
    assertThat(received.unitsReceived()).isEqualTo(5);
    assertThat(deliver(us, eu, head(US)).action()).isEqualTo(ReconcileService.Action.CONTAINED);
    assertThat(stock(eu).available()).isEqualTo(15);
    assertThat(stock(us).available()).isEqualTo(5);
    assertThat(deliver(eu, us, head(EU)).action()).as("eu-west-1 shows the transfer received")
        .isEqualTo(ReconcileService.Action.SETTLED);
    assertThat(stock(us).head().outgoing()).isEmpty();
    assertThat(deliver(us, eu, head(US)).unitsReceived()).as("a settled transfer").isZero();
    assertThat(deliver(eu, us, head(EU)).action()).isEqualTo(ReconcileService.Action.NOT_ADDRESSED);
    assertThat(stock(eu).available()).isEqualTo(15);
  }

  // ------------------------------------------------------------------ pending stock

  private long unitsEverywhere() {
    long units = 0;
    for (RegionReplica r : List.of(us, eu)) {
      units += stock(r).onHand();
    }
    StockAllocation usA = stock(us).head();
    StockAllocation euA = stock(eu).head();
    long inFlight = euA.inFlightFrom(usA) + usA.inFlightFrom(euA);
    return units + inFlight;
  }

  @Test
  void anOrderTheGlobalTotalCoversIsAcceptedPendingThenConfirmedByATransfer() {
    seedCupEverywhere(0);
    eu.wiring().catalog().restock(CUP, 10);
    us.wiring().catalog().restock(CUP, 1);
    replicate(eu, us, head(EU)); // us-east-1 sees eu-west-1's units

    OrderService.PlaceOutcome outcome = us.wiring().orders().place(place("pending-1", 3));
    assertThat(outcome).isInstanceOf(OrderService.PendingStock.class);
    OrderId id = ((OrderService.PendingStock) outcome).order().id();
    assertThat(stock(us).pending()).isEqualTo(3);
    assertThat(item(us, Items.demandKey(id, US)).get("state").s()).isEqualTo("WAITING");
    assertThat(us.wiring().orders().place(place("pending-1", 3))).as("a replay answers 202 again")
        .isInstanceOfSatisfying(OrderService.PendingStock.class, p -> assertThat(p.replayed()).isTrue());

    // us-east-1's allocation is its ask: 3 pending + low-water 5 - 1 available = 7 units short.
    ReconcileService.Outcome gave = deliver(us, eu, head(US));
    assertThat(gave.action()).isEqualTo(ReconcileService.Action.GAVE);
    assertThat(gave.unitsGiven()).isEqualTo(7);
    assertThat(deliver(us, eu, head(US)).unitsGiven()).as("not twice for the same deficit").isZero();
    assertThat(unitsEverywhere()).as("units in flight are counted once").isEqualTo(11);

    ReconcileService.Outcome received = deliver(eu, us, head(EU));
    assertThat(received.unitsReceived()).isEqualTo(7);
    assertThat(received.confirmed()).isEqualTo(1);
    Order confirmed = order(us, id).value();
    assertThat(confirmed.currentStatus()).isEqualTo(OrderStatus.PLACED);
    assertThat(confirmed.standingReservation()).hasValueSatisfying(r -> assertThat(r.region()).isEqualTo(US));
    assertThat(stock(us).pending()).isZero();
    assertThat(item(us, Items.demandKey(id, US)).get("state").s()).isEqualTo("CONFIRMED");
    assertThat(hold(us, id).units()).containsEntry(CUP, 3);
    assertThat(stock(us).available()).isEqualTo(5);
    assertThat(stock(eu).available()).isEqualTo(3);
    assertThat(unitsEverywhere()).isEqualTo(11);
    assertThat(deliver(eu, us, head(EU)).unitsReceived()).as("the same transfer again").isZero();

    // us-east-1's allocation now shows the transfer received: eu-west-1 settles it, and its ledger empties.
    assertThat(deliver(us, eu, head(US)).action()).isEqualTo(ReconcileService.Action.SETTLED);
    assertThat(stock(eu).head().outgoing()).isEmpty();
    assertThat(stock(eu).head().settled()).isEqualTo(7);
    assertThat(stock(eu).head().given()).isEqualTo(7);
    assertThat(deliver(eu, us, head(EU)).unitsReceived()).as("nothing after settling").isZero();
    assertThat(stock(us).head().receivedThrough()).containsOnlyKeys(EU);
    assertThat(unitsEverywhere()).isEqualTo(11);
  }

  @Test
  void aPendingOrderNoPeerCoversInTimeIsCancelledBySweep() throws Exception {
    seedCupEverywhere(0);
    eu.wiring().catalog().restock(CUP, 4);
    us.wiring().catalog().restock(CUP, 1);
    replicate(eu, us, head(EU)); // us-east-1 sees eu-west-1's units
    OrderId id = ((OrderService.PendingStock) us.wiring().orders().place(place("late-1", 2))).order().id();

    assertThat(us.reconcile().sweep()).isEqualTo(new ReconcileService.SweepReport(0, 0, 1));
    Thread.sleep(2_100); // the configured timeout (PENDING_STOCK_TIMEOUT_SECONDS=2); no transfer arrives
    assertThat(us.reconcile().sweep()).isEqualTo(new ReconcileService.SweepReport(0, 1, 0));
    assertThat(order(us, id).value().currentStatus()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(stock(us).pending()).isZero();
    assertThat(item(us, Items.demandKey(id, US)).get("state").s()).isEqualTo("ENDED");
    assertThat(stock(us).available()).isEqualTo(1);
    assertThat(us.reconcile().sweep()).isEqualTo(new ReconcileService.SweepReport(0, 0, 0));
  }

  @Test
  void aRestockConfirmsPendingOrdersAtTheNextSweep() {
    seedCupEverywhere(0);
    eu.wiring().catalog().restock(CUP, 4);
    us.wiring().catalog().restock(CUP, 1);
    replicate(eu, us, head(EU)); // us-east-1 sees eu-west-1's units
    OrderId id = ((OrderService.PendingStock) us.wiring().orders().place(place("restock-1", 2))).order().id();
    us.wiring().catalog().restock(CUP, 5);
    assertThat(us.reconcile().sweep()).isEqualTo(new ReconcileService.SweepReport(1, 0, 0));
    assertThat(order(us, id).value().currentStatus()).isEqualTo(OrderStatus.PLACED);
    assertThat(stock(us).available()).isEqualTo(4);
  }
}
