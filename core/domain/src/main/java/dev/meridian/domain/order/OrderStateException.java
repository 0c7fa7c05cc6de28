package dev.meridian.domain.order;

/** A command that the order's current status forbids, e.g. cancelling a shipped order (409). */
public final class OrderStateException extends RuntimeException {
  private final OrderStatus status;

  public OrderStateException(OrderStatus status, String message) {
    super(message);
    this.status = status;
  }

  public OrderStatus status() {
    return status;
  }
}
