package dev.meridian.application.orders;

import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PendingDemand;
import java.time.Duration;
import java.util.Optional;

/**
 * Orders, their idempotency records, and the holds and pending demands beside them, in this
 * region's replica. Each region's hold of an order and each pending demand is an item of its own
 * written only by that region; an order's {@link Order#reservations() reservations} are read from
 * the holds every region wrote (as far as they have replicated here).
 */
public interface OrderRepository {

  /**
   * The most items one {@link #write} changes ({@link OrderWrite#itemCount()}); DynamoDB's
   * TransactWriteItems takes 100 actions. A caller keeps its writes within it ({@link WideHolds}).
   */
  int MAX_ITEMS_PER_WRITE = 100;

  /** How long a refused placement is remembered for replays of its key. */
  Duration REFUSAL_TTL = Duration.ofHours(24);

  /** What a write did. */
  enum WriteResult {
    WRITTEN,
    /** The order's stored version was not the expected one (or, for a new order, an order exists): nothing written. */
    ORDER_CHANGED,
    /** A shard did not have the units a new hold takes: nothing written. */
    STOCK_SHORT,
    /** The hold or the demand was no longer in the state the move starts from: nothing written. */
    MOVE_CHANGED
  }

  /** The order with every region's hold as this replica holds them (strongly consistent). */
  Optional<Versioned<Order>> find(OrderId id);

  /**
   * A customer's orders, newest first, each with every region's hold as this replica holds them
   * (one query for the page and one batch read of its holds, however many orders it shows).
   *
   * @throws dev.meridian.domain.common.ValidationException naming {@code cursor} when it was not issued here for this customer
   */
  Page<Versioned<Order>> listByCustomer(CustomerId customer, String cursor, int limit);

  /** This region's pending demand of the order, if it was accepted here pending stock. */
  Optional<PendingDemand> findDemand(OrderId id);

  /**
   * Writes everything {@code write} names in one transaction, or nothing.
   *
   * @throws IllegalArgumentException when the write changes more than {@link #MAX_ITEMS_PER_WRITE} items
   */
  WriteResult write(OrderWrite write);

  Optional<Refusal> findRefusal(OrderId id);

  /** Remembers a refused placement for {@link #REFUSAL_TTL}. */
  void recordRefusal(OrderId id, Refusal refusal);
}
