package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.replication.ReplicaStore;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ReplicaStore} on the single table. A merge and the records of the conflicts it resolved
 * are one TransactWriteItems, so no conflict is merged without being recorded; conflict records
 * are unconditional puts of deterministic items, so recording one twice (or in two regions)
 * leaves one record.
 */
public final class DynamoDbReplicaStore implements ReplicaStore {
  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;
  private final StockMigration migration;

  public DynamoDbReplicaStore(DynamoDbClient dynamoDb, String table, String region) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
    this.migration = new StockMigration(dynamoDb, table, region);
  }

  @Override
  public boolean copyOrder(Order order, long version, String originRegion) {
    return putIfAbsent("copy order", Items.order(order, version, originRegion));
  }

  @Override
  public boolean copyProduct(Product product, long version, String originRegion) {
    return putIfAbsent("copy product", Items.product(product, version, originRegion));
  }

  private boolean putIfAbsent(String what, Map<String, AttributeValue> item) {
    return GuardedCalls.guard(what, () -> {
      try {
        dynamoDb.putItem(PutItemRequest.builder().tableName(table).item(item)
            .conditionExpression("attribute_not_exists(pk)").build());
        return true;
      } catch (ConditionalCheckFailedException exists) {
        return false;
      }
    });
  }

  @Override
  public boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(TransactWriteItem.builder().put(Put.builder()
        .tableName(table)
        .item(Items.product(merged, newVersion, region))
        .conditionExpression("version = :expected")
        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))
        .build()).build());
    conflicts.forEach(c -> items.add(TransactWriteItem.builder().put(Put.builder()
        .tableName(table).item(Items.conflictRecord(c, region)).build()).build()));
    return GuardedCalls.guard("merge product", () -> {
      try {
        dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        return true;
      } catch (TransactionCanceledException e) {
        // A failed condition or a conflicting concurrent transaction: the caller reads again.
        return false;
      }
    });
  }

  @Override
  public List<PendingDemand> waitingDemands(String demandRegion) {
    return GuardedCalls.guard("find pending orders", () -> {
      if (demandRegion.equals(region)) {
        migrateLegacyAllocations();
      }
      List<PendingDemand> found = new ArrayList<>();
      for (int bucket = 0; bucket < Items.DEMAND_BUCKETS; bucket++) {
        // The index lags the table: a demand that left WAITING may still be listed, so filter by state.
        forEachIndexed(Items.demandsIndexKey(demandRegion, bucket), item -> {
          PendingDemand demand = Items.demand(item);
          if (demand.isWaiting()) {
            found.add(demand);
          }
        });
      }
      found.sort(Comparator.comparing(PendingDemand::placedAt).thenComparing(d -> d.orderId().value()));
      return found;
    });
  }

  /**
   * Migrates the old-shape allocations this region still has (they are in the old index, one
   * partition per region), so that the orders their {@code pending} maps hold are demand items the
   * sweep finds. Once none is left, this is one query that returns nothing.
   */
  private void migrateLegacyAllocations() {
    forEachIndexed(Items.LEGACY_ALLOCATIONS_INDEX_PREFIX + region,
        item -> migration.migrate(ProductId.of(Attr.str(item, "productId"))));
  }

  /** Every item of one index partition, page by page. */
  private void forEachIndexed(String indexKey, Consumer<Map<String, AttributeValue>> action) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder query = QueryRequest.builder()
          .tableName(table)
          .indexName(TableDesign.GSI1)
          .keyConditionExpression("gsi1pk = :pk")
          .expressionAttributeValues(Map.of(":pk", s(indexKey)));
      if (start != null) {
        query.exclusiveStartKey(start);
      }
      QueryResponse response = dynamoDb.query(query.build());
      response.items().forEach(action);
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
    } while (start != null);
  }
}
