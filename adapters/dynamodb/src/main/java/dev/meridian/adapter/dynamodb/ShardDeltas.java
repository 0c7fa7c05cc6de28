package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.m;
import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Counter changes to shards, one conditional update per shard however many moves touch it (a
 * transaction may not name an item twice): hold and demand moves and restocks add and subtract
 * units without reading the shard first, so concurrent placements on one shard all succeed while
 * it has the units, and none takes a unit it does not have. A shard that does not exist yet is
 * created whole by its first update (every counter zero, then the deltas).
 */
final class ShardDeltas {
  private static final List<String> COUNTERS = List.of("available", "reserved", "sold", "restocked", "pending");
  private static final List<String> ZEROED = List.of("received", "given", "settled", "movedIn", "movedOut");

  private record Shard(ProductId productId, String region, int number) {}

  private final Map<Shard, long[]> deltas = new LinkedHashMap<>();

  private long[] of(ProductId productId, String region, int shard) {
    return deltas.computeIfAbsent(new Shard(productId, region, shard), k -> new long[COUNTERS.size()]);
  }

  /** A new hold's units: available to reserved, only if the shard has them. */
  void reserve(ProductId productId, String region, int shard, long units) {
    long[] d = of(productId, region, shard);
    d[0] -= units;
    d[1] += units;
  }

  /** A released hold's units back to available. */
  void release(ProductId productId, String region, int shard, long units) {
    long[] d = of(productId, region, shard);
    d[0] += units;
    d[1] -= units;
  }

  /** A shipped hold's units: reserved to sold. */
  void commit(ProductId productId, String region, int shard, long units) {
    long[] d = of(productId, region, shard);
    d[1] -= units;
    d[2] += units;
  }

  void restock(ProductId productId, String region, int shard, long units) {
    long[] d = of(productId, region, shard);
    d[0] += units;
    d[3] += units;
  }

  /** Units an order pending stock waits for, counted on (or taken off) the product's head shard. */
  void await(ProductId productId, String region, long units) {
    of(productId, region, StockAllocation.HEAD)[4] += units;
  }

  int size() {
    return deltas.size();
  }

  /**
   * One update per shard: every counter changed by its delta, each decrement only if the counter
   * covers it. Every attribute goes by an expression name: several ({@code shard}, {@code region})
   * are DynamoDB reserved words.
   */
  List<Update> updates(String table, String writerRegion) {
    List<Update> updates = new ArrayList<>();
    deltas.forEach((shard, delta) -> {
      Map<String, AttributeValue> values = new HashMap<>();
      Map<String, String> names = new HashMap<>();
      StringJoiner set = new StringJoiner(", ", "SET ", "");
      StringJoiner conditions = new StringJoiner(" AND ");
      values.put(":zero", n(0));
      for (int i = 0; i < COUNTERS.size(); i++) {
        String counter = name(names, COUNTERS.get(i));
        values.put(":d" + i, n(delta[i]));
        set.add(counter + " = if_not_exists(" + counter + ", :zero) + :d" + i);
        if (delta[i] < 0) {
          values.put(":need" + i, n(-delta[i]));
          conditions.add(counter + " >= :need" + i);
        }
      }
      for (String attribute : ZEROED) {
        String counter = name(names, attribute);
        set.add(counter + " = if_not_exists(" + counter + ", :zero)");
      }
      boolean head = shard.number() == StockAllocation.HEAD;
      values.put(":one", n(1));
      values.put(":shards", n(head ? 1 : 0));
      values.put(":empty", m(Map.of()));
      values.put(":pid", s(shard.productId().value()));
      values.put(":region", s(shard.region()));
      values.put(":shard", n(shard.number()));
      values.put(":entity", s(Items.ALLOCATION_ENTITY));
      values.put(":origin", s(writerRegion));
      for (String attribute : List.of("shards", "shardsEver")) {
        set.add(name(names, attribute) + " = if_not_exists(" + name(names, attribute) + ", :shards)");
      }
      for (String attribute : List.of("outgoing", "receivedThrough")) {
        set.add(name(names, attribute) + " = if_not_exists(" + name(names, attribute) + ", :empty)");
      }
      set.add(name(names, "productId") + " = :pid").add(name(names, "region") + " = :region")
          .add(name(names, "shard") + " = :shard").add(name(names, TableDesign.ENTITY) + " = :entity")
          .add(name(names, TableDesign.VERSION) + " = if_not_exists(" + name(names, TableDesign.VERSION) + ", :zero) + :one")
          .add(name(names, "originRegion") + " = :origin");
      Update.Builder update = Update.builder()
          .tableName(table)
          .key(Items.shardKey(shard.productId(), shard.region(), shard.number()))
          .updateExpression(set.toString())
          .expressionAttributeNames(names)
          .expressionAttributeValues(values);
      if (conditions.length() > 0) {
        update.conditionExpression(conditions.toString());
      }
      updates.add(update.build());
    });
    return updates;
  }

  private static String name(Map<String, String> names, String attribute) {
    names.put("#" + attribute, attribute);
    return "#" + attribute;
  }
}
