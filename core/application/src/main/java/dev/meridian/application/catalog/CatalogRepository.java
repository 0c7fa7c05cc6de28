package dev.meridian.application.catalog;

import dev.meridian.application.Page;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Products and every region's stock of them (sharded allocations) in this region's replica. */
public interface CatalogRepository {

  /** The product with every region's stock as this replica sees it, or empty when no such product exists. */
  Optional<CatalogEntry> find(ProductId id);

  /** This region's replica of {@code region}'s stock of a product (strongly consistent for this region's own). */
  RegionStock stock(ProductId id, String region);

  /**
   * The product alone, for a placement: one item read, and an adapter may answer from a copy read
   * by this instance up to a second ago (a price or an activation a second old is one a placement
   * racing the edit could have read anyway).
   */
  Optional<Product> productForSale(ProductId id);

  /**
   * {@code region}'s stock with one shard read now, for a placement's first try: the shard
   * {@code start} picks among the shards in use ({@code floorMod(start, shards in use)}), and the
   * head as this instance last read it (up to a second ago; only its shard count is relied on).
   * Every other shard is left out, so the result plans only from the picked one. Empty when the
   * region has no stock of the product in today's shape.
   */
  Optional<RegionStock> stockOnOneShard(ProductId id, String region, int start);

  /**
   * The stock of {@code newer}'s region as this replica holds it, with {@code newer} (one of its
   * shards, as an event brought it, possibly ahead of the replica) merged in: when the newer head
   * names shards the replica's head does not know yet, those are read too
   * ({@link RegionStock#merged}).
   */
  RegionStock stockWith(StockAllocation newer);

  /**
   * Products in id order, without stock.
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
   * Adds units to shards of this region's stock of an existing product, atomically: each
   * {@link RegionStock.Take} adds its units to its shard (creating it when absent), so concurrent
   * restocks add up.
   *
   * @return false when the product does not exist (nothing written)
   */
  boolean restock(ProductId id, List<RegionStock.Take> additions);

  /**
   * Writes this region's shards of a product in one transaction, each only if its stored revision
   * is the one it was read at ({@link RegionStock#changedSince}).
   *
   * @return false when any shard changed meanwhile (nothing written)
   */
  boolean writeStock(List<RegionStock.ShardWrite> writes);
}
