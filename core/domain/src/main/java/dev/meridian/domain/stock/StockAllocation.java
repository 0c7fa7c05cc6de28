package dev.meridian.domain.stock;

import dev.meridian.domain.product.ProductId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One shard of the units of one product that one region may sell. Only that region ever writes
 * it, so no cross-region conflict is possible; other regions hold read-only replicas. A region's
 * allocation of a product is its shards together ({@link RegionStock}); a product nobody sharded
 * has one.
 *
 * <p>The shard holds counters and bounded ledgers only: nothing in it grows with orders. The
 * units of an order live in its hold (an item of its own); the shard only counts them as
 * {@code reserved}, and the hold names the shard they were taken from.
 *
 * <p>Units flow: {@code restock → available}, {@code available ⇄ reserved} (orders),
 * {@code reserved → sold} (shipment), {@code available → given} (a transfer out),
 * {@code received → available} (a transfer in, once) and {@code available → moved} between shards
 * of the same region. The constructor enforces conservation,
 * {@code available + reserved + sold + given + movedOut = restocked + received + movedIn}, and that
 * every counter is non-negative and agrees with the ledger it summarises, so no sequence of
 * operations can create or lose a unit.
 *
 * <p>The head shard (number 0) is the region's face to other regions: it alone gives and receives
 * transfers (so its ledgers are the region's), counts the units the region's orders pending stock
 * wait for ({@code pending}, a demand, not units, so outside conservation), and says how many
 * shards are active ({@code shards}) and how many have ever existed ({@code shardsEver}, so that
 * every reader sums retired shards too and no unit ever drops out of sight).
 *
 * <p>The transfer ledgers stay bounded. A receiver takes every transfer addressed to it in a
 * giver's head at once, in sequence order, and keeps only the highest sequence it has received
 * from each giver ({@code receivedThrough}); a giver drops the transfers a receiver's head shows as
 * received ({@link #settleWith}) and counts their units in {@code settled}.
 *
 * <p>Each operation that changes the state increments {@code revision}; as the owner is the only
 * writer, replicas {@link #merge} by keeping the higher revision.
 *
 * @param shard           this shard's number, 0 for the head
 * @param shards          on the head, the shards in use (1 to {@link #MAX_SHARDS}); 0 on the others
 * @param shardsEver      on the head, the highest number of shards ever in use; 0 on the others
 * @param settled         units of given transfers their receivers have added (dropped from
 *                        {@code outgoing}): {@code given = settled + the units of outgoing}
 * @param pending         on the head, the units this region's orders pending stock still wait for
 * @param outgoing        transfers this region gave that are not settled: transfer id → transfer
 * @param receivedThrough per giver region, the highest transfer sequence received from it
 */
public record StockAllocation(
    ProductId productId,
    String region,
    int shard,
    int shards,
    int shardsEver,
    long available,
    long reserved,
    long sold,
    long restocked,
    long received,
    long given,
    long settled,
    long movedIn,
    long movedOut,
    long pending,
    long revision,
    SortedMap<String, Transfer> outgoing,
    SortedMap<String, Long> receivedThrough) {

  public static final long MAX_UNITS = 1_000_000_000L;
  /** A reshard moves units between every shard in one transaction of at most 100 writes. */
  public static final int MAX_SHARDS = 50;
  public static final int HEAD = 0;

  public StockAllocation {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(region, "region");
    outgoing = Collections.unmodifiableSortedMap(new TreeMap<>(outgoing));
    receivedThrough = Collections.unmodifiableSortedMap(new TreeMap<>(receivedThrough));
    if (available < 0 || reserved < 0 || sold < 0 || restocked < 0 || received < 0 || given < 0 || settled < 0
        || movedIn < 0 || movedOut < 0 || pending < 0 || revision < 0) {
      throw new IllegalStateException("stock counters are never negative: " + productId + "@" + region + "#" + shard);
    }
    if (shard < 0 || shard >= MAX_SHARDS) {
      throw new IllegalStateException("a shard number is between 0 and " + (MAX_SHARDS - 1));
    }
    if (shard == HEAD) {
      if (shards < 1 || shards > MAX_SHARDS || shardsEver < shards || shardsEver > MAX_SHARDS) {
        throw new IllegalStateException("the head counts 1 to " + MAX_SHARDS + " shards in use, and at least as many ever");
      }
    } else if (shards != 0 || shardsEver != 0 || received != 0 || given != 0 || pending != 0 || !receivedThrough.isEmpty()) {
      throw new IllegalStateException("only the head shard counts shards, transfers and pending demand");
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
    if (available + reserved + sold + given + movedOut != restocked + received + movedIn) {
      throw new IllegalStateException("units are conserved: available + reserved + sold + given + movedOut"
          + " = restocked + received + movedIn");
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

  /** A region's allocation before anything happened to it: one head shard, nothing in it. */
  public static StockAllocation empty(ProductId productId, String region) {
    return new StockAllocation(productId, region, HEAD, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new TreeMap<>(), new TreeMap<>());
  }

  /** Shard {@code shard} (not the head) before anything happened to it. */
  public static StockAllocation emptyShard(ProductId productId, String region, int shard) {
    if (shard == HEAD) {
      return empty(productId, region);
    }
    return new StockAllocation(productId, region, shard, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new TreeMap<>(),
        new TreeMap<>());
  }

  public boolean isHead() {
    return shard == HEAD;
  }

  /** Units physically in this shard: available plus reserved plus sold. */
  public long onHand() {
    return available + reserved + sold;
  }

  public StockAllocation restock(long units) {
    requirePositive(units);
    return next(available + units, reserved, sold, restocked + units, received, given, settled, movedIn, movedOut, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** @throws InsufficientStockException when fewer units are available */
  public StockAllocation reserve(long units) {
    requirePositive(units);
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    return next(available - units, reserved + units, sold, restocked, received, given, settled, movedIn, movedOut, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** Returns reserved units to available (an order's hold released). */
  public StockAllocation release(long units) {
    requireReserved(units);
    return next(available + units, reserved - units, sold, restocked, received, given, settled, movedIn, movedOut, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** Turns reserved units into sold ones (an order shipped). */
  public StockAllocation commit(long units) {
    requireReserved(units);
    return next(available, reserved - units, sold + units, restocked, received, given, settled, movedIn, movedOut, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** Moves available units out of this shard, to another shard of the same region. */
  public StockAllocation moveOut(long units) {
    requirePositive(units);
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    return next(available - units, reserved, sold, restocked, received, given, settled, movedIn, movedOut + units, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** Takes in available units moved out of another shard of the same region. */
  public StockAllocation moveIn(long units) {
    requirePositive(units);
    return next(available + units, reserved, sold, restocked, received, given, settled, movedIn + units, movedOut, pending,
        shards, shardsEver, outgoing, receivedThrough);
  }

  /** The head with {@code count} shards in use (the caller moves the units). */
  public StockAllocation withShards(int count) {
    requireHead("count shards");
    if (count < 1 || count > MAX_SHARDS) {
      throw new IllegalArgumentException("shards must be between 1 and " + MAX_SHARDS);
    }
    return next(available, reserved, sold, restocked, received, given, settled, movedIn, movedOut, pending, count,
        Math.max(shardsEver, count), outgoing, receivedThrough);
  }

  /**
   * Gives units to another region. The transfer id is derived from this head's revision, so it is
   * unique per giver.
   *
   * @throws InsufficientStockException when fewer units are available in this shard
   */
  public StockAllocation give(String toRegion, long units) {
    requireHead("give units");
    requirePositive(units);
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    Transfer transfer = new Transfer(Transfer.idOf(region, productId, revision + 1), productId, region, toRegion, units);
    SortedMap<String, Transfer> next = new TreeMap<>(outgoing);
    next.put(transfer.id(), transfer);
    return next(available - units, reserved, sold, restocked, received, given + units, settled, movedIn, movedOut, pending,
        shards, shardsEver, next, receivedThrough);
  }

  /**
   * Adds the units of every transfer {@code giver} (any replica of its head, however stale)
   * addresses here that this head has not received, and remembers the highest sequence received
   * from that giver; a no-op when there is none. Taking them all at once, in sequence order, is
   * what lets one number per giver stand for every transfer received.
   */
  public StockAllocation receiveFrom(StockAllocation giver) {
    requireHead("receive transfers");
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
    return next(available + units, reserved, sold, restocked, received + units, given, settled, movedIn, movedOut, pending,
        shards, shardsEver, outgoing, next);
  }

  /** Whether this head has added {@code transfer}'s units (it must be addressed here). */
  public boolean hasReceived(Transfer transfer) {
    return transfer.toRegion().equals(region) && transfer.sequence() <= receivedThrough.getOrDefault(transfer.fromRegion(), 0L);
  }

  /** Units given here by {@code giver}'s transfers (as that replica of its head shows them) that this head has not added. */
  public long inFlightFrom(StockAllocation giver) {
    return giver.outgoing.values().stream().filter(t -> t.toRegion().equals(region) && !hasReceived(t))
        .mapToLong(Transfer::units).sum();
  }

  /**
   * Drops the transfers {@code receiver} (any replica of its head) shows as received, counting
   * their units as settled; a no-op when there is none. The receiver's record only grows, so a
   * stale replica settles less, never wrongly.
   */
  public StockAllocation settleWith(StockAllocation receiver) {
    requireHead("settle transfers");
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
    return next(available, reserved, sold, restocked, received, given, settled + units, movedIn, movedOut, pending, shards,
        shardsEver, next, receivedThrough);
  }

  /** The head counting {@code units} more awaited by an order accepted pending stock here. */
  public StockAllocation awaitStock(long units) {
    requireHead("count pending demand");
    requirePositive(units);
    return next(available, reserved, sold, restocked, received, given, settled, movedIn, movedOut, pending + units, shards,
        shardsEver, outgoing, receivedThrough);
  }

  /** The head no longer counting {@code units} of an order that stopped waiting (confirmed or given up). */
  public StockAllocation stopAwaiting(long units) {
    requireHead("count pending demand");
    requirePositive(units);
    if (pending < units) {
      throw new IllegalArgumentException(units + " pending units to drop, " + pending + " counted");
    }
    return next(available, reserved, sold, restocked, received, given, settled, movedIn, movedOut, pending - units, shards,
        shardsEver, outgoing, receivedThrough);
  }

  /**
   * Replica merge: the higher revision wins, as only the owner writes. Equal revisions with
   * different states cannot come from a single writer; the fixed tie-break keeps merge total.
   */
  public StockAllocation merge(StockAllocation other) {
    if (!productId.equals(other.productId) || !region.equals(other.region) || shard != other.shard) {
      throw new IllegalArgumentException("cannot merge different shards");
    }
    if (revision != other.revision) {
      return revision > other.revision ? this : other;
    }
    return toString().compareTo(other.toString()) >= 0 ? this : other;
  }

  public boolean contains(StockAllocation other) {
    return merge(other).equals(this);
  }

  private StockAllocation next(long newAvailable, long newReserved, long newSold, long newRestocked, long newReceived,
      long newGiven, long newSettled, long newMovedIn, long newMovedOut, long newPending, int newShards, int newShardsEver,
      SortedMap<String, Transfer> newOutgoing, SortedMap<String, Long> newReceivedThrough) {
    return new StockAllocation(productId, region, shard, newShards, newShardsEver, newAvailable, newReserved, newSold,
        newRestocked, newReceived, newGiven, newSettled, newMovedIn, newMovedOut, newPending, revision + 1, newOutgoing,
        newReceivedThrough);
  }

  private void requireHead(String what) {
    if (!isHead()) {
      throw new IllegalStateException("only the head shard may " + what + ": " + productId + "@" + region + "#" + shard);
    }
  }

  private void requireReserved(long units) {
    requirePositive(units);
    if (reserved < units) {
      throw new IllegalStateException(units + " units to take from " + reserved + " reserved in " + productId + "@" + region
          + "#" + shard);
    }
  }

  private static void requirePositive(long units) {
    if (units < 1 || units > MAX_UNITS) {
      throw new IllegalArgumentException("units must be between 1 and " + MAX_UNITS);
    }
  }
}
