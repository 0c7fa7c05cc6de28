package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.Refusal;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.ProductId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 * {@link OrderRepository} on the single table. A placement is one TransactWriteItems: the order
 * item (only if absent) plus, per line, a conditional decrement of the home region's allocation
 * that records the hold under the order id, so concurrent placements can never take the same
 * unit twice and a replayed placement can never hold twice.
 */
public final class DynamoDbOrderRepository implements OrderRepository {
  private static final String CURSOR_KIND = "orders";
  private static final int TRANSACTION_ATTEMPTS = 4;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;
  private final Clock wallClock;
  private final Backoff contention;

  /** @param contention how a transaction cancelled by a concurrent one waits before its retry */
  public DynamoDbOrderRepository(DynamoDbClient dynamoDb, String table, String region, Clock wallClock, Backoff contention) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
    this.wallClock = wallClock;
    this.contention = contention;
  }

  @Override
  public Optional<Versioned<Order>> find(OrderId id) {
    return GuardedCalls.guard("find", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
          .tableName(table).key(Items.orderKey(id)).consistentRead(true).build()).item();
      if (item == null || item.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Versioned<>(Items.order(item), Attr.num(item, TableDesign.VERSION)));
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
        Map<String, AttributeValue> start = Items.orderKey(lastId);
        start.put(TableDesign.GSI1_PK, s(partition));
        start.put(TableDesign.GSI1_SK, s(position));
        query.exclusiveStartKey(start);
      }
      QueryResponse response = dynamoDb.query(query.build());
      List<Versioned<Order>> orders = new ArrayList<>();
      String lastPosition = null;
      for (Map<String, AttributeValue> item : response.items()) {
        orders.add(new Versioned<>(Items.order(item), Attr.num(item, TableDesign.VERSION)));
        lastPosition = Attr.str(item, TableDesign.GSI1_SK);
      }
      Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && lastPosition != null
          ? Optional.of(Cursors.encode(CURSOR_KIND, lastPosition))
          : Optional.empty();
      return new Page<>(orders, next);
    });
  }

  @Override
  public PlaceWrite place(Order order) {
    return GuardedCalls.guard("place", () -> {
      List<TransactWriteItem> items = new ArrayList<>();
      items.add(TransactWriteItem.builder().put(Put.builder()
          .tableName(table)
          .item(Items.order(order, 1, region))
          .conditionExpression("attribute_not_exists(pk)")
          .build()).build());
      List<ProductId> lineProducts = new ArrayList<>();
      Reservation home = order.reservations().get(order.body().homeRegion());
      if (home != null) {
        home.units().forEach((productId, units) -> {
          lineProducts.add(productId);
          items.add(TransactWriteItem.builder().update(hold(order.id(), productId, home.region(), units)).build());
        });
      } else if (order.currentStatus() == OrderStatus.PENDING_STOCK) {
        Map<ProductId, Long> demand = new java.util.TreeMap<>();
        order.body().lines().forEach(l -> demand.merge(l.productId(), (long) l.quantity(), Long::sum));
        demand.forEach((productId, units) -> {
          lineProducts.add(productId);
          items.add(TransactWriteItem.builder().update(awaitStock(order.id(), productId, order.body().homeRegion(), units))
              .build());
        });
      }
      for (int attempt = 1; ; attempt++) {
        try {
          dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
          return new Written(1);
        } catch (TransactionCanceledException e) {
          int failed = Transactions.firstFailedCondition(e);
          if (failed == 0) {
            return new AlreadyExists();
          }
          if (failed > 0) {
            return new OutOfStock(lineProducts.get(failed - 1));
          }
          if (attempt == TRANSACTION_ATTEMPTS) {
            throw e; // contention beyond retries: the handler answers 503
          }
          contention.pause(attempt);
        }
      }
    });
  }

  private Update hold(OrderId orderId, ProductId productId, String allocationRegion, long units) {
    return Update.builder()
        .tableName(table)
        .key(Items.allocationKey(productId, allocationRegion))
        .updateExpression("SET available = available - :q, reserved = reserved + :q, holds.#order = :q,"
            + " version = version + :one, originRegion = :origin")
        .conditionExpression("available >= :q AND attribute_not_exists(holds.#order)")
        .expressionAttributeNames(Map.of("#order", orderId.value()))
        .expressionAttributeValues(Map.of(":q", n(units), ":one", n(1), ":origin", s(region)))
        .build();
  }

  private Update awaitStock(OrderId orderId, ProductId productId, String allocationRegion, long units) {
    return Update.builder()
        .tableName(table)
        .key(Items.allocationKey(productId, allocationRegion))
        .updateExpression("SET pending.#order = :q, version = version + :one, originRegion = :origin")
        .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pending.#order)")
        .expressionAttributeNames(Map.of("#order", orderId.value()))
        .expressionAttributeValues(Map.of(":q", n(units), ":one", n(1), ":origin", s(region)))
        .build();
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

  @Override
  public OptionalLong update(Order order, long expectedVersion, Optional<String> releaseHoldsIn) {
    return GuardedCalls.guard("update", () -> {
      List<TransactWriteItem> items = new ArrayList<>();
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":expected", n(expectedVersion));
      items.add(TransactWriteItem.builder().put(Put.builder()
          .tableName(table)
          .item(Items.order(order, expectedVersion + 1, region))
          .conditionExpression("version = :expected")
          .expressionAttributeValues(values)
          .build()).build());
      releaseHoldsIn.ifPresent(holdRegion -> {
        Reservation held = order.reservations().get(holdRegion);
        if (held == null) {
          throw new IllegalArgumentException("order " + order.id() + " has no reservation in " + holdRegion);
        }
        held.units().forEach((productId, units) ->
            items.add(TransactWriteItem.builder().update(Holds.release(table, order.id(), productId, holdRegion, region, units)).build()));
      });
      for (int attempt = 1; ; attempt++) {
        try {
          dynamoDb.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items).build());
          return OptionalLong.of(expectedVersion + 1);
        } catch (TransactionCanceledException e) {
          if (Transactions.firstFailedCondition(e) >= 0) {
            return OptionalLong.empty();
          }
          if (attempt == TRANSACTION_ATTEMPTS) {
            throw e;
          }
          contention.pause(attempt);
        }
      }
    });
  }
}
