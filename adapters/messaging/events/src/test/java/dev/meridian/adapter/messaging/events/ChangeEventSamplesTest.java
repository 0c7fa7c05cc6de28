package dev.meridian.adapter.messaging.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.adapter.dynamodb.StreamImages;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.PublishService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.stock.StockAllocation;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The change-event samples in {@code events/} (reconciler SQS events, the publisher's stream
 * event) are exactly what the code emits for {@link SampleChangeEvents}'s story, valid against
 * their schemas, and decode back to the story; the malformed ones are refused naming why.
 *
 * <p>After a deliberate change of the wire form, regenerate them:
 * {@code ./mvnw -B -pl adapters/messaging/events -am test -Dtest=ChangeEventSamplesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dmeridian.events.regenerate=true}.
 */
class ChangeEventSamplesTest {
  private static final String REGENERATE = "meridian.events.regenerate";

  private static JsonNode read(String name) throws IOException {
    return SampleChangeEvents.JSON.readTree(Files.readString(SampleChangeEvents.file(name)));
  }

  @Test
  void theSamplesAreWhatTheCodeEmits() throws IOException {
    Map<String, ObjectNode> generated = SampleChangeEvents.files();
    if (Boolean.getBoolean(REGENERATE)) {
      SampleChangeEvents.write(generated);
      System.out.println("rewrote " + generated.keySet() + " in " + SampleChangeEvents.file("x").getParent());
    }
    for (Map.Entry<String, ObjectNode> file : generated.entrySet()) {
      assertThat(Files.readString(SampleChangeEvents.file(file.getKey())))
          .as("events/%s.json differs from what the code emits; if the change is deliberate, rerun with -D%s=true",
              file.getKey(), REGENERATE)
          .isEqualTo(SampleChangeEvents.render(file.getValue()));
    }
  }

  @Test
  void eachReconcilerSampleIsValidAndDecodesToTheStorysEvent() throws IOException {
    SampleChangeEvents.Story story = SampleChangeEvents.story();
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      String name = "reconciler-" + type.entity + "-changed";
      JsonNode sqs = read(name);
      assertThat(sqs.path("Records")).as(name).hasSize(1);
      String body = sqs.path("Records").get(0).path("body").asText();
      JsonNode event = SampleChangeEvents.parse(body);
      assertThat(ChangeEventSchemas.detailTypeOf(event)).as(name).isEqualTo(type);
      assertThat(ChangeEventSchemas.violations(type, event)).as(name).isEmpty();
      ChangeEvent expected = SampleChangeEvents.originEvent(story, type);
      assertThat(ChangeEventJson.fromEventBridgeEvent(body)).as(name).isEqualTo(expected);
    }
  }

  /** Holds are items of their own: the order's state names no hold, only the conflict the duplicate left. */
  @Test
  void theOrderSampleCarriesTheDuplicateHoldsConflictButNoHolds() throws IOException {
    JsonNode state = bodyOf("reconciler-order-changed").at("/detail/state");
    assertThat(state.has("reservations")).isFalse();
    assertThat(state.path("conflicts")).singleElement().satisfies(conflict -> {
      assertThat(conflict.path("rule").asText()).isEqualTo("earliest-reservation-stands");
      assertThat(conflict.at("/winner/region").asText()).isEqualTo(SampleChangeEvents.ORIGIN);
      assertThat(conflict.at("/loser/region").asText()).isEqualTo(SampleChangeEvents.RECEIVER);
    });
  }

  @Test
  void theHoldSampleIsTheStandingHoldAndNamesTheShardsItTookFrom() throws IOException {
    JsonNode record = read("reconciler-hold-changed").path("Records").get(0);
    ChangeEvent event = ChangeEventJson.fromEventBridgeEvent(record.path("body").asText());
    Change.HoldChange change = (Change.HoldChange) event.change();
    SampleChangeEvents.Story story = SampleChangeEvents.story();
    assertThat(event.key()).isEqualTo(story.orderId().value() + "@" + SampleChangeEvents.ORIGIN);
    assertThat(change.hold().state()).isEqualTo(ReservationState.RESERVED);
    assertThat(story.mergedInOrigin().standingReservation()).contains(change.hold());
    assertThat(change.hold().takenFrom()).isEqualTo(Map.of(SampleChangeEvents.CUP,
        Map.of(SampleChangeEvents.PLACEMENT_SHARD, 2L), SampleChangeEvents.MUG, Map.of(StockAllocation.HEAD, 1L)));
    // With its body's fingerprint and placement time, the hold says which body it was for before that order item arrives.
    assertThat(change.hold().fingerprint()).isEqualTo(story.mergedInOrigin().body().fingerprint());
    assertThat(change.hold().bodyPlacedAt()).isEqualTo(story.mergedInOrigin().body().placedAt());
    Order receiverView = story.placedInReceiver().order().reconcile(story.mergedInOrigin().itemState())
        .withReservation(change.hold());
    assertThat(receiverView.actionFor(record.path("awsRegion").asText())).isEqualTo(Order.ReservationAction.RELEASE);
  }

  @Test
  void theAllocationSampleIsTheHeadShardGivingUnitsToTheRegionWhoseQueueDeliversIt() throws IOException {
    JsonNode record = read("reconciler-allocation-changed").path("Records").get(0);
    String receivingRegion = record.path("awsRegion").asText();
    ChangeEvent event = ChangeEventJson.fromEventBridgeEvent(record.path("body").asText());
    assertThat(event.originRegion()).isNotEqualTo(receivingRegion);
    StockAllocation head = ((Change.AllocationChange) event.change()).allocation();
    assertThat(head.isHead()).isTrue();
    assertThat(head.shards()).as("the other shard holds the order's cups").isEqualTo(2);
    assertThat(event.key()).isEqualTo("cup@" + SampleChangeEvents.ORIGIN);
    assertThat(List.copyOf(head.outgoing().values())).singleElement().satisfies(t -> {
      assertThat(t.toRegion()).isEqualTo(receivingRegion);
      assertThat(t.units()).isEqualTo(20);
    });
  }

  /**
   * The forged samples decode (they are well-formed) but the receiver's reader, configured as
   * {@value SampleChangeEvents#RECEIVER}'s reconciler is (peer {@value SampleChangeEvents#ORIGIN},
   * account {@value SampleChangeEvents#ACCOUNT}), refuses them; it accepts every genuine sample.
   */
  @Test
  void theForgedSamplesAreRefusedByTheReceiversReaderAndTheGenuineOnesAccepted() throws IOException {
    EventBridgeChangeEvents receiver = new EventBridgeChangeEvents(SampleChangeEvents.RECEIVER,
        List.of(SampleChangeEvents.ORIGIN), SampleChangeEvents.ACCOUNT);
    List<String> bodies = SampleChangeEvents.bodies(read("reconciler-forged"));
    List<String> reasons = List.of("originRegion " + SampleChangeEvents.UNCONFIGURED_REGION + " is not a configured peer",
        "account " + SampleChangeEvents.OTHER_ACCOUNT + " is not this deployment's account");
    assertThat(bodies).hasSameSizeAs(reasons);
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      assertThat(ChangeEventJson.fromEventBridgeEvent(body)).as("well-formed: " + body).isNotNull();
      assertThatThrownBy(() -> receiver.read(body)).as(body)
          .isInstanceOf(UntrustedEventException.class).hasMessageContaining(reasons.get(i));
    }
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      String body = read("reconciler-" + type.entity + "-changed").path("Records").get(0).path("body").asText();
      assertThat(receiver.read(body)).as(type.label).isEqualTo(ChangeEventJson.fromEventBridgeEvent(body));
    }
    String fromHere = read("reconciler-order-changed").path("Records").get(0).path("body").asText();
    assertThatThrownBy(() -> new EventBridgeChangeEvents(SampleChangeEvents.ORIGIN, List.of(SampleChangeEvents.RECEIVER),
        SampleChangeEvents.ACCOUNT).read(fromHere)).isInstanceOf(MalformedEventException.class)
        .hasMessageContaining("originated in this region");
  }

  @Test
  void theMalformedSamplesAreRefusedNamingTheProblem() throws IOException {
    List<String> bodies = SampleChangeEvents.bodies(read("reconciler-malformed"));
    List<String> reasons = List.of("not JSON", "schemaVersion 2 is not supported", "entity invoice is not a change event type");
    assertThat(bodies).hasSameSizeAs(reasons);
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      assertThatThrownBy(() -> ChangeEventJson.fromEventBridgeEvent(body)).as(body)
          .isInstanceOf(MalformedEventException.class).hasMessageContaining(reasons.get(i));
    }
    JsonNode futureVersion = SampleChangeEvents.parse(bodies.get(1));
    assertThat(ChangeEventSchemas.violations(ChangeEventSchemas.detailTypeOf(futureVersion), futureVersion)).isNotEmpty();
    JsonNode unknownEntity = SampleChangeEvents.parse(bodies.get(2));
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      assertThat(ChangeEventSchemas.violations(type, unknownEntity)).as(type.label).isNotEmpty();
    }
  }

  /**
   * The stream sample through the publisher's decoding and use case in {@value SampleChangeEvents#ORIGIN}:
   * its product, order, hold and stock shard writes are published as valid events; the order that
   * {@value SampleChangeEvents#RECEIVER} wrote (replicated here) is skipped; the heartbeat is no change event.
   */
  @Test
  void thePublisherSamplePublishesThisRegionsWritesOnly() throws IOException {
    JsonNode stream = read("publisher-stream");
    List<StoredChange> changes = new ArrayList<>();
    List<String> entities = new ArrayList<>();
    for (JsonNode record : stream.path("Records")) {
      JsonNode image = record.path("dynamodb").path("NewImage");
      entities.add(image.path("entity").path("S").asText());
      StoredChanges.of(record.path("dynamodb").path("SequenceNumber").asText(), StreamImages.read(image))
          .ifPresent(changes::add);
    }
    assertThat(entities).containsExactly("product", "order", "hold", "allocation", "order", "allocation", "heartbeat");
    assertThat(changes).as("the heartbeat is not a change event").hasSize(6);

    List<ChangeEvent> published = new ArrayList<>();
    PublishService publisher = new PublishService(HybridLogicalClock.system(SampleChangeEvents.ORIGIN), events -> {
      published.addAll(events);
      return List.of();
    });
    PublishService.Report report = publisher.publish(changes);

    assertThat(report.published()).isEqualTo(5);
    assertThat(report.skipped()).as("the write replicated from " + SampleChangeEvents.RECEIVER).isEqualTo(1);
    assertThat(report.failedPositions()).isEmpty();
    SampleChangeEvents.Story story = SampleChangeEvents.story();
    String order = story.orderId().value();
    assertThat(published).extracting(ChangeEvent::eventId).containsExactly("us-east-1/product/cup/2",
        "us-east-1/order/" + order + "/1", "us-east-1/hold/" + order + "@us-east-1/1",
        "us-east-1/allocation/cup@us-east-1#1/2", "us-east-1/allocation/cup@us-east-1/4");
    assertThat(published).extracting(ChangeEvent::change).containsExactly(new Change.ProductChange(story.productRepriced()),
        new Change.OrderChange(story.placedInOrigin().order().itemState()),
        new Change.HoldChange(story.orderId(), story.originHold()),
        new Change.AllocationChange(story.cupHeld().shard(SampleChangeEvents.PLACEMENT_SHARD)),
        new Change.AllocationChange(story.cupGiven().head()));
    for (ChangeEvent event : published) {
      ObjectNode wire = SampleChangeEvents.eventBridgeEvent(event);
      ChangeEventJson.DetailType type = ChangeEventJson.DetailType.ofEntity(event.entity());
      assertThat(ChangeEventSchemas.violations(type, wire)).as(event.eventId()).isEmpty();
      assertThat(ChangeEventJson.fromEventBridgeEvent(wire.toString())).isEqualTo(event);
    }
  }

  private static JsonNode bodyOf(String name) throws IOException {
    return SampleChangeEvents.parse(read(name).path("Records").get(0).path("body").asText());
  }
}
