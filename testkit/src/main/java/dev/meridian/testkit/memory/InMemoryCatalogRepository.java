package dev.meridian.testkit.memory;

import dev.meridian.application.Page;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
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
  private final List<String> regions;
  /** The stored product the last successful replace wrote over: what the simulator checks an If-Match against. */
  public Product lastOverwritten;

  /** @param regions every region of the deployment: whose stock {@link #find} reads */
  public InMemoryCatalogRepository(ReplicaTable table, List<String> regions) {
    this.table = table;
    this.regions = List.copyOf(regions);
  }

  @Override
  public Optional<CatalogEntry> find(ProductId id) {
    Item item = table.read(TableKeys.product(id));
    if (item == null) {
      return Optional.empty();
    }
    List<RegionStock> stock = new ArrayList<>();
    regions.forEach(r -> stock.add(stock(id, r)));
    return Optional.of(new CatalogEntry((Product) item.value(), item.version(), stock));
  }

  /** The head, then the shards it says exist, as the DynamoDB adapter reads them. */
  @Override
  public RegionStock stock(ProductId id, String region) {
    Item head = table.read(TableKeys.shard(id, region, StockAllocation.HEAD));
    List<StockAllocation> shards = new ArrayList<>();
    if (head != null) {
      StockAllocation h = (StockAllocation) head.value();
      shards.add(h);
      for (int number = 1; number < h.shardsEver(); number++) {
        Item shard = table.read(TableKeys.shard(id, region, number));
        if (shard != null) {
          shards.add((StockAllocation) shard.value());
        }
      }
    }
    return RegionStock.of(id, region, shards);
  }

  @Override
  public Optional<Product> productForSale(ProductId id) {
    Item item = table.read(TableKeys.product(id));
    return item == null ? Optional.empty() : Optional.of((Product) item.value());
  }

  @Override
  public Optional<RegionStock> stockOnOneShard(ProductId id, String region, int start) {
    Item head = table.read(TableKeys.shard(id, region, StockAllocation.HEAD));
    if (head == null) {
      return Optional.empty();
    }
    StockAllocation h = (StockAllocation) head.value();
    int picked = Math.floorMod(start, h.shards());
    if (picked == StockAllocation.HEAD) {
      return Optional.of(RegionStock.of(id, region, List.of(h)));
    }
    Item shard = table.read(TableKeys.shard(id, region, picked));
    return Optional.of(RegionStock.of(id, region, shard == null ? List.of(h) : List.of(h, (StockAllocation) shard.value())));
  }

  @Override
  public RegionStock stockWith(StockAllocation newer) {
    RegionStock seen = stock(newer.productId(), newer.region());
    List<StockAllocation> shards = new ArrayList<>(seen.all());
    if (newer.isHead()) {
      for (int number = Math.max(1, seen.shardsEver()); number < newer.shardsEver(); number++) {
        Item shard = table.read(TableKeys.shard(newer.productId(), newer.region(), number));
        if (shard != null) {
          shards.add((StockAllocation) shard.value());
        }
      }
    }
    return RegionStock.merged(shards, newer);
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
  public boolean restock(ProductId id, List<RegionStock.Take> additions) {
    ShardOps shards = new ShardOps();
    additions.forEach(take -> shards.add(id, table.region(), take.shard(), s -> s.restock(take.units())));
    List<Op> ops = new ArrayList<>();
    ops.add(Op.check(TableKeys.product(id), ReplicaTable.PRESENT));
    ops.addAll(shards.ops(table.region()));
    return table.transact(ops) != 0;
  }

  @Override
  public boolean writeStock(List<RegionStock.ShardWrite> writes) {
    List<Op> ops = new ArrayList<>();
    for (RegionStock.ShardWrite write : writes) {
      StockAllocation next = write.next();
      if (!next.region().equals(table.region())) {
        throw new IllegalArgumentException("a region writes only its own shards, not " + next.region() + "'s");
      }
      Predicate<Item> unchanged = write.expectedRevision() == 0 ? ReplicaTable.ABSENT
          : ReplicaTable.versionIs(write.expectedRevision());
      ops.add(new Op(TableKeys.shard(next.productId(), next.region(), next.shard()), unchanged,
          current -> new Put(next, next.revision(), table.region())));
    }
    return table.transact(ops) < 0;
  }
}
