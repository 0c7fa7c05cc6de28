package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.replication.ReplicaStore;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
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
  /** TransactWriteItems takes at most 100 items; a merge writes the order, its holds and its conflicts. */
  private static final int MAX_TRANSACTION_ITEMS = 100;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;

  public DynamoDbReplicaStore(DynamoDbClient dynamoDb, String table, String region) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
  }

  @Override
  public Optional<StockAllocation> allocation(ProductId productId, String allocationRegion) {
    return GuardedCalls.guard("read allocation", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
          .tableName(table).key(Items.allocationKey(productId, allocationRegion)).consistentRead(true).build()).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.allocation(item));
    });
  }

  @Override
  public List<StockAllocation> allocations(ProductId productId) {
    return GuardedCalls.guard("read allocations", () -> dynamoDb.query(QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :allocations)")
            .expressionAttributeValues(Map.of(":pk", s(Items.PRODUCT_PREFIX + productId.value()),
                ":allocations", s(Items.ALLOCATION_PREFIX)))
            .consistentRead(true)
            .build())
        .items().stream().map(Items::allocation).toList());
  }

  @Override
  public List<StockAllocation> allocationsWithPendingOrders(String allocationRegion) {
    return GuardedCalls.guard("find pending orders", () -> {
      List<StockAllocation> found = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        QueryRequest.Builder query = QueryRequest.builder()
            .tableName(table)
            .indexName(TableDesign.GSI1)
            .keyConditionExpression("gsi1pk = :pk")
            .filterExpression("size(pending) > :zero")
            .expressionAttributeValues(Map.of(":pk", s(Items.allocationsIndexKey(allocationRegion)), ":zero", n(0)));
        if (start != null) {
          query.exclusiveStartKey(start);
        }
        QueryResponse response = dynamoDb.query(query.build());
        response.items().forEach(item -> found.add(Items.allocation(item)));
        start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
      } while (start != null);
      return found;
    });
  }

  @Override
  public boolean writeOrderAndAllocations(Order order, long expectedVersion, long newVersion, List<StockAllocation> next) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(versionedPut(Items.order(order, newVersion, region), expectedVersion));
    for (StockAllocation allocation : next) {
      if (!allocation.region().equals(region)) {
        throw new IllegalArgumentException("a region writes only its own allocations, not " + allocation.region() + "'s");
      }
      items.add(versionedPut(Items.allocation(allocation, region), allocation.revision() - 1));
    }
    return transact("write order and allocations", items);
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
  public boolean writeOrder(Order merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts,
      boolean releaseLocalHolds) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(versionedPut(Items.order(merged, newVersion, region), expectedVersion));
    if (releaseLocalHolds) {
      Reservation mine = merged.reservations().get(region);
      if (mine == null) {
        throw new IllegalArgumentException("order " + merged.id() + " has no reservation in " + region);
      }
      mine.units().forEach((productId, units) ->
          items.add(TransactWriteItem.builder().update(Holds.release(table, merged.id(), productId, region, region, units)).build()));
    }
    conflicts.forEach(c -> items.add(recordOf(c)));
    return transact("merge order", items);
  }

  @Override
  public boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts) {
    List<TransactWriteItem> items = new ArrayList<>();
    items.add(versionedPut(Items.product(merged, newVersion, region), expectedVersion));
    conflicts.forEach(c -> items.add(recordOf(c)));
    return transact("merge product", items);
  }

  @Override
  public boolean writeAllocation(StockAllocation next, long expectedRevision) {
    if (!next.region().equals(region)) {
      throw new IllegalArgumentException("a region writes only its own allocation, not " + next.region() + "'s");
    }
    return GuardedCalls.guard("write allocation", () -> {
      PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(Items.allocation(next, region));
      if (expectedRevision == 0) {
        // None yet, or the empty one a pending placement created (revision 0).
        put.conditionExpression("attribute_not_exists(pk) OR version = :zero").expressionAttributeValues(Map.of(":zero", n(0)));
      } else {
        put.conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n(expectedRevision)));
      }
      try {
        dynamoDb.putItem(put.build());
        return true;
      } catch (ConditionalCheckFailedException changed) {
        return false;
      }
    });
  }

  private TransactWriteItem versionedPut(Map<String, AttributeValue> item, long expectedVersion) {
    return TransactWriteItem.builder().put(Put.builder()
        .tableName(table)
        .item(item)
        .conditionExpression("version = :expected")
        .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))
        .build()).build();
  }

  private TransactWriteItem recordOf(Conflict conflict) {
    return TransactWriteItem.builder().put(Put.builder()
        .tableName(table).item(Items.conflictRecord(conflict, region)).build()).build();
  }

  private boolean transact(String what, List<TransactWriteItem> items) {
    if (items.size() > MAX_TRANSACTION_ITEMS) {
      throw new IllegalArgumentException(what + " needs " + items.size() + " items, more than one transaction takes");
    }
    return GuardedCalls.guard(what, () -> {
      try {
        dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
        return true;
      } catch (TransactionCanceledException e) {
        // A failed condition or a conflicting concurrent transaction: the caller reads again.
        return false;
      }
    });
  }
}
