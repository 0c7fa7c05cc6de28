package dev.meridian.adapter.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.domain.Histories;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * (duplicate placements, merges with recorded conflicts, cancellations, shipments), products
 * (concurrent edits merged) and allocations (holds, sales, transfers given and received) are
 * valid and decode back to what was encoded; what the schemas reject, the decoder rejects too,
 * naming the problem; unknown fields are ignored by both.
 */
class ChangeEventSchemaTest {
  private static final List<String> REGIONS = Histories.REGIONS;

  // ------------------------------------------------------------------ generated states

  @Property(tries = 300)
  @Label("orders (merged, with reservations and conflicts) are valid OrderChanged events and decode back")
  void orders(@ForAll long seed) {
    Histories histories = new Histories(seed);
    List<Order> replicas = histories.divergentOrders(3);
    Order state = replicas.get(0).reconcile(replicas.get(1)).reconcile(replicas.get(2));
    String origin = histories.region();
    long version = 1 + histories.random().nextInt(1_000);
    assertValidAndRoundTrips(ChangeEvent.of(origin, version, state.latestStamp(), new Change.OrderChange(state)));
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
  @Label("allocations (holds, sales, transfers both ways) are valid AllocationChanged events and decode back")
  void allocations(@ForAll long seed) {
    Histories histories = new Histories(seed);
    String region = histories.region();
    StockAllocation state = randomAllocation(histories.random(), ProductId.of("cup"), region);
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

  private static void assertValidAndRoundTrips(ChangeEvent event) {
    ObjectNode wire = SampleChangeEvents.eventBridgeEvent(event);
    ChangeEventJson.DetailType type = ChangeEventJson.DetailType.ofEntity(event.entity());
    assertThat(ChangeEventSchemas.violations(type, wire)).as("%s against %s", wire, ChangeEventSchemas.file(type)).isEmpty();
    assertThat(ChangeEventJson.fromEventBridgeEvent(wire.toString())).isEqualTo(event);
  }

  /** An allocation after a random run of every operation that changes one. */
  static StockAllocation randomAllocation(Random random, ProductId product, String region) {
    StockAllocation a = StockAllocation.empty(product, region).restock(1 + random.nextInt(500));
    List<String> held = new ArrayList<>();
    int steps = random.nextInt(12);
    for (int i = 0; i < steps; i++) {
      try {
        switch (random.nextInt(7)) {
          case 0 -> a = a.restock(1 + random.nextInt(100));
          case 1 -> {
            byte[] id = new byte[16];
            random.nextBytes(id);
            String order = "o-" + HexFormat.of().formatHex(id);
            a = a.reserve(order, 1 + random.nextInt(5));
            held.add(order);
          }
          case 2 -> a = held.isEmpty() ? a : a.release(held.remove(random.nextInt(held.size())));
          case 3 -> a = held.isEmpty() ? a : a.commit(held.remove(random.nextInt(held.size())));
          case 4 -> a = a.give(otherRegion(random, region), 1 + random.nextInt(20));
          case 5 -> {
            // a receiver that has taken everything this allocation gave it: those transfers settle
            StockAllocation given = a;
            a = given.outgoing().values().stream().findFirst()
                .map(t -> given.settleWith(StockAllocation.empty(product, t.toRegion()).receiveFrom(given))).orElse(given);
          }
          default -> {
            StockAllocation giver = StockAllocation.empty(product, otherRegion(random, region)).restock(50);
            for (int r = random.nextInt(50); r > 0; r--) {
              giver = giver.restock(1);
            }
            a = a.receiveFrom(giver.give(region, 1 + random.nextInt(20)));
          }
        }
      } catch (InsufficientStockException e) {
        // not enough available for that step: the allocation stays as it was
      }
    }
    return a;
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
            e -> ((ObjectNode) state(e).path("outgoing").elements().next()).remove("units"), "state does not decode"));
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
        "a transfer made after the allocation's revision", e -> detail(e).put("version", 1));
    allocationBreakages.forEach((what, change) -> {
      ObjectNode event = sampleEvent(ChangeEventJson.DetailType.ALLOCATION);
      change.accept(event);
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(event.toString())).as(what)
          .isInstanceOf(MalformedEventException.class);
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
  @Label("the definitions the schemas share are identical in all three (self-contained files, one contract)")
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
    ChangeEvent event = SampleChangeEvents.originEvents(SampleChangeEvents.story()).stream()
        .filter(e -> e.entity().equals(type.entity)).findFirst().orElseThrow();
    return SampleChangeEvents.eventBridgeEvent(event);
  }

  private static ObjectNode detail(ObjectNode event) {
    return (ObjectNode) event.get("detail");
  }

  private static ObjectNode state(ObjectNode event) {
    return (ObjectNode) detail(event).get("state");
  }
}
