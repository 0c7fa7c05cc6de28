package dev.meridian.adapter.messaging.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item attributes as plain JSON and back: strings, numbers, booleans, maps and lists (the only
 * types Meridian's items use). An event's {@code state} is its item in this form, so an entity
 * has one field layout in the table, in the stream and on the bus.
 */
final class ItemJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ItemJson() {}

  static ObjectNode toJson(Map<String, AttributeValue> attributes) {
    ObjectNode node = NODES.objectNode();
    // Sorted: the same state always serializes to the same bytes.
    new TreeMap<>(attributes).forEach((name, value) -> node.set(name, toJson(value)));
    return node;
  }

  private static JsonNode toJson(AttributeValue value) {
    if (value.s() != null) {
      return NODES.textNode(value.s());
    }
    if (value.n() != null) {
      return NODES.numberNode(new BigDecimal(value.n()));
    }
    if (value.bool() != null) {
      return NODES.booleanNode(value.bool());
    }
    if (value.hasM()) {
      return toJson(value.m());
    }
    if (value.hasL()) {
      ArrayNode array = NODES.arrayNode();
      value.l().forEach(v -> array.add(toJson(v)));
      return array;
    }
    if (Boolean.TRUE.equals(value.nul())) {
      return NODES.nullNode();
    }
    throw new IllegalArgumentException("attribute type " + value.type() + " has no JSON form here");
  }

  /** @throws IllegalArgumentException when {@code node} is not an object */
  static Map<String, AttributeValue> fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("state is not a JSON object");
    }
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> attributes.put(e.getKey(), attribute(e.getValue())));
    return attributes;
  }

  private static AttributeValue attribute(JsonNode node) {
    if (node.isTextual()) {
      return AttributeValue.fromS(node.textValue());
    }
    if (node.isNumber()) {
      return AttributeValue.fromN(node.decimalValue().toPlainString());
    }
    if (node.isBoolean()) {
      return AttributeValue.fromBool(node.booleanValue());
    }
    if (node.isObject()) {
      return AttributeValue.fromM(fromJson(node));
    }
    if (node.isArray()) {
      List<AttributeValue> values = new ArrayList<>();
      node.forEach(v -> values.add(attribute(v)));
      return AttributeValue.fromL(values);
    }
    return AttributeValue.fromNul(true);
  }
}
