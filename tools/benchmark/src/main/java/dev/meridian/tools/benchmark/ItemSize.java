package dev.meridian.tools.benchmark;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against the 400 KB item limit and for write capacity: each
 * attribute name's UTF-8 length plus its value's size; a number is about one byte per two
 * significant digits plus one; a map or list costs 3 bytes plus 1 per element besides its contents.
 */
final class ItemSize {
  private ItemSize() {}

  static long of(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      bytes += utf8(attribute.getKey()) + of(attribute.getValue());
    }
    return bytes;
  }

  static long of(AttributeValue value) {
    if (value.s() != null) {
      return utf8(value.s());
    }
    if (value.n() != null) {
      String digits = new BigDecimal(value.n()).unscaledValue().abs().toString().replaceAll("0+$", "");
      return (Math.max(digits.length(), 1) + 1) / 2 + 1;
    }
    if (value.b() != null) {
      return value.b().asByteArray().length;
    }
    if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
      return 1;
    }
    if (value.hasM()) {
      long bytes = 3;
      for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
        bytes += 1 + utf8(entry.getKey()) + of(entry.getValue());
      }
      return bytes;
    }
    if (value.hasL()) {
      long bytes = 3;
      for (AttributeValue element : value.l()) {
        bytes += 1 + of(element);
      }
      return bytes;
    }
    if (value.hasSs()) {
      return value.ss().stream().mapToLong(ItemSize::utf8).sum();
    }
    if (value.hasNs()) {
      return value.ns().stream().mapToLong(n -> of(AttributeValue.fromN(n))).sum();
    }
    throw new IllegalArgumentException("an attribute value of no known type: " + value);
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
