package dev.meridian.adapter.dynamodb;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small, total conversions between Java values and DynamoDB attribute values. */
final class Attr {
  private Attr() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static AttributeValue bool(boolean value) {
    return AttributeValue.fromBool(value);
  }

  static AttributeValue m(Map<String, AttributeValue> value) {
    return AttributeValue.fromM(value);
  }

  static AttributeValue l(List<AttributeValue> value) {
    return AttributeValue.fromL(value);
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new CorruptItemException("attribute " + name + " is missing or not a string");
    }
    return v.s();
  }

  static String optionalStr(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.s() == null ? null : v.s();
  }

  static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new CorruptItemException("attribute " + name + " is missing or not a number");
    }
    return Long.parseLong(v.n());
  }

  static boolean boolOf(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.bool() == null) {
      throw new CorruptItemException("attribute " + name + " is missing or not a boolean");
    }
    return v.bool();
  }

  /** A map attribute; absent reads as empty (older items), any other type is corrupt. */
  static Map<String, AttributeValue> map(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null) {
      return Map.of();
    }
    if (!v.hasM()) {
      throw new CorruptItemException("attribute " + name + " is not a map");
    }
    return v.m();
  }

  /** A list attribute; absent reads as empty, any other type is corrupt. */
  static List<AttributeValue> list(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null) {
      return List.of();
    }
    if (!v.hasL()) {
      throw new CorruptItemException("attribute " + name + " is not a list");
    }
    return v.l();
  }
}
