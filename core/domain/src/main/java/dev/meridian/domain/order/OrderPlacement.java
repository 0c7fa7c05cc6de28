package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides what a region does with a {@link PlaceOrder}: reserve every line from its own
 * allocations (201), accept it pending stock from other regions (202), or refuse it (409).
 * Pure: the adapter then writes the order and the allocation decrements in one transaction,
 * conditional on what this decision read.
 */
public final class OrderPlacement {

  /** The outcome of a placement decision. */
  public sealed interface Decision permits Reserved, PendingStock, Refused {}

  /** Every line is held in this region: the order and the updated allocations to write together. */
  public record Reserved(Order order, List<StockAllocation> allocations) implements Decision {}

  /** This region cannot cover the order but the regions together can; units must be transferred. */
  public record PendingStock(Order order) implements Decision {}

  /** The order cannot be placed. */
  public record Refused(Reason reason, ProductId productId, String detail) implements Decision {}

  /** Why a placement was refused. */
  public enum Reason { UNKNOWN_PRODUCT, INACTIVE_PRODUCT, MIXED_CURRENCY, OUT_OF_STOCK }

  private OrderPlacement() {}

  /**
   * @param catalog         this region's replica of the products the command names
   * @param localAllocations this region's allocation of each product (absent = none)
   * @param globalAvailable units available per product across all regions as this replica sees
   *                        them, or an empty map while transfers are disabled (no 202 then)
   */
  public static Decision decide(PlaceOrder command, Map<ProductId, Product> catalog,
      Map<ProductId, StockAllocation> localAllocations, Map<ProductId, Long> globalAvailable,
      String region, HlcStamp stamp) {
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

    List<StockAllocation> updated = new ArrayList<>();
    InsufficientStockException shortage = null;
    for (OrderLine line : lines) {
      StockAllocation allocation = localAllocations.getOrDefault(line.productId(),
          StockAllocation.empty(line.productId(), region));
      try {
        updated.add(allocation.reserve(id.value(), line.quantity()));
      } catch (InsufficientStockException e) {
        shortage = e;
        break;
      }
    }
    if (shortage == null) {
      return new Reserved(Order.placed(id, body(command, lines, total, region, stamp, OrderStatus.PLACED)), updated);
    }
    boolean coverableGlobally = !globalAvailable.isEmpty() && lines.stream()
        .allMatch(l -> globalAvailable.getOrDefault(l.productId(), 0L) >= l.quantity());
    if (coverableGlobally) {
      return new PendingStock(Order.pendingStock(id, body(command, lines, total, region, stamp, OrderStatus.PENDING_STOCK)));
    }
    return new Refused(Reason.OUT_OF_STOCK, shortage.productId(), "product " + shortage.productId() + ": "
        + shortage.requested() + " requested, " + shortage.available() + " available in " + region);
  }

  private static OrderBody body(PlaceOrder command, List<OrderLine> lines, Money total, String region, HlcStamp stamp,
      OrderStatus initialStatus) {
    return new OrderBody(command.customer(), command.idempotencyKey(), lines, total, region, command.fingerprint(),
        stamp, initialStatus);
  }
}
