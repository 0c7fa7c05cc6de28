package dev.meridian.proofs;

import dev.meridian.application.Page;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.proofs.ProtocolSimulation.CancelAck;
import dev.meridian.proofs.ProtocolSimulation.PlacedAck;
import dev.meridian.proofs.ProtocolSimulation.RegisterWrite;
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
   * Stock is conserved at every moment: per product, the units on hand in every region's own
   * allocation plus the units in flight equal the units restocked. (Negative counters cannot
   * even be constructed: {@link StockAllocation} refuses them.)
   */
  static void requireStockConserved(ProtocolSimulation sim) {
    Map<ProductId, Long> inFlight = sim.unitsInFlight();
    for (ProductId product : ProtocolSimulation.PRODUCTS) {
      long onHand = 0;
      for (String region : ProtocolSimulation.REGIONS) {
        StockAllocation own = sim.ownAllocation(region, product);
        onHand += own == null ? 0 : own.onHand();
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

    // Every replica converges to the same state for every order, product and allocation (versions may differ).
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
    Map<ProductId, Product> products = new TreeMap<>();
    List<StockAllocation> allocations = new ArrayList<>();
    expected.values().forEach(value -> {
      if (value instanceof Order o) {
        orders.put(o.id(), o);
      } else if (value instanceof Product p) {
        products.put(p.id(), p);
      } else if (value instanceof StockAllocation a) {
        allocations.add(a);
      }
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
    for (StockAllocation allocation : allocations) {
      if (!allocation.pending().isEmpty()) {
        throw new Violation("allocation " + allocation.productId() + "@" + allocation.region() + " still has pending demand "
            + allocation.pending(), allocation.productId().value());
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
        r.units().forEach((product, units) -> heldByReservations.put(product + "@" + r.region() + "#" + id, (long) units));
      }
      for (Conflict c : order.conflicts()) {
        if (!referenceLog.contains(c)) {
          throw new Violation("order " + id + " carries a conflict missing from the conflict log: " + c, id);
        }
      }
    }

    // Zero oversold units: every hold backs an active reservation and every active reservation is held.
    Map<String, Long> heldByAllocations = new TreeMap<>();
    for (StockAllocation a : allocations) {
      a.holds().forEach((orderId, units) -> heldByAllocations.put(a.productId() + "@" + a.region() + "#" + orderId, units));
    }
    if (!heldByAllocations.equals(heldByReservations)) {
      Set<String> differing = new TreeSet<>(heldByAllocations.keySet());
      differing.addAll(heldByReservations.keySet());
      differing.removeIf(k -> Objects.equals(heldByAllocations.get(k), heldByReservations.get(k)));
      String first = differing.iterator().next();
      throw new Violation("holds differ from active reservations at " + differing + ": held by allocations "
          + heldByAllocations.get(first) + ", by the order " + heldByReservations.get(first) + " (" + first + ")",
          first.substring(first.indexOf('#') + 1));
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
        StockAllocation own = sim.ownAllocation(region, product);
        if (own != null && !own.outgoing().isEmpty()) {
          throw new Violation(own.outgoing().size() + " received transfers of " + product + "@" + region
              + " never settled: " + own.outgoing().keySet(), product.value());
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

  /** Orders, products and allocations by key, as the replica holds them (without versions). */
  private static SortedMap<String, Object> replicatedState(SimulatedRegion region) {
    SortedMap<String, Object> state = new TreeMap<>();
    for (Item item : region.table.items()) {
      if (item.value() instanceof Order || item.value() instanceof Product || item.value() instanceof StockAllocation) {
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
