package dev.meridian.domain.order;

import dev.meridian.domain.common.Validation;
import dev.meridian.domain.product.ProductId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Place an order ({@code POST /orders}). Self-validating: every error names its field, e.g.
 * {@code lines[3].quantity}, and a constructed command is always valid.
 */
public record PlaceOrder(CustomerId customer, IdempotencyKey idempotencyKey, List<Line> lines) {
  public static final int MAX_LINES = 50;

  /** A requested line: product and quantity; the price is captured at placement. */
  public record Line(String productId, int quantity) {
    public ProductId product() {
      return new ProductId(productId);
    }
  }

  public PlaceOrder {
    Validation v = Validation.start();
    v.notNull(customer, "customer");
    v.notNull(idempotencyKey, "Idempotency-Key");
    if (v.notNull(lines, "lines")) {
      lines = List.copyOf(lines);
      v.range(lines.size(), 1, MAX_LINES, "lines");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        Line l = lines.get(i);
        if (!v.notNull(l, "lines[" + i + "]")) {
          continue;
        }
        Validation line = v.nested("lines[" + i + "]");
        if (line.notNull(l.productId(), "productId")) {
          if (line.require(l.productId().matches("[a-z0-9][a-z0-9-]{0,63}"), "productId", "is not a product id")) {
            line.require(seen.add(l.productId()), "productId", "appears in more than one line");
          }
        }
        line.range(l.quantity(), OrderLine.MIN_QUANTITY, OrderLine.MAX_QUANTITY, "quantity");
      }
    }
    v.orThrow();
  }

  public OrderId orderId() {
    return OrderId.derive(customer, idempotencyKey);
  }

  /**
   * Identifies the request body: a retry with the same key must carry the same lines (in any
   * order), otherwise it is a different request reusing a key (422).
   */
  public String fingerprint() {
    return fingerprint(lines.stream().map(l -> l.productId() + "x" + l.quantity()));
  }

  static String fingerprint(java.util.stream.Stream<String> lineTokens) {
    String canonical = lineTokens.sorted().collect(Collectors.joining(","));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
