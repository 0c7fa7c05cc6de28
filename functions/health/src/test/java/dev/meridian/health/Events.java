package dev.meridian.health;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The sample events in the repository's top-level {@code events/} folder (the ones {@code sam local
 * invoke -e} takes), as the Lambda runtime hands them over, and a fake context.
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

  /** {@code events/} at the repository root: the module's basedir is {@code functions/health}. */
  static Path directory() {
    Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path events = dir.resolve("events");
      if (Files.isDirectory(events) && Files.isRegularFile(dir.resolve("openapi.yaml"))) {
        return events;
      }
    }
    throw new IllegalStateException("no events/ folder next to an openapi.yaml above " + start);
  }

  /** {@code events/<name>}, freshly parsed. */
  static Map<String, Object> load(String name) {
    Path file = directory().resolve(name);
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

  static Context context() {
    String requestId = UUID.randomUUID().toString();
    return new Context() {
      @Override
      public String getAwsRequestId() {
        return requestId;
      }

      @Override
      public String getLogGroupName() {
        return "/aws/lambda/meridian-health";
      }

      @Override
      public String getLogStreamName() {
        return "2025/11/26/[$LATEST]0123456789abcdef";
      }

      @Override
      public String getFunctionName() {
        return "meridian-health";
      }

      @Override
      public String getFunctionVersion() {
        return "$LATEST";
      }

      @Override
      public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:meridian-health";
      }

      @Override
      public CognitoIdentity getIdentity() {
        return null;
      }

      @Override
      public ClientContext getClientContext() {
        return null;
      }

      @Override
      public int getRemainingTimeInMillis() {
        return 10_000;
      }

      @Override
      public int getMemoryLimitInMB() {
        return 512;
      }

      @Override
      public LambdaLogger getLogger() {
        return new LambdaLogger() {
          @Override
          public void log(String message) {
            System.err.print(message);
          }

          @Override
          public void log(byte[] message) {
            System.err.print(new String(message, StandardCharsets.UTF_8));
          }
        };
      }
    };
  }
}
