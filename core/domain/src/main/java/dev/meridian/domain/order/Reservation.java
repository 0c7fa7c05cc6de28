package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The units one region holds for an order: the order's hold in that region, an item of its own
 * written only by that region, in the same transaction as the shard counters it changes. Its state
 * moves forward only ({@link ReservationState}), and every move is conditional on the state before
 * it, so a release or a shipment happens once however often it is retried or redelivered.
 *
 * @param fingerprint  the fingerprint of the order body the units were reserved for
 * @param bodyPlacedAt when that body was placed: with the fingerprint, it tells every replica which
 *                     body the hold was for even before that body's order item has reached it
 * @param takenFrom   product → shard → units: where the units came from, so they go back there
 */
public record Reservation(String region, HlcStamp reservedAt, String fingerprint, HlcStamp bodyPlacedAt,
    SortedMap<ProductId, SortedMap<Integer, Long>> takenFrom, ReservationState state) {

  static final Comparator<Reservation> PRECEDENCE = Comparator
      .comparing(Reservation::state)
      .thenComparing(Reservation::reservedAt, Comparator.reverseOrder())
      .thenComparing(Reservation::fingerprint)
      .thenComparing(Reservation::bodyPlacedAt)
      .thenComparing(r -> r.takenFrom().toString());

  public Reservation {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(reservedAt, "reservedAt");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(bodyPlacedAt, "bodyPlacedAt");
    Objects.requireNonNull(state, "state");
    SortedMap<ProductId, SortedMap<Integer, Long>> copy = new TreeMap<>();
    takenFrom.forEach((product, shards) -> {
      if (shards.isEmpty() || shards.values().stream().anyMatch(units -> units < 1)) {
        throw new IllegalArgumentException("a reservation takes at least one unit from each shard it names");
      }
      if (shards.firstKey() < 0 || shards.lastKey() >= StockAllocation.MAX_SHARDS) {
        throw new IllegalArgumentException("a shard number is between 0 and " + (StockAllocation.MAX_SHARDS - 1));
      }
      copy.put(product, Collections.unmodifiableSortedMap(new TreeMap<>(shards)));
    });
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a reservation holds units of at least one product");
    }
    takenFrom = Collections.unmodifiableSortedMap(copy);
  }

  /** A reservation for {@code body} of {@code takes} (per product, as {@link RegionStock#plan} chose them). */
  public static Reservation of(String region, HlcStamp reservedAt, OrderBody body,
      Map<ProductId, List<RegionStock.Take>> takes) {
    SortedMap<ProductId, SortedMap<Integer, Long>> takenFrom = new TreeMap<>();
    takes.forEach((product, list) -> {
      SortedMap<Integer, Long> shards = new TreeMap<>();
      list.forEach(take -> shards.merge(take.shard(), take.units(), Long::sum));
      takenFrom.put(product, shards);
    });
    return new Reservation(region, reservedAt, body.fingerprint(), body.placedAt(), takenFrom, ReservationState.RESERVED);
  }

  /** Units held per product, over every shard. */
  public SortedMap<ProductId, Integer> units() {
    SortedMap<ProductId, Integer> units = new TreeMap<>();
    takenFrom.forEach((product, shards) -> units.put(product,
        Math.toIntExact(shards.values().stream().mapToLong(Long::longValue).sum())));
    return units;
  }

  /** The takes of {@code product}, to give the units back to the shards they came from. */
  public List<RegionStock.Take> takes(ProductId product) {
    List<RegionStock.Take> takes = new ArrayList<>();
    takenFrom.getOrDefault(product, Collections.emptySortedMap()).forEach((shard, units) ->
        takes.add(new RegionStock.Take(shard, units)));
    return takes;
  }

  public Reservation withState(ReservationState next) {
    return new Reservation(region, reservedAt, fingerprint, bodyPlacedAt, takenFrom, next);
  }

  /** Replica merge of one region's hold: the furthest state wins (its single writer moves it forward only). */
  public Reservation merge(Reservation other) {
    return PRECEDENCE.compare(this, other) >= 0 ? this : other;
  }

  /** True when this hold was made for a body placed before {@code placedAt}'s {@code fingerprint} (first placement wins). */
  boolean bodyPrecedes(HlcStamp placedAt, String otherFingerprint) {
    int byTime = bodyPlacedAt.compareTo(placedAt);
    return byTime < 0 || byTime == 0 && fingerprint.compareTo(otherFingerprint) < 0;
  }

  public boolean isActive() {
    return state == ReservationState.RESERVED;
  }
}
