package dev.meridian.testkit.memory;

import dev.meridian.application.replication.ReplicaStore;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@link ReplicaStore} on one in-memory replica: a merge, its holds' release and its conflict
 * records are one transaction; conflict records are unconditional puts of deterministic keys.
 */
public final class InMemoryReplicaStore implements ReplicaStore {
  private final ReplicaTable table;

  public InMemoryReplicaStore(ReplicaTable table) {
    this.table = table;
  }

  @Override
  public Optional<StockAllocation> allocation(ProductId productId, String region) {
    Item item = table.read(TableKeys.allocation(productId, region));
    return item == null ? Optional.empty() : Optional.of((StockAllocation) item.value());
  }

  @Override
  public List<StockAllocation> allocations(ProductId productId) {
    return table.query(TableKeys.allocationPrefix(productId)).stream().map(i -> (StockAllocation) i.value()).toList();
  }

  @Override
  public List<StockAllocation> allocationsWithPendingOrders(String region) {
    // The real adapter queries gsi1 (ALLOCATIONS#<region>); a scan of the product partitions is the same set.
    return table.query(TableKeys.PRODUCTS).stream()
        .filter(i -> i.value() instanceof StockAllocation a && a.region().equals(region) && !a.pending().isEmpty())
        .map(i -> (StockAllocation) i.value()).toList();
  }

  @Override
  public boolean writeOrderAndAllocations(Order order, long expectedVersion, long newVersion, List<StockAllocation> next) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.order(order.id()), ReplicaTable.versionIs(expectedVersion),
        current -> new Put(order, newVersion, table.region())));
    for (StockAllocation allocation : next) {
      if (!allocation.region().equals(table.region())) {
        throw new IllegalArgumentException("a region writes only its own allocations, not " + allocation.region() + "'s");
      }
      ops.add(new Op(TableKeys.allocation(allocation.productId(), allocation.region()),
          ReplicaTable.versionIs(allocation.revision() - 1), current -> new Put(allocation, allocation.revision(), table.region())));
    }
    return table.transact(ops) < 0;
  }

  @Override
  public boolean copyOrder(Order order, long version, String originRegion) {
    return table.transact(List.of(new Op(TableKeys.order(order.id()), ReplicaTable.ABSENT,
        current -> new Put(order, version, originRegion)))) < 0;
  }

  @Override
  public boolean copyProduct(Product product, long version, String originRegion) {
    return table.transact(List.of(new Op(TableKeys.product(product.id()), ReplicaTable.ABSENT,
        current -> new Put(product, version, originRegion)))) < 0;
  }

  @Override
  public boolean writeOrder(Order merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts,
      boolean releaseLocalHolds) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.order(merged.id()), ReplicaTable.versionIs(expectedVersion),
        current -> new Put(merged, newVersion, table.region())));
    if (releaseLocalHolds) {
      Reservation mine = merged.reservations().get(table.region());
      if (mine == null) {
        throw new IllegalArgumentException("order " + merged.id() + " has no reservation in " + table.region());
      }
      mine.units().forEach((productId, units) ->
          ops.add(InMemoryOrderRepository.releaseOp(table, merged.id(), productId, table.region(), units)));
    }
    conflicts.forEach(c -> ops.add(record(c)));
    return table.transact(ops) < 0;
  }

  @Override
  public boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.product(merged.id()), ReplicaTable.versionIs(expectedVersion),
        current -> new Put(merged, newVersion, table.region())));
    conflicts.forEach(c -> ops.add(record(c)));
    return table.transact(ops) < 0;
  }

  @Override
  public boolean writeAllocation(StockAllocation next, long expectedRevision) {
    if (!next.region().equals(table.region())) {
      throw new IllegalArgumentException("a region writes only its own allocation, not " + next.region() + "'s");
    }
    return table.transact(List.of(new Op(TableKeys.allocation(next.productId(), next.region()),
        expectedRevision == 0 ? ReplicaTable.ABSENT.or(ReplicaTable.versionIs(0)) : ReplicaTable.versionIs(expectedRevision),
        current -> new Put(next, next.revision(), table.region())))) < 0;
  }

  private Op record(Conflict conflict) {
    return new Op(TableKeys.conflict(conflict), ReplicaTable.ALWAYS, current -> new Put(conflict, 1, table.region()));
  }
}
