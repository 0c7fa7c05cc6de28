package dev.meridian.application.replication;

import dev.meridian.application.UseCase;
import dev.meridian.application.Versioned;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
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
 *       a copy under its own origin. The copy is still this region's write to the global table,
 *       stamped with this region's write time, so it can replicate over a newer write of the
 *       origin's that is still in flight; that write's own event then arrives here and merges
 *       over the copy, so nothing is lost (the protocol simulation stamps copies the same way).</li>
 *   <li><b>This region's holds</b>: whenever the merged order says this region must release its
 *       reservation (the order was cancelled elsewhere, or another region's reservation stands),
 *       the same write returns the held units. This is decided on every event, even one already
 *       contained: global-table replication may have delivered the remote state first.</li>
 *   <li><b>Transfers</b>: a remote allocation whose outgoing ledger names this region gives
 *       units here; each transfer is received once (every one the giver's state lists, together),
 *       then this region's orders pending that product are confirmed while units last (oldest
 *       first). A remote allocation that shows transfers of this region's as received settles
 *       them: they leave this region's ledger, so the ledgers stay bounded.</li>
 *   <li><b>Giving</b> ({@link StockPolicy}): a remote allocation is also that region's ask. Its
 *       deficit is what its pending orders wait for plus the low-water mark, minus what it has
 *       available and what is already in flight to it (every region's outgoing transfers to it
 *       that it has not yet received, as this replica sees them). Each peer gives its share of
 *       the deficit, in proportion to what it can give: units above its own pending needs and,
 *       unless the asker has pending orders, above its own low-water mark. Stale views can
 *       make two peers give for the same deficit; the surplus is never lost, only moved.</li>
 * </ul>
 * {@link #sweep} (on the reconciler's schedule) confirms pending orders that local units now
 * cover (after a restock), and cancels those older than {@link StockPolicy#pendingTimeout()}.
 * Applying the same event twice, or an older one after a newer, changes nothing the second time.
 */
@UseCase
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
    /** This region gave units to the event's region, which asked for them. */
    GAVE,
    /** Transfers this region gave that the event's region has received were dropped from its ledger. */
    SETTLED,
    /** Nothing in the event concerns this region (an allocation with no transfer to it). */
    NOT_ADDRESSED
  }

  /**
   * @param conflicts     conflicts newly recorded by this region
   * @param unitsReceived units added to this region's allocation by transfers
   * @param unitsGiven    units this region gave to the event's region
   * @param releasedHold  true when this region returned its held units for the order
   * @param confirmed     pending orders confirmed with units received
   */
  public record Outcome(Action action, List<Conflict> conflicts, long unitsReceived, long unitsGiven,
      boolean releasedHold, int confirmed) {
    public Outcome {
      conflicts = List.copyOf(conflicts);
    }

    static Outcome of(Action action) {
      return new Outcome(action, List.of(), 0, 0, false, 0);
    }
  }

  /** What a sweep of this region's pending orders did. */
  public record SweepReport(int confirmed, int cancelled, int stillPending) {}

  private enum PendingResult { CONFIRMED, CANCELLED, DROPPED, WAITING }

  /** The event kept losing races with local writes; the caller should retry it later. */
  public static final class ContentionException extends RuntimeException {
    ContentionException(String message) {
      super(message);
    }
  }

  private final String region;
  private final HybridLogicalClock clock;
  private final StockPolicy policy;
  private final OrderRepository orders;
  private final CatalogRepository catalog;
  private final ReplicaStore replica;

  public ReconcileService(HybridLogicalClock clock, StockPolicy policy, OrderRepository orders, CatalogRepository catalog,
      ReplicaStore replica) {
    this.region = clock.region();
    this.clock = clock;
    this.policy = policy;
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
        return new Outcome(contained ? Action.RELEASED : Action.MERGED, found, 0, 0, release, 0);
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
        return new Outcome(Action.MERGED, found, 0, 0, false, 0);
      }
    }
    throw new ContentionException("product " + remote.id() + " changed during " + MAX_ATTEMPTS + " attempts to merge it");
  }

  private Outcome applyAllocation(StockAllocation remote) {
    long received = receiveTransfers(remote);
    if (received > 0) {
      int confirmed = confirmPending(remote.productId());
      return new Outcome(Action.RECEIVED, List.of(), received, 0, false, confirmed);
    }
    long given = giveTo(remote);
    if (given > 0) {
      return new Outcome(Action.GAVE, List.of(), 0, given, false, 0);
    }
    if (settleWith(remote)) {
      return Outcome.of(Action.SETTLED);
    }
    return Outcome.of(remote.outgoing().values().stream().anyMatch(t -> t.toRegion().equals(region))
        ? Action.CONTAINED : Action.NOT_ADDRESSED);
  }

  private long receiveTransfers(StockAllocation remote) {
    if (remote.outgoing().values().stream().noneMatch(t -> t.toRegion().equals(region))) {
      return 0;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      StockAllocation current = replica.allocation(remote.productId(), region)
          .orElseGet(() -> StockAllocation.empty(remote.productId(), region));
      StockAllocation next = current.receiveFrom(remote);
      long units = next.received() - current.received();
      if (units == 0 || replica.writeAllocation(next, current.revision())) {
        return units;
      }
    }
    throw new ContentionException("allocation " + remote.productId() + "@" + region + " changed during "
        + MAX_ATTEMPTS + " attempts to receive transfers");
  }

  /** Drops from this region's ledger the transfers {@code receiver} shows as received; true when it wrote. */
  private boolean settleWith(StockAllocation receiver) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<StockAllocation> mine = replica.allocation(receiver.productId(), region);
      if (mine.isEmpty()) {
        return false;
      }
      StockAllocation settled = mine.get().settleWith(receiver);
      if (settled == mine.get()) {
        return false;
      }
      if (replica.writeAllocation(settled, mine.get().revision())) {
        return true;
      }
    }
    throw new ContentionException("allocation " + receiver.productId() + "@" + region + " changed during "
        + MAX_ATTEMPTS + " attempts to settle transfers");
  }

  /** This region's share of {@code asker}'s deficit, given now; 0 when there is none to give. */
  private long giveTo(StockAllocation asker) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      List<StockAllocation> all = replica.allocations(asker.productId());
      Optional<StockAllocation> mine = all.stream().filter(a -> a.region().equals(region)).findFirst();
      if (mine.isEmpty()) {
        return 0;
      }
      long inFlight = 0;
      for (StockAllocation giver : all) {
        if (giver.region().equals(asker.region())) {
          continue;
        }
        inFlight += asker.inFlightFrom(giver);
      }
      long deficit = asker.pendingUnits() + policy.lowWaterMark() - asker.available() - inFlight;
      if (deficit <= 0) {
        return 0;
      }
      boolean forOrders = asker.pendingUnits() > 0;
      long total = all.stream().filter(a -> !a.region().equals(asker.region()))
          .mapToLong(a -> giveable(a, forOrders)).sum();
      long mayGive = giveable(mine.get(), forOrders);
      if (mayGive <= 0 || total <= 0) {
        return 0;
      }
      long share = Math.min(mayGive, (deficit * mayGive + total - 1) / total);
      if (replica.writeAllocation(mine.get().give(asker.region(), share), mine.get().revision())) {
        return share;
      }
    }
    throw new ContentionException("allocation " + asker.productId() + "@" + region + " changed during "
        + MAX_ATTEMPTS + " attempts to give units");
  }

  private long giveable(StockAllocation giver, boolean forOrders) {
    return Math.max(0, giver.available() - giver.pendingUnits() - (forOrders ? 0 : policy.lowWaterMark()));
  }

  /** Confirms this region's orders pending {@code productId}, oldest first, while units last. */
  private int confirmPending(ProductId productId) {
    Optional<StockAllocation> mine = replica.allocation(productId, region);
    if (mine.isEmpty() || mine.get().pending().isEmpty()) {
      return 0;
    }
    int confirmed = 0;
    for (OrderId id : oldestFirst(mine.get().pending().keySet())) {
      if (settlePending(id, false, java.util.Set.of(productId)) == PendingResult.CONFIRMED) {
        confirmed++;
      }
    }
    return confirmed;
  }

  /**
   * Confirms every pending order of this region that its units now cover, and cancels the ones
   * older than the policy's timeout.
   */
  public SweepReport sweep() {
    java.util.Map<String, java.util.Set<ProductId>> pendingIds = new java.util.TreeMap<>();
    replica.allocationsWithPendingOrders(region).forEach(a -> a.pending().keySet().forEach(id ->
        pendingIds.computeIfAbsent(id, k -> new java.util.TreeSet<>()).add(a.productId())));
    int confirmed = 0;
    int cancelled = 0;
    int waiting = 0;
    for (OrderId id : oldestFirst(pendingIds.keySet())) {
      switch (settlePending(id, true, pendingIds.get(id.value()))) {
        case CONFIRMED -> confirmed++;
        case CANCELLED -> cancelled++;
        case WAITING -> waiting++;
        case DROPPED -> { }
      }
    }
    return new SweepReport(confirmed, cancelled, waiting);
  }

  private List<OrderId> oldestFirst(java.util.Collection<String> ids) {
    List<Versioned<Order>> found = new ArrayList<>();
    for (String id : ids) {
      orders.find(new OrderId(id)).ifPresent(found::add);
    }
    found.sort(java.util.Comparator.comparing(v -> v.value().body().placedAt()));
    return found.stream().map(v -> v.value().id()).toList();
  }

  /** Cancelled or shipped, or already backed by an active reservation for the winning body. */
  private static boolean isVoid(Order order) {
    return order.currentStatus().isTerminal() || order.backingReservation().isPresent();
  }

  /**
   * True when this region's demand is exactly the winning body's units. It may not be: the same
   * key placed with other lines elsewhere wins by first placement — a view that can change as
   * merges arrive, so a mismatch is never dropped on sight; it waits, and is cancelled at the
   * timeout unless a merge makes it match.
   */
  private static boolean demandMatches(Order order, OrderId id, List<StockAllocation> held) {
    java.util.SortedMap<ProductId, Integer> needed = order.units();
    return held.size() == needed.size() && held.stream().allMatch(a -> needed.containsKey(a.productId())
        && needed.get(a.productId()).longValue() == a.pending().get(id.value()));
  }

  /**
   * @param knownPending products whose allocation here is known to carry this order's demand; the
   *                     demand may be for a body that lost (other lines), so the winning body's
   *                     products alone would miss it
   */
  private PendingResult settlePending(OrderId id, boolean cancelWhenExpired, java.util.Set<ProductId> knownPending) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<Order>> stored = orders.find(id);
      if (stored.isEmpty()) {
        return PendingResult.WAITING;
      }
      Order order = stored.get().value();
      long version = stored.get().version();
      List<StockAllocation> held = new ArrayList<>();
      java.util.Set<ProductId> products = new java.util.TreeSet<>(knownPending);
      products.addAll(order.units().keySet());
      for (ProductId productId : products) {
        replica.allocation(productId, region).filter(a -> a.pending().containsKey(id.value())).ifPresent(held::add);
      }
      if (held.isEmpty()) {
        return PendingResult.DROPPED;
      }
      if (isVoid(order)) {
        if (replica.writeOrderAndAllocations(order, version, version + 1,
            held.stream().map(a -> a.dropPending(id.value())).toList())) {
          return PendingResult.DROPPED;
        }
        continue;
      }
      boolean covered = demandMatches(order, id, held)
          && held.stream().allMatch(a -> a.available() >= a.pending().get(id.value()));
      if (covered) {
        Order confirmed = order.confirm(region, clock.after(order.latestStamp()));
        if (replica.writeOrderAndAllocations(confirmed, version, version + 1,
            held.stream().map(a -> a.confirmPending(id.value())).toList())) {
          return PendingResult.CONFIRMED;
        }
        continue;
      }
      long ageMs = clock.now().physicalMillis() - order.body().placedAt().physicalMillis();
      if (!cancelWhenExpired || ageMs < policy.pendingTimeout().toMillis()) {
        return PendingResult.WAITING;
      }
      Order cancelled = order.cancel(clock.after(order.latestStamp()));
      if (replica.writeOrderAndAllocations(cancelled, version, version + 1,
          held.stream().map(a -> a.dropPending(id.value())).toList())) {
        return PendingResult.CANCELLED;
      }
    }
    throw new ContentionException("pending order " + id + " changed during " + MAX_ATTEMPTS + " attempts to settle it");
  }
}
