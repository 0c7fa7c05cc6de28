package dev.meridian.domain.order;

import dev.meridian.domain.common.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An order's id, derived from (customer, Idempotency-Key). A retry of the same placement in any
 * region computes the same id and so lands on the same item key: that is what makes placement
 * idempotent across regions without coordination.
 */
public record OrderId(String value) {
  private static final Pattern FORMAT = Pattern.compile("o-[0-9a-f]{32}");

  public OrderId {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw ValidationException.of("orderId", "is not an order id");
    }
  }

  public static OrderId derive(CustomerId customer, IdempotencyKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // The separator cannot occur in a key (visible ASCII only), so distinct pairs never collide by concatenation.
      byte[] digest = sha.digest((customer.value() + "\n" + key.value()).getBytes(StandardCharsets.UTF_8));
      return new OrderId("o-" + HexFormat.of().formatHex(digest, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
