package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.Page;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link CatalogRepository} on the single table. A product is an item of its own; each region's
 * stock of it is that region's shards, each in its own partition ({@code STOCK#product#region#n}),
 * read with one batch of the regions' head shards and, for a sharded product, one more for the rest.
 * This region's allocation still in the shape written before shards existed is migrated the first
 * time it is read ({@link StockMigration}); another region's is read as that region's head.
 */
public final class DynamoDbCatalogRepository implements CatalogRepository {
  private static final String CURSOR_KIND = "products";
  private static final Duration RECENT = Duration.ofSeconds(1);
  /** Entries kept per cache: a catalog of millions read through one instance must not fill its memory. */
  private static final int MAX_RECENT = 10_000;
  /** BatchGetItem takes at most 100 keys. */

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;
  private final List<String> regions;
  private final StockMigration migration;
  /** Products whose allocation here is known to be in today's shape (a migration is never undone). */
  private final Set<ProductId> migrated = ConcurrentHashMap.newKeySet();
  /**
   * What placements read of a hot product on every order, kept for a second per instance: the
   * product's partition and the head's then see about one read a second per instance, not one per order.
   */
  private final Map<ProductId, Recent<Product>> products = new ConcurrentHashMap<>();
  private final Map<String, Recent<StockAllocation>> heads = new ConcurrentHashMap<>();

  /** @param regions every region of the deployment, this one included: whose stock {@link #find} reads */
  public DynamoDbCatalogRepository(DynamoDbClient dynamoDb, String table, String region, List<String> regions) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
    this.regions = List.copyOf(regions);
    this.migration = new StockMigration(dynamoDb, table, region);
  }

  @Override
  public Optional<CatalogEntry> find(ProductId id) {
    return GuardedCalls.guard("find", () -> {
      // Strongly consistent: a write's answer must reflect the write (read-your-writes in region).
      QueryResponse response = dynamoDb.query(QueryRequest.builder()
          .tableName(table)
          .keyConditionExpression("pk = :pk")
          .expressionAttributeValues(Map.of(":pk", s(Items.PRODUCT_PREFIX + id.value())))
          .consistentRead(true)
          .build());
      Product product = null;
      long version = 0;
      Map<String, StockAllocation> legacyHeads = new HashMap<>();
      for (Map<String, AttributeValue> item : response.items()) {
        String sk = Attr.str(item, TableDesign.SK);
        if (sk.equals(Items.PRODUCT_SK)) {
          product = Items.product(item);
          version = Attr.num(item, TableDesign.VERSION);
        } else if (sk.startsWith(Items.LEGACY_ALLOCATION_PREFIX)) {
          StockAllocation legacy = Items.allocation(item);
          legacyHeads.put(legacy.region(), legacy);
        }
      }
      if (product == null) {
        return Optional.empty();
      }
      if (legacyHeads.containsKey(region)) {
        migration.migrate(id);
        legacyHeads.remove(region);
      }
      return Optional.of(new CatalogEntry(product, version, stocks(id, regions, legacyHeads)));
    });
  }

  @Override
  public RegionStock stock(ProductId id, String stockRegion) {
    return GuardedCalls.guard("read stock", () -> {
      Map<String, StockAllocation> legacyHeads = new HashMap<>();
      if (stockRegion.equals(region)) {
        if (!migrated.contains(id)) {
          migration.migrate(id);
          migrated.add(id);
        }
      } else {
        Map<String, AttributeValue> legacy = dynamoDb.getItem(r -> r.tableName(table)
            .key(Items.legacyAllocationKey(id, stockRegion)).consistentRead(true)).item();
        if (legacy != null && !legacy.isEmpty()) {
          legacyHeads.put(stockRegion, Items.allocation(legacy));
        }
      }
      return stocks(id, List.of(stockRegion), legacyHeads).get(0);
    });
  }

  @Override
  public Optional<Product> productForSale(ProductId id) {
    return recently(products, id, () -> GuardedCalls.guard("read product", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(Items.productKey(id))).item();
      return item == null || item.isEmpty() ? Optional.<Product>empty() : Optional.of(Items.product(item));
    }));
  }

  @Override
  public Optional<RegionStock> stockOnOneShard(ProductId id, String stockRegion, int start) {
    Optional<StockAllocation> head = recently(heads, id.value() + "@" + stockRegion,
        () -> GuardedCalls.guard("read stock", () -> readShard(id, stockRegion, StockAllocation.HEAD)));
    if (head.isEmpty()) {
      return Optional.empty();
    }
    int picked = Math.floorMod(start, head.get().shards());
    return GuardedCalls.guard("read stock", () -> {
      Optional<StockAllocation> shard = readShard(id, stockRegion, picked);
      if (picked == StockAllocation.HEAD) {
        return shard.map(h -> RegionStock.of(id, stockRegion, List.of(h)));
      }
      List<StockAllocation> shards = new ArrayList<>(List.of(head.get()));
      shard.ifPresent(shards::add);
      return Optional.of(RegionStock.of(id, stockRegion, shards));
    });
  }

  private Optional<StockAllocation> readShard(ProductId id, String stockRegion, int number) {
    Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).key(Items.shardKey(id, stockRegion, number))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.allocation(item));
  }

  /** A value read at most {@link #RECENT} ago by this instance, else read now (what is absent is not kept). */
  private static <K, V> Optional<V> recently(Map<K, Recent<V>> cache, K key, Supplier<Optional<V>> read) {
    long now = System.nanoTime();
    Recent<V> kept = cache.get(key);
    if (kept != null && now - kept.readAtNanos() < RECENT.toNanos()) {
      return Optional.of(kept.value());
    }
    Optional<V> fresh = read.get();
    if (cache.size() >= MAX_RECENT) {
      cache.clear();
    }
    fresh.ifPresentOrElse(v -> cache.put(key, new Recent<>(v, now)), () -> cache.remove(key));
    return fresh;
  }

  private record Recent<V>(V value, long readAtNanos) {}

  @Override
  public RegionStock stockWith(StockAllocation newer) {
    return GuardedCalls.guard("read stock", () -> {
      RegionStock seen = stock(newer.productId(), newer.region());
      List<StockAllocation> shards = new ArrayList<>(seen.all());
      if (newer.isHead() && newer.shardsEver() > seen.shardsEver()) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int number = Math.max(1, seen.shardsEver()); number < newer.shardsEver(); number++) {
          keys.add(Items.shardKey(newer.productId(), newer.region(), number));
        }
        shards.addAll(batchGet(keys));
      }
      return RegionStock.merged(shards, newer);
    });
  }

  /** The stock of {@code product} in each of {@code stockRegions}: their heads in one batch, the other shards in another. */
  private List<RegionStock> stocks(ProductId product, List<String> stockRegions, Map<String, StockAllocation> legacyHeads) {
    Map<String, List<StockAllocation>> shards = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> headKeys = new ArrayList<>();
    for (String r : stockRegions) {
      shards.put(r, new ArrayList<>());
      headKeys.add(Items.shardKey(product, r, StockAllocation.HEAD));
    }
    List<Map<String, AttributeValue>> otherKeys = new ArrayList<>();
    for (StockAllocation head : batchGet(headKeys)) {
      shards.get(head.region()).add(head);
      for (int number = 1; number < head.shardsEver(); number++) {
        otherKeys.add(Items.shardKey(product, head.region(), number));
      }
    }
    for (StockAllocation shard : batchGet(otherKeys)) {
      shards.get(shard.region()).add(shard);
    }
    List<RegionStock> stocks = new ArrayList<>();
    shards.forEach((r, list) -> {
      if (list.isEmpty() && legacyHeads.containsKey(r)) {
        list.add(legacyHeads.get(r));
      }
      stocks.add(RegionStock.of(product, r, list));
    });
    return stocks;
  }

  private List<StockAllocation> batchGet(List<Map<String, AttributeValue>> keys) {
    return BatchReads.get(dynamoDb, table, keys).stream().map(Items::allocation).toList();
  }

  @Override
  public Page<CatalogEntry> list(String cursor, int limit) {
    return GuardedCalls.guard("list", () -> {
      QueryRequest.Builder query = QueryRequest.builder()
          .tableName(table)
          .indexName(TableDesign.GSI1)
          .keyConditionExpression("gsi1pk = :pk")
          .expressionAttributeValues(Map.of(":pk", s(Items.PRODUCTS_INDEX_PK)))
          .limit(limit);
      if (cursor != null) {
        String after = Cursors.decode(cursor, CURSOR_KIND);
        ProductId lastId;
        try {
          lastId = ProductId.of(after);
        } catch (ValidationException e) {
          throw Cursors.invalid();
        }
        Map<String, AttributeValue> start = Items.productKey(lastId);
        start.put(TableDesign.GSI1_PK, s(Items.PRODUCTS_INDEX_PK));
        start.put(TableDesign.GSI1_SK, s(lastId.value()));
        query.exclusiveStartKey(start);
      }
      QueryResponse response = dynamoDb.query(query.build());
      List<CatalogEntry> entries = new ArrayList<>();
      for (Map<String, AttributeValue> item : response.items()) {
        entries.add(new CatalogEntry(Items.product(item), Attr.num(item, TableDesign.VERSION), List.of()));
      }
      Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !entries.isEmpty()
          ? Optional.of(Cursors.encode(CURSOR_KIND, entries.get(entries.size() - 1).product().id().value()))
          : Optional.empty();
      return new Page<>(entries, next);
    });
  }

  @Override
  public boolean create(Product product) {
    return GuardedCalls.guard("create", () -> {
      try {
        dynamoDb.putItem(PutItemRequest.builder()
            .tableName(table)
            .item(Items.product(product, 1, region))
            .conditionExpression("attribute_not_exists(pk)")
            .build());
        return true;
      } catch (ConditionalCheckFailedException exists) {
        return false;
      }
    });
  }

  @Override
  public OptionalLong replace(Product product, CatalogEntry replacing) {
    long expectedVersion = replacing.version();
    Product expected = replacing.product();
    return GuardedCalls.guard("replace", () -> {
      try {
        // Every field's stamp too: a replicated write of another region can carry the same version.
        dynamoDb.putItem(PutItemRequest.builder()
            .tableName(table)
            .item(Items.product(product, expectedVersion + 1, region))
            .conditionExpression("version = :expected AND #name.#stamp = :name AND #description.#stamp = :description"
                + " AND #price.#stamp = :price AND #active.#stamp = :active")
            .expressionAttributeNames(Map.of("#name", "name", "#description", "description", "#price", "price",
                "#active", "active", "#stamp", "stamp"))
            .expressionAttributeValues(Map.of(":expected", n(expectedVersion),
                ":name", s(expected.name().stamp().encode()),
                ":description", s(expected.description().stamp().encode()),
                ":price", s(expected.price().stamp().encode()),
                ":active", s(expected.active().stamp().encode())))
            .build());
        // This instance's own write: a placement through it must not read the replaced product for a second more.
        products.remove(product.id());
        return OptionalLong.of(expectedVersion + 1);
      } catch (ConditionalCheckFailedException stale) {
        return OptionalLong.empty();
      }
    });
  }

  @Override
  public boolean restock(ProductId id, List<RegionStock.Take> additions) {
    return GuardedCalls.guard("restock", () -> {
      ShardDeltas deltas = new ShardDeltas();
      additions.forEach(take -> deltas.restock(id, region, take.shard(), take.units()));
      List<TransactWriteItem> items = new ArrayList<>();
      items.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
          .tableName(table).key(Items.productKey(id)).conditionExpression("attribute_exists(pk)").build()).build());
      deltas.updates(table, region).forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
      try {
        dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        return true;
      } catch (TransactionCanceledException e) {
        if (Transactions.failedCondition(e, 0)) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public boolean writeStock(List<RegionStock.ShardWrite> writes) {
    return GuardedCalls.guard("write stock", () -> {
      List<TransactWriteItem> items = new ArrayList<>();
      for (RegionStock.ShardWrite write : writes) {
        if (!write.next().region().equals(region)) {
          throw new IllegalArgumentException("a region writes only its own shards, not " + write.next().region() + "'s");
        }
        Put.Builder put = Put.builder().tableName(table).item(Items.shard(write.next(), region));
        if (write.expectedRevision() == 0) {
          put.conditionExpression("attribute_not_exists(pk)");
        } else {
          put.conditionExpression("#version = :expected").expressionAttributeNames(Map.of("#version", TableDesign.VERSION))
              .expressionAttributeValues(Map.of(":expected", n(write.expectedRevision())));
        }
        items.add(TransactWriteItem.builder().put(put.build()).build());
      }
      try {
        if (items.size() == 1) {
          // One shard (a transfer received or settled, most gives): a conditional put costs half a transaction.
          Put only = items.get(0).put();
          PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(only.item())
              .conditionExpression(only.conditionExpression());
          if (only.hasExpressionAttributeNames()) {
            put.expressionAttributeNames(only.expressionAttributeNames()).expressionAttributeValues(only.expressionAttributeValues());
          }
          dynamoDb.putItem(put.build());
        } else {
          dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        }
        return true;
      } catch (TransactionCanceledException | ConditionalCheckFailedException changed) {
        return false;
      }
    });
  }
}
