package dev.meridian.testkit.memory;

import dev.meridian.application.Page;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** {@link CatalogRepository} on one in-memory replica, with the DynamoDB adapter's conditions. */
public final class InMemoryCatalogRepository implements CatalogRepository {
  private static final String CURSOR = "products:";

  private final ReplicaTable table;
  /** The stored product the last successful replace wrote over: what the simulator checks an If-Match against. */
  public Product lastOverwritten;

  public InMemoryCatalogRepository(ReplicaTable table) {
    this.table = table;
  }

  @Override
  public Optional<CatalogEntry> find(ProductId id) {
    // One query of the product's partition, as the DynamoDB adapter reads it.
    Product product = null;
    long version = 0;
    List<StockAllocation> allocations = new ArrayList<>();
    for (Item item : table.query(TableKeys.productPartition(id))) {
      if (item.value() instanceof Product p) {
        product = p;
        version = item.version();
      } else if (item.value() instanceof StockAllocation a) {
        allocations.add(a);
      }
    }
    return product == null ? Optional.empty() : Optional.of(new CatalogEntry(product, version, allocations));
  }

  @Override
  public Page<CatalogEntry> list(String cursor, int limit) {
    String after = "";
    if (cursor != null) {
      if (!cursor.startsWith(CURSOR)) {
        throw ValidationException.of("cursor", "was not issued by this API");
      }
      after = cursor.substring(CURSOR.length());
    }
    List<CatalogEntry> entries = new ArrayList<>();
    boolean more = false;
    for (Item item : table.query(TableKeys.PRODUCTS)) {
      if (item.value() instanceof Product p && p.id().value().compareTo(after) > 0) {
        if (entries.size() == limit) {
          more = true;
          break;
        }
        entries.add(new CatalogEntry(p, item.version(), List.of()));
      }
    }
    return new Page<>(entries, more
        ? Optional.of(CURSOR + entries.get(entries.size() - 1).product().id().value())
        : Optional.empty());
  }

  @Override
  public boolean create(Product product) {
    return table.transact(List.of(new Op(TableKeys.product(product.id()), ReplicaTable.ABSENT,
        current -> new Put(product, 1, table.region())))) < 0;
  }

  @Override
  public OptionalLong replace(Product product, CatalogEntry replacing) {
    long expectedVersion = replacing.version();
    Product expected = replacing.product();
    // As the DynamoDB adapter's condition: the version and every field's stamp.
    Predicate<Item> unchanged = item -> item != null && item.version() == expectedVersion
        && item.value() instanceof Product stored
        && stored.name().stamp().equals(expected.name().stamp())
        && stored.description().stamp().equals(expected.description().stamp())
        && stored.price().stamp().equals(expected.price().stamp())
        && stored.active().stamp().equals(expected.active().stamp());
    int failed = table.transact(List.of(new Op(TableKeys.product(product.id()), unchanged, current -> {
      lastOverwritten = (Product) current.value();
      return new Put(product, expectedVersion + 1, table.region());
    })));
    return failed < 0 ? OptionalLong.of(expectedVersion + 1) : OptionalLong.empty();
  }

  @Override
  public Optional<StockAllocation> restock(ProductId id, String allocationRegion, long units) {
    // An atomic add that creates the allocation when absent, in one transaction with a check that the product exists.
    int failed = table.transact(List.of(
        Op.check(TableKeys.product(id), ReplicaTable.PRESENT),
        new Op(TableKeys.allocation(id, allocationRegion), ReplicaTable.ALWAYS, current -> {
          StockAllocation before = current == null
              ? StockAllocation.empty(id, allocationRegion)
              : (StockAllocation) current.value();
          StockAllocation after = before.restock(units);
          return new Put(after, after.revision(), table.region());
        })));
    if (failed == 0) {
      return Optional.empty();
    }
    return find(id).flatMap(entry -> entry.allocations().stream()
        .filter(a -> a.region().equals(allocationRegion)).findFirst());
  }

  @Override
  public void ensureAllocation(ProductId id, String allocationRegion) {
    table.transact(List.of(new Op(TableKeys.allocation(id, allocationRegion), ReplicaTable.ABSENT,
        current -> new Put(StockAllocation.empty(id, allocationRegion), 0, table.region()))));
  }
}
