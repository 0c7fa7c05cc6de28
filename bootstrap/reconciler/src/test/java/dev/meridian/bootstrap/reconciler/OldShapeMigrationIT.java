package dev.meridian.bootstrap.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.StreamImages;
import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.SampleEvent;
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
 * A deployed table of the shape written before holds and pending orders were items of their own
 * (the allocation of a product carried a {@code holds} and a {@code pending} map; the order item
 * carried every region's reservation), read and written by today's code. The old items and events
 * are the ones recorded in {@code events/legacy/}, as the code before the change wrote them; the
 * extra ones (a second product, an order waiting for stock) are edits of those, field for field.
 */
@ExtendWith(EmulatorExtension.class)
class OldShapeMigrationIT {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final String US = RegionReplica.US;
  private static final String EU = RegionReplica.EU;
  private static final ProductId CUP = ProductId.of("cup");
  private static final ProductId MUG = ProductId.of("mug");
  private static final CustomerId ALICE = new CustomerId("alice");
  private static final CustomerId BOB = new CustomerId("bob");
  /** The order of the recorded story: alice's, placed in us-east-1 (2 cups, 1 mug). */
  private static final OrderId RECORDED = new OrderId("o-9fddd5cd63f35ac9b740cafe7798e8e0");
  private static final String RECORDED_KEY = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f";

  private String table;
  private RegionReplica us;
  private RegionReplica eu;

  @BeforeEach
  void replicas(Emulator emulator) {
    table = "meridian-old-shape-" + TABLES.incrementAndGet();
    us = region(emulator, US);
    eu = region(emulator, EU);
  }

  private RegionReplica region(Emulator emulator, String name) {
    return RegionReplica.of(emulator, table, name, Map.of());
  }


  @Test
  void aTableOfOldShapeItemsKeepsWorkingAndLosesNoUnitNoHoldAndNoWaitingOrder() {
    OrderId waiting = OrderId.derive(BOB, new IdempotencyKey("k-pending"));
    writeOldShape(us, waiting);

    // Reading the product moves this region's cup allocation to today's shape, entry by entry.
    RegionStock cup = us.wiring().catalog().get(CUP).orElseThrow().stockIn(US).orElseThrow();
    assertThat(cup.available()).isEqualTo(78);
    assertThat(cup.reserved()).isEqualTo(2);
    assertThat(cup.pending()).isEqualTo(3);
    assertThat(cup.head().outgoing()).as("the unsettled transfer of 20 to eu-west-1").hasSize(1);
    assertThat(item(us, Items.legacyAllocationKey(CUP, US))).as("the old item, emptied and deleted").isEmpty();
    Map<String, AttributeValue> head = item(us, Items.shardKey(CUP, US, StockAllocation.HEAD));
    assertThat(head).doesNotContainKeys("holds", "gsi1pk");
    assertThat(head.get("pending").n()).isEqualTo("3");
    Map<String, AttributeValue> hold = item(us, Items.holdKey(RECORDED, US));
    assertThat(hold.get("state").s()).isEqualTo("RESERVED");
    assertThat(Items.hold(hold).units()).as("the order's own record of what it held here, every product")
        .containsEntry(CUP, 2).containsEntry(MUG, 1);
    Map<String, AttributeValue> demand = item(us, Items.demandKey(waiting, US));
    assertThat(demand.get("state").s()).isEqualTo("WAITING");
    assertThat(demand.get("gsi1pk").s()).startsWith("DEMANDS#" + US + "#");

    // Cancelling the recorded order releases its units in both products (the mug's allocation is migrated on the way).
    assertThat(us.wiring().orders().cancel(new CancelOrder(RECORDED, ALICE))).isInstanceOf(OrderService.Cancelled.class);
    assertThat(Items.hold(item(us, Items.holdKey(RECORDED, US))).state()).isEqualTo(ReservationState.RELEASED);
    assertThat(stock(us, CUP).available()).isEqualTo(80);
    assertThat(stock(us, MUG).available()).isEqualTo(10);
    assertThat(item(us, Items.legacyAllocationKey(MUG, US))).isEmpty();

    // The order that waited for stock in the old pending map is found by the sweep and confirmed.
    assertThat(us.reconcile().sweep()).isEqualTo(new ReconcileService.SweepReport(1, 0, 0));
    Order confirmed = us.wiring().orders().get(waiting, BOB).orElseThrow().value();
    assertThat(confirmed.currentStatus()).isEqualTo(OrderStatus.PLACED);
    assertThat(confirmed.standingReservation().orElseThrow().units()).containsEntry(CUP, 3);
    RegionStock after = stock(us, CUP);
    assertThat(after.pending()).isZero();
    assertThat(after.available()).isEqualTo(77);
    assertThat(after.reserved()).isEqualTo(3);
    assertThat(after.onHand() + after.head().given() - after.head().settled()).as("every unit restocked, on hand or in flight")
        .isEqualTo(100);
    assertThat(stock(us, MUG).onHand()).isEqualTo(10);
  }

  @Test
  void anUpgradedRegionMergesOldFormatEventsAndItemsOfARegionNotYetUpgraded() throws Exception {
    put(eu, image(0));
    put(eu, product(MUG, "Mug", 800));
    eu.wiring().catalog().restock(CUP, 10);
    eu.wiring().catalog().restock(MUG, 10);
    // During the failover of the recorded story, alice's retry reached eu-west-1, upgraded already.
    PlaceOrder retry = new PlaceOrder(ALICE, new IdempotencyKey(RECORDED_KEY),
        List.of(new PlaceOrder.Line("cup", 2), new PlaceOrder.Line("mug", 1)));
    Order placed = ((OrderService.Placed) eu.wiring().orders().place(retry)).order();
    assertThat(placed.id()).isEqualTo(RECORDED);
    assertThat(stock(eu, CUP).reserved()).isEqualTo(2);

    // us-east-1, still on the old code, publishes the merged order: both reservations on the order item.
    ReconcileService.Outcome merged = eu.reconcile().apply(recordedEvent("reconciler-order-changed"));
    assertThat(merged.releasedHold()).as("us-east-1 reserved first: its reservation stands").isTrue();
    assertThat(Items.hold(item(eu, Items.holdKey(RECORDED, EU))).state()).isEqualTo(ReservationState.RELEASED);
    assertThat(stock(eu, CUP).available()).isEqualTo(10);
    assertThat(stock(eu, MUG).available()).isEqualTo(10);
    assertThat(eu.wiring().conflicts().list(null, 10).items()).extracting(Conflict::rule).contains("earliest-reservation-stands");
    assertThat(eu.reconcile().apply(recordedEvent("reconciler-order-changed")).releasedHold()).as("released once").isFalse();
    assertThat(stock(eu, CUP).available()).isEqualTo(10);

    // Its old-shape allocation gives eu-west-1 20 cups: received exactly once.
    assertThat(eu.reconcile().apply(recordedEvent("reconciler-allocation-changed")).unitsReceived()).isEqualTo(20);
    assertThat(eu.reconcile().apply(recordedEvent("reconciler-allocation-changed")).unitsReceived()).isZero();
    assertThat(stock(eu, CUP).available()).isEqualTo(30);

    // Global-table replication brings the old allocation item itself: the catalog counts it as us-east-1's stock.
    put(eu, image(3));
    RegionStock usSeenFromEu = eu.wiring().catalog().get(CUP).orElseThrow().stockIn(US).orElseThrow();
    assertThat(usSeenFromEu.available()).isEqualTo(78);
    assertThat(eu.wiring().catalog().get(CUP).orElseThrow().totalAvailable()).isEqualTo(108);
  }

  // ------------------------------------------------------------------ the old shape

  /**
   * us-east-1's replica as the old code left it: the recorded product, order and cup allocation,
   * plus the mug (the order's second line) and bob's order waiting for 3 cups in the cup's pending map.
   */
  private void writeOldShape(RegionReplica r, OrderId waiting) {
    put(r, image(0));
    put(r, product(MUG, "Mug", 800));
    put(r, image(1));
    ObjectNode pendingOrder = image(1);
    pendingOrder.set("orderId", string(waiting.value()));
    pendingOrder.set("pk", string("ORDER#" + waiting.value()));
    pendingOrder.set("customerId", string(BOB.value()));
    pendingOrder.set("idempotencyKey", string("k-pending"));
    pendingOrder.set("gsi1pk", string("CUSTOMER#" + BOB.value()));
    pendingOrder.set("gsi1sk", string(pendingOrder.at("/placedAt/S").asText() + "#" + waiting.value()));
    ArrayNode lines = (ArrayNode) pendingOrder.at("/lines/L");
    lines.remove(1);
    ((ObjectNode) lines.get(0).at("/M/quantity")).put("N", "3");
    ((ObjectNode) pendingOrder.at("/total/M/amount")).put("N", "1350");
    pendingOrder.set("initialStatus", string("PENDING_STOCK"));
    ((ObjectNode) pendingOrder.at("/status/M/value")).put("S", "PENDING_STOCK");
    ((ObjectNode) pendingOrder.at("/reservations/M")).removeAll();
    put(r, pendingOrder);
    ObjectNode cup = image(3);
    ((ObjectNode) cup.at("/pending/M")).set(waiting.value(), SampleEvent.JSON.createObjectNode().put("N", "3"));
    put(r, cup);
    ObjectNode mug = image(3);
    mug.set("productId", string(MUG.value()));
    mug.set("pk", string("PRODUCT#" + MUG.value()));
    mug.set("gsi1sk", string(MUG.value()));
    mug.set("available", number(9));
    mug.set("restocked", number(10));
    mug.set("given", number(0));
    mug.set("reserved", number(1));
    ((ObjectNode) mug.at("/outgoing/M")).removeAll();
    ObjectNode holds = (ObjectNode) mug.at("/holds/M");
    holds.removeAll();
    holds.set(RECORDED.value(), SampleEvent.JSON.createObjectNode().put("N", "1"));
    put(r, mug);
  }

  /** The recorded product item, renamed and repriced. */
  private static ObjectNode product(ProductId id, String name, long price) {
    ObjectNode product = image(0);
    product.set("productId", string(id.value()));
    product.set("pk", string("PRODUCT#" + id.value()));
    product.set("gsi1sk", string(id.value()));
    ((ObjectNode) product.at("/name/M/value")).put("S", name);
    ((ObjectNode) product.at("/price/M/value/M/amount")).put("N", Long.toString(price));
    return product;
  }

  /** The new image of record {@code n} of the recorded publisher stream, as DynamoDB JSON to edit. */
  private static ObjectNode image(int n) {
    return (ObjectNode) SampleEvent.load("legacy/publisher-stream").tree().path("Records").get(n).path("dynamodb")
        .path("NewImage").deepCopy();
  }

  private static dev.meridian.application.replication.ChangeEvent recordedEvent(String name) {
    String body = SampleEvent.load("legacy/" + name).tree().path("Records").get(0).path("body").asText();
    return ChangeEventJson.fromEventBridgeEvent(body);
  }

  private static JsonNode string(String value) {
    return SampleEvent.JSON.createObjectNode().put("S", value);
  }

  private static JsonNode number(long value) {
    return SampleEvent.JSON.createObjectNode().put("N", Long.toString(value));
  }

  private void put(RegionReplica r, ObjectNode image) {
    r.dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(StreamImages.read(image)).build());
  }

  private Map<String, AttributeValue> item(RegionReplica r, Map<String, AttributeValue> key) {
    Map<String, AttributeValue> item = r.dynamoDb().getItem(GetItemRequest.builder().tableName(table).key(key)
        .consistentRead(true).build()).item();
    return item == null ? Map.of() : item;
  }

  private RegionStock stock(RegionReplica r, ProductId product) {
    return new DynamoDbCatalogRepository(r.dynamoDb(), table, r.name(), List.of(US, EU)).stock(product, r.name());
  }
}
