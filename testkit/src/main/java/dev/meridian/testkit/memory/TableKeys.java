package dev.meridian.testkit.memory;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;

/** Item keys ({@code pk|sk}) as the real table lays them out (see {@code adapter.dynamodb.Items}). */
public final class TableKeys {
  public static final String CONFLICTS = "CONFLICTS|";
  public static final String ORDERS = "ORDER#";
  public static final String PRODUCTS = "PRODUCT#";
  public static final String STOCK = "STOCK#";

  private TableKeys() {}

  public static String product(ProductId id) {
    return PRODUCTS + id.value() + "|PRODUCT";
  }

  /** A shard: a partition of its own. */
  public static String shard(ProductId id, String region, int shard) {
    return STOCK + id.value() + "#" + region + "#" + shard + "|STOCK";
  }

  /** The partition of an order: the order item, every region's hold and demand, the refusal of its key. */
  public static String orderPartition(OrderId id) {
    return ORDERS + id.value() + "|";
  }

  public static String order(OrderId id) {
    return orderPartition(id) + "ORDER";
  }

  public static String hold(OrderId id, String region) {
    return orderPartition(id) + "HOLD#" + region;
  }

  public static String demand(OrderId id, String region) {
    return orderPartition(id) + "DEMAND#" + region;
  }

  public static String refusal(OrderId id) {
    return orderPartition(id) + "REFUSAL";
  }

  /** Sorted by when the conflict became observable, then id: two regions recording one conflict write one key. */
  public static String conflictPosition(Conflict conflict) {
    return conflict.detectedAfter().encode() + "#" + conflict.id();
  }

  public static String conflict(Conflict conflict) {
    return CONFLICTS + conflictPosition(conflict);
  }
}
