package dev.meridian.domain.stock;

import dev.meridian.domain.product.ProductId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The units of one product that one region may sell. Only that region ever writes it, so no
 * cross-region conflict is possible; other regions hold read-only replicas.
 *
 * <p>Units flow: {@code restock → available}, {@code available ⇄ reserved} (per order, as
 * holds), {@code reserved → sold}, {@code available → given} (a transfer out) and
 * {@code received → available} (a transfer in, once). The constructor enforces conservation,
 * {@code available + reserved + sold + given = restocked + received}, and that every counter is
 * non-negative and agrees with the ledgers it summarises, so no sequence of operations can create
 * or lose a unit.
 *
 * <p>The transfer ledgers stay bounded. A receiver takes every transfer addressed to it in a
 * giver's allocation at once, in sequence order, and keeps only the highest sequence it has
 * received from each giver ({@code receivedThrough}); a giver drops the transfers a receiver's
 * allocation shows as received ({@link #settleWith}) and counts their units in {@code settled}.
 * A giver's allocation at any revision lists every transfer it made up to that revision that is
 * not settled, and a giver only settles what the receiver has, so no transfer is skipped.
 *
 * <p>Each operation that changes the state increments {@code revision}; as the owner is the
 * only writer, replicas {@link #merge} by keeping the higher revision.
 *
 * @param settled          units of given transfers their receivers have added (dropped from
 *                         {@code outgoing}): {@code given = settled + the units of outgoing}
 * @param holds            active reservations: order id → units
 * @param outgoing         transfers this region gave that are not settled: transfer id → transfer
 * @param receivedThrough  per giver region, the highest transfer sequence received from it
 * @param pending          orders accepted here pending stock ({@code 202}): order id → units
 *                          still to come; a demand, not units, so outside conservation. Peers read
 *                          it (with {@code available}) to decide what to give.
 */
public record StockAllocation(
    ProductId productId,
    String region,
    long available,
    long reserved,
    long sold,
    long restocked,
    long received,
    long given,
    long settled,
    long revision,
    SortedMap<String, Long> holds,
    SortedMap<String, Transfer> outgoing,
    SortedMap<String, Long> receivedThrough,
    SortedMap<String, Long> pending) {

  public static final long MAX_UNITS = 1_000_000_000L;

  public StockAllocation {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(region, "region");
    holds = Collections.unmodifiableSortedMap(new TreeMap<>(holds));
    outgoing = Collections.unmodifiableSortedMap(new TreeMap<>(outgoing));
    receivedThrough = Collections.unmodifiableSortedMap(new TreeMap<>(receivedThrough));
    pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending));
    if (pending.values().stream().anyMatch(units -> units < 1)) {
      throw new IllegalStateException("a pending order waits for at least one unit");
    }
    if (available < 0 || reserved < 0 || sold < 0 || restocked < 0 || received < 0 || given < 0 || settled < 0
        || revision < 0) {
      throw new IllegalStateException("stock counters are never negative: " + productId + "@" + region);
    }
    if (reserved != holds.values().stream().mapToLong(Long::longValue).sum()) {
      throw new IllegalStateException("reserved must equal the sum of holds");
    }
    if (given != settled + outgoing.values().stream().mapToLong(Transfer::units).sum()) {
      throw new IllegalStateException("given must equal settled plus the sum of outgoing transfers");
    }
    for (Map.Entry<String, Long> giver : receivedThrough.entrySet()) {
      if (giver.getKey().equals(region) || giver.getValue() < 1) {
        throw new IllegalStateException("received-through sequences are positive and name other regions");
      }
    }
    if (received == 0 && !receivedThrough.isEmpty()) {
      throw new IllegalStateException("a region that received transfers received units");
    }
    if (available + reserved + sold + given != restocked + received) {
      throw new IllegalStateException("units are conserved: available + reserved + sold + given = restocked + received");
    }
    for (Transfer t : outgoing.values()) {
      if (!t.fromRegion().equals(region) || !t.productId().equals(productId)) {
        throw new IllegalStateException("an outgoing transfer belongs to its giver's allocation");
      }
      if (t.sequence() > revision) {
        throw new IllegalStateException("an outgoing transfer was made at or before the allocation's revision");
      }
    }
  }

  public static StockAllocation empty(ProductId productId, String region) {
    return new StockAllocation(productId, region, 0, 0, 0, 0, 0, 0, 0, 0,
        new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  /** Units on hand in this region: available plus reserved plus sold, the physical stock. */
  public long onHand() {
    return available + reserved + sold;
  }

  public StockAllocation restock(long units) {
    requirePositive(units);
    return with(available + units, holds, sold, restocked + units, received, receivedThrough, settled, outgoing);
  }

  /**
   * Holds units for an order. Holding again for an order already held is a no-op.
   *
   * @throws InsufficientStockException when fewer units are available
   */
  public StockAllocation reserve(String orderId, long units) {
    requirePositive(units);
    if (holds.containsKey(orderId)) {
      return this;
    }
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    SortedMap<String, Long> next = new TreeMap<>(holds);
    next.put(orderId, units);
    return with(available - units, next, sold, restocked, received, receivedThrough, settled, outgoing);
  }

  /** Returns an order's held units to available; a no-op when the order holds nothing here. */
  public StockAllocation release(String orderId) {
    Long units = holds.get(orderId);
    if (units == null) {
      return this;
    }
    SortedMap<String, Long> next = new TreeMap<>(holds);
    next.remove(orderId);
    return with(available + units, next, sold, restocked, received, receivedThrough, settled, outgoing);
  }

  /** Turns an order's held units into sold units (shipment); a no-op when nothing is held. */
  public StockAllocation commit(String orderId) {
    Long units = holds.get(orderId);
    if (units == null) {
      return this;
    }
    SortedMap<String, Long> next = new TreeMap<>(holds);
    next.remove(orderId);
    return with(available, next, sold + units, restocked, received, receivedThrough, settled, outgoing);
  }

  public boolean holds(String orderId) {
    return holds.containsKey(orderId);
  }

  /**
   * Gives units to another region. The transfer id is derived from this allocation's revision,
   * so it is unique per giver.
   *
   * @throws InsufficientStockException when fewer units are available
   */
  public StockAllocation give(String toRegion, long units) {
    requirePositive(units);
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    Transfer transfer = new Transfer(Transfer.idOf(region, productId, revision + 1), productId, region, toRegion, units);
    SortedMap<String, Transfer> next = new TreeMap<>(outgoing);
    next.put(transfer.id(), transfer);
    return with(available - units, holds, sold, restocked, received, receivedThrough, settled, next);
  }

  /**
   * Adds the units of every transfer {@code giver} (any replica of it, however stale) addresses
   * here that this allocation has not received, and remembers the highest sequence received from
   * that giver; a no-op when there is none. Taking them all at once, in sequence order, is what
   * lets one number per giver stand for every transfer received.
   */
  public StockAllocation receiveFrom(StockAllocation giver) {
    if (!giver.productId.equals(productId) || giver.region.equals(region)) {
      throw new IllegalArgumentException(giver.region + " cannot give " + giver.productId + " to " + productId + "@" + region);
    }
    long units = 0;
    long seen = receivedThrough.getOrDefault(giver.region, 0L);
    long through = seen;
    for (Transfer t : giver.outgoing.values()) {
      if (t.toRegion().equals(region) && t.sequence() > seen) {
        units += t.units();
        through = Math.max(through, t.sequence());
      }
    }
    if (units == 0) {
      return this;
    }
    SortedMap<String, Long> next = new TreeMap<>(receivedThrough);
    next.put(giver.region, through);
    return with(available + units, holds, sold, restocked, received + units, next, settled, outgoing);
  }

  /** Whether this allocation has added {@code transfer}'s units (it must be addressed here). */
  public boolean hasReceived(Transfer transfer) {
    return transfer.toRegion().equals(region) && transfer.sequence() <= receivedThrough.getOrDefault(transfer.fromRegion(), 0L);
  }

  /** Units given here by {@code giver}'s transfers (as that replica shows them) that this allocation has not added. */
  public long inFlightFrom(StockAllocation giver) {
    return giver.outgoing.values().stream().filter(t -> t.toRegion().equals(region) && !hasReceived(t))
        .mapToLong(Transfer::units).sum();
  }

  /**
   * Drops the transfers {@code receiver} (any replica of it) shows as received, counting their
   * units as settled; a no-op when there is none. The receiver's record only grows, so a stale
   * replica settles less, never wrongly.
   */
  public StockAllocation settleWith(StockAllocation receiver) {
    if (!receiver.productId.equals(productId) || receiver.region.equals(region)) {
      throw new IllegalArgumentException("cannot settle " + productId + "@" + region + " with " + receiver.productId
          + "@" + receiver.region);
    }
    SortedMap<String, Transfer> next = new TreeMap<>(outgoing);
    long units = 0;
    for (Transfer t : outgoing.values()) {
      if (receiver.hasReceived(t)) {
        next.remove(t.id());
        units += t.units();
      }
    }
    if (units == 0) {
      return this;
    }
    return with(available, holds, sold, restocked, received, receivedThrough, settled + units, next);
  }

  /** Units this region's pending orders still wait for. */
  public long pendingUnits() {
    return pending.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Records an order accepted pending stock (waiting here for {@code units}); again for the same order is a no-op. */
  public StockAllocation awaitStock(String orderId, long units) {
    requirePositive(units);
    if (pending.containsKey(orderId)) {
      return this;
    }
    SortedMap<String, Long> next = new TreeMap<>(pending);
    next.put(orderId, units);
    return withPending(next);
  }

  /**
   * A pending order confirmed: its units are now held for it here.
   *
   * @throws InsufficientStockException when fewer units are available
   * @throws IllegalArgumentException when the order is not pending here
   */
  public StockAllocation confirmPending(String orderId) {
    Long units = pending.get(orderId);
    if (units == null) {
      throw new IllegalArgumentException("order " + orderId + " is not pending stock in " + region);
    }
    StockAllocation reserved = reserve(orderId, units);
    SortedMap<String, Long> next = new TreeMap<>(pending);
    next.remove(orderId);
    return new StockAllocation(productId, region, reserved.available, reserved.reserved, sold, restocked, received, given,
        settled, reserved.revision, reserved.holds, outgoing, receivedThrough, next);
  }

  /** A pending order given up (cancelled or timed out); a no-op when it is not pending here. */
  public StockAllocation dropPending(String orderId) {
    if (!pending.containsKey(orderId)) {
      return this;
    }
    SortedMap<String, Long> next = new TreeMap<>(pending);
    next.remove(orderId);
    return withPending(next);
  }

  /**
   * Replica merge: the higher revision wins, as only the owner writes. Equal revisions with
   * different states cannot come from a single writer; the fixed tie-break keeps merge total.
   */
  public StockAllocation merge(StockAllocation other) {
    if (!productId.equals(other.productId) || !region.equals(other.region)) {
      throw new IllegalArgumentException("cannot merge allocations of different products or regions");
    }
    if (revision != other.revision) {
      return revision > other.revision ? this : other;
    }
    return toString().compareTo(other.toString()) >= 0 ? this : other;
  }

  public boolean contains(StockAllocation other) {
    return merge(other).equals(this);
  }

  private StockAllocation with(long newAvailable, SortedMap<String, Long> newHolds, long newSold, long newRestocked,
      long newReceived, SortedMap<String, Long> newReceivedThrough, long newSettled, SortedMap<String, Transfer> newOutgoing) {
    return new StockAllocation(productId, region, newAvailable,
        newHolds.values().stream().mapToLong(Long::longValue).sum(),
        newSold, newRestocked, newReceived,
        newSettled + newOutgoing.values().stream().mapToLong(Transfer::units).sum(), newSettled,
        revision + 1, newHolds, newOutgoing, newReceivedThrough, pending);
  }

  private StockAllocation withPending(SortedMap<String, Long> next) {
    return new StockAllocation(productId, region, available, reserved, sold, restocked, received, given, settled,
        revision + 1, holds, outgoing, receivedThrough, next);
  }

  private static void requirePositive(long units) {
    if (units < 1 || units > MAX_UNITS) {
      throw new IllegalArgumentException("units must be between 1 and " + MAX_UNITS);
    }
  }
}
