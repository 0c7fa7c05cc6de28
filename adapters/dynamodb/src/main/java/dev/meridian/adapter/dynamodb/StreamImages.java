package dev.meridian.adapter.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB stream record's image as Lambda delivers it (DynamoDB's typed JSON,
 * {@code {"pk":{"S":"ORDER#o-1"},"version":{"N":"3"}}}) read into SDK attribute values, so the
 * publisher decodes stream images with the same {@link Items} codec the repositories use.
 */
public final class StreamImages {
  private StreamImages() {}

  /** @throws CorruptItemException when the image is not typed JSON */
  public static Map<String, AttributeValue> read(JsonNode image) {
    if (image == null || !image.isObject()) {
      throw new CorruptItemException("stream image is missing or not an object");
    }
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    image.fields().forEachRemaining(e -> item.put(e.getKey(), attribute(e.getKey(), e.getValue())));
    return item;
  }

  private static AttributeValue attribute(String name, JsonNode typed) {
    if (typed == null || !typed.isObject() || typed.size() != 1) {
      throw new CorruptItemException("attribute " + name + " is not typed JSON");
    }
    Map.Entry<String, JsonNode> only = typed.fields().next();
    JsonNode v = only.getValue();
    return switch (only.getKey()) {
      case "S" -> AttributeValue.fromS(v.asText());
      case "N" -> AttributeValue.fromN(v.asText());
      case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
      case "NULL" -> AttributeValue.fromNul(true);
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode(v.asText())));
      case "M" -> AttributeValue.fromM(read(v));
      case "L" -> {
        List<AttributeValue> values = new ArrayList<>();
        int i = 0;
        for (JsonNode element : v) {
          values.add(attribute(name + "[" + i++ + "]", element));
        }
        yield AttributeValue.fromL(values);
      }
      case "SS" -> AttributeValue.fromSs(texts(v));
      case "NS" -> AttributeValue.fromNs(texts(v));
      default -> throw new CorruptItemException("attribute " + name + " has unknown type " + only.getKey());
    };
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
