package dev.meridian.application.orders;

import dev.meridian.application.Page;
import dev.meridian.application.UseCase;
import dev.meridian.application.Versioned;
import dev.meridian.application.WriteGate;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.OrderStateException;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Order use cases: idempotent placement, reading one's own orders, cancellation. */
@UseCase
public final class OrderService {
  private static final int MAX_ATTEMPTS = 5;

  /** What a placement answered. {@code replayed} is true when an earlier request with the same key decided it. */
  public sealed interface PlaceOutcome permits Placed, PendingStock, Refused, KeyReused, WritesRefused {}

  /** 201: the units are held in this region. */
  public record Placed(Order order, boolean replayed) implements PlaceOutcome {}

  /** 202: accepted pending stock from other regions. */
  public record PendingStock(Order order, boolean replayed) implements PlaceOutcome {}

  /** 409 (out of stock) or 422 (unknown or inactive product, mixed currencies). */
  public record Refused(OrderId orderId, Refusal refusal, boolean replayed) implements PlaceOutcome {}

  /** 422: the key was used before with a different body. */
  public record KeyReused(OrderId orderId) implements PlaceOutcome {}

  /** 503: this region does not accept writes now (standby in active-passive mode). */
  public record WritesRefused(String reason) implements PlaceOutcome {}

  /** What a cancellation answered. */
  public sealed interface CancelOutcome permits Cancelled, NotFound, AlreadyShipped, CancelRefused {}

  public record Cancelled(Order order) implements CancelOutcome {}

  /** 404: no such order, or not the caller's. */
  public record NotFound() implements CancelOutcome {}

  /** 409: the order has shipped. */
  public record AlreadyShipped(Order order) implements CancelOutcome {}

  public record CancelRefused(String reason) implements CancelOutcome {}

  private final OrderRepository orders;
  private final CatalogRepository catalog;
  private final HybridLogicalClock clock;
  private final WriteGate writeGate;

  public OrderService(OrderRepository orders, CatalogRepository catalog, HybridLogicalClock clock, WriteGate writeGate) {
    this.orders = orders;
    this.catalog = catalog;
    this.clock = clock;
    this.writeGate = writeGate;
  }

  public PlaceOutcome place(PlaceOrder command) {
    Optional<PlaceOutcome> earlier = replay(command);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Optional<String> refusal = writeGate.refusal();
    if (refusal.isPresent()) {
      return new WritesRefused(refusal.get());
    }
    Map<ProductId, Product> products = new HashMap<>();
    Map<ProductId, StockAllocation> local = new HashMap<>();
    Map<ProductId, Long> globalFree = new HashMap<>();
    for (PlaceOrder.Line line : command.lines()) {
      catalog.find(line.product()).ifPresent(entry -> {
        products.put(line.product(), entry.product());
        localAllocation(entry).ifPresent(a -> local.put(line.product(), a));
        // Units free everywhere as this replica sees them: what transfers could still bring here.
        globalFree.put(line.product(), entry.allocations().stream()
            .mapToLong(a -> Math.max(0, a.available() - a.pendingUnits())).sum());
      });
    }
    OrderPlacement.Decision decision = OrderPlacement.decide(command, products, local, globalFree, clock.region(), clock.now());
    return switch (decision) {
      case OrderPlacement.Reserved reserved -> switch (orders.place(reserved.order())) {
        case OrderRepository.Written written -> new Placed(reserved.order(), false);
        case OrderRepository.OutOfStock out -> refuse(command, new Refusal(command.fingerprint(),
            OrderPlacement.Reason.OUT_OF_STOCK, out.productId().value(),
            "product " + out.productId() + " sold out in " + clock.region() + " while ordering"));
        case OrderRepository.AlreadyExists exists -> placedMeanwhile(command);
      };
      case OrderPlacement.PendingStock pending -> {
        // The pending demand is recorded on this region's allocations, which must exist to carry it.
        pending.order().body().lines().stream().map(l -> l.productId()).distinct()
            .filter(p -> !local.containsKey(p)).forEach(p -> catalog.ensureAllocation(p, clock.region()));
        yield switch (orders.place(pending.order())) {
          case OrderRepository.Written written -> new PendingStock(pending.order(), false);
          case OrderRepository.AlreadyExists exists -> placedMeanwhile(command);
          case OrderRepository.OutOfStock out -> throw new IllegalStateException(
              "a pending placement takes no units, yet " + out.productId() + " was out of stock");
        };
      }
      case OrderPlacement.Refused refused -> refuse(command, new Refusal(command.fingerprint(), refused.reason(),
          refused.productId() == null ? null : refused.productId().value(), refused.detail()));
    };
  }

  /** A concurrent request with the same key placed the order first: its answer, replayed. */
  private PlaceOutcome placedMeanwhile(PlaceOrder command) {
    return replay(command).orElseThrow(() -> new IllegalStateException("order " + command.orderId() + " exists but cannot be read"));
  }

  private PlaceOutcome refuse(PlaceOrder command, Refusal refusal) {
    // A concurrent request with the same key may have placed the order meanwhile: its answer wins.
    Optional<PlaceOutcome> placedMeanwhile = replayOrder(command);
    if (placedMeanwhile.isPresent()) {
      return placedMeanwhile.get();
    }
    orders.recordRefusal(command.orderId(), refusal);
    return new Refused(command.orderId(), refusal, false);
  }

  private Optional<PlaceOutcome> replay(PlaceOrder command) {
    Optional<PlaceOutcome> order = replayOrder(command);
    if (order.isPresent()) {
      return order;
    }
    return orders.findRefusal(command.orderId()).map(r -> r.fingerprint().equals(command.fingerprint())
        ? new Refused(command.orderId(), r, true)
        : new KeyReused(command.orderId()));
  }

  private Optional<PlaceOutcome> replayOrder(PlaceOrder command) {
    return orders.find(command.orderId()).map(stored -> {
      Order order = stored.value();
      if (!order.body().fingerprint().equals(command.fingerprint())) {
        return new KeyReused(order.id());
      }
      Order original = order.asPlaced();
      return original.currentStatus() == dev.meridian.domain.order.OrderStatus.PENDING_STOCK
          ? new PendingStock(original, true)
          : new Placed(original, true);
    });
  }

  /** The caller's order, or empty when it does not exist or belongs to someone else (both 404). */
  public Optional<Versioned<Order>> get(OrderId id, CustomerId caller) {
    return orders.find(id).filter(o -> o.value().isOwnedBy(caller));
  }

  public Page<Versioned<Order>> list(CustomerId caller, String cursor, Integer limit) {
    int size = limit == null ? Page.DEFAULT_LIMIT : limit;
    if (size < 1 || size > Page.MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + Page.MAX_LIMIT);
    }
    return orders.listByCustomer(caller, cursor, size);
  }

  /**
   * Cancels the caller's order; cancelling again answers the cancelled order. Units held in
   * this region are released in the same transaction; units held in another region are released
   * there when the cancellation reaches it.
   */
  public CancelOutcome cancel(CancelOrder command) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<Order>> found = get(command.orderId(), command.customer());
      if (found.isEmpty()) {
        return new NotFound();
      }
      Order current = found.get().value();
      Order cancelled;
      try {
        cancelled = current.cancel(clock.after(current.latestStamp()));
      } catch (OrderStateException shipped) {
        return new AlreadyShipped(current);
      }
      if (cancelled == current) {
        return new Cancelled(current);
      }
      Optional<String> refusal = writeGate.refusal();
      if (refusal.isPresent()) {
        return new CancelRefused(refusal.get());
      }
      Reservation mine = cancelled.reservations().get(clock.region());
      boolean releaseHere = mine != null && mine.isActive();
      Order toWrite = releaseHere ? cancelled.releaseReservation(clock.region()) : cancelled;
      if (orders.update(toWrite, found.get().version(), releaseHere ? Optional.of(clock.region()) : Optional.empty()).isPresent()) {
        return new Cancelled(toWrite);
      }
    }
    return new CancelRefused("order " + command.orderId() + " changed during " + MAX_ATTEMPTS + " attempts to cancel it; retry");
  }

  private Optional<StockAllocation> localAllocation(CatalogEntry entry) {
    return entry.allocations().stream().filter(a -> a.region().equals(clock.region())).findFirst();
  }
}
