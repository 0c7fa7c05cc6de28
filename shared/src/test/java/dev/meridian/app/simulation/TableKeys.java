package dev.meridian.app.simulation;

import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;

/** Item keys ({@code pk|sk}) as the real table lays them out (see {@code adapter.dynamodb.Items}). */
final class TableKeys {
  static final String CONFLICTS = "CONFLICTS|";
  static final String ORDERS = "ORDER#";
  static final String PRODUCTS = "PRODUCT#";

  private TableKeys() {}

  /** The partition of a product: the product item and every region's allocation. */
  static String productPartition(ProductId id) {
    return PRODUCTS + id.value() + "|";
  }

  static String product(ProductId id) {
    return productPartition(id) + "PRODUCT";
  }

  static String allocationPrefix(ProductId id) {
    return productPartition(id) + "ALLOCATION#";
  }

  static String allocation(ProductId id, String region) {
    return allocationPrefix(id) + region;
  }

  static String order(OrderId id) {
    return ORDERS + id.value() + "|ORDER";
  }

  static String refusal(OrderId id) {
    return ORDERS + id.value() + "|REFUSAL";
  }

  /** Sorted by when the conflict became observable, then id: two regions recording one conflict write one key. */
  static String conflictPosition(Conflict conflict) {
    return conflict.detectedAfter().encode() + "#" + conflict.id();
  }

  static String conflict(Conflict conflict) {
    return CONFLICTS + conflictPosition(conflict);
  }
}
