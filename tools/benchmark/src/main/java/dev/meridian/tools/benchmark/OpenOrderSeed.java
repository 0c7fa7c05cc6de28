package dev.meridian.tools.benchmark;

import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.RegionStock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items that {@code count} placements of one unit of a product leave in the table, built without placing
 * them, so the benchmark can start from thousands of open orders in a few hundred batch writes instead of a
 * placement each. Each order is decided by the domain's own {@link OrderPlacement#decide} (its shards chosen as a
 * placement chooses them) and encoded by the adapter's codecs exactly as {@code DynamoDbOrderRepository} writes a
 * new order: the order item and this region's hold, both at version 1. The shards come last, once, with every
 * reservation counted, as the placements' counter updates would have left them.
 */
final class OpenOrderSeed {
  /** Seeded orders spread over this many customers, as real orders are (one customer's index partition stays small). */
  static final int CUSTOMERS = 100;

  private final Product product;
  private final RegionStock stock;
  private final HybridLogicalClock clock;
  private final IntSupplier shardStart;

  /**
   * @param stock      the product's stock in the clock's region as stored now (it must have the units)
   * @param shardStart where each order starts looking for a shard, as {@code ShardStarts} gives a placement
   */
  OpenOrderSeed(Product product, RegionStock stock, HybridLogicalClock clock, IntSupplier shardStart) {
    if (!stock.productId().equals(product.id()) || !stock.region().equals(clock.region())) {
      throw new IllegalArgumentException("the stock of " + product.id() + " in " + clock.region() + " is needed, not "
          + stock.productId() + "@" + stock.region());
    }
    this.product = product;
    this.stock = stock;
    this.clock = clock;
    this.shardStart = shardStart;
  }

  /** The placement the {@code index}-th seeded order stands for: one unit, its own customer and key. */
  PlaceOrder command(int index) {
    return new PlaceOrder(new CustomerId("open-orders-" + index % CUSTOMERS),
        new IdempotencyKey("open-orders-" + product.id().value() + "-" + index),
        List.of(new PlaceOrder.Line(product.id().value(), 1)));
  }

  /**
   * Hands {@code sink} the order and hold item of each of {@code count} orders, then every shard item they changed.
   *
   * @return the product's stock in this region with every seeded order's unit reserved
   * @throws IllegalStateException when the stock cannot hold them all
   */
  RegionStock writeTo(int count, Consumer<Map<String, AttributeValue>> sink) {
    String region = clock.region();
    RegionStock current = stock;
    for (int index = 0; index < count; index++) {
      OrderPlacement.Decision decision = OrderPlacement.decide(command(index), Map.of(product.id(), product),
          Map.of(product.id(), current), Map.of(), region, clock.now(), shardStart);
      if (!(decision instanceof OrderPlacement.Reserved reserved)) {
        throw new IllegalStateException("seeded order " + index + " of " + product.id() + " was not reserved: " + decision);
      }
      Order order = reserved.order();
      sink.accept(Items.order(order, 1, region));
      sink.accept(Items.hold(order.id(), order.reservations().get(region), 1, region));
      current = reserved.after().get(product.id());
    }
    for (RegionStock.ShardWrite shard : current.changedSince(stock)) {
      sink.accept(Items.shard(shard.next(), region));
    }
    return current;
  }
}
