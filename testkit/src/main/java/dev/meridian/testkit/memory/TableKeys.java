package dev.meridian.testkit.memory;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;

/** Item keys ({@code pk|sk}) as the real table lays them out (see {@code adapter.dynamodb.Items}). */
public final class TableKeys {
  public static final String CONFLICTS = "CONFLICTS|";
  public static final String ORDERS = "ORDER#";
  public static final String PRODUCTS = "PRODUCT#";

  private TableKeys() {}

  /** The partition of a product: the product item and every region's allocation. */
  public static String productPartition(ProductId id) {
    return PRODUCTS + id.value() + "|";
  }

  public static String product(ProductId id) {
    return productPartition(id) + "PRODUCT";
  }

  public static String allocationPrefix(ProductId id) {
    return productPartition(id) + "ALLOCATION#";
  }

  public static String allocation(ProductId id, String region) {
    return allocationPrefix(id) + region;
  }

  public static String order(OrderId id) {
    return ORDERS + id.value() + "|ORDER";
  }

  public static String refusal(OrderId id) {
    return ORDERS + id.value() + "|REFUSAL";
  }

  /** Sorted by when the conflict became observable, then id: two regions recording one conflict write one key. */
  public static String conflictPosition(Conflict conflict) {
    return conflict.detectedAfter().encode() + "#" + conflict.id();
  }

  public static String conflict(Conflict conflict) {
    return CONFLICTS + conflictPosition(conflict);
  }
}
