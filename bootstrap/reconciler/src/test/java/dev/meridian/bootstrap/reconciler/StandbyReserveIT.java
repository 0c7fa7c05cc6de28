package dev.meridian.bootstrap.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
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
 * Active-passive with a standby reserve, on two moto regions through the real use cases and
 * DynamoDB adapters, wired from the environment the template sets ({@code DEPLOYMENT_MODE},
 * {@code STANDBY_RESERVE_PERCENT}). The old primary's writes reach the standby only when a test
 * delivers their events or copies an item, so the outage is the gap between two deliveries.
 */
@ExtendWith(EmulatorExtension.class)
class StandbyReserveIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String US = RegionReplica.US;
  private static final String EU = RegionReplica.EU;
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final ProductId CUP = ProductId.of("cup");

  private String table;
  private RegionReplica primary;
  private RegionReplica standby;

  @BeforeEach
  void activePassivePair(Emulator emulator) {
    table = "meridian-standby-" + TABLES.incrementAndGet();
    Map<String, String> settings = Map.of(MeridianConfig.DEPLOYMENT_MODE, "active-passive",
        MeridianConfig.INITIAL_PRIMARY_REGION, US, MeridianConfig.STANDBY_REGION, EU,
        MeridianConfig.STANDBY_RESERVE_PERCENT, "20", MeridianConfig.STOCK_LOW_WATER_MARK, "2");
    primary = RegionReplica.of(emulator, table, US, settings);
    standby = RegionReplica.of(emulator, table, EU, settings);
  }

  @Test
  void theStandbyKeepsItsShareOfEveryRestockAndSellsNothingUntilPromoted() {
    createCupAndRestockInPrimary(50);

    assertThat(deliver(primary, standby, head(US)).unitsReceived()).as("the reserve reaches the standby").isEqualTo(10);
    assertThat(stock(standby).available()).isEqualTo(10);
    assertThat(stock(primary).available()).isEqualTo(40);
    assertThat(standby.wiring().orders().place(order("standby-1", 1))).isInstanceOf(OrderService.WritesRefused.class);

    // The primary sells down to its last units: the standby sees the primary short and still keeps its reserve.
    assertThat(primary.wiring().orders().place(order("primary-1", 39))).isInstanceOf(OrderService.Placed.class);
    ReconcileService.Outcome seen = deliver(primary, standby, head(US));
    assertThat(seen.unitsGiven()).isZero();
    assertThat(stock(standby).available()).isEqualTo(10);

    // A restock tops the reserve up with a fifth of the new units only.
    primary.wiring().catalog().restock(CUP, 10);
    assertThat(deliver(primary, standby, head(US)).unitsReceived()).isEqualTo(2);
    assertThat(stock(standby).available()).isEqualTo(12);
    assertConserved(60);
  }

  @Test
  void afterPromotionTheReserveSellsAtOnceAndTheOldPrimaryGivesItsStockToTheNewOneWhenBack() {
    createCupAndRestockInPrimary(50);
    deliver(primary, standby, head(US));
    // The standby's replica knows the primary's stock as replication last brought it.
    replicate(primary, standby, head(US));
    // The primary's last order never left it before the fault (its replication backlog).
    assertThat(primary.wiring().orders().place(order("backlog", 5))).isInstanceOf(OrderService.Placed.class);

    assertThat(standby.wiring().control().promote(EU)).isInstanceOf(ControlService.Changed.class);
    OrderService.PlaceOutcome atOnce = standby.wiring().orders().place(order("during-outage-1", 10));
    assertThat(atOnce).as("the reserve sells at once, with no transfer").isInstanceOf(OrderService.Placed.class);
    // Beyond the reserve: what the old primary holds above its own new reserve may still come, so 202.
    OrderService.PendingStock waiting = (OrderService.PendingStock) standby.wiring().orders().place(order("during-outage-2", 4));
    assertThat(waiting.order().currentStatus()).isEqualTo(OrderStatus.PENDING_STOCK);

    // The old primary is back: it reads the promotion, refuses writes, and hands its stock over.
    replicate(standby, primary, Items.controlKey());
    assertThat(primary.wiring().orders().place(order("old-primary", 1))).isInstanceOf(OrderService.WritesRefused.class);
    ReconcileService.Outcome gave = deliver(standby, primary, head(EU));
    // It keeps a fifth of the 50 units ever restocked as the new standby's reserve: 50 - 10 given - 5 sold - 10 kept.
    assertThat(gave.unitsGiven()).isEqualTo(25);
    assertThat(stock(primary).available()).isEqualTo(10);
    ReconcileService.Outcome received = deliver(primary, standby, head(US));
    assertThat(received.unitsReceived()).isEqualTo(25);
    assertThat(received.confirmed()).as("the pending order confirmed by the transfer").isEqualTo(1);
    assertThat(standby.wiring().orders().get(waiting.order().id(), ALICE).orElseThrow().value().currentStatus())
        .isEqualTo(OrderStatus.PLACED);
    assertThat(stock(standby).available()).isEqualTo(25 - 4);
    assertConserved(50);
  }

  @Test
  void failingBackSellsTheOldPrimarysReserveAtOnceAndMovesEveryUnitOnce() {
    createCupAndRestockInPrimary(50);
    deliver(primary, standby, head(US));
    standby.wiring().control().promote(EU);
    replicate(standby, primary, Items.controlKey());
    deliver(standby, primary, head(EU));
    deliver(primary, standby, head(US));
    assertThat(stock(standby).available()).isEqualTo(50 - 10);

    // Back to the original primary: the region that was primary now keeps the reserve and gives the rest.
    assertThat(primary.wiring().control().promote(US)).isInstanceOf(ControlService.Changed.class);
    replicate(primary, standby, Items.controlKey());
    assertThat(primary.wiring().orders().place(order("after-fail-back", 10))).isInstanceOf(OrderService.Placed.class);
    assertThat(deliver(primary, standby, head(US)).unitsGiven()).isEqualTo(30);
    assertThat(deliver(standby, primary, head(EU)).unitsReceived()).isEqualTo(30);
    // Delivered again, as at-least-once delivery may: nothing moves a second time.
    assertThat(deliver(primary, standby, head(US)).unitsGiven()).isZero();
    assertThat(deliver(standby, primary, head(EU)).unitsReceived()).isZero();
    assertThat(stock(standby).available()).isEqualTo(10);
    assertThat(stock(primary).available()).isEqualTo(30);
    assertConserved(50);
  }

  // ------------------------------------------------------------------ helpers

  private void createCupAndRestockInPrimary(long units) {
    primary.wiring().catalog().upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(250, "EUR"), true),
        new CatalogService.IfAbsent());
    replicate(primary, standby, Items.productKey(CUP));
    assertThat(primary.wiring().catalog().restock(CUP, units)).isInstanceOf(CatalogService.Restocked.class);
    assertThat(standby.wiring().catalog().restock(CUP, units)).as("a standby refuses restocks")
        .isInstanceOf(CatalogService.RestockRefused.class);
  }

  /** Every unit restocked is on hand in one region or in flight between them: none created, none lost. */
  private void assertConserved(long restocked) {
    RegionStock us = stock(primary);
    RegionStock eu = stock(standby);
    long inFlight = us.inTransitFrom(List.of(us, eu)) + eu.inTransitFrom(List.of(us, eu));
    assertThat(us.onHand() + eu.onHand() + inFlight).isEqualTo(restocked);
  }

  private static PlaceOrder order(String key, int quantity) {
    return new PlaceOrder(ALICE, new IdempotencyKey(key), List.of(new PlaceOrder.Line("cup", quantity)));
  }

  private RegionStock stock(RegionReplica r) {
    return new DynamoDbCatalogRepository(r.dynamoDb(), table, r.name(), List.of(US, EU)).stock(CUP, r.name());
  }

  private static Map<String, AttributeValue> head(String region) {
    return Items.shardKey(CUP, region, StockAllocation.HEAD);
  }

  private Map<String, AttributeValue> item(RegionReplica r, Map<String, AttributeValue> key) {
    return r.dynamoDb().getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build()).item();
  }

  /** Global-table replication of one item, as it would arrive: the whole item, last writer wins. */
  private void replicate(RegionReplica from, RegionReplica to, Map<String, AttributeValue> key) {
    to.dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(item(from, key)).build());
  }

  /** {@code from}'s publisher's event for the item as it is now, through the wire form, applied in {@code to}. */
  private ReconcileService.Outcome deliver(RegionReplica from, RegionReplica to, Map<String, AttributeValue> key) {
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
      return to.reconcile().apply(ChangeEventJson.fromEventBridgeEvent(JSON.writeValueAsString(event)));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
