package dev.meridian.application.replication;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.product.Product;
import java.util.Collection;
import java.util.List;

/**
 * The writes a reconciler makes to this region's replica beyond those of the API's ports (orders
 * and their holds go through {@code OrderRepository.write}, shards through
 * {@code CatalogRepository.writeStock}). Every write is conditional on what the reconciler read,
 * so a concurrent local write makes it return false (read again and retry) instead of
 * overwriting; none of them throws for a failed condition.
 */
public interface ReplicaStore {

  /**
   * Stores another region's order where this replica has no item yet, keeping that region's
   * version and {@code originRegion} (a copy, not a write of this region's: it is not published
   * again). Only the order's own item: holds are written by their regions alone.
   *
   * @return false when an item exists (nothing written)
   */
  boolean copyOrder(Order order, long version, String originRegion);

  /** As {@link #copyOrder}, for a product. */
  boolean copyProduct(Product product, long version, String originRegion);

  /**
   * Replaces this replica's product with a merged state as this region's write, in one transaction
   * with a record of each conflict found.
   *
   * @return false when the stored version is no longer {@code expectedVersion} (nothing written)
   */
  boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts);

  /** {@code region}'s pending demands still waiting for stock, oldest first. */
  List<PendingDemand> waitingDemands(String region);
}
