package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.product.ProductId;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** The conditional updates that move an order's held units back into an allocation, in one place. */
final class Holds {
  private Holds() {}

  /**
   * Returns {@code units} held for {@code orderId} to {@code allocationRegion}'s allocation of
   * {@code productId}, only if the hold is there with exactly those units (so it happens once).
   *
   * @param writerRegion the region making the write (its {@code originRegion})
   */
  static Update release(String table, OrderId orderId, ProductId productId, String allocationRegion, String writerRegion,
      long units) {
    return Update.builder()
        .tableName(table)
        .key(Items.allocationKey(productId, allocationRegion))
        .updateExpression("SET available = available + :q, reserved = reserved - :q,"
            + " version = version + :one, originRegion = :origin REMOVE holds.#order")
        .conditionExpression("holds.#order = :q")
        .expressionAttributeNames(Map.of("#order", orderId.value()))
        .expressionAttributeValues(Map.of(":q", n(units), ":one", n(1), ":origin", s(writerRegion)))
        .build();
  }
}
