package dev.meridian.application.orders;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.stock.StockAllocation;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One transaction around an order: the order's own item, this region's hold or pending demand
 * moving from one state to the next (with the shard counters that move with it), and the records
 * of the conflicts a merge resolved. A store applies all of it or none of it.
 *
 * <ul>
 *   <li>The order item is written only if its stored version is {@code expectedVersion} (0: only if
 *       there is none), with {@code newVersion}.</li>
 *   <li>A hold move is written only if the stored hold is in {@code from}'s state (absent for a new
 *       hold): absent → RESERVED takes the units from the shards it names, each only if the shard
 *       has them; RESERVED → RELEASED gives them back there; RESERVED → COMMITTED sells them.</li>
 *   <li>A demand move likewise: absent → WAITING counts its units on the products' head shards;
 *       WAITING → CONFIRMED or ENDED stops counting them.</li>
 * </ul>
 * Every move is conditional on the state before it, so it happens once however often the
 * transaction is retried, replayed or redelivered.
 */
public record OrderWrite(Order order, long expectedVersion, long newVersion, Optional<HoldMove> hold,
    Optional<DemandMove> demand, List<Conflict> conflicts) {

  /** This region's hold of the order, {@code from} (empty: none yet) → {@code to}. */
  public record HoldMove(Optional<Reservation> from, Reservation to) {
    public HoldMove {
      Objects.requireNonNull(to, "to");
      if (from.isPresent() && (!from.get().region().equals(to.region()) || !from.get().isActive())) {
        throw new IllegalArgumentException("a hold moves from RESERVED in its own region only");
      }
      if (from.isEmpty() && !to.isActive()) {
        throw new IllegalArgumentException("a new hold starts RESERVED");
      }
    }
  }

  /** This region's pending demand of the order, {@code from} (empty: none yet) → {@code to}. */
  public record DemandMove(Optional<PendingDemand> from, PendingDemand to) {
    public DemandMove {
      Objects.requireNonNull(to, "to");
      if (from.isPresent() != !to.isWaiting() || from.isPresent() && !from.get().isWaiting()) {
        throw new IllegalArgumentException("a demand is created WAITING and leaves WAITING once");
      }
    }
  }

  public OrderWrite {
    Objects.requireNonNull(order, "order");
    conflicts = List.copyOf(conflicts);
    if (expectedVersion < 0 || newVersion <= expectedVersion) {
      throw new IllegalArgumentException("an order write moves its version forward");
    }
  }

  /** The order item alone, conditional on its version. */
  public static OrderWrite of(Order order, long expectedVersion, long newVersion) {
    return new OrderWrite(order, expectedVersion, newVersion, Optional.empty(), Optional.empty(), List.of());
  }

  /**
   * The items this write changes: the order, the hold or demand, one per stock shard they move
   * units on (a product's head shard counts demand), and one per conflict record.
   */
  public int itemCount() {
    Set<String> shards = new HashSet<>();
    hold.ifPresent(move -> move.to().takenFrom().forEach((product, takes) ->
        takes.keySet().forEach(shard -> shards.add(product.value() + "#" + shard))));
    demand.ifPresent(move -> move.to().units().keySet().forEach(product ->
        shards.add(product.value() + "#" + StockAllocation.HEAD)));
    return 1 + (hold.isPresent() ? 1 : 0) + (demand.isPresent() ? 1 : 0) + shards.size() + conflicts.size();
  }

  public OrderWrite withHold(HoldMove move) {
    return new OrderWrite(order, expectedVersion, newVersion, Optional.of(move), demand, conflicts);
  }

  public OrderWrite withDemand(DemandMove move) {
    return new OrderWrite(order, expectedVersion, newVersion, hold, Optional.of(move), conflicts);
  }

  public OrderWrite withConflicts(List<Conflict> recorded) {
    return new OrderWrite(order, expectedVersion, newVersion, hold, demand, recorded);
  }
}
