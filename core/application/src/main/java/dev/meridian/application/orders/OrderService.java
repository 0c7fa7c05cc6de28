package dev.meridian.application.orders;

import dev.meridian.application.Page;
import dev.meridian.application.UseCase;
import dev.meridian.application.Versioned;
import dev.meridian.application.WriteGate;
import dev.meridian.application.catalog.CatalogRepository;
import dev.meridian.application.control.StockRoles;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.OrderStateException;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

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
  private final IntSupplier shardStart;
  private final Supplier<StockRoles> stockRoles;

  /** Placement where every region sells and none keeps a reserve (active-active). */
  public OrderService(OrderRepository orders, CatalogRepository catalog, HybridLogicalClock clock, WriteGate writeGate,
      IntSupplier shardStart) {
    this(orders, catalog, clock, writeGate, shardStart, () -> StockRoles.ACTIVE_ACTIVE);
  }

  /**
   * @param shardStart where a placement starts looking for a shard that has its units: random, so
   *                   the placements of one hot product spread over its shards
   * @param stockRoles which region keeps a standby reserve, whose units no transfer will bring here
   */
  public OrderService(OrderRepository orders, CatalogRepository catalog, HybridLogicalClock clock, WriteGate writeGate,
      IntSupplier shardStart, Supplier<StockRoles> stockRoles) {
    this.orders = orders;
    this.catalog = catalog;
    this.clock = clock;
    this.writeGate = writeGate;
    this.shardStart = shardStart;
    this.stockRoles = stockRoles;
  }

  /**
   * Places an order in one transaction of a fixed number of small items, however popular its
   * products: the order (only if absent), this region's hold (only if absent) and, per product, the
   * shards the hold takes its units from (each only if it has them); or, pending stock, the order,
   * its pending demand and the products' head shards counting it. A shard that sold out between
   * the read and the write is read again and another tried.
   */
  public PlaceOutcome place(PlaceOrder command) {
    Optional<PlaceOutcome> earlier = replay(command);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Optional<String> refusal = writeGate.refusal();
    if (refusal.isPresent()) {
      return new WritesRefused(refusal.get());
    }
    OrderPlacement.Refused shortage = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      OrderPlacement.Decision decision = attempt == 0
          ? decideOnOneShard(command).<OrderPlacement.Decision>map(reserved -> reserved).orElseGet(() -> decide(command))
          : decide(command);
      switch (decision) {
        case OrderPlacement.Reserved reserved -> {
          Reservation hold = reserved.order().reservations().get(clock.region());
          OrderWrite write = OrderWrite.of(reserved.order(), 0, 1).withHold(new OrderWrite.HoldMove(Optional.empty(), hold));
          if (!WideHolds.fit(write)) {
            WideHolds.gather(catalog, hold);
            continue;
          }
          switch (orders.write(write)) {
            case WRITTEN -> {
              return new Placed(reserved.order(), false);
            }
            case ORDER_CHANGED, MOVE_CHANGED -> {
              return placedMeanwhile(command);
            }
            case STOCK_SHORT -> shortage = new OrderPlacement.Refused(OrderPlacement.Reason.OUT_OF_STOCK,
                reserved.order().units().firstKey(), "the shards of this order's products sold out in " + clock.region()
                + " while ordering");
          }
        }
        case OrderPlacement.PendingStock pending -> {
          OrderWrite write = OrderWrite.of(pending.order(), 0, 1)
              .withDemand(new OrderWrite.DemandMove(Optional.empty(), PendingDemand.of(pending.order())));
          return switch (orders.write(write)) {
            case WRITTEN -> new PendingStock(pending.order(), false);
            case ORDER_CHANGED, MOVE_CHANGED, STOCK_SHORT -> placedMeanwhile(command);
          };
        }
        case OrderPlacement.Refused refused -> {
          return refuse(command, new Refusal(command.fingerprint(), refused.reason(),
              refused.productId() == null ? null : refused.productId().value(), refused.detail()));
        }
      }
    }
    return refuse(command, new Refusal(command.fingerprint(), shortage.reason(), shortage.productId().value(), shortage.detail()));
  }

  /**
   * The first try of a placement, from one shard per product picked at random (the product and the
   * shard count as this instance recently read them): reads one stock item per product instead of
   * every shard of every region, so a hot product's shards each see a share of its reads. Empty
   * when a picked shard cannot cover its line (the full read decides then, 202 and 409 included).
   */
  private Optional<OrderPlacement.Reserved> decideOnOneShard(PlaceOrder command) {
    int start = shardStart.getAsInt();
    Map<ProductId, Product> products = new HashMap<>();
    Map<ProductId, RegionStock> picked = new HashMap<>();
    for (PlaceOrder.Line line : command.lines()) {
      Optional<Product> product = catalog.productForSale(line.product());
      Optional<RegionStock> stock = catalog.stockOnOneShard(line.product(), clock.region(), start);
      if (product.isEmpty() || stock.isEmpty()) {
        return Optional.empty();
      }
      products.put(line.product(), product.get());
      picked.put(line.product(), stock.get());
    }
    OrderPlacement.Decision decision = OrderPlacement.decide(command, products, picked, Map.of(), clock.region(), clock.now(),
        () -> start);
    if (!(decision instanceof OrderPlacement.Reserved reserved)) {
      return Optional.empty();
    }
    Reservation hold = reserved.order().reservations().get(clock.region());
    boolean onePickedShardEach = hold.takenFrom().entrySet().stream().allMatch(taken -> taken.getValue().size() == 1
        && taken.getValue().firstKey() == Math.floorMod(start, picked.get(taken.getKey()).head().shards()));
    return onePickedShardEach ? Optional.of(reserved) : Optional.empty();
  }

  private OrderPlacement.Decision decide(PlaceOrder command) {
    Map<ProductId, Product> products = new HashMap<>();
    Map<ProductId, RegionStock> local = new HashMap<>();
    Map<ProductId, Long> globalFree = new HashMap<>();
    StockRoles roles = stockRoles.get();
    for (PlaceOrder.Line line : command.lines()) {
      catalog.find(line.product()).ifPresent(entry -> {
        products.put(line.product(), entry.product());
        entry.stockIn(clock.region()).ifPresent(stock -> local.put(line.product(), stock));
        // Units free everywhere as this replica sees them: what transfers could still bring here. A
        // standby reserve is kept for a promotion, so accepting an order on it would only delay a 409.
        globalFree.put(line.product(), entry.stock().stream()
            .mapToLong(stock -> Math.max(0, stock.available() - stock.pending() - roles.keeps(stock.region(), entry.stock())))
            .sum());
      });
    }
    return OrderPlacement.decide(command, products, local, globalFree, clock.region(), clock.now(), shardStart);
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
   * Cancels the caller's order; cancelling again answers the cancelled order. This region's hold is
   * released, or its pending demand ended, in the same transaction; a hold in another region is
   * released there when the cancellation reaches it.
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
      long version = found.get().version();
      Order toWrite = cancelled.releaseReservation(clock.region());
      OrderWrite write = OrderWrite.of(toWrite, version, version + 1);
      Reservation mine = cancelled.reservations().get(clock.region());
      if (mine != null && mine.isActive()) {
        write = write.withHold(new OrderWrite.HoldMove(Optional.of(mine), mine.withState(ReservationState.RELEASED)));
      }
      Optional<PendingDemand> demand = orders.findDemand(command.orderId()).filter(PendingDemand::isWaiting);
      if (demand.isPresent()) {
        write = write.withDemand(new OrderWrite.DemandMove(demand, demand.get().with(PendingDemand.State.ENDED)));
      }
      if (orders.write(write) == OrderRepository.WriteResult.WRITTEN) {
        return new Cancelled(toWrite);
      }
    }
    return new CancelRefused("order " + command.orderId() + " changed during " + MAX_ATTEMPTS + " attempts to cancel it; retry");
  }
}
