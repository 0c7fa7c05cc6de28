package dev.meridian.application.orders;

import dev.meridian.domain.order.OrderPlacement;
import java.util.Objects;

/**
 * A refused placement, stored under the order id with a time to live so that a retry of the same
 * Idempotency-Key within that time answers the same refusal instead of re-deciding.
 */
public record Refusal(String fingerprint, OrderPlacement.Reason reason, String productId, String detail) {
  public Refusal {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
