package dev.meridian.testkit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A function's answer to an {@link HttpApiEvent}, read back from the Lambda response JSON
 * ({@code statusCode}, {@code headers}, {@code multiValueHeaders}, {@code body},
 * {@code isBase64Encoded}). Header names are case-insensitive; repeated values are joined with
 * {@code ", "}.
 */
public record HttpApiResponse(int status, Map<String, String> headers, String body) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Invokes {@code handler} with an event, as the Lambda runtime would, and reads its answer. */
  public static HttpApiResponse invoke(RequestStreamHandler handler, String functionName, String eventJson) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
          new LocalLambdaContext(functionName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(out.toByteArray());
  }

  public static HttpApiResponse parse(byte[] lambdaResponse) {
    JsonNode root;
    try {
      root = JSON.readTree(lambdaResponse);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a Lambda HTTP response: " + new String(lambdaResponse, StandardCharsets.UTF_8), e);
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    root.path("multiValueHeaders").properties().forEach(e -> {
      StringBuilder joined = new StringBuilder();
      e.getValue().forEach(v -> joined.append(joined.length() == 0 ? "" : ", ").append(v.asText()));
      headers.put(e.getKey(), joined.toString());
    });
    root.path("headers").properties().forEach(e -> headers.putIfAbsent(e.getKey(), e.getValue().asText()));
    String body = root.path("body").isNull() || root.path("body").isMissingNode() ? "" : root.path("body").asText();
    if (root.path("isBase64Encoded").asBoolean(false)) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return new HttpApiResponse(root.path("statusCode").asInt(), Collections.unmodifiableMap(headers), body);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The body parsed as JSON (an empty body is a missing node). */
  public JsonNode json() {
    try {
      return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("body is not JSON: " + body, e);
    }
  }
}
