package dev.meridian.testkit.memory;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.Refusal;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * {@link OrderRepository} on one in-memory replica, with the DynamoDB adapter's transactions:
 * a placement puts the order only if absent and holds each line's units in the home region's
 * allocation only if available and not yet held for the order; an update is conditional on the
 * order's version and, when releasing, on each hold being exactly the reserved units.
 */
public final class InMemoryOrderRepository implements OrderRepository {
  private static final String CURSOR = "orders:";

  /** A refused placement as the table keeps it, with its time to live. */
  public record RefusalRecord(Refusal refusal, long expiresAtMillis) {}

  private final ReplicaTable table;
  private final LongSupplier wallClock;

  public InMemoryOrderRepository(ReplicaTable table, LongSupplier wallClock) {
    this.table = table;
    this.wallClock = wallClock;
  }

  @Override
  public Optional<Versioned<Order>> find(OrderId id) {
    Item item = table.read(TableKeys.order(id));
    return item == null ? Optional.empty() : Optional.of(new Versioned<>((Order) item.value(), item.version()));
  }

  @Override
  public Page<Versioned<Order>> listByCustomer(CustomerId customer, String cursor, int limit) {
    String after = null;
    if (cursor != null) {
      if (!cursor.startsWith(CURSOR)) {
        throw ValidationException.of("cursor", "was not issued by this API");
      }
      after = cursor.substring(CURSOR.length());
    }
    Comparator<Versioned<Order>> newestFirst = Comparator.comparing((Versioned<Order> o) -> position(o.value())).reversed();
    List<Versioned<Order>> mine = new ArrayList<>();
    for (Item item : table.query(TableKeys.ORDERS)) {
      if (item.value() instanceof Order o && o.isOwnedBy(customer) && (after == null || position(o).compareTo(after) < 0)) {
        mine.add(new Versioned<>(o, item.version()));
      }
    }
    mine.sort(newestFirst);
    List<Versioned<Order>> page = mine.subList(0, Math.min(limit, mine.size()));
    return new Page<>(page, mine.size() > limit
        ? Optional.of(CURSOR + position(page.get(page.size() - 1).value()))
        : Optional.empty());
  }

  private static String position(Order order) {
    return order.body().placedAt().encode() + "#" + order.id().value();
  }

  @Override
  public PlaceWrite place(Order order) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.order(order.id()), ReplicaTable.ABSENT, current -> new Put(order, 1, table.region())));
    List<ProductId> lineProducts = new ArrayList<>();
    Reservation home = order.reservations().get(order.body().homeRegion());
    if (home != null) {
      home.units().forEach((productId, units) -> {
        lineProducts.add(productId);
        ops.add(new Op(TableKeys.allocation(productId, home.region()),
            item -> item != null && allocation(item).available() >= units && !allocation(item).holds(order.id().value()),
            item -> written(allocation(item).reserve(order.id().value(), units))));
      });
    } else if (order.currentStatus() == dev.meridian.domain.order.OrderStatus.PENDING_STOCK) {
      java.util.SortedMap<ProductId, Long> demand = new java.util.TreeMap<>();
      order.body().lines().forEach(l -> demand.merge(l.productId(), (long) l.quantity(), Long::sum));
      demand.forEach((productId, units) -> {
        lineProducts.add(productId);
        ops.add(new Op(TableKeys.allocation(productId, order.body().homeRegion()),
            item -> item != null && !allocation(item).pending().containsKey(order.id().value()),
            item -> written(allocation(item).awaitStock(order.id().value(), units))));
      });
    }
    int failed = table.transact(ops);
    if (failed < 0) {
      return new Written(1);
    }
    return failed == 0 ? new AlreadyExists() : new OutOfStock(lineProducts.get(failed - 1));
  }

  @Override
  public Optional<Refusal> findRefusal(OrderId id) {
    Item item = table.read(TableKeys.refusal(id));
    if (item == null) {
      return Optional.empty();
    }
    RefusalRecord stored = (RefusalRecord) item.value();
    // As with DynamoDB TTL, an expired record may still be there: treat it as absent.
    return stored.expiresAtMillis() <= wallClock.getAsLong() ? Optional.empty() : Optional.of(stored.refusal());
  }

  @Override
  public void recordRefusal(OrderId id, Refusal refusal) {
    RefusalRecord stored = new RefusalRecord(refusal, wallClock.getAsLong() + REFUSAL_TTL.toMillis());
    table.transact(List.of(new Op(TableKeys.refusal(id), ReplicaTable.ALWAYS, current -> new Put(stored, 1, table.region()))));
  }

  @Override
  public OptionalLong update(Order order, long expectedVersion, Optional<String> releaseHoldsIn) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.order(order.id()), ReplicaTable.versionIs(expectedVersion),
        current -> new Put(order, expectedVersion + 1, table.region())));
    releaseHoldsIn.ifPresent(holdRegion -> {
      Reservation held = order.reservations().get(holdRegion);
      if (held == null) {
        throw new IllegalArgumentException("order " + order.id() + " has no reservation in " + holdRegion);
      }
      held.units().forEach((productId, units) -> ops.add(releaseOp(table, order.id(), productId, holdRegion, units)));
    });
    return table.transact(ops) < 0 ? OptionalLong.of(expectedVersion + 1) : OptionalLong.empty();
  }

  /** Returns an order's held units, only if the allocation holds exactly those units for it. */
  public static Op releaseOp(ReplicaTable table, OrderId orderId, ProductId productId, String region, long units) {
    return new Op(TableKeys.allocation(productId, region),
        item -> item != null && Objects.equals(allocation(item).holds().get(orderId.value()), units),
        item -> {
          StockAllocation released = allocation(item).release(orderId.value());
          return new Put(released, released.revision(), table.region());
        });
  }

  private Put written(StockAllocation allocation) {
    return new Put(allocation, allocation.revision(), table.region());
  }

  private static StockAllocation allocation(Item item) {
    return (StockAllocation) item.value();
  }
}
