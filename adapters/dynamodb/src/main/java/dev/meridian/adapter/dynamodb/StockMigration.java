package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;

import dev.meridian.application.StoreUnavailableException;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Moves this region's allocation of a product from the shape written before holds were items of
 * their own (one item in the product's partition, a {@code holds} map and a {@code pending} map
 * that grew with open orders) to today's: each held order gets its hold item, each pending order
 * its demand item, and the counters become the head shard. The first code of this region that
 * touches the product does it, in steps of at most {@value #ENTRIES_PER_STEP} entries, each one
 * transaction that removes the entries from the old item (only at the version read) and creates
 * their items (only where absent): a retried or concurrent step does nothing twice, and no unit is
 * created or lost (the old item's counters already count the held and awaited units, and move
 * whole). The old item is deleted in the step that puts the head.
 */
final class StockMigration {
  private static final int ENTRIES_PER_STEP = 40;
  private static final int MAX_STEPS = 2_000;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;

  StockMigration(DynamoDbClient dynamoDb, String table, String region) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
  }

  /** Whether this region still has {@code productId}'s allocation in the old shape (a consistent read). */
  boolean pending(ProductId productId) {
    return !legacy(productId).isEmpty();
  }

  /** Migrates this region's allocation of {@code productId}, if it is in the old shape; a no-op otherwise. */
  void migrate(ProductId productId) {
    for (int step = 0; step < MAX_STEPS; step++) {
      Map<String, AttributeValue> legacy = legacy(productId);
      if (legacy.isEmpty()) {
        return;
      }
      long version = Attr.num(legacy, TableDesign.VERSION);
      Map<String, AttributeValue> holds = Attr.map(legacy, "holds");
      Map<String, AttributeValue> pending = Attr.map(legacy, "pending");
      List<TransactWriteItem> items = holds.isEmpty() && pending.isEmpty()
          ? finalStep(productId, legacy, version) : entryStep(productId, holds, pending, version);
      try {
        dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
      } catch (TransactionCanceledException changed) {
        // A concurrent step or write got there first: read again.
      }
    }
    throw new StoreUnavailableException("the allocation of " + productId + "@" + region + " did not finish migrating", null);
  }

  private Map<String, AttributeValue> legacy(ProductId productId) {
    Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
        .key(Items.legacyAllocationKey(productId, region)).consistentRead(true).build()).item();
    return item == null ? Map.of() : item;
  }

  /** Up to {@value #ENTRIES_PER_STEP} holds and pending orders out of the old item into items of their own. */
  private List<TransactWriteItem> entryStep(ProductId productId, Map<String, AttributeValue> holds,
      Map<String, AttributeValue> pending, long version) {
    List<TransactWriteItem> items = new ArrayList<>();
    StringJoiner remove = new StringJoiner(", ", " REMOVE ", "");
    Map<String, String> names = new HashMap<>();
    long migratedPending = 0;
    int entry = 0;
    for (Map.Entry<String, AttributeValue> hold : holds.entrySet()) {
      if (entry == ENTRIES_PER_STEP) {
        break;
      }
      OrderId orderId = new OrderId(hold.getKey());
      items.add(createIfAbsent(Items.hold(orderId, heldFor(orderId, productId, Long.parseLong(hold.getValue().n())), 1, region)));
      names.put("#e" + entry, hold.getKey());
      remove.add("holds.#e" + entry);
      entry++;
    }
    for (Map.Entry<String, AttributeValue> waiting : pending.entrySet()) {
      if (entry == ENTRIES_PER_STEP) {
        break;
      }
      OrderId orderId = new OrderId(waiting.getKey());
      long units = Long.parseLong(waiting.getValue().n());
      items.add(createIfAbsent(Items.demand(waitingFor(orderId, productId, units), 1, region)));
      migratedPending += units;
      names.put("#e" + entry, waiting.getKey());
      remove.add("pending.#e" + entry);
      entry++;
    }
    names.put("#version", TableDesign.VERSION);
    items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
        .key(Items.legacyAllocationKey(productId, region))
        .updateExpression("SET #version = #version + :one, migratedPending = if_not_exists(migratedPending, :zero) + :moved"
            + remove)
        .conditionExpression("#version = :expected")
        .expressionAttributeNames(names)
        .expressionAttributeValues(Map.of(":one", n(1), ":zero", n(0), ":moved", n(migratedPending), ":expected", n(version)))
        .build()).build());
    return items;
  }

  /** The old item, emptied of entries, becomes the head shard (its counters whole) and is deleted. */
  private List<TransactWriteItem> finalStep(ProductId productId, Map<String, AttributeValue> legacy, long version) {
    StockAllocation head = Items.allocation(legacy);
    return List.of(
        TransactWriteItem.builder().put(Put.builder().tableName(table).item(Items.shard(head, region))
            .conditionExpression("attribute_not_exists(pk)").build()).build(),
        TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Items.legacyAllocationKey(productId, region))
            .conditionExpression("#version = :expected").expressionAttributeNames(Map.of("#version", TableDesign.VERSION))
            .expressionAttributeValues(Map.of(":expected", n(version))).build()).build());
  }

  /**
   * The hold an old entry stands for: the order's own record of this region's reservation (every
   * product it held here, taken from what is now the head shard), or, were it missing, this entry alone.
   */
  private Reservation heldFor(OrderId orderId, ProductId productId, long units) {
    Order order = order(orderId);
    Reservation recorded = order.reservations().get(region);
    if (recorded != null) {
      return recorded.withState(ReservationState.RESERVED);
    }
    return new Reservation(region, order.body().placedAt(), order.body().fingerprint(), order.body().placedAt(),
        new TreeMap<>(Map.of(productId, new TreeMap<>(Map.of(StockAllocation.HEAD, units)))), ReservationState.RESERVED);
  }

  private PendingDemand waitingFor(OrderId orderId, ProductId productId, long units) {
    Order order = order(orderId);
    return units == order.units().getOrDefault(productId, 0) ? PendingDemand.of(order)
        : new PendingDemand(orderId, region, new TreeMap<>(Map.of(productId, (int) units)), order.body().fingerprint(),
            order.body().placedAt(),
            PendingDemand.State.WAITING);
  }

  private Order order(OrderId orderId) {
    Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder().tableName(table)
        .key(Items.orderKey(orderId)).consistentRead(true).build()).item();
    if (item == null || item.isEmpty()) {
      throw new CorruptItemException("the old allocation names order " + orderId + ", which this replica does not hold");
    }
    return Items.order(item);
  }

  /** Every attribute set only where absent: the item is created once, and a later step leaves it be. */
  private TransactWriteItem createIfAbsent(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> key = Map.of(TableDesign.PK, item.get(TableDesign.PK), TableDesign.SK, item.get(TableDesign.SK));
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    StringJoiner set = new StringJoiner(", ", "SET ", "");
    int i = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      if (key.containsKey(attribute.getKey())) {
        continue;
      }
      names.put("#a" + i, attribute.getKey());
      values.put(":a" + i, attribute.getValue());
      set.add("#a" + i + " = if_not_exists(#a" + i + ", :a" + i + ")");
      i++;
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key).updateExpression(set.toString())
        .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
  }
}
