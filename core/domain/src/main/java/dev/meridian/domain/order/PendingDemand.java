package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.product.ProductId;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An order accepted here pending stock (202): the units it waits for in this region, an item of
 * its own written only by this region, beside the order. The head shard of each product counts
 * them ({@code pending}) so that peers see the region's ask without reading the demands. Its state
 * moves forward only, each move conditional on the state before, in the same transaction as the
 * head's counter, so a confirmation or a cancellation happens once however often it is retried.
 *
 * @param units       product → units the order waits for here
 * @param fingerprint the fingerprint of the body accepted here: with {@code placedAt}, which body the
 *                    demand is for, even before that body's order item has come back to this replica
 * @param placedAt    when the order was accepted (the sweep takes the oldest first and cancels at the timeout)
 */
public record PendingDemand(OrderId orderId, String region, SortedMap<ProductId, Integer> units, String fingerprint,
    HlcStamp placedAt, State state) {

  /** {@code WAITING → CONFIRMED} (units arrived and are held) or {@code WAITING → ENDED} (cancelled, timed out, void). */
  public enum State { WAITING, CONFIRMED, ENDED }

  public PendingDemand {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(placedAt, "placedAt");
    Objects.requireNonNull(state, "state");
    if (units.isEmpty() || units.values().stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("a pending demand waits for at least one unit of each product it names");
    }
    units = Collections.unmodifiableSortedMap(new TreeMap<>(units));
  }

  /** The demand of an order placed pending stock in its home region. */
  public static PendingDemand of(Order order) {
    return new PendingDemand(order.id(), order.body().homeRegion(), order.units(), order.body().fingerprint(),
        order.body().placedAt(), State.WAITING);
  }

  public boolean isWaiting() {
    return state == State.WAITING;
  }

  public PendingDemand with(State next) {
    if (state != State.WAITING || next == State.WAITING) {
      throw new IllegalStateException("a pending demand leaves WAITING once, not " + state + " -> " + next);
    }
    return new PendingDemand(orderId, region, units, fingerprint, placedAt, next);
  }

  /** Replica merge: the furthest state wins (one writer moves it forward only). */
  public PendingDemand merge(PendingDemand other) {
    return state.compareTo(other.state) >= 0 ? this : other;
  }
}
