package dev.meridian.testkit.memory;

import dev.meridian.application.replication.ReplicaStore;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.product.Product;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * {@link ReplicaStore} on one in-memory replica: a product merge and its conflict records are one
 * transaction; conflict records are unconditional puts of deterministic keys.
 */
public final class InMemoryReplicaStore implements ReplicaStore {
  private final ReplicaTable table;

  public InMemoryReplicaStore(ReplicaTable table) {
    this.table = table;
  }

  @Override
  public boolean copyOrder(Order order, long version, String originRegion) {
    return table.transact(List.of(new Op(TableKeys.order(order.id()), ReplicaTable.ABSENT,
        current -> new Put(order.itemState(), version, originRegion)))) < 0;
  }

  @Override
  public boolean copyProduct(Product product, long version, String originRegion) {
    return table.transact(List.of(new Op(TableKeys.product(product.id()), ReplicaTable.ABSENT,
        current -> new Put(product, version, originRegion)))) < 0;
  }

  @Override
  public boolean writeProduct(Product merged, long expectedVersion, long newVersion, Collection<Conflict> conflicts) {
    List<Op> ops = new ArrayList<>();
    ops.add(new Op(TableKeys.product(merged.id()), ReplicaTable.versionIs(expectedVersion),
        current -> new Put(merged, newVersion, table.region())));
    conflicts.forEach(c -> ops.add(new Op(TableKeys.conflict(c), ReplicaTable.ALWAYS, current -> new Put(c, 1, table.region()))));
    return table.transact(ops) < 0;
  }

  @Override
  public List<PendingDemand> waitingDemands(String region) {
    // The DynamoDB adapter queries the demands' index partitions; a query of the order partitions is the same set.
    return table.query(TableKeys.ORDERS).stream()
        .filter(i -> i.value() instanceof PendingDemand d && d.region().equals(region) && d.isWaiting())
        .map(i -> (PendingDemand) i.value())
        .sorted(Comparator.comparing(PendingDemand::placedAt).thenComparing(d -> d.orderId().value()))
        .toList();
  }
}
