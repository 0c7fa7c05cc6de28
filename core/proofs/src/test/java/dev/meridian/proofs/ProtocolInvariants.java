package dev.meridian.proofs;

import dev.meridian.application.Page;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.proofs.ProtocolSimulation.CancelAck;
import dev.meridian.proofs.ProtocolSimulation.PlacedAck;
import dev.meridian.proofs.ProtocolSimulation.RegisterWrite;
import dev.meridian.testkit.memory.HoldItem;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The invariants of design brief section 4, checked on a simulated history. */
final class ProtocolInvariants {

  /** A broken invariant; {@code focus} names the entities whose trace lines explain it. */
  static final class Violation extends AssertionError {
    final List<String> focus;

    Violation(String message, String... focus) {
      super(message);
      this.focus = List.of(focus);
    }
  }

  private ProtocolInvariants() {}

  /**
   * Stock is conserved at every moment: per product, the units on hand in every shard of every
   * region's own stock plus the units in flight equal the units restocked. (Negative counters
   * cannot even be constructed: {@link StockAllocation} refuses them.)
   */
  static void requireStockConserved(ProtocolSimulation sim) {
    Map<ProductId, Long> inFlight = sim.unitsInFlight();
    for (ProductId product : ProtocolSimulation.PRODUCTS) {
      long onHand = 0;
      for (String region : ProtocolSimulation.REGIONS) {
        onHand += sim.ownStock(region, product).onHand();
      }
      long flying = inFlight.getOrDefault(product, 0L);
      long restocked = sim.restocked.getOrDefault(product, 0L);
      if (onHand + flying != restocked) {
        throw new Violation("units of " + product + " not conserved at " + sim.elapsed() + " ms: " + onHand + " on hand + "
            + flying + " in flight != " + restocked + " restocked", product.value());
      }
    }
  }

  /** Everything checked once the history is quiet. */
  static void verify(ProtocolSimulation sim) {
    String backlog = sim.backlog();
    if (!backlog.isEmpty()) {
      throw new Violation("the history did not drain: " + backlog);
    }
    SimulatedRegion reference = sim.regions.get(ProtocolSimulation.REGIONS.get(0));
    SortedMap<String, Object> expected = replicatedState(reference);
    Set<Conflict> referenceLog = conflictLog(reference);

    // Every replica converges to the same state for every order, hold, demand, product and shard (versions may differ).
    for (SimulatedRegion region : sim.regions.values()) {
      SortedMap<String, Object> actual = replicatedState(region);
      Set<String> keys = new TreeSet<>(expected.keySet());
      keys.addAll(actual.keySet());
      for (String key : keys) {
        if (!Objects.equals(expected.get(key), actual.get(key))) {
          throw new Violation("replicas diverge on " + key + ":\n  " + reference.name + ": " + expected.get(key)
              + "\n  " + region.name + ": " + actual.get(key), idOf(key));
        }
      }
      if (!conflictLog(region).equals(referenceLog)) {
        throw new Violation("conflict logs differ between " + reference.name + " and " + region.name);
      }
    }

    Map<OrderId, Order> orders = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    Map<OrderId, List<Reservation>> holds = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    Map<ProductId, Product> products = new TreeMap<>();
    List<StockAllocation> shards = new ArrayList<>();
    List<PendingDemand> demands = new ArrayList<>();
    expected.values().forEach(value -> {
      if (value instanceof Order o) {
        orders.put(o.id(), o);
      } else if (value instanceof HoldItem h) {
        holds.computeIfAbsent(h.orderId(), k -> new ArrayList<>()).add(h.hold());
      } else if (value instanceof Product p) {
        products.put(p.id(), p);
      } else if (value instanceof StockAllocation a) {
        shards.add(a);
      } else if (value instanceof PendingDemand d) {
        demands.add(d);
      }
    });
    holds.forEach((id, hs) -> {
      if (!orders.containsKey(id)) {
        throw new Violation("holds " + hs + " of " + id + " have no order", id.value());
      }
      orders.put(id, orders.get(id).withReservations(hs));
    });

    for (ProductId product : sim.created) {
      if (!products.containsKey(product)) {
        throw new Violation("product " + product + " was created but is missing", product.value());
      }
    }

    // Every acknowledged order is present everywhere, at least as advanced as acknowledged.
    for (PlacedAck ack : sim.placedAcks) {
      Order order = orders.get(ack.orderId());
      if (order == null) {
        throw new Violation("acknowledged order " + ack.orderId() + " (placed in " + ack.region() + ") is missing",
            ack.orderId().value());
      }
      if (order.currentStatus().precedence() < OrderStatus.PLACED.precedence()) {
        throw new Violation("acknowledged order " + ack.orderId() + " went back to " + order.currentStatus(), ack.orderId().value());
      }
      if (!order.body().fingerprint().equals(ack.fingerprint()) && order.conflicts().stream().noneMatch(c ->
          c.field().equals("lines") && c.loser().stamp().equals(ack.placedAt()))) {
        throw new Violation("acknowledged body of " + ack.orderId() + " lost without a recorded conflict", ack.orderId().value());
      }
    }
    // Every order answered 202 ends confirmed or cancelled (within the timeout), never left pending.
    for (OrderId pending : sim.pendingAcks) {
      Order order = orders.get(pending);
      if (order == null) {
        throw new Violation("order " + pending + " accepted pending stock is missing", pending.value());
      }
      if (order.currentStatus() == OrderStatus.PENDING_STOCK) {
        throw new Violation("order " + pending + " accepted pending stock was neither confirmed nor cancelled", pending.value());
      }
    }
    for (StockAllocation shard : shards) {
      if (shard.pending() != 0) {
        throw new Violation("stock " + shard.productId() + "@" + shard.region() + " still counts " + shard.pending()
            + " units of pending demand", shard.productId().value());
      }
    }
    for (PendingDemand demand : demands) {
      if (demand.isWaiting()) {
        throw new Violation("the demand of " + demand.orderId() + " in " + demand.region() + " is still waiting",
            demand.orderId().value());
      }
    }
    for (CancelAck ack : sim.cancelAcks) {
      Order order = orders.get(ack.orderId());
      if (order == null || order.currentStatus() != OrderStatus.CANCELLED) {
        throw new Violation("acknowledged cancellation of " + ack.orderId() + " (in " + ack.region() + ") lost: "
            + (order == null ? "no order" : order.currentStatus()), ack.orderId().value());
      }
    }

    // One order per key, one standing reservation per order, duplicates released and recorded.
    Map<String, Long> heldByReservations = new TreeMap<>();
    for (Order order : orders.values()) {
      String id = order.id().value();
      if (!OrderId.derive(order.customer(), order.body().idempotencyKey()).equals(order.id())) {
        throw new Violation("order " + id + " is not the order of its (customer, key)", id);
      }
      List<Reservation> active = order.reservations().values().stream().filter(Reservation::isActive).toList();
      int expectedActive = order.currentStatus() == OrderStatus.PLACED ? 1 : 0;
      if (active.size() != expectedActive) {
        throw new Violation("order " + id + " is " + order.currentStatus() + " with " + active.size()
            + " active reservations: " + order.reservations().values(), id);
      }
      if (expectedActive == 1 && !order.standingReservation().equals(Optional.of(active.get(0)))) {
        throw new Violation("order " + id + " keeps a reservation that does not stand: " + active.get(0), id);
      }
      if (order.reservations().size() > 1) {
        sim.stats.duplicateReservations++;
        Reservation standing = order.standingReservation().orElseThrow();
        for (Reservation r : order.reservations().values()) {
          if (r != standing && order.conflicts().stream().noneMatch(c -> c.field().equals("reservation")
              && c.loser().region().equals(r.region()) && c.loser().stamp().equals(r.reservedAt()))) {
            throw new Violation("duplicate reservation of " + id + " in " + r.region() + " is not recorded", id);
          }
        }
      }
      for (Reservation r : active) {
        r.takenFrom().forEach((product, takes) -> takes.forEach((shard, units) ->
            heldByReservations.merge(product + "@" + r.region() + "#" + shard, units, Long::sum)));
      }
      for (Conflict c : order.conflicts()) {
        if (!referenceLog.contains(c)) {
          throw new Violation("order " + id + " carries a conflict missing from the conflict log: " + c, id);
        }
      }
    }

    // Zero oversold units: every shard's reserved units are exactly the units active holds took from it.
    Map<String, Long> reservedByShards = new TreeMap<>();
    for (StockAllocation a : shards) {
      if (a.reserved() != 0) {
        reservedByShards.put(a.productId() + "@" + a.region() + "#" + a.shard(), a.reserved());
      }
    }
    if (!reservedByShards.equals(heldByReservations)) {
      Set<String> differing = new TreeSet<>(reservedByShards.keySet());
      differing.addAll(heldByReservations.keySet());
      differing.removeIf(k -> Objects.equals(reservedByShards.get(k), heldByReservations.get(k)));
      String first = differing.iterator().next();
      throw new Violation("reserved units differ from active holds at " + differing + ": reserved in the shard "
          + reservedByShards.get(first) + ", held by orders " + heldByReservations.get(first) + " (" + first + ")",
          first.substring(0, first.indexOf('@')));
    }

    // Conserved and nothing left in flight.
    requireStockConserved(sim);
    sim.unitsInFlight().forEach((product, units) -> {
      if (units != 0) {
        throw new Violation(units + " units of " + product + " still in flight after convergence", product.value());
      }
    });
    // The transfer ledgers are bounded: once every transfer is received, every one has settled.
    for (String region : sim.regions.keySet()) {
      for (ProductId product : ProtocolSimulation.PRODUCTS) {
        RegionStock own = sim.ownStock(region, product);
        if (!own.shards().isEmpty() && !own.head().outgoing().isEmpty()) {
          throw new Violation(own.head().outgoing().size() + " received transfers of " + product + "@" + region
              + " never settled: " + own.head().outgoing().keySet(), product.value());
        }
      }
    }

    // Every concurrent product edit is in the conflict log: a register write that is not the final value and
    // that no later write knowingly replaced (overwrote it as the value it saw) lost to a concurrent write.
    for (RegisterWrite write : sim.registerWrites) {
      LwwRegister<?> finalRegister = ProtocolSimulation.register(products.get(write.product()), write.field());
      if (finalRegister.stamp().equals(write.stamp())) {
        continue;
      }
      boolean replacedKnowingly = sim.registerWrites.stream().anyMatch(w -> w.product().equals(write.product())
          && w.field().equals(write.field()) && write.stamp().equals(w.replaced()));
      boolean recorded = referenceLog.stream().anyMatch(c -> c.entity().equals(Product.ENTITY)
          && c.key().equals(write.product().value()) && c.field().equals(write.field())
          && c.loser().stamp().equals(write.stamp()));
      if (!replacedKnowingly && !recorded) {
        throw new Violation("the " + write.field() + " of " + write.product() + " written in " + write.region() + " ("
            + write.value() + " at " + write.stamp() + ") lost to a concurrent write without a recorded conflict; final "
            + finalRegister, write.product().value());
      }
    }
    for (Conflict c : referenceLog) {
      if (c.entity().equals(Product.ENTITY)) {
        sim.stats.productConflicts++;
        if (c.winner().stamp().compareTo(c.loser().stamp()) <= 0) {
          throw new Violation("product conflict where the earlier write won: " + c, c.key());
        }
      }
    }
  }

  /** Orders, holds, demands, products and stock shards by key, as the replica holds them (without versions). */
  private static SortedMap<String, Object> replicatedState(SimulatedRegion region) {
    SortedMap<String, Object> state = new TreeMap<>();
    for (Item item : region.table.items()) {
      if (item.value() instanceof Order || item.value() instanceof HoldItem || item.value() instanceof PendingDemand
          || item.value() instanceof Product || item.value() instanceof StockAllocation) {
        state.put(item.key(), item.value());
      }
    }
    return state;
  }

  /** The region's conflict log, read page by page through the port as an operator would. */
  static Set<Conflict> conflictLog(SimulatedRegion region) {
    Set<Conflict> all = new TreeSet<>();
    String cursor = null;
    do {
      Page<Conflict> page = region.conflicts.list(cursor, Page.MAX_LIMIT);
      all.addAll(page.items());
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    return all;
  }

  /** The entity id inside an item key ({@code ORDER#o-…|ORDER} → {@code o-…}). */
  private static String idOf(String key) {
    int hash = key.indexOf('#');
    int bar = key.indexOf('|');
    return hash >= 0 && bar > hash ? key.substring(hash + 1, bar) : key;
  }
}
