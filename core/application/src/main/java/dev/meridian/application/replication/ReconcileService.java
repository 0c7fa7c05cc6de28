package dev.meridian.application.replication;

import dev.meridian.application.UseCase;
import dev.meridian.application.Versioned;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.application.control.StockRoles;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.OrderWrite;
import dev.meridian.application.orders.WideHolds;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
 *   <li><b>This region's hold</b>: whenever the merged order says this region must release its
 *       hold (the order was cancelled elsewhere, or another region's hold stands), the same
 *       transaction moves the hold to RELEASED (only if it is still RESERVED) and gives its units
 *       back to the shards they came from. This is decided on every order or hold event, even one
 *       already contained: global-table replication may have delivered the remote state first.
 *       Another region's hold is never written here: its region alone writes it.</li>
 *   <li><b>Transfers</b>: a remote head shard whose outgoing ledger names this region gives units
 *       here; each transfer is received once (every one the giver's head lists, together), then
 *       this region's orders pending that product are confirmed while units last (oldest first).
 *       A remote head that shows transfers of this region's as received settles them: they leave
 *       this region's ledger, so the ledgers stay bounded.</li>
 *   <li><b>Giving</b> ({@link StockPolicy}): a remote shard is also that region's ask. Its deficit
 *       is what its pending orders wait for (its head counts them) plus the low-water mark, minus
 *       what it has available over its shards and what is already in flight to it (every region's
 *       outgoing transfers to it that it has not yet received, as this replica sees them). Each
 *       peer gives its share of the deficit, in proportion to what it can give: units above its
 *       own pending needs and, unless the asker has pending orders, above its own low-water mark.
 *       Stale views can make two peers give for the same deficit; the surplus is never lost, only
 *       moved.</li>
 *   <li><b>Active-passive</b> ({@link StockRoles}): stock follows the primary. A region that does
 *       not sell gives the primary every unit above what it keeps (the standby reserve, when it
 *       holds it), whatever the primary's deficit; the reserve holder asks for its reserve as a
 *       region below its low-water mark asks; and no region gives away units it keeps.</li>
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
    /** Only this region's now-superseded hold was released. */
    RELEASED,
    /** The local state already contained the remote one: nothing written. */
    CONTAINED,
    /** Transfers addressed to this region were received. */
    RECEIVED,
    /** This region gave units to the event's region, which asked for them. */
    GAVE,
    /** Transfers this region gave that the event's region has received were dropped from its ledger. */
    SETTLED,
    /** Nothing in the event concerns this region (a shard with no transfer to it and no ask). */
    NOT_ADDRESSED
  }

  /**
   * @param conflicts     conflicts newly recorded by this region
   * @param unitsReceived units added to this region's stock by transfers
   * @param unitsGiven    units this region gave to the event's region
   * @param releasedHold  true when this region released its hold of the order
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

  /** What a sweep of this region's pending demands did. */
  public record SweepReport(int confirmed, int cancelled, int stillPending) {}

  private enum PendingResult { CONFIRMED, CANCELLED, DROPPED, WAITING }

  /** The event kept losing races with local writes, or needs a state not here yet; the caller should retry it later. */
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
  private final IntSupplier shardStart;
  private final Supplier<StockRoles> stockRoles;

  /** A reconciler whose regions all sell and keep no reserve (active-active). */
  public ReconcileService(HybridLogicalClock clock, StockPolicy policy, OrderRepository orders, CatalogRepository catalog,
      ReplicaStore replica, IntSupplier shardStart) {
    this(clock, policy, orders, catalog, replica, shardStart, () -> StockRoles.ACTIVE_ACTIVE);
  }

  /** @param stockRoles who sells and who keeps the standby reserve, as the control item says when units are given */
  public ReconcileService(HybridLogicalClock clock, StockPolicy policy, OrderRepository orders, CatalogRepository catalog,
      ReplicaStore replica, IntSupplier shardStart, Supplier<StockRoles> stockRoles) {
    this.stockRoles = stockRoles;
    this.region = clock.region();
    this.clock = clock;
    this.policy = policy;
    this.orders = orders;
    this.catalog = catalog;
    this.replica = replica;
    this.shardStart = shardStart;
  }

  /**
   * @throws IllegalArgumentException when the event claims to come from this region (the template's
   *     rule only queues remote events, so this is a wiring fault worth a dead letter)
   * @throws ContentionException when local writes kept changing the item, or a hold arrived before its order
   */
  public Outcome apply(ChangeEvent event) {
    if (event.originRegion().equals(region)) {
      throw new IllegalArgumentException("event " + event.eventId() + " originated in this region");
    }
    return switch (event.change()) {
      case Change.OrderChange order -> applyOrder(event, order.order());
      case Change.HoldChange hold -> applyHold(hold.orderId(), hold.hold());
      case Change.ProductChange product -> applyProduct(event, product.product());
      case Change.AllocationChange allocation -> applyAllocation(allocation.allocation());
    };
  }

  private Outcome applyOrder(ChangeEvent event, Order remote) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<Order>> stored = orders.find(remote.id());
      if (stored.isEmpty()) {
        if (replica.copyOrder(remote.itemState(), event.version(), event.originRegion())) {
          return Outcome.of(Action.COPIED);
        }
        continue;
      }
      // reconcile, not merge: a remote write that loses every field still adds its conflict records.
      Optional<Outcome> done = settle(stored.get(), remote, Math.max(stored.get().version(), event.version()) + 1);
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new ContentionException("order " + remote.id() + " changed during " + MAX_ATTEMPTS + " attempts to merge it");
  }

  /**
   * Another region's hold: which of the order's holds stands may have changed. The remote state
   * counts as far as it is newer than this replica's copy of it (global tables may not have
   * brought it yet), and is never written here.
   */
  private Outcome applyHold(OrderId orderId, Reservation remote) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<Order>> stored = orders.find(orderId);
      if (stored.isEmpty()) {
        throw new ContentionException("hold of " + orderId + " in " + remote.region() + " arrived before its order");
      }
      Order local = stored.get().value();
      Optional<Outcome> done = settle(stored.get(), local.withReservation(remote), stored.get().version() + 1);
      if (done.isPresent()) {
        // The event is the only news of the remote hold until replication brings its item: a demand
        // waiting here for an order that hold now backs must end now, or a later sweep, blind to
        // the hold, would confirm a second one.
        Optional<PendingDemand> waiting = orders.findDemand(orderId).filter(PendingDemand::isWaiting);
        if (remote.isActive() && waiting.isPresent()) {
          settlePending(waiting.get(), false, Optional.of(remote));
        }
        return done.get();
      }
    }
    throw new ContentionException("order " + orderId + " changed during " + MAX_ATTEMPTS + " attempts to apply a hold");
  }

  /**
   * Brings {@code remote} (another region's view of the order) into the stored order: the merge and
   * the conflicts it reveals, and this region's hold released when another stands or the order is
   * cancelled. Empty when a concurrent write changed something (read again).
   */
  private Optional<Outcome> settle(Versioned<Order> stored, Order remote, long newVersion) {
    Order local = stored.value();
    Order merged = local.reconcile(remote);
    Reservation mine = local.reservations().get(region);
    boolean release = mine != null && mine.isActive() && merged.actionFor(region) == Order.ReservationAction.RELEASE;
    boolean itemContained = merged.itemState().equals(local.itemState());
    if (itemContained && !release) {
      return Optional.of(Outcome.of(Action.CONTAINED));
    }
    Order toWrite = release ? merged.releaseReservation(region) : merged;
    List<Conflict> found = new ArrayList<>(toWrite.conflicts());
    found.removeAll(local.conflicts());
    OrderWrite write = OrderWrite.of(toWrite, stored.version(), newVersion).withConflicts(found);
    if (release) {
      write = write.withHold(new OrderWrite.HoldMove(Optional.of(mine), mine.withState(ReservationState.RELEASED)));
    }
    if (orders.write(write) != OrderRepository.WriteResult.WRITTEN) {
      return Optional.empty();
    }
    return Optional.of(new Outcome(itemContained ? Action.RELEASED : Action.MERGED, found, 0, 0, release, 0));
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
    if (remote.isHead()) {
      long received = receiveTransfers(remote);
      if (received > 0) {
        int confirmed = confirmPending(remote.productId());
        return new Outcome(Action.RECEIVED, List.of(), received, 0, false, confirmed);
      }
    }
    long given = giveTo(remote);
    if (given > 0) {
      return new Outcome(Action.GAVE, List.of(), 0, given, false, 0);
    }
    if (remote.isHead() && settleWith(remote)) {
      return Outcome.of(Action.SETTLED);
    }
    return Outcome.of(remote.outgoing().values().stream().anyMatch(t -> t.toRegion().equals(region))
        ? Action.CONTAINED : Action.NOT_ADDRESSED);
  }

  /** Writes {@code change(stock)} of this region's stock, conditional on what was read; retried on contention. */
  private boolean changeOwnStock(ProductId productId, UnaryOperator<RegionStock> change, String what) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      RegionStock before = catalog.stock(productId, region);
      List<RegionStock.ShardWrite> writes = change.apply(before).changedSince(before);
      if (writes.isEmpty()) {
        return false;
      }
      if (catalog.writeStock(writes)) {
        return true;
      }
    }
    throw new ContentionException("stock " + productId + "@" + region + " changed during " + MAX_ATTEMPTS + " attempts to " + what);
  }

  private long receiveTransfers(StockAllocation giverHead) {
    if (giverHead.outgoing().values().stream().noneMatch(t -> t.toRegion().equals(region))) {
      return 0;
    }
    long[] units = {0};
    changeOwnStock(giverHead.productId(), stock -> {
      StockAllocation next = stock.head().receiveFrom(giverHead);
      units[0] = next.received() - stock.head().received();
      return stock.with(next);
    }, "receive transfers");
    return units[0];
  }

  /** Drops from this region's ledger the transfers {@code receiverHead} shows as received; true when it wrote. */
  private boolean settleWith(StockAllocation receiverHead) {
    if (catalog.stock(receiverHead.productId(), region).shards().isEmpty()) {
      return false;
    }
    return changeOwnStock(receiverHead.productId(), stock -> stock.with(stock.head().settleWith(receiverHead)),
        "settle transfers");
  }

  /** This region's share of the deficit of the region {@code shard} belongs to, given now; 0 when there is none to give. */
  private long giveTo(StockAllocation shard) {
    String asker = shard.region();
    StockRoles roles = stockRoles.get();
    boolean sellsOrKeeps = sells(asker, roles) || roles.reserveHolder().filter(asker::equals).isPresent();
    if (!sellsOrKeeps) {
      return 0;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<CatalogEntry> entry = catalog.find(shard.productId());
      if (entry.isEmpty()) {
        return 0;
      }
      RegionStock mine = entry.get().stockIn(region).orElse(RegionStock.empty(shard.productId(), region));
      if (mine.shards().isEmpty()) {
        return 0;
      }
      // The event may be newer than the replica: the asker as the event shows it. Its restocks count
      // towards the reserve a giver keeps, so a stale replica of them must not shrink that reserve.
      RegionStock askerNow = catalog.stockWith(shard);
      List<RegionStock> all = new ArrayList<>(entry.get().stock().stream().filter(s -> !s.region().equals(asker)).toList());
      all.add(askerNow);
      long inFlight = 0;
      for (RegionStock giver : all) {
        if (!giver.region().equals(asker)) {
          inFlight += askerNow.head().inFlightFrom(giver.head());
        }
      }
      // Active-passive: the primary is the only region that sells, so it has a use for every unit
      // that no other region keeps.
      boolean toPrimary = roles.isPrimary(asker) && !roles.isPrimary(region);
      // The reserve holder asks for its reserve and no more: it would give any unit above it back to the primary.
      long wanted = sells(asker, roles) ? policy.lowWaterMark() : roles.keeps(asker, all);
      long deficit = askerNow.pending() + wanted - askerNow.available() - inFlight;
      if (!toPrimary && deficit <= 0) {
        return 0;
      }
      boolean forOrders = toPrimary || askerNow.pending() > 0;
      long total = all.stream().filter(s -> !s.region().equals(asker)).mapToLong(s -> giveable(s, forOrders, roles, all)).sum();
      long mayGive = giveable(mine, forOrders, roles, all);
      if (mayGive <= 0 || total <= 0) {
        return 0;
      }
      long share = toPrimary ? mayGive : Math.min(mayGive, (deficit * mayGive + total - 1) / total);
      if (catalog.writeStock(mine.give(asker, share).changedSince(mine))) {
        return share;
      }
    }
    throw new ContentionException("stock " + shard.productId() + "@" + region + " changed during " + MAX_ATTEMPTS
        + " attempts to give units");
  }

  /**
   * Units {@code giver} can spare: above its own pending needs, above what it keeps (the standby
   * reserve) and, for a mere refill, above its low-water mark. A region that does not sell
   * (active-passive) needs no low-water mark of its own.
   */
  private long giveable(RegionStock giver, boolean forOrders, StockRoles roles, List<RegionStock> all) {
    long cushion = forOrders || !sells(giver.region(), roles) ? 0 : policy.lowWaterMark();
    return Math.max(0, giver.available() - giver.pending() - Math.max(cushion, roles.keeps(giver.region(), all)));
  }

  private static boolean sells(String region, StockRoles roles) {
    return roles.primary().isEmpty() || roles.isPrimary(region);
  }

  /** Confirms this region's orders pending {@code productId}, oldest first, while units last. */
  private int confirmPending(ProductId productId) {
    int confirmed = 0;
    for (PendingDemand demand : replica.waitingDemands(region)) {
      if (demand.units().containsKey(productId) && settlePending(demand, false, Optional.empty()) == PendingResult.CONFIRMED) {
        confirmed++;
      }
    }
    return confirmed;
  }

  /**
   * Confirms every pending order of this region that its units now cover, cancels the ones older
   * than the policy's timeout, and ends the demands of orders cancelled or held elsewhere meanwhile.
   */
  public SweepReport sweep() {
    int confirmed = 0;
    int cancelled = 0;
    int waiting = 0;
    for (PendingDemand demand : replica.waitingDemands(region)) {
      switch (settlePending(demand, true, Optional.empty())) {
        case CONFIRMED -> confirmed++;
        case CANCELLED -> cancelled++;
        case WAITING -> waiting++;
        case DROPPED -> { }
      }
    }
    return new SweepReport(confirmed, cancelled, waiting);
  }

  /** Cancelled or shipped, or already backed by an active reservation for the winning body. */
  private static boolean isVoid(Order order) {
    return order.currentStatus().isTerminal() || order.backingReservation().isPresent();
  }

  /**
   * @param cancelWhenExpired whether a demand past the timeout is cancelled (the sweep) or left
   *                          waiting (a transfer just arrived)
   * @param remoteHold        another region's hold an event just brought, which this replica may not hold yet
   */
  private PendingResult settlePending(PendingDemand listed, boolean cancelWhenExpired, Optional<Reservation> remoteHold) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // The sweep's index lags the table: the demand as it is now, not as it was listed.
      Optional<PendingDemand> current = orders.findDemand(listed.orderId()).filter(PendingDemand::isWaiting);
      if (current.isEmpty()) {
        return PendingResult.DROPPED;
      }
      PendingDemand demand = current.get();
      Optional<Versioned<Order>> stored = orders.find(demand.orderId());
      if (stored.isEmpty()) {
        return PendingResult.WAITING;
      }
      Order order = remoteHold.map(stored.get().value()::withReservation).orElse(stored.get().value());
      long version = stored.get().version();
      OrderWrite.DemandMove ended = new OrderWrite.DemandMove(Optional.of(demand), demand.with(PendingDemand.State.ENDED));
      // A replica may show another region's later placement of the same key over this one (global
      // tables overwrite the item until the merge comes back): this demand's body may still win.
      boolean staleView = order.isOlderThanBody(demand.placedAt(), demand.fingerprint());
      if (!staleView && isVoid(order)) {
        if (orders.write(OrderWrite.of(order, version, version + 1).withDemand(ended)) == OrderRepository.WriteResult.WRITTEN) {
          return PendingResult.DROPPED;
        }
        continue;
      }
      // The demand may be for a body that lost to the same key placed with other lines elsewhere:
      // that view can change as merges arrive, so a mismatch waits, and is cancelled at the timeout.
      Optional<Map<ProductId, List<RegionStock.Take>>> takes = !staleView && demand.units().equals(order.units())
          ? plan(demand.units()) : Optional.empty();
      if (takes.isPresent()) {
        Order confirmed = order.confirm(region, clock.after(order.latestStamp()), takes.get());
        OrderWrite write = OrderWrite.of(confirmed, version, version + 1)
            .withHold(new OrderWrite.HoldMove(Optional.empty(), confirmed.reservations().get(region)))
            .withDemand(new OrderWrite.DemandMove(Optional.of(demand), demand.with(PendingDemand.State.CONFIRMED)));
        if (!WideHolds.fit(write)) {
          WideHolds.gather(catalog, confirmed.reservations().get(region));
          continue;
        }
        if (orders.write(write) == OrderRepository.WriteResult.WRITTEN) {
          return PendingResult.CONFIRMED;
        }
        continue;
      }
      long ageMs = clock.now().physicalMillis() - order.body().placedAt().physicalMillis();
      if (!cancelWhenExpired || ageMs < policy.pendingTimeout().toMillis()) {
        return PendingResult.WAITING;
      }
      Order cancelled = order.cancel(clock.after(order.latestStamp()));
      if (orders.write(OrderWrite.of(cancelled, version, version + 1).withDemand(ended)) == OrderRepository.WriteResult.WRITTEN) {
        return PendingResult.CANCELLED;
      }
    }
    throw new ContentionException("pending order " + listed.orderId() + " changed during " + MAX_ATTEMPTS
        + " attempts to settle it");
  }

  /** Where this region's shards would give {@code units} from, or empty when they cannot cover all of it. */
  private Optional<Map<ProductId, List<RegionStock.Take>>> plan(Map<ProductId, Integer> units) {
    Map<ProductId, List<RegionStock.Take>> takes = new TreeMap<>();
    for (Map.Entry<ProductId, Integer> wanted : units.entrySet()) {
      RegionStock stock = catalog.stock(wanted.getKey(), region);
      if (stock.available() < wanted.getValue()) {
        return Optional.empty();
      }
      takes.put(wanted.getKey(), stock.plan(wanted.getValue(), shardStart.getAsInt()));
    }
    return Optional.of(takes);
  }
}
