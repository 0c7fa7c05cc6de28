package dev.meridian.testkit.memory;

import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.ReplicaTable.Op;
import dev.meridian.testkit.memory.ReplicaTable.Put;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Counter changes to shards as the DynamoDB adapter makes them: one operation per shard however
 * many moves touch it, applied without reading first, each only if the shard covers it (a shard
 * not there yet is created by its first change, from zero).
 */
final class ShardOps {
  private record Shard(ProductId productId, String region, int number) {}

  private final Map<Shard, List<UnaryOperator<StockAllocation>>> changes = new LinkedHashMap<>();

  void add(ProductId productId, String region, int shard, UnaryOperator<StockAllocation> change) {
    changes.computeIfAbsent(new Shard(productId, region, shard), k -> new ArrayList<>()).add(change);
  }

  List<Op> ops(String writerRegion) {
    List<Op> ops = new ArrayList<>();
    changes.forEach((shard, list) -> ops.add(new Op(TableKeys.shard(shard.productId(), shard.region(), shard.number()),
        item -> apply(shard, list, item) != null,
        item -> {
          StockAllocation next = apply(shard, list, item);
          return new Put(next, next.revision(), writerRegion);
        })));
    return ops;
  }

  /** The shard after every change, or null when one of them does not fit (the condition fails). */
  private static StockAllocation apply(Shard shard, List<UnaryOperator<StockAllocation>> list, Item item) {
    StockAllocation current = item == null ? StockAllocation.emptyShard(shard.productId(), shard.region(), shard.number())
        : (StockAllocation) item.value();
    try {
      for (UnaryOperator<StockAllocation> change : list) {
        current = change.apply(current);
      }
      return current;
    } catch (RuntimeException doesNotFit) {
      return null;
    }
  }
}
