package dev.meridian.domain.stock;

import dev.meridian.domain.product.ProductId;

/** A region's allocation cannot cover a reservation or a transfer. Expected; never a 500. */
public final class InsufficientStockException extends RuntimeException {
  private final ProductId productId;
  private final long requested;
  private final long available;

  public InsufficientStockException(ProductId productId, long requested, long available) {
    super("product " + productId + ": " + requested + " requested, " + available + " available");
    this.productId = productId;
    this.requested = requested;
    this.available = available;
  }

  public ProductId productId() {
    return productId;
  }

  public long requested() {
    return requested;
  }

  public long available() {
    return available;
  }
}
