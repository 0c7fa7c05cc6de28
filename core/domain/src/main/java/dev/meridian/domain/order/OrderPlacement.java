package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.RegionStock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Decides what a region does with a {@link PlaceOrder}: reserve every line from its own
 * allocations (201), accept it pending stock from other regions (202), or refuse it (409).
 * Pure: the adapter then writes the order and the allocation decrements in one transaction,
 * conditional on what this decision read.
 */
public final class OrderPlacement {

  /** The outcome of a placement decision. */
  public sealed interface Decision permits Reserved, PendingStock, Refused {}

  /**
   * Every line is held in this region: the order (its home reservation names the shards), and per
   * product this region's stock before and after, whose changed shards are written with the order.
   */
  public record Reserved(Order order, Map<ProductId, RegionStock> before, Map<ProductId, RegionStock> after)
      implements Decision {
    public Reserved {
      before = Map.copyOf(before);
      after = Map.copyOf(after);
    }

    /** The shard writes of the placement, each conditional on the revision read. */
    public List<RegionStock.ShardWrite> shardWrites() {
      List<RegionStock.ShardWrite> writes = new ArrayList<>();
      new TreeMap<>(after).forEach((product, stock) -> writes.addAll(stock.changedSince(before.get(product))));
      return writes;
    }
  }

  /** This region cannot cover the order but the regions together can; units must be transferred. */
  public record PendingStock(Order order) implements Decision {}

  /** The order cannot be placed. */
  public record Refused(Reason reason, ProductId productId, String detail) implements Decision {}

  /** Why a placement was refused. */
  public enum Reason { UNKNOWN_PRODUCT, INACTIVE_PRODUCT, MIXED_CURRENCY, OUT_OF_STOCK }

  private OrderPlacement() {}

  /**
   * @param catalog         this region's replica of the products the command names
   * @param localStock      this region's stock of each product (absent = none)
   * @param globalAvailable units available per product across all regions as this replica sees
   *                        them, or an empty map while transfers are disabled (no 202 then)
   * @param shardStart      where each line starts looking for a shard that has its units (random,
   *                        so placements of one hot product spread over its shards)
   */
  public static Decision decide(PlaceOrder command, Map<ProductId, Product> catalog,
      Map<ProductId, RegionStock> localStock, Map<ProductId, Long> globalAvailable,
      String region, HlcStamp stamp, IntSupplier shardStart) {
    List<OrderLine> lines = new ArrayList<>();
    String currency = null;
    for (PlaceOrder.Line requested : command.lines()) {
      ProductId productId = requested.product();
      Product product = catalog.get(productId);
      if (product == null) {
        return new Refused(Reason.UNKNOWN_PRODUCT, productId, "product " + productId + " does not exist");
      }
      if (!product.isActive()) {
        return new Refused(Reason.INACTIVE_PRODUCT, productId, "product " + productId + " is not for sale");
      }
      Money price = product.currentPrice();
      if (currency != null && !currency.equals(price.currency())) {
        return new Refused(Reason.MIXED_CURRENCY, productId, "an order is paid in one currency; "
            + productId + " is priced in " + price.currency() + ", not " + currency);
      }
      currency = price.currency();
      lines.add(new OrderLine(productId, requested.quantity(), price));
    }
    Money total = lines.stream().map(OrderLine::lineTotal).reduce(Money::plus).orElseThrow();
    OrderId id = command.orderId();

    Map<ProductId, RegionStock> before = new TreeMap<>();
    Map<ProductId, RegionStock> after = new TreeMap<>();
    Map<ProductId, List<RegionStock.Take>> takes = new TreeMap<>();
    InsufficientStockException shortage = null;
    for (Map.Entry<ProductId, Integer> wanted : unitsPerProduct(lines).entrySet()) {
      RegionStock stock = localStock.getOrDefault(wanted.getKey(), RegionStock.empty(wanted.getKey(), region));
      try {
        List<RegionStock.Take> plan = stock.plan(wanted.getValue(), shardStart.getAsInt());
        before.put(wanted.getKey(), stock);
        after.put(wanted.getKey(), stock.reserve(plan));
        takes.put(wanted.getKey(), plan);
      } catch (InsufficientStockException e) {
        shortage = e;
        break;
      }
    }
    if (shortage == null) {
      Order order = Order.placed(id, body(command, lines, total, region, stamp, OrderStatus.PLACED), takes);
      return new Reserved(order, before, after);
    }
    boolean coverableGlobally = !globalAvailable.isEmpty() && lines.stream()
        .allMatch(l -> globalAvailable.getOrDefault(l.productId(), 0L) >= l.quantity());
    if (coverableGlobally) {
      return new PendingStock(Order.pendingStock(id, body(command, lines, total, region, stamp, OrderStatus.PENDING_STOCK)));
    }
    return new Refused(Reason.OUT_OF_STOCK, shortage.productId(), "product " + shortage.productId() + ": "
        + shortage.requested() + " requested, " + shortage.available() + " available in " + region);
  }

  /** A product named on several lines is one demand: the lines' quantities together. */
  private static Map<ProductId, Integer> unitsPerProduct(List<OrderLine> lines) {
    Map<ProductId, Integer> units = new TreeMap<>();
    lines.forEach(l -> units.merge(l.productId(), l.quantity(), Integer::sum));
    return units;
  }

  private static OrderBody body(PlaceOrder command, List<OrderLine> lines, Money total, String region, HlcStamp stamp,
      OrderStatus initialStatus) {
    return new OrderBody(command.customer(), command.idempotencyKey(), lines, total, region, command.fingerprint(),
        stamp, initialStatus);
  }
}
