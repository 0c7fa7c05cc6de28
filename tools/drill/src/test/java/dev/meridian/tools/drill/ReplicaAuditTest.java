package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.adapter.dynamodb.DynamoDbHeartbeatRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderBody;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderLine;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.tools.drill.ReplicaAudit.Acknowledged;
import dev.meridian.tools.drill.ReplicaAudit.Report;
import dev.meridian.tools.drill.ReplicaAudit.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The audit's comparison on replicas built with the adapter's codec, as the table holds them. */
class ReplicaAuditTest {
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final long T0 = 1_796_000_000_000L;
  private static final Window DRILL = new Window(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 60_000));

  private final List<Map<String, AttributeValue>> us = new ArrayList<>();
  private final List<Map<String, AttributeValue>> eu = new ArrayList<>();

  @Test
  void identicalReplicasReportNothing() {
    Order order = placed("k-1", T0 + 1_000);
    both(Items.order(order, 1, US));
    both(Items.order(order.cancel(stamp(T0 + 2_000, US)), 2, US));

    Report report = compare(Optional.of(List.of(new Acknowledged(order.id().value(), US, "PLACED"))));

    assertThat(report.clean()).isTrue();
    assertThat(report.divergences()).isEmpty();
    assertThat(report.missingOrders()).isEmpty();
    assertThat(report.itemsPerRegion()).containsEntry(US, 2).containsEntry(EU, 2);
  }

  @Test
  void aDifferentVersionIsReported() {
    Order order = placed("k-1", T0 + 1_000);
    us.add(Items.order(order, 3, US));
    eu.add(Items.order(order, 2, US));

    Report report = compare(Optional.empty());

    assertThat(report.clean()).isFalse();
    assertThat(report.divergences()).singleElement().satisfies(d -> {
      assertThat(d.key()).isEqualTo(ReplicaAudit.orderKey(order.id().value()));
      assertThat(d.entity()).isEqualTo("order");
      assertThat(d.differs()).containsExactly("version");
      assertThat(d.byRegion().get(US).version()).isEqualTo(3);
      assertThat(d.byRegion().get(EU).version()).isEqualTo(2);
    });
  }

  @Test
  void theSameVersionWithAnotherStatusStampIsASilentDivergence() {
    Order order = placed("k-1", T0 + 1_000);
    us.add(Items.order(order.cancel(stamp(T0 + 2_000, US)), 2, US));
    eu.add(Items.order(order.cancel(stamp(T0 + 2_500, EU)), 2, EU));

    Report report = compare(Optional.empty());

    assertThat(report.divergences()).singleElement().satisfies(d -> {
      assertThat(d.differs()).containsExactly("stamp:status");
      assertThat(d.byRegion().get(US).stamps().get("status")).startsWith("CANCELLED@").endsWith(US);
      assertThat(d.byRegion().get(EU).stamps().get("status")).startsWith("CANCELLED@").endsWith(EU);
    });
  }

  @Test
  void anAcknowledgedOrderMissingFromARegionIsReportedWithWhereItIsMissing() {
    Order kept = placed("k-1", T0 + 1_000);
    Order lost = placed("k-2", T0 + 2_000);
    both(Items.order(kept, 1, US));
    us.add(Items.order(lost, 1, US));

    Report report = compare(Optional.of(List.of(new Acknowledged(kept.id().value(), US, "PLACED"),
        new Acknowledged(lost.id().value(), US, "PLACED"))));

    assertThat(report.expectedOrders()).isEqualTo(2);
    assertThat(report.missingOrders()).singleElement().satisfies(m -> {
      assertThat(m.orderId()).isEqualTo(lost.id().value());
      assertThat(m.acknowledgedBy()).isEqualTo(US);
      assertThat(m.missingIn()).containsExactly(EU);
    });
    assertThat(report.divergences()).singleElement().satisfies(d -> assertThat(d.differs()).containsExactly("presence"));
  }

  @Test
  void anAcknowledgedOrderNoReplicaHoldsIsMissingEverywhere() {
    Report report = compare(Optional.of(List.of(new Acknowledged("never-written", EU, "PENDING_STOCK"))));

    assertThat(report.missingOrders()).singleElement().satisfies(m -> assertThat(m.missingIn()).containsExactly(US, EU));
    assertThat(report.clean()).isFalse();
  }

  @Test
  void withoutALedgerEveryOrderPlacedInTheWindowMustBeEverywhere() {
    Order before = placed("k-0", T0 - 5_000);
    Order inside = placed("k-1", T0 + 5_000);
    eu.add(Items.order(before, 1, EU));
    eu.add(Items.order(inside, 1, EU));

    Report report = compare(Optional.empty());

    assertThat(report.expectationSource()).isEqualTo("window");
    assertThat(report.expectedOrders()).isEqualTo(1);
    assertThat(report.missingOrders()).singleElement().satisfies(m -> {
      assertThat(m.orderId()).isEqualTo(inside.id().value());
      assertThat(m.missingIn()).containsExactly(US);
    });
    // The older order is no acknowledged order of this window, but its absence is still a difference.
    assertThat(report.divergences()).hasSize(2);
  }

  @Test
  void conflictsRecordedInTheWindowAreListedOnceWithTheReplicasHoldingThem() {
    Conflict inWindow = conflict("o-1", T0 + 3_000);
    Conflict onlyInEu = conflict("o-2", T0 + 4_000);
    Conflict earlier = conflict("o-3", T0 - 60_000);
    both(Items.conflictRecord(inWindow, US));
    eu.add(Items.conflictRecord(onlyInEu, EU));
    both(Items.conflictRecord(earlier, EU));

    Report report = compare(Optional.empty());

    assertThat(report.conflicts()).extracting(c -> c.conflict().key()).containsExactly("o-1", "o-2");
    assertThat(report.conflicts().get(0).recordedIn()).containsExactly(US, EU);
    assertThat(report.conflicts().get(1).recordedIn()).containsExactly(EU);
    assertThat(report.divergences()).singleElement().satisfies(d -> assertThat(d.entity()).isEqualTo("conflict"));
  }

  @Test
  void heartbeatsAreLeftOutBecauseEachRegionRewritesItsOwnAllTheTime() {
    us.add(heartbeat(US, 41));
    eu.add(heartbeat(US, 40));

    Report report = compare(Optional.empty());

    assertThat(report.heartbeatsSkipped()).isEqualTo(2);
    assertThat(report.clean()).isTrue();
  }

  @Test
  void anItemTheCodecRefusesIsReportedNotFatal() {
    Order order = placed("k-1", T0 + 1_000);
    us.add(Items.order(order, 1, US));
    Map<String, AttributeValue> broken = new LinkedHashMap<>(Items.order(order, 1, US));
    broken.remove("status");
    eu.add(broken);

    Report report = compare(Optional.empty());

    assertThat(report.divergences()).singleElement().satisfies(d -> {
      assertThat(d.differs()).contains("stamp:decode");
      assertThat(d.byRegion().get(EU).stamps().get("decode")).startsWith("failed: ");
    });
  }

  @Test
  void oneReplicaIsNoAudit() {
    assertThatThrownBy(() -> ReplicaAudit.compare(Map.of(US, us), Optional.empty(), DRILL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two");
  }

  private Report compare(Optional<List<Acknowledged>> acknowledged) {
    Map<String, List<Map<String, AttributeValue>>> replicas = new LinkedHashMap<>();
    replicas.put(US, us);
    replicas.put(EU, eu);
    return ReplicaAudit.compare(replicas, acknowledged, DRILL);
  }

  private void both(Map<String, AttributeValue> item) {
    us.add(item);
    eu.add(new LinkedHashMap<>(item));
  }

  static HlcStamp stamp(long millis, String region) {
    return new HlcStamp(millis, 0, region);
  }

  static Order placed(String key, long atMillis) {
    CustomerId customer = new CustomerId("alice");
    IdempotencyKey idempotencyKey = new IdempotencyKey(key);
    Money price = Money.of(250, "EUR");
    OrderBody body = new OrderBody(customer, idempotencyKey, List.of(new OrderLine(dev.meridian.domain.product.ProductId.of("cup"), 1,
        price)), price, US, "fp-" + key, stamp(atMillis, US), OrderStatus.PENDING_STOCK);
    return Order.pendingStock(OrderId.derive(customer, idempotencyKey), body);
  }

  static Conflict conflict(String orderId, long atMillis) {
    return new Conflict("order", orderId, "reservation", "earliest-reservation-stands",
        new Conflict.Side("us-east-1 stands", US, stamp(atMillis - 100, US)),
        new Conflict.Side("eu-west-1 released", EU, stamp(atMillis, EU)));
  }

  private static Map<String, AttributeValue> heartbeat(String region, long version) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS(DynamoDbHeartbeatRepository.HEARTBEAT_PK));
    item.put("sk", AttributeValue.fromS(region));
    item.put("entity", AttributeValue.fromS(DynamoDbHeartbeatRepository.ENTITY_HEARTBEAT));
    item.put("version", AttributeValue.fromN(Long.toString(version)));
    return item;
  }
}
