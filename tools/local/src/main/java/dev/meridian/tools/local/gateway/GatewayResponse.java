package dev.meridian.tools.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the gateway answers: status, headers (lower-case names, each with its values in order,
 * e.g. several {@code set-cookie}), body.
 */
public record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public GatewayResponse {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? new byte[0] : body;
  }

  /** API Gateway's own answer: {@code {"message":"..."}} as {@code application/json}. */
  public static GatewayResponse message(int status, String message) {
    ObjectNode node = JSON.createObjectNode().put("message", message);
    return json(status, "application/json", node);
  }

  static GatewayResponse json(int status, String contentType, ObjectNode node) {
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("content-type", List.of(contentType));
      return new GatewayResponse(status, headers, JSON.writeValueAsBytes(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** This response with one more header value. */
  public GatewayResponse withHeader(String name, String value) {
    Map<String, List<String>> copy = new LinkedHashMap<>(headers);
    List<String> values = new ArrayList<>(copy.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    values.add(value);
    copy.put(name.toLowerCase(Locale.ROOT), values);
    return new GatewayResponse(status, copy, body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayResponse r && r.status == status && r.headers.equals(headers)
        && java.util.Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + headers.hashCode()) + java.util.Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "GatewayResponse[" + status + " " + headers + " " + bodyText() + "]";
  }
}
