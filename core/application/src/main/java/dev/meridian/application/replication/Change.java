package dev.meridian.application.replication;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.StockAllocation;
import java.util.Optional;

/** The full new state of one replicated entity: what a change event carries. */
public sealed interface Change {

  /** {@code order}, {@code product} or {@code allocation}: the envelope's {@code entity}. */
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

  /** A region's stock allocation; its {@code outgoing} ledger carries the transfers it gave. */
  record AllocationChange(StockAllocation allocation) implements Change {
    public static final String ENTITY = "allocation";

    @Override
    public String entity() {
      return ENTITY;
    }

    @Override
    public String key() {
      return allocation.productId().value() + "@" + allocation.region();
    }

    @Override
    public Optional<HlcStamp> latestStamp() {
      return Optional.empty();
    }
  }
}
