package dev.meridian.function.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.LocalLambdaContext;
import dev.meridian.testkit.SampleEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sample events in the repository's top-level {@code events/} folder (the ones {@code sam local
 * invoke -e} takes), as the Lambda runtime hands them over, and a Lambda context.
 */
final class Events {
  static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  /** {@code GET /health} as API Gateway (HTTP API, payload 2.0) sends it. */
  static Map<String, Object> getHealth() {
    return load("health-get-health.json");
  }

  /** The same event with another method and path. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> http(String method, String path) {
    Map<String, Object> event = load("health-get-health.json");
    event.put("rawPath", path);
    event.put("routeKey", "$default");
    Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
    context.put("routeKey", "$default");
    Map<String, Object> http = (Map<String, Object>) context.get("http");
    http.put("method", method);
    http.put("path", path);
    return event;
  }

  /** The EventBridge scheduled event of the heartbeat rule. */
  static Map<String, Object> scheduled() {
    return load("health-heartbeat-schedule.json");
  }

  /** {@code events/<name>}, freshly parsed. */
  static Map<String, Object> load(String name) {
    Path file = SampleEvent.directory().resolve(name);
    try (InputStream in = Files.newInputStream(file)) {
      return JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses a response body, failing the test if it is not well-formed JSON. */
  static JsonNode parse(Object body) {
    try {
      return JSON.readTree((String) body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** A Lambda context for the health function (shared's test-jar). */
  static Context context() {
    return new LocalLambdaContext("meridian-health");
  }
}
