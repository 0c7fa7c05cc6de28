package dev.meridian.tools.local.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders JWT claims the way the HTTP API JWT authorizer hands them to a function in
 * {@code requestContext.authorizer.jwt.claims}: every value a string. Strings stay as they are;
 * numbers keep their JSON literal ({@code 1767225600}); booleans become {@code true}/{@code false};
 * an array becomes its elements rendered the same way, space-separated inside brackets
 * ({@code ["a","b"]} → {@code [a b]}, the form functions see for {@code cognito:groups} or an
 * array {@code aud}); an object becomes {@code map[k:v ...]} with its keys sorted; a {@code null}
 * claim is left out. (Arrays and scalars are what API Gateway is known to send; the object form
 * follows the same formatting rules and Meridian's tokens carry no object claims.)
 */
public final class ClaimStrings {

  private ClaimStrings() {}

  /** Every non-null member of a JWT payload, in payload order, rendered as a string. */
  public static Map<String, String> render(JsonNode payload) {
    Map<String, String> claims = new LinkedHashMap<>();
    if (payload == null || !payload.isObject()) {
      return claims;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = payload.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isNull() && !field.getValue().isMissingNode()) {
        claims.put(field.getKey(), render(field.getValue(), 0));
      }
    }
    return claims;
  }

  /** One claim value rendered as a string. */
  public static String renderValue(JsonNode value) {
    return render(value, 0);
  }

  private static String render(JsonNode value, int depth) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return depth == 0 ? "" : "<nil>";
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      // The literal as written: 1767225600 stays 1767225600 (no 1.7672256E9).
      return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.decimalValue().toPlainString();
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(render(item, depth + 1)));
      return "[" + String.join(" ", items) + "]";
    }
    if (value.isObject()) {
      Map<String, String> sorted = new TreeMap<>();
      value.fields().forEachRemaining(e -> sorted.put(e.getKey(), render(e.getValue(), depth + 1)));
      List<String> items = new ArrayList<>();
      sorted.forEach((k, v) -> items.add(k + ":" + v));
      return "map[" + String.join(" ", items) + "]";
    }
    return value.asText();
  }
}
