package dev.meridian.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items in DynamoDB's typed JSON, as Lambda puts them in a stream record's {@code Keys}, {@code
 * NewImage} and {@code OldImage}: {@code {"pk":{"S":"ORDER#o-1"},"version":{"N":"3"}}}. Attributes in
 * name order, so the same item always writes the same bytes (the sample events are compared as text).
 */
public final class DynamoDbJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DynamoDbJson() {}

  public static ObjectNode item(Map<String, AttributeValue> item) {
    ObjectNode node = JSON.createObjectNode();
    new TreeMap<>(item).forEach((name, value) -> node.set(name, attributeValue(value)));
    return node;
  }

  /**
   * One value: {@code {"S":"x"}}, {@code {"N":"1"}}, {@code {"B":"<base64>"}}, {@code {"SS":[..]}},
   * {@code {"NS":[..]}}, {@code {"BS":[..]}}, {@code {"M":{..}}}, {@code {"L":[..]}}, {@code
   * {"BOOL":true}}, {@code {"NULL":true}}.
   */
  public static ObjectNode attributeValue(AttributeValue v) {
    ObjectNode node = JSON.createObjectNode();
    switch (v.type()) {
      case S -> node.put("S", v.s());
      case N -> node.put("N", v.n());
      case B -> node.put("B", base64(v.b()));
      case SS -> v.ss().forEach(node.putArray("SS")::add);
      case NS -> v.ns().forEach(node.putArray("NS")::add);
      case BS -> {
        ArrayNode bs = node.putArray("BS");
        v.bs().forEach(b -> bs.add(base64(b)));
      }
      case M -> node.set("M", item(v.m()));
      case L -> {
        ArrayNode list = node.putArray("L");
        v.l().forEach(e -> list.add(attributeValue(e)));
      }
      case BOOL -> node.put("BOOL", v.bool());
      case NUL -> node.put("NULL", true);
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute value type: " + v);
    }
    return node;
  }

  public static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }
}
