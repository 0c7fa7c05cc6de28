package dev.meridian.app.replication;

import dev.meridian.app.Versioned;
import dev.meridian.app.catalog.CatalogEntry;
import dev.meridian.app.catalog.CatalogRepository;
import dev.meridian.app.orders.OrderRepository;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.domain.stock.Transfer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reconciler's use case: bring one remote change into this region's replica.
 *
 * <ul>
 *   <li><b>Orders and products</b>: where the remote state is not contained in the local one,
 *       write {@code merge(local, remote)} (with the conflicts the pair reveals, recorded in the
 *       same transaction) conditionally on the local version, with version
 *       {@code max(local, remote) + 1}. The merges are deterministic, so two regions merging the
 *       same pair write identical states. With no local item yet, the remote state is stored as
 *       a copy under its own origin.</li>
 *   <li><b>This region's holds</b>: whenever the merged order says this region must release its
 *       reservation (the order was cancelled elsewhere, or another region's reservation stands),
 *       the same write returns the held units. This is decided on every event, even one already
 *       contained: global-table replication may have delivered the remote state first.</li>
 *   <li><b>Transfers</b>: a remote allocation whose outgoing ledger names this region gives
 *       units here; each transfer id is received once.</li>
 * </ul>
 * Applying the same event twice, or an older one after a newer, changes nothing the second time.
 */
public final class ReconcileService {
  private static final int MAX_ATTEMPTS = 6;

  /** What applying one event did. */
  public enum Action {
    /** No local item yet: the remote state was stored as a copy. */
    COPIED,
    /** The merge was written (and conflicts, if any, recorded). */
    MERGED,
    /** Only this region's now-superseded reservation was released. */
    RELEASED,
    /** The local state already contained the remote one: nothing written. */
    CONTAINED,
    /** Transfers addressed to this region were received. */
    RECEIVED,
    /** Nothing in the event concerns this region (an allocation with no transfer to it). */
    NOT_ADDRESSED
  }

  /**
   * @param conflicts     conflicts newly recorded by this region
   * @param unitsReceived units added to this region's allocation by transfers
   * @param releasedHold  true when this region returned its held units for the order
   */
  public record Outcome(Action action, List<Conflict> conflicts, long unitsReceived, boolean releasedHold) {
    public Outcome {
      conflicts = List.copyOf(conflicts);
    }

    static Outcome of(Action action) {
      return new Outcome(action, List.of(), 0, false);
    }
  }

  /** The event kept losing races with local writes; the caller should retry it later. */
  public static final class ContentionException extends RuntimeException {
    ContentionException(String message) {
      super(message);
    }
  }

  private final String region;
  private final OrderRepository orders;
  private final CatalogRepository catalog;
  private final ReplicaStore replica;

  public ReconcileService(String region, OrderRepository orders, CatalogRepository catalog, ReplicaStore replica) {
    this.region = region;
    this.orders = orders;
    this.catalog = catalog;
    this.replica = replica;
  }

  /**
   * @throws IllegalArgumentException when the event claims to come from this region (the template's
   *     rule only queues remote events, so this is a wiring fault worth a dead letter)
   * @throws ContentionException when local writes kept changing the item
   */
  public Outcome apply(ChangeEvent event) {
    if (event.originRegion().equals(region)) {
      throw new IllegalArgumentException("event " + event.eventId() + " originated in this region");
    }
    Change change = event.change();
    if (change instanceof Change.OrderChange order) {
      return applyOrder(event, order.order());
    }
    if (change instanceof Change.ProductChange product) {
      return applyProduct(event, product.product());
    }
    return applyAllocation(((Change.AllocationChange) change).allocation());
  }

  private Outcome applyOrder(ChangeEvent event, Order remote) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<Order>> stored = orders.find(remote.id());
      if (stored.isEmpty()) {
        if (replica.copyOrder(remote, event.version(), event.originRegion())) {
          return Outcome.of(Action.COPIED);
        }
        continue;
      }
      Order local = stored.get().value();
      // reconcile, not merge: a remote write that loses every field still adds its conflict records.
      Order merged = local.reconcile(remote);
      boolean contained = merged.equals(local);
      boolean release = merged.actionFor(region) == Order.ReservationAction.RELEASE && holdsHere(merged);
      if (contained && !release) {
        return Outcome.of(Action.CONTAINED);
      }
      Order toWrite = release ? merged.releaseReservation(region) : merged;
      List<Conflict> found = new ArrayList<>(toWrite.conflicts());
      found.removeAll(local.conflicts());
      long newVersion = Math.max(stored.get().version(), event.version()) + 1;
      if (replica.writeOrder(toWrite, stored.get().version(), newVersion, found, release)) {
        return new Outcome(contained ? Action.RELEASED : Action.MERGED, found, 0, release);
      }
    }
    throw new ContentionException("order " + remote.id() + " changed during " + MAX_ATTEMPTS + " attempts to merge it");
  }

  /**
   * True when this region's allocations still hold the units of its reservation. A reservation
   * marked active without the holds is a stale copy (replication overwrote a newer local state):
   * the region's own later write will arrive and advance it, so nothing is released twice.
   */
  private boolean holdsHere(Order order) {
    Reservation mine = order.reservations().get(region);
    if (mine == null || !mine.isActive()) {
      return false;
    }
    for (ProductId productId : mine.units().keySet()) {
      Optional<StockAllocation> allocation = replica.allocation(productId, region);
      if (allocation.isEmpty() || !allocation.get().holds(order.id().value())) {
        return false;
      }
    }
    return true;
  }

  private Outcome applyProduct(ChangeEvent event, Product remote) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<CatalogEntry> stored = catalog.find(remote.id());
      if (stored.isEmpty()) {
        if (replica.copyProduct(remote, event.version(), event.originRegion())) {
          return Outcome.of(Action.COPIED);
        }
        continue;
      }
      Product local = stored.get().product();
      // A concurrent remote write that loses every field still changes the state (the merge records
      // that it was superseded), so a state that contains the remote one has no conflict left with it.
      if (local.contains(remote)) {
        return Outcome.of(Action.CONTAINED);
      }
      List<Conflict> found = local.conflictsWith(remote);
      long newVersion = Math.max(stored.get().version(), event.version()) + 1;
      if (replica.writeProduct(local.merge(remote), stored.get().version(), newVersion, found)) {
        return new Outcome(Action.MERGED, found, 0, false);
      }
    }
    throw new ContentionException("product " + remote.id() + " changed during " + MAX_ATTEMPTS + " attempts to merge it");
  }

  private Outcome applyAllocation(StockAllocation remote) {
    List<Transfer> toHere = remote.outgoing().values().stream().filter(t -> t.toRegion().equals(region)).toList();
    if (toHere.isEmpty()) {
      return Outcome.of(Action.NOT_ADDRESSED);
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      StockAllocation current = replica.allocation(remote.productId(), region)
          .orElseGet(() -> StockAllocation.empty(remote.productId(), region));
      StockAllocation next = current;
      long units = 0;
      for (Transfer transfer : toHere) {
        if (!next.hasReceived(transfer.id())) {
          next = next.receive(transfer);
          units += transfer.units();
        }
      }
      if (units == 0) {
        return Outcome.of(Action.CONTAINED);
      }
      if (replica.writeAllocation(next, current.revision())) {
        return new Outcome(Action.RECEIVED, List.of(), units, false);
      }
    }
    throw new ContentionException("allocation " + remote.productId() + "@" + region + " changed during "
        + MAX_ATTEMPTS + " attempts to receive transfers");
  }
}
