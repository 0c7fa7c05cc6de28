package dev.meridian.proofs.convergence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.domain.stock.Transfer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code meridian.simulation.histories} generated histories (default 1,000; raise it with
 * {@code -Dmeridian.simulation.histories=100000}) and checks, for each, the invariants of the
 * design brief. A failure names the seed; rerun one history with
 * {@code -Dmeridian.simulation.seed=<seed> -Dmeridian.simulation.histories=1}.
 */
class ConvergenceSimulationTest {

  @Test
  void everyHistoryConvergesAndKeepsTheInvariants() {
    int histories = Integer.getInteger("meridian.simulation.histories", 1_000);
    long firstSeed = Long.getLong("meridian.simulation.seed", 20_261_126L);
    Stats stats = new Stats();
    long started = System.nanoTime();
    for (int i = 0; i < histories; i++) {
      long seed = firstSeed + i;
      ConvergenceSimulation sim = new ConvergenceSimulation(seed).run();
      try {
        verify(sim, stats);
      } catch (AssertionError e) {
        throw new AssertionError("history with seed " + seed + " (" + sim.regions.size() + " regions) broke an invariant: "
            + e.getMessage(), e);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("convergence simulation: %d histories in %.1f s; %d orders, %d acknowledged writes, "
            + "%d conflicts recorded (%d duplicate reservations), %d state messages delivered%n",
        histories, seconds, stats.orders, stats.acks, stats.conflicts, stats.duplicateReservations, stats.messages);
    // The generator must actually exercise the hard cases, or the invariants above prove little.
    if (histories >= 200) {
      assertThat(stats.duplicateReservations).as("histories with duplicate reservations").isPositive();
      assertThat(stats.statusConflicts).as("cancel/ship races").isPositive();
      assertThat(stats.bodyConflicts).as("same key, different body").isPositive();
      assertThat(stats.productConflicts).as("concurrent product edits").isPositive();
      assertThat(stats.transferredUnits).as("units moved by stock transfers").isPositive();
      assertThat(stats.shards).as("sharded allocations").isGreaterThan(1);
    }
  }

  private static void verify(ConvergenceSimulation sim, Stats stats) {
    Replica reference = sim.replicas.get(sim.regions.get(0));

    // 1. All replicas end equal.
    sim.replicas.forEach((region, replica) ->
        assertThat(replica).as("replica of " + region + " equals replica of " + sim.regions.get(0)).isEqualTo(reference));

    // 2. Every acknowledged write is contained in the final state.
    for (ConvergenceSimulation.Ack ack : sim.acks) {
      if (ack instanceof ConvergenceSimulation.ProductAck p) {
        Product fin = reference.products().get(p.productId());
        assertThat(fin).as("acknowledged product " + p.productId()).isNotNull();
        assertThat(fin.merge(p.written())).as("final product contains acknowledged write").isEqualTo(fin);
      } else if (ack instanceof ConvergenceSimulation.PlacedAck placed) {
        Order fin = reference.orders().get(placed.orderId());
        assertThat(fin).as("acknowledged order " + placed.orderId()).isNotNull();
        if (!fin.body().fingerprint().equals(placed.fingerprint())) {
          assertThat(ConvergenceSimulation.recorded(fin, "lines")).as("a lost body is a recorded conflict").isTrue();
        }
      } else if (ack instanceof ConvergenceSimulation.CancelAck cancel) {
        Order fin = reference.orders().get(cancel.orderId());
        assertThat(fin.currentStatus()).as("acknowledged cancel").isIn(OrderStatus.CANCELLED, OrderStatus.SHIPPED);
        if (fin.currentStatus() == OrderStatus.SHIPPED) {
          assertThat(ConvergenceSimulation.recorded(fin, "status")).as("a cancel lost to shipping is recorded").isTrue();
        }
      }
    }

    // 3. Stock: conserved, never negative (the type refuses negatives), holds match reservations.
    Map<ProductId, Long> accounted = new HashMap<>();
    Map<String, Long> heldByReservations = new HashMap<>();
    Map<String, Long> soldByReservations = new HashMap<>();
    for (Order order : reference.orders().values()) {
      long active = order.reservations().values().stream().filter(Reservation::isActive).count();
      assertThat(active).as("active reservations of " + order.id()).isLessThanOrEqualTo(1);
      order.standingReservation().ifPresent(standing -> order.reservations().values().stream()
          .filter(r -> r != standing)
          .forEach(r -> assertThat(r.state()).as("duplicate reservation settled").isNotEqualTo(ReservationState.RESERVED)));
      if (order.currentStatus() == OrderStatus.CANCELLED) {
        assertThat(order.reservations().values()).allMatch(r -> !r.isActive(), "a cancelled order holds nothing");
      }
      // Per shard: the units active holds took from it, and the units shipped holds sold from it.
      for (Reservation r : order.reservations().values()) {
        r.takenFrom().forEach((product, shards) -> shards.forEach((shard, units) -> {
          String key = product + "@" + r.region() + "#" + shard;
          if (r.state() == ReservationState.RESERVED) {
            heldByReservations.merge(key, units, Long::sum);
          } else if (r.state() == ReservationState.COMMITTED) {
            soldByReservations.merge(key, units, Long::sum);
          }
        }));
      }
      if (order.reservations().size() > 1) {
        stats.duplicateReservations++;
        assertThat(ConvergenceSimulation.recorded(order, "reservation")).as("duplicate reservation recorded").isTrue();
      }
      stats.orders++;
      stats.conflicts += order.conflicts().size();
      stats.statusConflicts += order.conflicts().stream().filter(c -> c.field().equals("status")).count();
      stats.bodyConflicts += order.conflicts().stream().filter(c -> c.field().equals("lines")).count();
    }
    Map<String, Long> heldByShards = new HashMap<>();
    long inFlight = 0;
    for (StockAllocation a : reference.allocations().values()) {
      String shard = a.productId() + "@" + a.region() + "#" + a.shard();
      accounted.merge(a.productId(), a.available() + a.reserved() + a.sold(), Long::sum);
      if (a.reserved() > 0) {
        heldByShards.put(shard, a.reserved());
      }
      assertThat(a.sold()).as("sold units of " + shard + " match shipped reservations")
          .isEqualTo(soldByReservations.getOrDefault(shard, 0L));
      stats.shards = Math.max(stats.shards, a.shard() + 1);
      stats.transferredUnits += a.given();
      for (Transfer t : a.outgoing().values()) {
        StockAllocation receiver = reference.allocations().get(t.productId() + "@" + t.toRegion());
        if (receiver == null || !receiver.hasReceived(t)) {
          inFlight += t.units();
        }
      }
      assertThat(a.outgoing()).as("transfers of " + a.productId() + "@" + a.region() + " still in the giver's ledger "
          + "after convergence (received ones settle)").isEmpty();
    }
    assertThat(inFlight).as("units in flight after convergence").isZero();
    assertThat(heldByShards).as("units reserved per shard = the units active holds took from it").isEqualTo(heldByReservations);
    sim.restockedTotal.forEach((product, restocked) ->
        assertThat(accounted.getOrDefault(product, 0L)).as("units of " + product + " conserved").isEqualTo(restocked));
    // A reshard of a product never restocked writes empty shards: no units, nothing to account for.
    assertThat(accounted.entrySet().stream().filter(e -> e.getValue() != 0).map(Map.Entry::getKey).toList())
        .as("products with units").isSubsetOf(sim.restockedTotal.keySet());

    // 4. One order per (customer, key): the id is derived, so the check is that no two ids share a pair.
    assertThat(reference.orders().values().stream()
        .map(o -> o.customer().value() + "/" + o.body().idempotencyKey().value()).distinct().count())
        .isEqualTo(reference.orders().size());

    stats.productConflicts += reference.productConflicts().stream().filter(c -> c.entity().equals("product")).count();
    for (Conflict c : reference.productConflicts()) {
      assertThat(c.winner().stamp()).as("last writer wins").isGreaterThan(c.loser().stamp());
    }
    stats.acks += sim.acks.size();
    stats.messages += sim.messagesDelivered;
  }

  private static final class Stats {
    long orders;
    long acks;
    long conflicts;
    long duplicateReservations;
    long statusConflicts;
    long bodyConflicts;
    long productConflicts;
    long transferredUnits;
    int shards;
    long messages;
  }
}
