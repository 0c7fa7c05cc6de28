package dev.meridian.application.replication;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.Collection;
import java.util.Optional;

/**
 * The writes a reconciler makes to this region's replica. Every write is conditional on what the
 * reconciler read, so a concurrent local write makes it return false (read again and retry)
 * instead of overwriting; none of them throws for a failed condition.
 */
public interface ReplicaStore {

  /** A region's allocation of a product in this replica, whether or not the product item has arrived. */
  Optional<StockAllocation> allocation(ProductId productId, String region);

  /** Every region's allocation of a product in this replica (strongly consistent for this region's own). */
  java.util.List<StockAllocation> allocations(ProductId productId);

  /** {@code region}'s allocations that have orders pending stock. */
  java.util.List<StockAllocation> allocationsWithPendingOrders(String region);

  /**
   * Writes an order and this region's allocations in one transaction: the order conditionally on
   * {@code expectedVersion}, each allocation on the revision before its own
   * ({@code next.revision() - 1}, as every allocation change increments it by one).
   *
   * @return false when any condition failed (nothing written)
   */
  boolean writeOrderAndAllocations(Order order, long expectedVersion, long newVersion, java.util.List<StockAllocation> next);

  /**
   * Stores another region's order where this replica has no item yet, keeping that region's
   * version and {@code originRegion} (a copy, not a write of this region's: it is not published again).
   *
   * @return false when an item exists (nothing written)
   */
  boolean copyOrder(Order order, long version, String originRegion);

  /** As {@link #copyOrder}, for a product. */
  boolean copyProduct(Product product, long version, String originRegion);

  /**
   * Replaces this replica's order with a merged state as this region's write, in one transaction
   * with a record of each conflict found and, with {@code releaseLocalHolds}, the return of this
   * region's held units for the order to its allocations.
   *
   * @return false when the stored version is no longer {@code expectedVersion} or a hold was no
   *     longer there (nothing written)
   */
  boolean writeOrder(Order merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts,
      boolean releaseLocalHolds);

  /** As {@link #writeOrder} without holds, for a product. */
  boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts);

  /**
   * Replaces this region's own allocation when its stored revision is {@code expectedRevision}
   * (0: only when there is none yet, or only an empty one).
   */
  boolean writeAllocation(StockAllocation next, long expectedRevision);
}
