package dev.meridian.application.orders;

import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.stock.RegionStock;

/**
 * Keeps a hold within one write. A wide order (up to 50 lines) over products whose units are
 * spread thin across shards could need more shard updates than one transaction takes; its units
 * are then first moved into one shard per product, in writes of their own that change no total,
 * and the placement is planned again (from one shard per product: at most 52 items).
 */
public final class WideHolds {
  private WideHolds() {}

  public static boolean fit(OrderWrite write) {
    return write.itemCount() <= OrderRepository.MAX_ITEMS_PER_WRITE;
  }

  /**
   * Moves the units of every product that {@code hold} would take from several shards into one
   * shard of its region. A write that loses a race is left: the caller plans again either way.
   */
  public static void gather(CatalogRepository catalog, Reservation hold) {
    hold.takenFrom().forEach((product, shards) -> {
      if (shards.size() > 1) {
        RegionStock stock = catalog.stock(product, hold.region());
        long units = shards.values().stream().mapToLong(Long::longValue).sum();
        if (stock.available() >= units) {
          catalog.writeStock(stock.gather(units).changedSince(stock));
        }
      }
    });
  }
}
