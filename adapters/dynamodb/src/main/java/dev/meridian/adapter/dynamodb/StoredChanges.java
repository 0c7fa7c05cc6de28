package dev.meridian.adapter.dynamodb;

import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.product.Product;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a table item (a stream record's new image, or an event's state) as a replicated entity.
 * Only orders, holds, products and stock shards replicate through events; pending demands,
 * control, heartbeat, refusal and conflict items travel by global-table replication alone.
 */
public final class StoredChanges {
  private StoredChanges() {}

  /** The entity names that change events carry. */
  public static boolean isPublished(String entity) {
    return Order.ENTITY.equals(entity) || Change.HoldChange.ENTITY.equals(entity) || Product.ENTITY.equals(entity)
        || Change.AllocationChange.ENTITY.equals(entity);
  }

  /**
   * @return the change, or empty for an item of an entity that is not published
   * @throws CorruptItemException when a published entity's item does not decode
   */
  public static Optional<StoredChange> of(String position, Map<String, AttributeValue> item) {
    String entity = Attr.optionalStr(item, TableDesign.ENTITY);
    if (!isPublished(entity)) {
      return Optional.empty();
    }
    return Optional.of(new StoredChange(position, Attr.str(item, TableDesign.ORIGIN_REGION),
        Attr.num(item, TableDesign.VERSION), change(entity, item)));
  }

  /** Decodes a published entity from its item's attributes (an allocation's revision is its {@code version}). */
  private static Change change(String entity, Map<String, AttributeValue> attributes) {
    try {
      return switch (entity) {
        case Order.ENTITY -> new Change.OrderChange(Items.order(attributes));
        case Change.HoldChange.ENTITY -> new Change.HoldChange(Items.holdOrderId(attributes), Items.hold(attributes));
        case Product.ENTITY -> new Change.ProductChange(Items.product(attributes));
        case Change.AllocationChange.ENTITY -> new Change.AllocationChange(Items.allocation(attributes));
        default -> throw new CorruptItemException("entity " + entity + " is not published");
      };
    } catch (CorruptItemException e) {
      throw e;
    } catch (RuntimeException e) {
      // Value types validate themselves (ids, stamps, money, counters): any refusal is a corrupt state.
      throw new CorruptItemException(entity + " state does not decode: " + e.getMessage());
    }
  }

  /**
   * Decodes an event's {@code state} ({@link #stateOf}'s inverse). The state carries no
   * bookkeeping attributes, so the envelope's {@code version} is put back: an allocation's
   * revision is its item's {@code version}.
   */
  public static Change fromState(String entity, Map<String, AttributeValue> state, long version) {
    Map<String, AttributeValue> attributes = new HashMap<>(state);
    attributes.put(TableDesign.VERSION, Attr.n(version));
    return change(entity, attributes);
  }

  /** The attributes of a published entity's item without keys and bookkeeping: an event's {@code state}. */
  public static Map<String, AttributeValue> stateOf(Change change, long version, String originRegion) {
    Map<String, AttributeValue> item = switch (change) {
      case Change.OrderChange o -> Items.order(o.order(), version, originRegion);
      case Change.HoldChange h -> Items.hold(h.orderId(), h.hold(), version, originRegion);
      case Change.ProductChange p -> Items.product(p.product(), version, originRegion);
      case Change.AllocationChange a -> Items.shard(a.allocation(), originRegion);
    };
    for (String bookkeeping : new String[] {TableDesign.PK, TableDesign.SK, TableDesign.GSI1_PK, TableDesign.GSI1_SK,
        TableDesign.VERSION, TableDesign.ORIGIN_REGION, TableDesign.ENTITY}) {
      item.remove(bookkeeping);
    }
    return item;
  }
}
