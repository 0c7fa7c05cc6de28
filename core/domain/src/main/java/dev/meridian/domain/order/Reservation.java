package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.product.ProductId;
import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Units one region reserved from its own allocation for an order.
 *
 * @param fingerprint the fingerprint of the order body the units were reserved for
 * @param units       product → units held
 */
public record Reservation(String region, HlcStamp reservedAt, String fingerprint,
    SortedMap<ProductId, Integer> units, ReservationState state) {

  static final Comparator<Reservation> PRECEDENCE = Comparator
      .comparing(Reservation::state)
      .thenComparing(Reservation::reservedAt, Comparator.reverseOrder())
      .thenComparing(Reservation::fingerprint)
      .thenComparing(r -> r.units().toString());

  public Reservation {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reservedAt, "reservedAt");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(state, "state");
    units = Collections.unmodifiableSortedMap(new TreeMap<>(units));
  }

  public Reservation withState(ReservationState next) {
    return new Reservation(region, reservedAt, fingerprint, units, next);
  }

  /** Replica merge of one region's entry: the furthest state wins (a single writer moves it forward only). */
  Reservation merge(Reservation other) {
    return PRECEDENCE.compare(this, other) >= 0 ? this : other;
  }

  public boolean isActive() {
    return state == ReservationState.RESERVED;
  }
}
