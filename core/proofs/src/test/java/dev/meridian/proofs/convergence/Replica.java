package dev.meridian.proofs.convergence;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** One region's copy of everything, exchanged whole between regions in the simulation. */
record Replica(
    Map<ProductId, Product> products,
    Map<String, StockAllocation> allocations,
    Map<OrderId, Order> orders,
    SortedSet<Conflict> productConflicts) {

  static Replica empty() {
    return new Replica(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(java.util.Comparator.comparing(OrderId::value)),
        new TreeSet<>());
  }

  /** {@code product@region#shard}: every shard is an item of its own. */
  static String allocationKey(StockAllocation shard) {
    return shard.productId() + "@" + shard.region() + "#" + shard.shard();
  }

  Replica copy() {
    Map<OrderId, Order> ordersCopy = new TreeMap<>(java.util.Comparator.comparing(OrderId::value));
    ordersCopy.putAll(orders);
    return new Replica(new TreeMap<>(products), new TreeMap<>(allocations), ordersCopy, new TreeSet<>(productConflicts));
  }
}
