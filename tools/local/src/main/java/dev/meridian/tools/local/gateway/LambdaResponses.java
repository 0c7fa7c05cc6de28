package dev.meridian.tools.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.lambda.Invoker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a function returned into the HTTP answer, by the payload format 2.0 response rules:
 *
 * <ul>
 *   <li>a JSON object with {@code statusCode} is a structured response: {@code statusCode}
 *       (an integer 100-599), {@code headers} (name → scalar; a
 *       {@code multiValueHeaders} field belongs to payload 1.0 and is ignored), {@code cookies} (each one a {@code set-cookie} header), {@code body}
 *       (a string, base64 when {@code isBase64Encoded} is true);
 *   <li>any other valid JSON is the body of a 200 {@code application/json} answer;
 *   <li>a payload that is not JSON, or a structured response of the wrong shape, is 500
 *       {@code {"message":"Internal Server Error"}}, as is every error Lambda reports for the
 *       invocation: a handler error, a function that ran past its own timeout ({@code Task timed
 *       out after ...}) and a runtime that crashed. Lambda answers all three as a function error
 *       ({@code X-Amz-Function-Error: Unhandled}), and an HTTP API turns a function error into 500.
 * </ul>
 * 503 {@code {"message":"Service Unavailable"}} is the HTTP API's answer when the integration
 * itself runs past its 30 s timeout, which {@link HttpApiHandler} enforces, not this class.
 */
public final class LambdaResponses {

  public static final String INTERNAL_SERVER_ERROR = "Internal Server Error";
  public static final String SERVICE_UNAVAILABLE = "Service Unavailable";

  /** Headers the gateway owns on the wire; a function's values for them are dropped. */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "date", "apigw-requestid");

  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaResponses() {}

  /**
   * The answer and, when the integration failed, why (for the access log's
   * {@code integrationError}; null on success).
   */
  public record Mapped(GatewayResponse response, String integrationError) {}

  /** The answer for one invocation's outcome. */
  public static Mapped map(Invoker.InvokeResult result) {
    return switch (result.status()) {
      case SUCCESS -> fromPayload(result.payload());
      case FUNCTION_ERROR -> new Mapped(GatewayResponse.message(500, INTERNAL_SERVER_ERROR),
          "function error: " + describeError(result.payload()));
      case TIMEOUT -> new Mapped(GatewayResponse.message(500, INTERNAL_SERVER_ERROR),
          "function timed out after " + result.duration().toMillis() + " ms");
      case RUNTIME_ERROR -> new Mapped(GatewayResponse.message(500, INTERNAL_SERVER_ERROR),
          "runtime error: " + describeError(result.payload()));
      // A throttled Lambda is one more integration failure to an HTTP API: 500, never Lambda's 429
      // (AWS knowledge center "api-gateway-internal-server-error"; see tools/local/README.md).
      case THROTTLED -> new Mapped(GatewayResponse.message(500, INTERNAL_SERVER_ERROR),
          "Lambda throttled: " + describeError(result.payload()));
    };
  }

  /** The answer for a successful invocation's payload. */
  public static Mapped fromPayload(byte[] payload) {
    JsonNode root;
    try {
      root = payload == null || payload.length == 0 ? null : JSON.readTree(payload);
    } catch (IOException e) {
      return malformed("the function's response is not JSON");
    }
    if (root == null || root.isMissingNode()) {
      return malformed("the function returned an empty response");
    }
    if (!root.isObject() || !root.has("statusCode")) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("content-type", List.of("application/json"));
      return new Mapped(new GatewayResponse(200, headers, payload), null);
    }
    try {
      return new Mapped(structured(root), null);
    } catch (IllegalArgumentException e) {
      return malformed(e.getMessage());
    }
  }

  private static GatewayResponse structured(JsonNode root) {
    JsonNode statusNode = root.get("statusCode");
    if (!statusNode.isIntegralNumber() || statusNode.intValue() < 100 || statusNode.intValue() > 599) {
      throw new IllegalArgumentException("statusCode is not an HTTP status: " + statusNode);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    JsonNode single = root.get("headers");
    if (single != null && !single.isNull()) {
      if (!single.isObject()) {
        throw new IllegalArgumentException("headers is not an object");
      }
      forEachField(single, (name, value) -> {
        if (!value.isNull()) {
          add(headers, name, scalar(value, "headers." + name));
        }
      });
    }
    // Payload 2.0 has no multiValueHeaders: API Gateway ignores the field (a function that sends
    // both would otherwise answer every header twice), so the gateway does too.
    JsonNode cookies = root.get("cookies");
    if (cookies != null && !cookies.isNull()) {
      if (!cookies.isArray()) {
        throw new IllegalArgumentException("cookies is not an array");
      }
      cookies.forEach(cookie -> add(headers, "set-cookie", scalar(cookie, "cookies[]")));
    }
    JsonNode bodyNode = root.get("body");
    byte[] body;
    if (bodyNode == null || bodyNode.isNull()) {
      body = new byte[0];
    } else if (bodyNode.isTextual()) {
      JsonNode base64 = root.get("isBase64Encoded");
      if (base64 != null && !base64.isNull() && !base64.isBoolean()) {
        throw new IllegalArgumentException("isBase64Encoded is not a boolean");
      }
      if (base64 != null && base64.asBoolean()) {
        try {
          body = Base64.getDecoder().decode(bodyNode.textValue().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("body is not base64 although isBase64Encoded is true");
        }
      } else {
        body = bodyNode.textValue().getBytes(StandardCharsets.UTF_8);
      }
    } else {
      throw new IllegalArgumentException("body is not a string");
    }
    return new GatewayResponse(statusNode.intValue(), headers, body);
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (HOP_BY_HOP.contains(lower) || lower.isBlank()) {
      return;
    }
    headers.computeIfAbsent(lower, k -> new ArrayList<>()).add(value);
  }

  private static String scalar(JsonNode value, String where) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw new IllegalArgumentException(where + " is not a string");
  }

  private interface FieldConsumer {
    void accept(String name, JsonNode value);
  }

  private static void forEachField(JsonNode object, FieldConsumer consumer) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      consumer.accept(field.getKey(), field.getValue());
    }
  }

  private static Mapped malformed(String why) {
    return new Mapped(GatewayResponse.message(500, INTERNAL_SERVER_ERROR), "malformed Lambda proxy response: " + why);
  }

  private static String describeError(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return "-";
    }
    try {
      JsonNode node = JSON.readTree(payload);
      if (node != null && node.isObject()) {
        String type = node.path("errorType").asText("");
        String message = node.path("errorMessage").asText("");
        if (!type.isEmpty() || !message.isEmpty()) {
          return type.isEmpty() ? message : type + ": " + message;
        }
      }
    } catch (IOException e) {
      // fall through: raw text
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
