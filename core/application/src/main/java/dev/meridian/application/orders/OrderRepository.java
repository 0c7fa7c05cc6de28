package dev.meridian.application.orders;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** Orders, their idempotency records, and the stock holds that back them, in this region's replica. */
public interface OrderRepository {

  /** How long a refused placement is remembered for replays of its key. */
  Duration REFUSAL_TTL = Duration.ofHours(24);

  /** The outcome of writing a new order. */
  sealed interface PlaceWrite permits Written, AlreadyExists, OutOfStock {}

  record Written(long version) implements PlaceWrite {}

  /** An order with this id exists (a concurrent or earlier request with the same key): nothing written. */
  record AlreadyExists() implements PlaceWrite {}

  /** A line's units were no longer available when the transaction ran: nothing written. */
  record OutOfStock(ProductId productId) implements PlaceWrite {}

  Optional<Versioned<Order>> find(OrderId id);

  /**
   * A customer's orders, newest first.
   *
   * @throws dev.meridian.domain.common.ValidationException naming {@code cursor} when it was not issued here for this customer
   */
  Page<Versioned<Order>> listByCustomer(CustomerId customer, String cursor, int limit);

  /**
   * Writes a placement in one transaction: the order only if no order has its id, and, when the
   * order holds a reservation in its home region, a hold of each line's units in that region's
   * allocation only if that many units are available; when it is pending stock, its demand on
   * each line's allocation in its home region (which must exist). All or nothing.
   */
  PlaceWrite place(Order order);

  Optional<Refusal> findRefusal(OrderId id);

  /** Remembers a refused placement for {@link #REFUSAL_TTL}. */
  void recordRefusal(OrderId id, Refusal refusal);

  /**
   * Replaces an order when its stored version equals {@code expectedVersion}. With
   * {@code releaseHoldsIn} set, the same transaction returns that region's held units for this
   * order to its allocation (the order must mark that reservation released).
   *
   * @return the new version, or empty when the version differs (nothing written)
   */
  OptionalLong update(Order order, long expectedVersion, Optional<String> releaseHoldsIn);
}
