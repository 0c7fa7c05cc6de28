package dev.meridian.testkit.memory;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.application.orders.OrderRepository;
import dev.meridian.application.orders.OrderWrite;
import dev.meridian.application.orders.Refusal;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * {@link OrderRepository} on one in-memory replica, with the DynamoDB adapter's reads and
 * transactions: {@link #find} reads the order's partition (the order and every region's hold);
 * {@link #write} puts the order only if absent or at its expected version, moves this region's hold
 * or demand only from the state it starts from, and changes each shard's counters only if they
 * cover the change.
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
    Item orderItem = null;
    List<Reservation> holds = new ArrayList<>();
    for (Item item : table.query(TableKeys.orderPartition(id))) {
      if (item.value() instanceof Order) {
        orderItem = item;
      } else if (item.value() instanceof HoldItem hold) {
        holds.add(hold.hold());
      }
    }
    return orderItem == null ? Optional.empty()
        : Optional.of(new Versioned<>(((Order) orderItem.value()).withReservations(holds), orderItem.version()));
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
    List<Versioned<Order>> page = new ArrayList<>();
    for (Versioned<Order> listed : mine.subList(0, Math.min(limit, mine.size()))) {
      page.add(find(listed.value().id()).orElse(listed));
    }
    return new Page<>(page, mine.size() > limit
        ? Optional.of(CURSOR + position(page.get(page.size() - 1).value()))
        : Optional.empty());
  }

  private static String position(Order order) {
    return order.body().placedAt().encode() + "#" + order.id().value();
  }

  @Override
  public Optional<PendingDemand> findDemand(OrderId id) {
    Item item = table.read(TableKeys.demand(id, table.region()));
    return item == null ? Optional.empty() : Optional.of((PendingDemand) item.value());
  }

  @Override
  public WriteResult write(OrderWrite write) {
    List<Op> ops = new ArrayList<>();
    List<WriteResult> onFailure = new ArrayList<>();
    Order order = write.order().itemState();
    Predicate<Item> orderCondition = write.expectedVersion() == 0 ? ReplicaTable.ABSENT
        : ReplicaTable.versionIs(write.expectedVersion());
    ops.add(new Op(TableKeys.order(order.id()), orderCondition, current -> new Put(order, write.newVersion(), table.region())));
    onFailure.add(WriteResult.ORDER_CHANGED);
    ShardOps shards = new ShardOps();
    write.hold().ifPresent(move -> {
      Reservation to = move.to();
      Predicate<Item> from = move.from().isEmpty() ? ReplicaTable.ABSENT
          : item -> item != null && ((HoldItem) item.value()).hold().isActive();
      ops.add(new Op(TableKeys.hold(order.id(), to.region()), from, current -> new Put(new HoldItem(order.id(),
          current == null ? to : ((HoldItem) current.value()).hold().withState(to.state())),
          current == null ? 1 : current.version() + 1, table.region())));
      onFailure.add(WriteResult.MOVE_CHANGED);
      to.takenFrom().forEach((product, byShard) -> byShard.forEach((shard, units) -> shards.add(product, to.region(), shard,
          move.from().isEmpty() ? s -> s.reserve(units)
              : to.state() == ReservationState.RELEASED ? s -> s.release(units) : s -> s.commit(units))));
    });
    write.demand().ifPresent(move -> {
      PendingDemand to = move.to();
      Predicate<Item> from = move.from().isEmpty() ? ReplicaTable.ABSENT
          : item -> item != null && ((PendingDemand) item.value()).isWaiting();
      ops.add(new Op(TableKeys.demand(to.orderId(), to.region()), from,
          current -> new Put(to, current == null ? 1 : current.version() + 1, table.region())));
      onFailure.add(WriteResult.MOVE_CHANGED);
      to.units().forEach((product, units) -> shards.add(product, to.region(), 0,
          move.from().isEmpty() ? s -> s.awaitStock(units) : s -> s.stopAwaiting(units)));
    });
    for (Op op : shards.ops(table.region())) {
      ops.add(op);
      onFailure.add(WriteResult.STOCK_SHORT);
    }
    for (Conflict conflict : write.conflicts()) {
      ops.add(new Op(TableKeys.conflict(conflict), ReplicaTable.ALWAYS, current -> new Put(conflict, 1, table.region())));
      onFailure.add(WriteResult.ORDER_CHANGED);
    }
    int failed = table.transact(ops);
    return failed < 0 ? WriteResult.WRITTEN : onFailure.get(failed);
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
}
