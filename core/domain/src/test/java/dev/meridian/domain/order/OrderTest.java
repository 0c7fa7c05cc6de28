package dev.meridian.domain.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderTest {
  private static final ProductId CUP = ProductId.of("cup");
  private static final ProductId MUG = ProductId.of("mug");
  private static final CustomerId ALICE = new CustomerId("alice");

  @Test
  void theOrderIdIsDerivedFromCustomerAndKey() {
    IdempotencyKey key = new IdempotencyKey("abc-1");
    assertThat(OrderId.derive(ALICE, key)).isEqualTo(OrderId.derive(new CustomerId("alice"), new IdempotencyKey("abc-1")));
    assertThat(OrderId.derive(ALICE, key)).isNotEqualTo(OrderId.derive(new CustomerId("bob"), key));
    assertThat(OrderId.derive(ALICE, key).value()).matches("o-[0-9a-f]{32}");
  }

  @Test
  void placeOrderNamesEveryInvalidField() {
    List<PlaceOrder.Line> lines = List.of(new PlaceOrder.Line("cup", 0), new PlaceOrder.Line("Cup!", 1),
        new PlaceOrder.Line("mug", 101), new PlaceOrder.Line("mug", 1));
    assertThatThrownBy(() -> new PlaceOrder(ALICE, new IdempotencyKey("k"), lines))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
            .containsExactly("lines[0].quantity", "lines[1].productId", "lines[2].quantity", "lines[3].productId"));
    List<PlaceOrder.Line> tooMany = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      tooMany.add(new PlaceOrder.Line("p" + i, 1));
    }
    assertThatThrownBy(() -> new PlaceOrder(ALICE, new IdempotencyKey("k"), tooMany)).hasMessageContaining("lines: must be between 1 and 50");
    assertThatThrownBy(() -> new PlaceOrder(ALICE, new IdempotencyKey("k"), List.of())).hasMessageContaining("lines");
    assertThatThrownBy(() -> new IdempotencyKey("has space")).hasMessageContaining("Idempotency-Key");
  }

  @Test
  void theFingerprintIgnoresLineOrderButNotQuantities() {
    PlaceOrder a = new PlaceOrder(ALICE, new IdempotencyKey("k"), List.of(new PlaceOrder.Line("cup", 1), new PlaceOrder.Line("mug", 2)));
    PlaceOrder b = new PlaceOrder(ALICE, new IdempotencyKey("k"), List.of(new PlaceOrder.Line("mug", 2), new PlaceOrder.Line("cup", 1)));
    PlaceOrder c = new PlaceOrder(ALICE, new IdempotencyKey("k"), List.of(new PlaceOrder.Line("mug", 1), new PlaceOrder.Line("cup", 1)));
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isNotEqualTo(c.fingerprint());
  }

  @Test
  void placementReservesFromTheLocalAllocationOrRefuses() {
    PlaceOrder command = order("k1", 3);
    OrderPlacement.Decision placed = decide(command, 5, "eu-west-1", 100);
    assertThat(placed).isInstanceOfSatisfying(OrderPlacement.Reserved.class, r -> {
      assertThat(r.order().currentStatus()).isEqualTo(OrderStatus.PLACED);
      assertThat(r.order().body().total()).isEqualTo(Money.of(750, "EUR"));
      assertThat(r.after().get(CUP).available()).isEqualTo(2);
      assertThat(r.shardWrites()).singleElement().satisfies(w -> assertThat(w.next().reserved()).isEqualTo(3));
      assertThat(r.order().reservations().get("eu-west-1").takes(CUP)).containsExactly(new RegionStock.Take(0, 3));
    });
    assertThat(decide(command, 2, "eu-west-1", 100)).isInstanceOfSatisfying(OrderPlacement.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(OrderPlacement.Reason.OUT_OF_STOCK));
    PlaceOrder unknown = new PlaceOrder(ALICE, new IdempotencyKey("k2"), List.of(new PlaceOrder.Line("teapot", 1)));
    assertThat(decide(unknown, 5, "eu-west-1", 100)).isInstanceOfSatisfying(OrderPlacement.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(OrderPlacement.Reason.UNKNOWN_PRODUCT));
  }

  @Test
  void placementIsPendingWhenOnlyTheGlobalTotalCoversIt() {
    PlaceOrder command = order("k1", 3);
    Map<ProductId, Product> catalog = Map.of(CUP, cup("eu-west-1"));
    OrderPlacement.Decision d = OrderPlacement.decide(command, catalog,
        Map.of(CUP, RegionStock.empty(CUP, "eu-west-1").restock(1)), Map.of(CUP, 4L), "eu-west-1", stamp(100, "eu-west-1"),
        () -> 0);
    assertThat(d).isInstanceOfSatisfying(OrderPlacement.PendingStock.class,
        p -> assertThat(p.order().currentStatus()).isEqualTo(OrderStatus.PENDING_STOCK));
  }

  @Test
  void aPendingOrderIsConfirmedOnceAndACancelledOneCannotBe() {
    PlaceOrder command = order("k1", 3);
    OrderPlacement.PendingStock pending = (OrderPlacement.PendingStock) OrderPlacement.decide(command,
        Map.of(CUP, cup("eu-west-1")), Map.of(), Map.of(CUP, 4L), "eu-west-1", stamp(100, "eu-west-1"), () -> 0);
    Map<ProductId, List<RegionStock.Take>> takes = Map.of(CUP, List.of(new RegionStock.Take(1, 2), new RegionStock.Take(2, 1)));
    Order confirmed = pending.order().confirm("eu-west-1", stamp(200, "eu-west-1"), takes);
    assertThat(confirmed.currentStatus()).isEqualTo(OrderStatus.PLACED);
    assertThat(confirmed.standingReservation()).hasValueSatisfying(r -> {
      assertThat(r.region()).isEqualTo("eu-west-1");
      assertThat(r.units()).containsEntry(CUP, 3);
    });
    assertThat(confirmed.confirm("eu-west-1", stamp(300, "eu-west-1"), takes)).as("again").isEqualTo(confirmed);
    assertThat(confirmed.merge(pending.order())).isEqualTo(confirmed);
    Order cancelled = pending.order().cancel(stamp(150, "us-east-1"));
    assertThatThrownBy(() -> cancelled.confirm("eu-west-1", stamp(200, "eu-west-1"), takes)).isInstanceOf(OrderStateException.class);
    assertThat(confirmed.merge(cancelled).actionFor("eu-west-1")).as("a cancel elsewhere releases the confirmed units")
        .isEqualTo(Order.ReservationAction.RELEASE);
  }

  @Test
  void cancelIsIdempotentAndRefusedOnceShipped() {
    Order placed = placed("eu-west-1", 100);
    Order cancelled = placed.cancel(stamp(200, "eu-west-1"));
    assertThat(cancelled.cancel(stamp(300, "eu-west-1"))).isEqualTo(cancelled);
    assertThat(cancelled.actionFor("eu-west-1")).isEqualTo(Order.ReservationAction.RELEASE);
    Order shipped = placed.ship("eu-west-1", stamp(200, "eu-west-1"));
    assertThatThrownBy(() -> shipped.cancel(stamp(300, "eu-west-1"))).isInstanceOf(OrderStateException.class);
    assertThatThrownBy(() -> placed.ship("us-east-1", stamp(200, "us-east-1"))).isInstanceOf(OrderStateException.class);
  }

  @Test
  void shippingBeatsAConcurrentCancelAndTheLostCancelIsRecorded() {
    Order placed = placed("eu-west-1", 100);
    Order shippedInEu = placed.ship("eu-west-1", stamp(300, "eu-west-1"));
    Order cancelledInUs = placed.cancel(stamp(400, "us-east-1"));
    Order merged = cancelledInUs.reconcile(shippedInEu);
    assertThat(merged.currentStatus()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(merged.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.rule()).isEqualTo("shipped-beats-cancelled");
      assertThat(c.loser().value()).isEqualTo("CANCELLED");
      assertThat(c.loser().region()).isEqualTo("us-east-1");
    });
    assertThat(merged).isEqualTo(shippedInEu.reconcile(cancelledInUs));
  }

  @Test
  void aDuplicateReservationFromAFailoverRetryIsReleasedByTheLaterRegion() {
    Order inEu = placed("eu-west-1", 100);
    Order retriedInUs = placed("us-east-1", 150);
    Order merged = inEu.reconcile(retriedInUs);
    assertThat(merged.standingReservation()).hasValueSatisfying(r -> assertThat(r.region()).isEqualTo("eu-west-1"));
    assertThat(merged.actionFor("us-east-1")).isEqualTo(Order.ReservationAction.RELEASE);
    assertThat(merged.actionFor("eu-west-1")).isEqualTo(Order.ReservationAction.NONE);
    assertThat(merged.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.rule()).isEqualTo("earliest-reservation-stands");
      assertThat(c.loser().region()).isEqualTo("us-east-1");
    });
    Order afterRelease = merged.releaseReservation("us-east-1");
    assertThat(afterRelease.actionFor("us-east-1")).isEqualTo(Order.ReservationAction.NONE);
    assertThat(afterRelease.merge(merged)).isEqualTo(afterRelease);
  }

  @Test
  void theSameKeyWithAnotherBodyInAnotherRegionKeepsTheFirstPlacement() {
    Order first = placed("eu-west-1", 100);
    Order other = ((OrderPlacement.Reserved) decide(order("k1", 2), 10, "us-east-1", 150)).order();
    Order merged = other.reconcile(first);
    assertThat(merged.body()).isEqualTo(first.body());
    assertThat(merged.conflicts()).extracting(c -> c.field()).contains("lines", "reservation");
    assertThat(merged.actionFor("us-east-1")).isEqualTo(Order.ReservationAction.RELEASE);
  }

  private static Order placed(String region, long ms) {
    return ((OrderPlacement.Reserved) decide(order("k1", 3), 10, region, ms)).order();
  }

  private static PlaceOrder order(String key, int quantity) {
    return new PlaceOrder(ALICE, new IdempotencyKey(key), List.of(new PlaceOrder.Line("cup", quantity)));
  }

  private static OrderPlacement.Decision decide(PlaceOrder command, long stock, String region, long ms) {
    return OrderPlacement.decide(command, Map.of(CUP, cup(region), MUG, mug(region)),
        Map.of(CUP, RegionStock.empty(CUP, region).restock(stock)), Map.of(), region, stamp(ms, region), () -> 0);
  }

  private static Product cup(String region) {
    return Product.create(new UpsertProduct(CUP, "Cup", "", Money.of(250, "EUR"), true), stamp(1, region));
  }

  private static Product mug(String region) {
    return Product.create(new UpsertProduct(MUG, "Mug", "", Money.of(900, "USD"), true), stamp(1, region));
  }

  private static HlcStamp stamp(long ms, String region) {
    return new HlcStamp(ms, 0, region);
  }
}
