package dev.meridian.adapter.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.domain.Histories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

/**
 * Change events as {@link ChangeEventJson} encodes them, wrapped as the EventBridge events a
 * reconciler receives, against the JSON Schemas in {@code events/schemas/}: generated orders
 * (duplicate placements, merges with recorded conflicts, cancellations, shipments), their holds,
 * products (concurrent edits merged) and stock shards (holds, sales, reshards, transfers given and
 * received) are valid and decode back to what was encoded, and so are the forms written before
 * holds and shards were items of their own; what the schemas reject, the decoder rejects too,
 * naming the problem; unknown fields are ignored by both.
 */
class ChangeEventSchemaTest {
  private static final List<String> REGIONS = Histories.REGIONS;

  // ------------------------------------------------------------------ generated states

  @Property(tries = 300)
  @Label("orders (merged, with conflicts) are valid OrderChanged events and decode back")
  void orders(@ForAll long seed) {
    Histories histories = new Histories(seed);
    Order state = merged(histories).itemState();
    String origin = histories.region();
    long version = 1 + histories.random().nextInt(1_000);
    assertValidAndRoundTrips(ChangeEvent.of(origin, version, state.latestStamp(), new Change.OrderChange(state)));
  }

  @Property(tries = 300)
  @Label("the holds of merged orders (reserved, released, committed) are valid HoldChanged events and decode back")
  void holds(@ForAll long seed) {
    Histories histories = new Histories(seed);
    Order merged = merged(histories);
    for (Reservation hold : merged.reservations().values()) {
      long version = 1 + histories.random().nextInt(3);
      assertValidAndRoundTrips(ChangeEvent.of(hold.region(), version, hold.reservedAt(),
          new Change.HoldChange(merged.id(), hold)));
    }
  }

  @Property(tries = 300)
  @Label("products (concurrent edits merged) are valid ProductChanged events and decode back")
  void products(@ForAll long seed) {
    Histories histories = new Histories(seed);
    List<Product> replicas = histories.divergentProducts(3);
    Product state = replicas.get(0).merge(replicas.get(1)).merge(replicas.get(2));
    long version = 1 + histories.random().nextInt(1_000);
    assertValidAndRoundTrips(ChangeEvent.of(histories.region(), version, state.latestStamp(),
        new Change.ProductChange(state)));
  }

  @Property(tries = 300)
  @Label("stock shards (head or not: holds, sales, reshards, transfers both ways) are valid AllocationChanged events and decode back")
  void allocations(@ForAll long seed) {
    Histories histories = new Histories(seed);
    String region = histories.region();
    StockAllocation state = randomShard(histories.random(), ProductId.of("cup"), region);
    HlcStamp publishedAt = histories.clock(region).now();
    assertValidAndRoundTrips(ChangeEvent.of(region, state.revision(), publishedAt, new Change.AllocationChange(state)));
  }

  @Example
  @Label("an allocation event decodes although its state carries no version: the envelope's version is the revision")
  void allocationRevisionComesFromTheEnvelope() {
    StockAllocation given = StockAllocation.empty(ProductId.of("cup"), "us-east-1").restock(100).give("eu-west-1", 20);
    ChangeEvent event = ChangeEvent.of("us-east-1", given.revision(), new HlcStamp(1_764_158_400_000L, 0, "us-east-1"),
        new Change.AllocationChange(given));
    JsonNode detail = SampleChangeEvents.parse(ChangeEventJson.detail(event));
    assertThat(detail.path("state").has("version")).as("state has no bookkeeping attributes").isFalse();
    StockAllocation decoded = ((Change.AllocationChange) ChangeEventJson.fromDetail(detail).change()).allocation();
    assertThat(decoded.revision()).isEqualTo(2);
    assertThat(decoded.outgoing()).containsKey("us-east-1/cup/2");
  }

  @Example
  @Label("an order state with the reservations written before holds were items is valid and decodes them as head-shard holds")
  void legacyOrderReservations() {
    ObjectNode event = sampleEvent(ChangeEventJson.DetailType.ORDER);
    Order order = ((Change.OrderChange) ChangeEventJson.fromEventBridgeEvent(event.toString()).change()).order();
    ObjectNode reservation = state(event).putObject("reservations").putObject("us-east-1");
    reservation.put("reservedAt", order.body().placedAt().encode());
    reservation.put("fingerprint", order.body().fingerprint());
    reservation.putObject("units").put("cup", 2).put("mug", 1);
    reservation.put("state", "RESERVED");

    assertThat(ChangeEventSchemas.violations(ChangeEventJson.DetailType.ORDER, event)).isEmpty();
    Order decoded = ((Change.OrderChange) ChangeEventJson.fromEventBridgeEvent(event.toString()).change()).order();
    Reservation hold = decoded.reservations().get("us-east-1");
    assertThat(hold.takenFrom()).isEqualTo(Map.of(ProductId.of("cup"), Map.of(StockAllocation.HEAD, 2L),
        ProductId.of("mug"), Map.of(StockAllocation.HEAD, 1L)));
    assertThat(hold.bodyPlacedAt()).isEqualTo(order.body().placedAt());
    assertThat(decoded.itemState()).isEqualTo(order);

    reservation.putObject("units").put("cup", 0);
    assertThat(ChangeEventSchemas.violations(ChangeEventJson.DetailType.ORDER, event)).isNotEmpty();
    assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString()))
        .isInstanceOf(MalformedEventException.class).hasMessageContaining("state does not decode");
  }

  @Example
  @Label("an allocation state written before shards (a region not yet upgraded) is valid and decodes as its region's head")
  void legacyAllocation() {
    StockAllocation head = StockAllocation.empty(ProductId.of("cup"), "us-east-1").restock(100).reserve(2)
        .give("eu-west-1", 20);
    ObjectNode event = SampleChangeEvents.eventBridgeEvent(ChangeEvent.of("us-east-1", head.revision(),
        new HlcStamp(1_764_158_400_000L, 0, "us-east-1"), new Change.AllocationChange(head)));
    ObjectNode state = state(event);
    state.remove(List.of("shard", "shards", "shardsEver", "movedIn", "movedOut"));
    state.putObject("holds").put("o-" + "0".repeat(32), 2);
    state.putObject("pending").put("o-" + "1".repeat(32), 3);

    assertThat(ChangeEventSchemas.violations(ChangeEventJson.DetailType.ALLOCATION, event)).isEmpty();
    StockAllocation decoded = ((Change.AllocationChange) ChangeEventJson.fromEventBridgeEvent(event.toString()).change())
        .allocation();
    assertThat(decoded.isHead()).isTrue();
    assertThat(decoded.shards()).isEqualTo(1);
    assertThat(decoded.reserved()).isEqualTo(2);
    assertThat(decoded.pending()).as("the orders' pending units, summed").isEqualTo(3);
    assertThat(decoded.outgoing()).isEqualTo(head.outgoing());
  }

  private static Order merged(Histories histories) {
    List<Order> replicas = histories.divergentOrders(3);
    return replicas.get(0).reconcile(replicas.get(1)).reconcile(replicas.get(2));
  }

  private static void assertValidAndRoundTrips(ChangeEvent event) {
    ObjectNode wire = SampleChangeEvents.eventBridgeEvent(event);
    ChangeEventJson.DetailType type = ChangeEventJson.DetailType.ofEntity(event.entity());
    assertThat(ChangeEventSchemas.violations(type, wire)).as("%s against %s", wire, ChangeEventSchemas.file(type)).isEmpty();
    assertThat(ChangeEventJson.fromEventBridgeEvent(wire.toString())).isEqualTo(event);
  }

  /** One written shard (the head or another) of a region's stock after a random run of every operation that changes one. */
  static StockAllocation randomShard(Random random, ProductId product, String region) {
    RegionStock stock = RegionStock.empty(product, region).restock(1 + random.nextInt(500)).reshard(1 + random.nextInt(4));
    List<List<RegionStock.Take>> held = new ArrayList<>();
    int steps = random.nextInt(16);
    for (int i = 0; i < steps; i++) {
      try {
        switch (random.nextInt(9)) {
          case 0 -> stock = stock.restock(1 + random.nextInt(100));
          case 1 -> {
            List<RegionStock.Take> takes = stock.plan(1 + random.nextInt(60), random.nextInt(8));
            stock = stock.reserve(takes);
            held.add(takes);
          }
          case 2 -> stock = held.isEmpty() ? stock : stock.release(held.remove(random.nextInt(held.size())));
          case 3 -> stock = held.isEmpty() ? stock : stock.commit(held.remove(random.nextInt(held.size())));
          case 4 -> stock = stock.give(otherRegion(random, region), 1 + random.nextInt(20));
          case 5 -> {
            // a receiver that has taken everything this head gave it: those transfers settle
            StockAllocation head = stock.head();
            stock = stock.with(head.outgoing().values().stream().findFirst()
                .map(t -> head.settleWith(StockAllocation.empty(product, t.toRegion()).receiveFrom(head))).orElse(head));
          }
          case 6 -> {
            StockAllocation giver = StockAllocation.empty(product, otherRegion(random, region)).restock(50);
            for (int r = random.nextInt(50); r > 0; r--) {
              giver = giver.restock(1);
            }
            stock = stock.with(stock.head().receiveFrom(giver.give(region, 1 + random.nextInt(20))));
          }
          case 7 -> stock = stock.reshard(1 + random.nextInt(4));
          default -> {
            StockAllocation head = stock.head();
            stock = stock.with(head.pending() > 0 && random.nextBoolean()
                ? head.stopAwaiting(1 + random.nextInt((int) head.pending()))
                : head.awaitStock(1 + random.nextInt(10)));
          }
        }
      } catch (InsufficientStockException e) {
        // not enough available for that step: the stock stays as it was
      }
    }
    List<StockAllocation> written = List.copyOf(stock.shards().values());
    return written.get(random.nextInt(written.size()));
  }

  private static String otherRegion(Random random, String region) {
    List<String> others = REGIONS.stream().filter(r -> !r.equals(region)).toList();
    return others.get(random.nextInt(others.size()));
  }

  // ------------------------------------------------------------------ schema and decoder agree

  /** A change to a valid event that makes it invalid, and what the decoder's refusal must name. */
  private record Breakage(String description, ChangeEventJson.DetailType type, Consumer<ObjectNode> change,
      String reason) {}

  private static List<Breakage> breakages() {
    return List.of(
        new Breakage("another source", ChangeEventJson.DetailType.ORDER, e -> e.put("source", "aws.events"),
            "source aws.events is not meridian"),
        new Breakage("detail-type of another entity", ChangeEventJson.DetailType.ORDER,
            e -> e.put("detail-type", "ProductChanged"), "detail-type ProductChanged does not match entity order"),
        new Breakage("no detail", ChangeEventJson.DetailType.PRODUCT, e -> e.remove("detail"),
            "detail is missing or not an object"),
        new Breakage("unknown schemaVersion", ChangeEventJson.DetailType.PRODUCT,
            e -> detail(e).put("schemaVersion", 2), "schemaVersion 2 is not supported"),
        new Breakage("schemaVersion as a string", ChangeEventJson.DetailType.PRODUCT,
            e -> detail(e).put("schemaVersion", "1"), "schemaVersion is missing or not an integer"),
        new Breakage("unknown entity", ChangeEventJson.DetailType.ORDER, e -> detail(e).put("entity", "invoice"),
            "entity invoice is not a change event type"),
        new Breakage("no eventId", ChangeEventJson.DetailType.ALLOCATION, e -> detail(e).remove("eventId"),
            "eventId is missing or not a string"),
        new Breakage("originRegion not a region", ChangeEventJson.DetailType.ORDER,
            e -> detail(e).put("originRegion", "moon-base"), "originRegion moon-base is not a region name"),
        new Breakage("version zero", ChangeEventJson.DetailType.ORDER, e -> detail(e).put("version", 0),
            "version is missing or not a positive integer"),
        new Breakage("version as a string", ChangeEventJson.DetailType.ALLOCATION, e -> detail(e).put("version", "3"),
            "version is missing or not a positive integer"),
        new Breakage("clock not a stamp", ChangeEventJson.DetailType.PRODUCT,
            e -> detail(e).put("clock", "2025-11-26T12:05:00Z"), "clock 2025-11-26T12:05:00Z is not an encoded clock stamp"),
        new Breakage("no clock", ChangeEventJson.DetailType.ALLOCATION, e -> detail(e).remove("clock"),
            "clock is missing or not a string"),
        new Breakage("no state", ChangeEventJson.DetailType.ORDER, e -> detail(e).remove("state"),
            "state does not decode"),
        new Breakage("order state without orderId", ChangeEventJson.DetailType.ORDER,
            e -> state(e).remove("orderId"), "state does not decode: attribute orderId is missing"),
        new Breakage("order line with quantity 0", ChangeEventJson.DetailType.ORDER,
            e -> ((ObjectNode) state(e).path("lines").get(0)).put("quantity", 0), "state does not decode"),
        new Breakage("order status unknown", ChangeEventJson.DetailType.ORDER,
            e -> ((ObjectNode) state(e).path("status")).put("value", "LOST"), "state does not decode"),
        new Breakage("price without currency", ChangeEventJson.DetailType.PRODUCT,
            e -> ((ObjectNode) state(e).path("price").path("value")).remove("currency"), "state does not decode"),
        new Breakage("register stamp not a stamp", ChangeEventJson.DetailType.PRODUCT,
            e -> ((ObjectNode) state(e).path("name")).put("stamp", "yesterday"), "state does not decode"),
        new Breakage("allocation counter negative", ChangeEventJson.DetailType.ALLOCATION,
            e -> state(e).put("sold", -1), "state does not decode"),
        new Breakage("allocation counter as a string", ChangeEventJson.DetailType.ALLOCATION,
            e -> state(e).put("available", "59"), "state does not decode"),
        new Breakage("transfer without units", ChangeEventJson.DetailType.ALLOCATION,
            e -> ((ObjectNode) state(e).path("outgoing").elements().next()).remove("units"), "state does not decode"),
        new Breakage("shard number beyond the last", ChangeEventJson.DetailType.ALLOCATION,
            e -> state(e).put("shard", 50), "state does not decode"),
        new Breakage("shard without its number (read as a legacy allocation, whose pending is a map)",
            ChangeEventJson.DetailType.ALLOCATION, e -> state(e).remove("shard"), "state does not decode"),
        new Breakage("head counting no shards in use", ChangeEventJson.DetailType.ALLOCATION,
            e -> state(e).put("shards", 0), "state does not decode"),
        new Breakage("hold state unknown", ChangeEventJson.DetailType.HOLD, e -> state(e).put("state", "LOST"),
            "state does not decode"),
        new Breakage("hold without takenFrom", ChangeEventJson.DetailType.HOLD, e -> state(e).remove("takenFrom"),
            "state does not decode"),
        new Breakage("hold taking no units from a shard", ChangeEventJson.DetailType.HOLD,
            e -> ((ObjectNode) state(e).path("takenFrom").path("cup")).put("1", 0), "state does not decode"),
        new Breakage("hold taking from a shard that is not a number", ChangeEventJson.DetailType.HOLD,
            e -> ((ObjectNode) state(e).path("takenFrom").path("cup")).put("head", 2), "state does not decode"),
        new Breakage("hold without the time its body was placed", ChangeEventJson.DetailType.HOLD,
            e -> state(e).remove("bodyPlacedAt"), "state does not decode: attribute bodyPlacedAt is missing"));
  }

  @Example
  @Label("every breakage the schemas reject, the decoder rejects too, naming the problem")
  void schemasAndDecoderRejectTheSameBreakages() {
    for (Breakage breakage : breakages()) {
      ObjectNode event = sampleEvent(breakage.type());
      breakage.change().accept(event);
      assertThat(ChangeEventSchemas.violations(breakage.type(), event)).as("the schema rejects: " + breakage.description())
          .isNotEmpty();
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString()))
          .as("the decoder rejects: " + breakage.description())
          .isInstanceOf(MalformedEventException.class)
          .hasMessageContaining(breakage.reason());
    }
  }

  @Example
  @Label("what no JSON Schema can say (fields that must agree), the decoder checks")
  void crossFieldRulesAreTheDecoders() {
    Map<String, Consumer<ObjectNode>> breakages = Map.of(
        "key names another order", e -> detail(e).put("key", "o-00000000000000000000000000000000"),
        "order total is not the sum of its lines",
        e -> ((ObjectNode) state(e).path("total")).put("amount", 1));
    breakages.forEach((what, change) -> {
      ObjectNode event = sampleEvent(ChangeEventJson.DetailType.ORDER);
      change.accept(event);
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString())).as(what)
          .isInstanceOf(MalformedEventException.class);
    });
    Map<String, Consumer<ObjectNode>> allocationBreakages = Map.of(
        "allocation published by another region", e -> detail(e).put("originRegion", "ap-southeast-1"),
        "units not conserved", e -> state(e).put("available", 1_000),
        "given is not settled plus the sum of outgoing transfers", e -> state(e).put("settled", 5),
        "a transfer made after the allocation's revision", e -> detail(e).put("version", 1),
        "the head's state under another shard's key", e -> detail(e).put("key", "cup@us-east-1#1"));
    allocationBreakages.forEach((what, change) -> {
      ObjectNode event = sampleEvent(ChangeEventJson.DetailType.ALLOCATION);
      change.accept(event);
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString())).as(what)
          .isInstanceOf(MalformedEventException.class);
    });
    Map<String, Consumer<ObjectNode>> holdBreakages = Map.of(
        "hold published by another region", e -> detail(e).put("originRegion", "eu-west-1"),
        "key names another region's hold", e -> detail(e).put("key", state(e).path("orderId").asText() + "@eu-west-1"));
    holdBreakages.forEach((what, change) -> {
      ObjectNode event = sampleEvent(ChangeEventJson.DetailType.HOLD);
      change.accept(event);
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString())).as(what)
          .isInstanceOf(MalformedEventException.class);
    });
  }

  @Example
  @Label("a shard other than the head that counts shards, transfers or pending demand is refused by both")
  void onlyTheHeadCountsShardsTransfersAndDemand() {
    SampleChangeEvents.Story story = SampleChangeEvents.story();
    StockAllocation shard = story.cupHeld().shard(SampleChangeEvents.PLACEMENT_SHARD);
    ChangeEvent valid = ChangeEvent.of(SampleChangeEvents.ORIGIN, shard.revision(), story.allocationPublishedAt(),
        new Change.AllocationChange(shard));
    assertValidAndRoundTrips(valid);
    Map<String, Consumer<ObjectNode>> breakages = Map.of(
        "shards in use", e -> state(e).put("shards", 2),
        "pending demand", e -> state(e).put("pending", 1),
        "units received", e -> state(e).put("received", 5).put("available", 53),
        "an outgoing transfer", e -> state(e).putObject("outgoing").putObject("us-east-1/cup/1")
            .put("toRegion", "eu-west-1").put("units", 1));
    breakages.forEach((what, change) -> {
      ObjectNode event = SampleChangeEvents.eventBridgeEvent(valid);
      change.accept(event);
      assertThat(ChangeEventSchemas.violations(ChangeEventJson.DetailType.ALLOCATION, event)).as(what).isNotEmpty();
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString())).as(what)
          .isInstanceOf(MalformedEventException.class).hasMessageContaining("state does not decode");
    });
  }

  @Example
  @Label("unknown fields at every level are valid and ignored: a newer publisher can add fields")
  void unknownFieldsAreIgnored() {
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      ObjectNode event = sampleEvent(type);
      ChangeEvent expected = ChangeEventJson.fromEventBridgeEvent(event.toString());
      event.put("replay-name", "from-archive");
      detail(event).put("traceId", "1-6746b8a0-0123456789abcdef01234567");
      detail(event).putObject("causedBy").put("eventId", "eu-west-1/order/o-1/1");
      state(event).put("addedInV1_1", true);
      assertThat(ChangeEventSchemas.violations(type, event)).as(type.label).isEmpty();
      assertThat(ChangeEventJson.fromEventBridgeEvent(event.toString())).as(type.label).isEqualTo(expected);
    }
  }

  // ------------------------------------------------------------------ the schema documents

  @Example
  @Label("each schema is a valid draft 2020-12 schema")
  void schemasAreValidDraft202012() {
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      JsonNode schema = ChangeEventSchemas.tree(type);
      assertThat(schema.path("$schema").asText()).isEqualTo(ChangeEventSchemas.META_SCHEMA);
      assertThat(ChangeEventSchemas.metaSchemaViolations(schema)).as(ChangeEventSchemas.file(type).toString()).isEmpty();
      assertThat(schema.at("/properties/detail-type/const").asText()).isEqualTo(type.label);
      assertThat(schema.at("/properties/detail/properties/entity/const").asText()).isEqualTo(type.entity);
    }
  }

  @Example
  @Label("the definitions the schemas share are identical in all of them (self-contained files, one contract)")
  void sharedDefinitionsAgree() {
    JsonNode order = ChangeEventSchemas.tree(ChangeEventJson.DetailType.ORDER).path("$defs");
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      JsonNode defs = ChangeEventSchemas.tree(type).path("$defs");
      for (String shared : List.of("region", "stamp", "productId", "orderId", "transferId", "units", "money",
          "eventBridgeEvent", "envelope")) {
        assertThat(defs.path(shared)).as(type.label + " $defs." + shared).isEqualTo(order.path(shared));
      }
    }
  }

  @Example
  @Label("a schema rejects the other detail types' events")
  void aSchemaDescribesOneDetailType() {
    for (ChangeEventJson.DetailType schema : ChangeEventJson.DetailType.values()) {
      for (ChangeEventJson.DetailType event : ChangeEventJson.DetailType.values()) {
        List<String> violations = ChangeEventSchemas.violations(schema, sampleEvent(event));
        if (schema == event) {
          assertThat(violations).as(event.label + " against its own schema").isEmpty();
        } else {
          assertThat(violations).as(event.label + " against " + schema.label + "'s schema").isNotEmpty();
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A fresh copy of the story's event of {@code type} (the reconciler samples' bodies). */
  static ObjectNode sampleEvent(ChangeEventJson.DetailType type) {
    return SampleChangeEvents.eventBridgeEvent(SampleChangeEvents.originEvent(SampleChangeEvents.story(), type));
  }

  private static ObjectNode detail(ObjectNode event) {
    return (ObjectNode) event.get("detail");
  }

  private static ObjectNode state(ObjectNode event) {
    return (ObjectNode) detail(event).get("state");
  }
}
