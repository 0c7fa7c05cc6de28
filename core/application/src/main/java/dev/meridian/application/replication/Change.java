package dev.meridian.application.replication;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.StockAllocation;
import java.util.Optional;

/** The full new state of one replicated entity: what a change event carries. */
public sealed interface Change {

  /** {@code order}, {@code hold}, {@code product} or {@code allocation}: the envelope's {@code entity}. */
  String entity();

  /** The entity's id within its type: the envelope's {@code key}. */
  String key();

  /** The newest clock stamp the state carries, when the entity is stamped (allocations are not: one writer, revisions). */
  Optional<HlcStamp> latestStamp();

  record OrderChange(Order order) implements Change {
    @Override
    public String entity() {
      return Order.ENTITY;
    }

    @Override
    public String key() {
      return order.id().value();
    }

    @Override
    public Optional<HlcStamp> latestStamp() {
      return Optional.of(order.latestStamp());
    }
  }

  record ProductChange(Product product) implements Change {
    @Override
    public String entity() {
      return Product.ENTITY;
    }

    @Override
    public String key() {
      return product.id().value();
    }

    @Override
    public Optional<HlcStamp> latestStamp() {
      return Optional.of(product.latestStamp());
    }
  }

  /**
   * One region's hold of an order: the units it reserved, from which shards, and the hold's state.
   * Written by that region alone; the others read it to see which duplicate reservation stands.
   */
  record HoldChange(OrderId orderId, Reservation hold) implements Change {
    public static final String ENTITY = "hold";

    @Override
    public String entity() {
      return ENTITY;
    }

    @Override
    public String key() {
      return orderId.value() + "@" + hold.region();
    }

    /**
     * When the hold was made, while it is RESERVED; a release or a shipment carries no stamp of its
     * own (the order's status change does), so it reports none rather than a lag counted from the
     * reservation.
     */
    @Override
    public Optional<HlcStamp> latestStamp() {
      return hold.isActive() ? Optional.of(hold.reservedAt()) : Optional.empty();
    }
  }

  /**
   * One shard of a region's stock; the head's {@code outgoing} ledger carries the transfers the
   * region gave, and its {@code pending} counter is the region's ask.
   */
  record AllocationChange(StockAllocation allocation) implements Change {
    public static final String ENTITY = "allocation";

    @Override
    public String entity() {
      return ENTITY;
    }

    /** {@code product@region} for the head (as before shards existed), {@code product@region#n} for shard n. */
    @Override
    public String key() {
      String head = allocation.productId().value() + "@" + allocation.region();
      return allocation.isHead() ? head : head + "#" + allocation.shard();
    }

    @Override
    public Optional<HlcStamp> latestStamp() {
      return Optional.empty();
    }
  }
}
