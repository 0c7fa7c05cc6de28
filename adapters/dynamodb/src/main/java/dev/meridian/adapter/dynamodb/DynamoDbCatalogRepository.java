package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.Page;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** {@link CatalogRepository} on the single table: a product and its allocations share a partition. */
public final class DynamoDbCatalogRepository implements CatalogRepository {
  private static final String CURSOR_KIND = "products";

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;

  public DynamoDbCatalogRepository(DynamoDbClient dynamoDb, String table, String region) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
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
      List<StockAllocation> allocations = new ArrayList<>();
      for (Map<String, AttributeValue> item : response.items()) {
        String sk = Attr.str(item, TableDesign.SK);
        if (sk.equals(Items.PRODUCT_SK)) {
          product = Items.product(item);
          version = Attr.num(item, TableDesign.VERSION);
        } else if (sk.startsWith(Items.ALLOCATION_PREFIX)) {
          allocations.add(Items.allocation(item));
        }
      }
      return product == null ? Optional.empty() : Optional.of(new CatalogEntry(product, version, allocations));
    });
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
        return OptionalLong.of(expectedVersion + 1);
      } catch (ConditionalCheckFailedException stale) {
        return OptionalLong.empty();
      }
    });
  }

  @Override
  public Optional<StockAllocation> restock(ProductId id, String allocationRegion, long units) {
    return GuardedCalls.guard("restock", () -> {
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":u", n(units));
      values.put(":zero", n(0));
      values.put(":one", n(1));
      values.put(":empty", Attr.m(Map.of()));
      values.put(":pid", s(id.value()));
      values.put(":region", s(allocationRegion));
      values.put(":entity", s("allocation"));
      values.put(":origin", s(region));
      values.put(":gsipk", s(Items.allocationsIndexKey(allocationRegion)));
      Update restock = Update.builder()
          .tableName(table)
          .key(Items.allocationKey(id, allocationRegion))
          .updateExpression("SET available = if_not_exists(available, :zero) + :u,"
              + " restocked = if_not_exists(restocked, :zero) + :u,"
              + " version = if_not_exists(version, :zero) + :one,"
              + " reserved = if_not_exists(reserved, :zero), sold = if_not_exists(sold, :zero),"
              + " received = if_not_exists(received, :zero), given = if_not_exists(given, :zero),"
              + " settled = if_not_exists(settled, :zero),"
              + " holds = if_not_exists(holds, :empty), outgoing = if_not_exists(outgoing, :empty),"
              + " receivedThrough = if_not_exists(receivedThrough, :empty), pending = if_not_exists(pending, :empty),"
              + " productId = :pid, #region = :region, entity = :entity, originRegion = :origin,"
              + " gsi1pk = :gsipk, gsi1sk = :pid")
          .expressionAttributeNames(Map.of("#region", "region"))
          .expressionAttributeValues(values)
          .build();
      ConditionCheck productExists = ConditionCheck.builder()
          .tableName(table)
          .key(Items.productKey(id))
          .conditionExpression("attribute_exists(pk)")
          .build();
      try {
        dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder()
            .transactItems(TransactWriteItem.builder().conditionCheck(productExists).build(),
                TransactWriteItem.builder().update(restock).build())
            .build());
      } catch (TransactionCanceledException e) {
        if (Transactions.failedCondition(e, 0)) {
          return Optional.empty();
        }
        throw e;
      }
      return find(id).flatMap(entry -> entry.allocations().stream()
          .filter(a -> a.region().equals(allocationRegion)).findFirst());
    });
  }

  @Override
  public void ensureAllocation(ProductId id, String allocationRegion) {
    GuardedCalls.run("create allocation", () -> {
      try {
        dynamoDb.putItem(PutItemRequest.builder()
            .tableName(table)
            .item(Items.allocation(StockAllocation.empty(id, allocationRegion), region))
            .conditionExpression("attribute_not_exists(pk)")
            .build());
      } catch (ConditionalCheckFailedException exists) {
        // already there: nothing to do
      }
    });
  }
}
