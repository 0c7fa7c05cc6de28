package dev.meridian.domain.order;

/**
 * An order's status, merged across regions as a maximum over this fixed precedence:
 * {@code PENDING_STOCK < PLACED < CANCELLED < SHIPPED}.
 *
 * <p>Why this order: a later status in a region's own lifecycle always wins over an earlier one
 * seen elsewhere. Cancel against ship is the one real race (a customer cancels in one region
 * while the reserving region ships): shipping wins, because it is a physical act no merge can
 * undo; the lost cancellation is recorded as a conflict so support can offer a return. Locally
 * the two are exclusive: a cancelled order cannot ship and a shipped one cannot be cancelled.
 */
public enum OrderStatus {
  PENDING_STOCK,
  PLACED,
  CANCELLED,
  SHIPPED;

  public int precedence() {
    return ordinal();
  }

  public boolean isTerminal() {
    return this == CANCELLED || this == SHIPPED;
  }
}
