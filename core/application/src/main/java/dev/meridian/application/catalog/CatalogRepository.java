package dev.meridian.application.catalog;

import dev.meridian.application.Page;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.Optional;
import java.util.OptionalLong;

/** Products and their per-region stock allocations in this region's replica. */
public interface CatalogRepository {

  /** The product with every region's allocation, or empty when no such product exists. */
  Optional<CatalogEntry> find(ProductId id);

  /**
   * Products in id order, without allocations.
   *
   * @param cursor null for the first page, else a {@code nextCursor} this repository issued
   * @throws dev.meridian.domain.common.ValidationException naming {@code cursor} when it was not issued here
   */
  Page<CatalogEntry> list(String cursor, int limit);

  /** Stores a new product; false (and nothing written) when the id exists already. */
  boolean create(Product product);

  /**
   * Replaces the product read as {@code replacing} when the stored item is still exactly that
   * state: the same version and the same write in every field. The version alone does not say
   * so: a write replicated from another region may carry the same version with other fields.
   *
   * @return the new version, or empty when the product is absent or changed (nothing written)
   */
  OptionalLong replace(Product product, CatalogEntry replacing);

  /**
   * Adds units to {@code region}'s allocation of an existing product, creating the allocation
   * when absent, atomically (concurrent restocks add up).
   *
   * @return the allocation after the restock, or empty when the product does not exist
   */
  Optional<StockAllocation> restock(ProductId id, String region, long units);

  /** Creates {@code region}'s empty allocation of a product when it has none; otherwise changes nothing. */
  void ensureAllocation(ProductId id, String region);
}
