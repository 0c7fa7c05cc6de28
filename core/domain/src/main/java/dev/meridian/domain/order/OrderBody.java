package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a placement wrote and nothing later changes: customer, key, lines, total, where and when.
 * Replicas keep the first placement (smallest stamp): if the same key was placed with different
 * lines in two regions during a partition, the earlier wins and the other is a recorded conflict.
 *
 * @param initialStatus the status the placement answered with, so a replay of the same
 *                      Idempotency-Key can return the original answer ({@link Order#asPlaced()})
 */
public record OrderBody(CustomerId customer, IdempotencyKey idempotencyKey, List<OrderLine> lines, Money total,
    String homeRegion, String fingerprint, HlcStamp placedAt, OrderStatus initialStatus) {

  static final Comparator<OrderBody> FIRST_PLACEMENT = Comparator
      .comparing(OrderBody::placedAt)
      .thenComparing(OrderBody::fingerprint)
      .thenComparing(OrderBody::toString);

  public OrderBody {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(homeRegion, "homeRegion");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(placedAt, "placedAt");
    if (initialStatus != OrderStatus.PLACED && initialStatus != OrderStatus.PENDING_STOCK) {
      throw new IllegalArgumentException("an order is placed as PLACED or PENDING_STOCK");
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty() || lines.size() > PlaceOrder.MAX_LINES) {
      throw new IllegalArgumentException("an order has 1 to " + PlaceOrder.MAX_LINES + " lines");
    }
    Money sum = lines.stream().map(OrderLine::lineTotal).reduce(Money::plus).orElseThrow();
    if (!sum.equals(total)) {
      throw new IllegalArgumentException("total must equal the sum of the lines");
    }
  }

  OrderBody firstOf(OrderBody other) {
    return FIRST_PLACEMENT.compare(this, other) <= 0 ? this : other;
  }

  /** A short human-readable form of the lines for conflict records: {@code cup x2, mug x1}. */
  String linesSummary() {
    return lines.stream().map(l -> l.productId() + " x" + l.quantity()).collect(Collectors.joining(", "));
  }
}
