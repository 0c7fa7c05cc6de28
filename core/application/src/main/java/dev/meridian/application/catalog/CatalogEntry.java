package dev.meridian.application.catalog;

import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.RegionStock;
import java.util.List;
import java.util.Optional;

/**
 * A product with its item version and every region's stock as this region's replica sees them
 * (replicas of other regions' shards lag by the replication delay).
 */
public record CatalogEntry(Product product, long version, List<RegionStock> stock) {
  public CatalogEntry {
    stock = List.copyOf(stock);
  }

  /**
   * The entity tag of the product: its {@link Product#fingerprint() fingerprint}. It names the
   * fields a client saw, whichever region served them; stock is not part of it (a restock or an
   * order does not make a client's pending replace stale).
   */
  public String tag() {
    return product.fingerprint();
  }

  /** Units available for sale across all regions, as this replica sees them. */
  public long totalAvailable() {
    return stock.stream().mapToLong(RegionStock::available).sum();
  }

  /** {@code region}'s stock as this replica sees it. */
  public Optional<RegionStock> stockIn(String region) {
    return stock.stream().filter(s -> s.region().equals(region)).findFirst();
  }
}
