package dev.meridian.application.catalog;

import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.StockAllocation;
import java.util.List;

/**
 * A product with its item version and every region's allocation as this region's replica sees
 * them (replicas of other regions' allocations lag by the replication delay).
 */
public record CatalogEntry(Product product, long version, List<StockAllocation> allocations) {
  public CatalogEntry {
    allocations = List.copyOf(allocations);
  }

  /**
   * The entity tag of the product: its {@link Product#fingerprint() fingerprint}. It names the
   * fields a client saw, whichever region served them; allocations are not part of it (a restock
   * or an order does not make a client's pending replace stale).
   */
  public String tag() {
    return product.fingerprint();
  }

  /** Units available for sale across all regions, as this replica sees them. */
  public long totalAvailable() {
    return allocations.stream().mapToLong(StockAllocation::available).sum();
  }
}
