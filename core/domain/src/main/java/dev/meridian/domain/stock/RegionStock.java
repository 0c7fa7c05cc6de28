package dev.meridian.domain.stock;

import dev.meridian.domain.product.ProductId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A region's allocation of one product: its shards together. A hot product's allocation is split
 * into shards, each its own item with its own partition key, so that one product's placements in
 * a region spread over several partitions instead of queueing on one (a partition takes at most
 * 1,000 WCU a second). The region sees the sum; a placement takes its units from one shard that has
 * them, or from several together when no single one has enough.
 *
 * <p>Immutable: every operation returns the region's stock after it, and {@link #changedSince}
 * lists the shards to write, each conditionally on the revision it was read at, so the operation
 * happens once or not at all.
 *
 * @param shards every shard ever used, by number; shards not yet written are absent and read as empty
 */
public record RegionStock(ProductId productId, String region, SortedMap<Integer, StockAllocation> shards) {

  /** Units taken from one shard. */
  public record Take(int shard, long units) {
    public Take {
      if (shard < 0 || units < 1) {
        throw new IllegalArgumentException("a take names a shard and at least one unit");
      }
    }
  }

  /** A shard to write: its new state, and the revision the store must still hold for the write to apply. */
  public record ShardWrite(StockAllocation next, long expectedRevision) {}

  public RegionStock {
    Objects.requireNonNull(productId, "productId");
    Objects.requireNonNull(region, "region");
    shards = Collections.unmodifiableSortedMap(new TreeMap<>(shards));
    shards.forEach((number, shard) -> {
      if (shard.shard() != number || !shard.productId().equals(productId) || !shard.region().equals(region)) {
        throw new IllegalArgumentException("shard " + number + " of " + productId + "@" + region + " is " + shard);
      }
    });
    StockAllocation head = shards.get(StockAllocation.HEAD);
    int ever = head == null ? 1 : head.shardsEver();
    if (!shards.isEmpty() && shards.lastKey() >= ever) {
      throw new IllegalArgumentException("shard " + shards.lastKey() + " is beyond the " + ever + " shards ever used");
    }
  }

  /** A region with no stock of the product (no shard written yet). */
  public static RegionStock empty(ProductId productId, String region) {
    return new RegionStock(productId, region, new TreeMap<>());
  }

  public static RegionStock of(ProductId productId, String region, List<StockAllocation> shards) {
    SortedMap<Integer, StockAllocation> byNumber = new TreeMap<>();
    for (StockAllocation shard : shards) {
      if (byNumber.put(shard.shard(), shard) != null) {
        throw new IllegalArgumentException("shard " + shard.shard() + " twice");
      }
    }
    return new RegionStock(productId, region, byNumber);
  }

  /**
   * A replica's shards of one region with {@code newer} (one of them, as an event brought it,
   * possibly ahead of the replica) merged in. The replica may hold shards its own copy of the head
   * does not name yet; those count when the merged head names them, and are left out otherwise.
   */
  public static RegionStock merged(List<StockAllocation> replica, StockAllocation newer) {
    SortedMap<Integer, StockAllocation> byNumber = new TreeMap<>();
    for (StockAllocation shard : replica) {
      byNumber.merge(shard.shard(), shard, StockAllocation::merge);
    }
    byNumber.merge(newer.shard(), newer, StockAllocation::merge);
    StockAllocation head = byNumber.get(StockAllocation.HEAD);
    int ever = head == null ? 0 : head.shardsEver();
    byNumber.keySet().removeIf(number -> number >= ever);
    return new RegionStock(newer.productId(), newer.region(), byNumber);
  }

  /** Shard {@code number} as stored, or an empty one when it was never written. */
  public StockAllocation shard(int number) {
    StockAllocation shard = shards.get(number);
    return shard != null ? shard : StockAllocation.emptyShard(productId, region, number);
  }

  public StockAllocation head() {
    return shard(StockAllocation.HEAD);
  }

  /** Shards in use: new units go to them, placements start in them. */
  public int shardsInUse() {
    return head().shards();
  }

  /** Every shard ever used; a reader sums them all (a retired one may still hold reserved or sold units). */
  public int shardsEver() {
    return head().shardsEver();
  }

  public long available() {
    return all().stream().mapToLong(StockAllocation::available).sum();
  }

  public long reserved() {
    return all().stream().mapToLong(StockAllocation::reserved).sum();
  }

  public long sold() {
    return all().stream().mapToLong(StockAllocation::sold).sum();
  }

  public long restocked() {
    return all().stream().mapToLong(StockAllocation::restocked).sum();
  }

  /** Units physically in this region: available, reserved and sold, over every shard. */
  public long onHand() {
    return all().stream().mapToLong(StockAllocation::onHand).sum();
  }

  /** Units this region's orders pending stock wait for (the head counts them). */
  public long pending() {
    return head().pending();
  }

  /**
   * Units this region gave that their receivers, as {@code everyRegion} shows them (a region
   * missing from it has received nothing), have not added yet. They are in no region's
   * available, reserved or sold units: whoever sums those over every region adds these to count
   * every unit.
   */
  public long inTransitFrom(Collection<RegionStock> everyRegion) {
    return head().outgoing().values().stream().map(Transfer::toRegion).distinct()
        .mapToLong(receiver -> everyRegion.stream().filter(s -> s.region().equals(receiver)).findFirst()
            .orElse(empty(productId, receiver)).head().inFlightFrom(head()))
        .sum();
  }

  /** Every shard ever used, written or not, in number order. */
  public List<StockAllocation> all() {
    List<StockAllocation> all = new ArrayList<>();
    for (int number = 0; number < shardsEver(); number++) {
      all.add(shard(number));
    }
    return all;
  }

  /**
   * Where {@code units} would come from: the first shard, from {@code start} on (a random start
   * spreads placements), that has them all; else several shards together, shards in use first.
   *
   * @throws InsufficientStockException when the region does not have that many units available
   */
  public List<Take> plan(long units, int start) {
    if (units < 1) {
      throw new IllegalArgumentException("a plan takes at least one unit");
    }
    long available = available();
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    List<Integer> order = searchOrder(start);
    for (int number : order) {
      if (shard(number).available() >= units) {
        return List.of(new Take(number, units));
      }
    }
    List<Take> takes = new ArrayList<>();
    long missing = units;
    for (int number : order) {
      long take = Math.min(missing, shard(number).available());
      if (take > 0) {
        takes.add(new Take(number, take));
        missing -= take;
      }
      if (missing == 0) {
        break;
      }
    }
    return takes;
  }

  /** Shards in use from {@code start} round, then the retired ones (whose released units are still for sale). */
  private List<Integer> searchOrder(int start) {
    int inUse = shardsInUse();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < inUse; i++) {
      order.add(Math.floorMod(start + i, inUse));
    }
    for (int number = inUse; number < shardsEver(); number++) {
      order.add(number);
    }
    return order;
  }

  /** This stock with the units of {@code takes} reserved. */
  public RegionStock reserve(List<Take> takes) {
    RegionStock next = this;
    for (Take take : takes) {
      next = next.with(next.shard(take.shard()).reserve(take.units()));
    }
    return next;
  }

  /** This stock with the reserved units of {@code takes} back to available (a hold released). */
  public RegionStock release(List<Take> takes) {
    RegionStock next = this;
    for (Take take : takes) {
      next = next.with(next.shard(take.shard()).release(take.units()));
    }
    return next;
  }

  /** This stock with the reserved units of {@code takes} sold (a hold committed at shipment). */
  public RegionStock commit(List<Take> takes) {
    RegionStock next = this;
    for (Take take : takes) {
      next = next.with(next.shard(take.shard()).commit(take.units()));
    }
    return next;
  }

  /** Adds units, spread as {@link #spread} says. */
  public RegionStock restock(long units) {
    RegionStock next = this;
    for (Take addition : spread(units)) {
      next = next.with(next.shard(addition.shard()).restock(addition.units()));
    }
    return next;
  }

  /** New units spread as evenly as possible over the shards in use (the lowest numbers take the remainder). */
  public List<Take> spread(long units) {
    if (units < 1) {
      throw new IllegalArgumentException("a restock adds at least one unit");
    }
    int inUse = shardsInUse();
    List<Take> additions = new ArrayList<>();
    for (int number = 0; number < inUse; number++) {
      long share = units / inUse + (number < units % inUse ? 1 : 0);
      if (share > 0) {
        additions.add(new Take(number, share));
      }
    }
    return additions;
  }

  /**
   * The allocation split over {@code count} shards, its available units spread evenly over them.
   * Units only move between shards, so none is created or lost. Reserved units stay where their
   * holds took them from; a shard taken out of use keeps them until the holds are released (the
   * units then return there, still counted and still for sale through {@link #plan}).
   */
  public RegionStock reshard(int count) {
    RegionStock next = with(head().withShards(count));
    long total = next.available();
    List<StockAllocation> after = next.all();
    SortedMap<Integer, Long> target = new TreeMap<>();
    for (StockAllocation shard : after) {
      int number = shard.shard();
      target.put(number, number < count ? total / count + (number < total % count ? 1 : 0) : 0L);
    }
    // Pair every surplus with deficits: one move out and one move in per unit moved, nothing else.
    for (StockAllocation shard : after) {
      long surplus = next.shard(shard.shard()).available() - target.get(shard.shard());
      if (surplus <= 0) {
        continue;
      }
      for (int number : target.keySet()) {
        long deficit = target.get(number) - next.shard(number).available();
        if (deficit <= 0 || surplus == 0) {
          continue;
        }
        long moved = Math.min(surplus, deficit);
        StockAllocation into = next.shard(number).moveIn(moved);
        next = next.with(next.shard(shard.shard()).moveOut(moved)).with(into);
        surplus -= moved;
      }
    }
    return next;
  }

  /**
   * Moves available units into one shard in use (the one with the most, the lowest number on a tie)
   * until it has {@code units}, so that an order can take them all from there. Totals do not change.
   *
   * @throws InsufficientStockException when the region does not have that many units available
   */
  public RegionStock gather(long units) {
    long available = available();
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    int target = StockAllocation.HEAD;
    for (int number = 1; number < shardsInUse(); number++) {
      if (shard(number).available() > shard(target).available()) {
        target = number;
      }
    }
    RegionStock next = this;
    long missing = units - shard(target).available();
    for (int number = 0; number < shardsEver() && missing > 0; number++) {
      long moved = number == target ? 0 : Math.min(missing, next.shard(number).available());
      if (moved > 0) {
        next = next.with(next.shard(number).moveOut(moved));
        next = next.with(next.shard(target).moveIn(moved));
        missing -= moved;
      }
    }
    return next;
  }

  /**
   * Gives units to another region from the head, moving units into the head from the other shards
   * first when it has too few.
   *
   * @throws InsufficientStockException when the region does not have that many units available
   */
  public RegionStock give(String toRegion, long units) {
    long available = available();
    if (available < units) {
      throw new InsufficientStockException(productId, units, available);
    }
    RegionStock next = this;
    long missing = units - head().available();
    for (int number = 1; number < shardsEver() && missing > 0; number++) {
      long moved = Math.min(missing, next.shard(number).available());
      if (moved > 0) {
        next = next.with(next.shard(number).moveOut(moved));
        next = next.with(next.head().moveIn(moved));
        missing -= moved;
      }
    }
    return next.with(next.head().give(toRegion, units));
  }

  /** This stock with {@code shard} replaced. */
  public RegionStock with(StockAllocation shard) {
    if (!shard.productId().equals(productId) || !shard.region().equals(region)) {
      throw new IllegalArgumentException(shard + " is not a shard of " + productId + "@" + region);
    }
    SortedMap<Integer, StockAllocation> next = new TreeMap<>(shards);
    next.put(shard.shard(), shard);
    return new RegionStock(productId, region, next);
  }

  /**
   * The shards this stock changed relative to {@code before} (the same region's stock as read),
   * each with the revision {@code before} held, so a store writes them all or none.
   */
  public List<ShardWrite> changedSince(RegionStock before) {
    List<ShardWrite> writes = new ArrayList<>();
    shards.forEach((number, shard) -> {
      StockAllocation was = before.shards.get(number);
      if (!shard.equals(was)) {
        writes.add(new ShardWrite(shard, was == null ? 0 : was.revision()));
      }
    });
    return writes;
  }
}
