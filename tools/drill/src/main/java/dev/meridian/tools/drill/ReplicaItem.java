package dev.meridian.tools.drill;

import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item of one replica as the audit compares it: its key, its entity, its {@code version} (the
 * in-region optimistic lock every write increments) and the hybrid-logical-clock stamps of its
 * replicated fields, read through the DynamoDB adapter's codec. Two replicas that hold the same
 * version with different stamps diverged silently: that is what the audit exists to show.
 *
 * @param stamps field to {@code value@stamp} (or just the stamp when the value says nothing more);
 *               {@code decode} names the codec's complaint when the item does not decode
 */
record ReplicaItem(String pk, String sk, String entity, Long version, SortedMap<String, String> stamps) {

  String key() {
    return pk + " / " + sk;
  }

  static ReplicaItem of(Map<String, AttributeValue> item) {
    String pk = text(item, TableDesign.PK);
    String sk = text(item, TableDesign.SK);
    String entity = text(item, TableDesign.ENTITY);
    AttributeValue v = item.get(TableDesign.VERSION);
    Long version = v != null && v.n() != null ? Long.valueOf(v.n()) : null;
    SortedMap<String, String> stamps = new TreeMap<>();
    try {
      switch (entity == null ? "" : entity) {
        case Product.ENTITY -> {
          Product p = Items.product(item);
          stamps.put("name", p.name().stamp().encode());
          stamps.put("description", p.description().stamp().encode());
          stamps.put("price", p.price().stamp().encode());
          stamps.put("active", p.active().stamp().encode());
        }
        case Order.ENTITY -> {
          Order o = Items.order(item);
          stamps.put("status", o.status().status() + "@" + o.status().stamp().encode());
          stamps.put("placedAt", o.body().placedAt().encode());
          stamps.put("conflicts", Integer.toString(o.conflicts().size()));
        }
        case Items.HOLD_ENTITY -> {
          Reservation r = Items.hold(item);
          stamps.put("state", r.state() + "@" + r.reservedAt().encode());
        }
        case Items.DEMAND_ENTITY -> {
          PendingDemand d = Items.demand(item);
          stamps.put("state", d.state() + "@" + d.placedAt().encode());
        }
        case Items.CONFLICT_ENTITY -> {
          Conflict c = Items.conflictRecord(item);
          stamps.put("detectedAfter", c.detectedAfter().encode());
        }
        default -> {
          // stock shards, control, refusals: single-writer items whose version says it all
        }
      }
    } catch (RuntimeException e) {
      // A replica holding an item the codec refuses is a finding, not a reason to stop the audit.
      stamps.put("decode", "failed: " + e.getMessage());
    }
    return new ReplicaItem(pk, sk, entity, version, stamps);
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  /** For the report: {@code v7 status=PLACED@...}. */
  String describe() {
    StringBuilder s = new StringBuilder("v").append(version == null ? "?" : version);
    stamps.forEach((field, stamp) -> s.append(' ').append(field).append('=').append(stamp));
    return s.toString();
  }
}
