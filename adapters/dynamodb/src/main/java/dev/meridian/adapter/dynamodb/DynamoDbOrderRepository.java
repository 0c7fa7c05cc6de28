package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.OrderWrite;
import dev.meridian.application.orders.Refusal;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.ProductId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link OrderRepository} on the single table. An order's partition holds the order item, each
 * region's hold, this region's pending demand and the refusal of its key, so {@link #find} is one
 * query. {@link #write} is one TransactWriteItems of a fixed number of small items, whatever the
 * product's popularity: the order, the hold or demand that moves, one counter update per shard it
 * touches, and the conflict records.
 */
public final class DynamoDbOrderRepository implements OrderRepository {
  private static final String CURSOR_KIND = "orders";
  private static final int TRANSACTION_ATTEMPTS = 4;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;
  private final List<String> regions;
  private final Clock wallClock;
  private final Backoff contention;
  private final StockMigration migration;

  /**
   * @param regions    every region of the deployment: whose holds a listing reads
   * @param contention how a transaction cancelled by a concurrent one waits before its retry
   */
  public DynamoDbOrderRepository(DynamoDbClient dynamoDb, String table, String region, List<String> regions, Clock wallClock,
      Backoff contention) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
    this.regions = List.copyOf(regions);
    this.wallClock = wallClock;
    this.contention = contention;
    this.migration = new StockMigration(dynamoDb, table, region);
  }

  @Override
  public Optional<Versioned<Order>> find(OrderId id) {
    Read found = read(id);
    // This region's reservation still on the order item, from before holds were items: its hold
    // item appears once this region's allocations of its products have migrated.
    if (found.localLegacy().isPresent()) {
      GuardedCalls.run("migrate", () -> found.localLegacy().get().units().keySet().forEach(migration::migrate));
      Read again = read(id);
      // Still no hold item: the old allocation held nothing for the order, so the order item's
      // record was a stale copy (its release was replicated over); the units were given back.
      return again.order().map(o -> again.localLegacy().isEmpty() ? o
          : new Versioned<>(o.value().withReservation(again.localLegacy().get().withState(ReservationState.RELEASED)),
              o.version()));
    }
    return found.order();
  }

  /** An order as read, and this region's reservation when it came from the order item rather than a hold item. */
  private record Read(Optional<Versioned<Order>> order, Optional<Reservation> localLegacy) {}

  private Read read(OrderId id) {
    return GuardedCalls.guard("find", () -> {
      Map<String, AttributeValue> orderItem = null;
      List<Reservation> holds = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        QueryRequest.Builder query = QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(Items.ORDER_PREFIX + id.value())))
            .consistentRead(true);
        if (start != null) {
          query.exclusiveStartKey(start);
        }
        QueryResponse response = dynamoDb.query(query.build());
        for (Map<String, AttributeValue> item : response.items()) {
          String sk = Attr.str(item, TableDesign.SK);
          if (sk.equals(Items.ORDER_SK)) {
            orderItem = item;
          } else if (sk.startsWith(Items.HOLD_PREFIX)) {
            holds.add(Items.hold(item));
          }
        }
        start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
      } while (start != null);
      if (orderItem == null) {
        return new Read(Optional.empty(), Optional.empty());
      }
      // A hold item is its region's word; an order item written before holds were items may still
      // name a region's reservation that has no hold item yet (that region has not migrated).
      Order order = Items.order(orderItem);
      Order withHolds = order.itemState().withReservations(holds);
      Optional<Reservation> localLegacy = Optional.empty();
      for (Reservation legacy : order.reservations().values()) {
        if (!withHolds.reservations().containsKey(legacy.region())) {
          withHolds = withHolds.withReservation(legacy);
          if (legacy.region().equals(region) && legacy.isActive()) {
            localLegacy = Optional.of(legacy);
          }
        }
      }
      return new Read(Optional.of(new Versioned<>(withHolds, Attr.num(orderItem, TableDesign.VERSION))), localLegacy);
    });
  }

  @Override
  public Page<Versioned<Order>> listByCustomer(CustomerId customer, String cursor, int limit) {
    return GuardedCalls.guard("listByCustomer", () -> {
      String partition = Items.CUSTOMER_PREFIX + customer.value();
      QueryRequest.Builder query = QueryRequest.builder()
          .tableName(table)
          .indexName(TableDesign.GSI1)
          .keyConditionExpression("gsi1pk = :pk")
          .expressionAttributeValues(Map.of(":pk", s(partition)))
          .scanIndexForward(false)
          .limit(limit);
      if (cursor != null) {
        String position = Cursors.decode(cursor, CURSOR_KIND);
        int hash = position.lastIndexOf('#');
        if (hash < 0) {
          throw Cursors.invalid();
        }
        OrderId lastId;
        try {
          HlcStamp.decode(position.substring(0, hash));
          lastId = new OrderId(position.substring(hash + 1));
        } catch (ValidationException e) {
          throw Cursors.invalid();
        }
        Map<String, AttributeValue> startKey = Items.orderKey(lastId);
        startKey.put(TableDesign.GSI1_PK, s(partition));
        startKey.put(TableDesign.GSI1_SK, s(position));
        query.exclusiveStartKey(startKey);
      }
      QueryResponse response = dynamoDb.query(query.build());
      // The page's holds in one batch read (every region's, for every order on the page).
      List<Map<String, AttributeValue>> holdKeys = new ArrayList<>();
      response.items().forEach(item -> regions.forEach(r -> holdKeys.add(Items.holdKey(Items.order(item).id(), r))));
      Map<OrderId, List<Reservation>> holds = new HashMap<>();
      BatchReads.get(dynamoDb, table, holdKeys).forEach(hold ->
          holds.computeIfAbsent(Items.holdOrderId(hold), k -> new ArrayList<>()).add(Items.hold(hold)));
      List<Versioned<Order>> orders = new ArrayList<>();
      String lastPosition = null;
      for (Map<String, AttributeValue> item : response.items()) {
        Order order = Items.order(item);
        orders.add(new Versioned<>(order.withReservations(holds.getOrDefault(order.id(), List.of())),
            Attr.num(item, TableDesign.VERSION)));
        lastPosition = Attr.str(item, TableDesign.GSI1_SK);
      }
      Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && lastPosition != null
          ? Optional.of(Cursors.encode(CURSOR_KIND, lastPosition))
          : Optional.empty();
      return new Page<>(orders, next);
    });
  }

  @Override
  public Optional<PendingDemand> findDemand(OrderId id) {
    return GuardedCalls.guard("findDemand", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
          .tableName(table).key(Items.demandKey(id, region)).consistentRead(true).build()).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.demand(item));
    });
  }

  @Override
  public WriteResult write(OrderWrite write) {
    WriteResult result = writeOnce(write);
    // A hold or a demand made before the change may count units on an allocation still in the old
    // shape (an order's other products migrate when they are read): migrate those, and write again.
    if (result == WriteResult.STOCK_SHORT && migrateOldShapeStock(write)) {
      return writeOnce(write);
    }
    return result;
  }

  /** Migrates the old-shape allocations of this region among the write's products; true when there was one. */
  private boolean migrateOldShapeStock(OrderWrite write) {
    Set<ProductId> products = new TreeSet<>();
    write.hold().ifPresent(move -> products.addAll(move.to().takenFrom().keySet()));
    write.demand().ifPresent(move -> products.addAll(move.to().units().keySet()));
    boolean migrated = false;
    for (ProductId product : products) {
      if (GuardedCalls.guard("read stock", () -> migration.pending(product))) {
        GuardedCalls.run("migrate", () -> migration.migrate(product));
        migrated = true;
      }
    }
    return migrated;
  }

  private WriteResult writeOnce(OrderWrite write) {
    List<TransactWriteItem> items = new ArrayList<>();
    List<WriteResult> onFailure = new ArrayList<>();
    items.add(orderItem(write));
    onFailure.add(WriteResult.ORDER_CHANGED);
    ShardDeltas deltas = new ShardDeltas();
    write.hold().ifPresent(move -> {
      items.add(holdItem(write.order().id(), move));
      onFailure.add(WriteResult.MOVE_CHANGED);
      countHold(move, deltas);
    });
    write.demand().ifPresent(move -> {
      items.add(demandItem(move));
      onFailure.add(WriteResult.MOVE_CHANGED);
      long sign = move.from().isEmpty() ? 1 : -1;
      move.to().units().forEach((product, units) -> deltas.await(product, region, sign * units));
    });
    for (Update update : deltas.updates(table, region)) {
      items.add(TransactWriteItem.builder().update(update).build());
      onFailure.add(WriteResult.STOCK_SHORT);
    }
    for (Conflict conflict : write.conflicts()) {
      items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
          .item(Items.conflictRecord(conflict, region)).build()).build());
      onFailure.add(WriteResult.ORDER_CHANGED);
    }
    if (items.size() > OrderRepository.MAX_ITEMS_PER_WRITE) {
      throw new IllegalArgumentException("a write of " + items.size() + " items: one transaction takes "
          + OrderRepository.MAX_ITEMS_PER_WRITE);
    }
    return GuardedCalls.guard("write order", () -> {
      for (int attempt = 1; ; attempt++) {
        try {
          dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
          return WriteResult.WRITTEN;
        } catch (TransactionCanceledException e) {
          int failed = Transactions.firstFailedCondition(e);
          if (failed >= 0) {
            return onFailure.get(failed);
          }
          if (attempt == TRANSACTION_ATTEMPTS) {
            throw e; // contention beyond retries: the handler answers 503
          }
          contention.pause(attempt);
        }
      }
    });
  }

  /** The order item: created only if absent, else replaced field by field only at the expected version. */
  private TransactWriteItem orderItem(OrderWrite write) {
    Map<String, AttributeValue> item = Items.order(write.order(), write.newVersion(), region);
    if (write.expectedVersion() == 0) {
      return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
          .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
    // SET, not Put: an attribute this code does not write (an order item's reservations from before
    // holds were items) stays as it is for the regions that still read it.
    Map<String, AttributeValue> values = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    StringJoiner set = new StringJoiner(", ", "SET ", "");
    int i = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      if (attribute.getKey().equals(TableDesign.PK) || attribute.getKey().equals(TableDesign.SK)) {
        continue;
      }
      names.put("#a" + i, attribute.getKey());
      values.put(":a" + i, attribute.getValue());
      set.add("#a" + i + " = :a" + i);
      i++;
    }
    names.put("#version", TableDesign.VERSION);
    values.put(":expected", n(write.expectedVersion()));
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Items.orderKey(write.order().id()))
        .updateExpression(set.toString()).conditionExpression("#version = :expected")
        .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
  }

  /** A new hold is put only if absent; a hold moves only from RESERVED. */
  private TransactWriteItem holdItem(OrderId orderId, OrderWrite.HoldMove move) {
    Reservation to = move.to();
    if (move.from().isEmpty()) {
      return TransactWriteItem.builder().put(Put.builder().tableName(table).item(Items.hold(orderId, to, 1, region))
          .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Items.holdKey(orderId, to.region()))
        .updateExpression("SET #state = :to, #version = #version + :one, originRegion = :origin")
        .conditionExpression("#state = :from")
        .expressionAttributeNames(Map.of("#state", "state", "#version", TableDesign.VERSION))
        .expressionAttributeValues(Map.of(":to", s(to.state().name()), ":from", s(ReservationState.RESERVED.name()),
            ":one", n(1), ":origin", s(region)))
        .build()).build();
  }

  private static void countHold(OrderWrite.HoldMove move, ShardDeltas deltas) {
    Reservation hold = move.to();
    hold.takenFrom().forEach((ProductId product, Map<Integer, Long> shards) -> shards.forEach((shard, units) -> {
      if (move.from().isEmpty()) {
        deltas.reserve(product, hold.region(), shard, units);
      } else if (hold.state() == ReservationState.RELEASED) {
        deltas.release(product, hold.region(), shard, units);
      } else {
        deltas.commit(product, hold.region(), shard, units);
      }
    }));
  }

  /** A new demand is put only if absent (in the sweep's index); a demand leaves WAITING once (and the index). */
  private TransactWriteItem demandItem(OrderWrite.DemandMove move) {
    PendingDemand to = move.to();
    if (move.from().isEmpty()) {
      return TransactWriteItem.builder().put(Put.builder().tableName(table).item(Items.demand(to, 1, region))
          .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
    return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Items.demandKey(to.orderId(), to.region()))
        .updateExpression("SET #state = :to, #version = #version + :one, originRegion = :origin REMOVE gsi1pk, gsi1sk")
        .conditionExpression("#state = :from")
        .expressionAttributeNames(Map.of("#state", "state", "#version", TableDesign.VERSION))
        .expressionAttributeValues(Map.of(":to", s(to.state().name()), ":from", s(PendingDemand.State.WAITING.name()),
            ":one", n(1), ":origin", s(region)))
        .build()).build();
  }

  @Override
  public Optional<Refusal> findRefusal(OrderId id) {
    return GuardedCalls.guard("findRefusal", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
          .tableName(table).key(Items.refusalKey(id)).consistentRead(true).build()).item();
      if (item == null || item.isEmpty()) {
        return Optional.empty();
      }
      // TTL deletion lags by up to days: an expired record is treated as absent.
      if (Attr.num(item, TableDesign.TTL_ATTRIBUTE) <= wallClock.instant().getEpochSecond()) {
        return Optional.empty();
      }
      return Optional.of(new Refusal(Attr.str(item, "fingerprint"), OrderPlacement.Reason.valueOf(Attr.str(item, "reason")),
          Attr.optionalStr(item, "productId"), Attr.str(item, "detail")));
    });
  }

  @Override
  public void recordRefusal(OrderId id, Refusal refusal) {
    GuardedCalls.run("recordRefusal", () -> {
      Map<String, AttributeValue> item = Items.refusalKey(id);
      item.put(TableDesign.ENTITY, s("refusal"));
      item.put("orderId", s(id.value()));
      item.put("fingerprint", s(refusal.fingerprint()));
      item.put("reason", s(refusal.reason().name()));
      if (refusal.productId() != null) {
        item.put("productId", s(refusal.productId()));
      }
      item.put("detail", s(refusal.detail()));
      item.put(TableDesign.TTL_ATTRIBUTE, n(wallClock.instant().plus(REFUSAL_TTL).getEpochSecond()));
      item.put(TableDesign.VERSION, n(1));
      item.put(TableDesign.ORIGIN_REGION, s(region));
      dynamoDb.putItem(PutItemRequest.builder().tableName(table).item(item).build());
    });
  }
}
