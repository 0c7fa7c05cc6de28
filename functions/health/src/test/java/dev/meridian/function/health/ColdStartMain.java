package dev.meridian.function.health;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link ColdStartIT} on the unpacked Lambda zip: what the Lambda runtime
 * does on a cold start (construct the handler from the environment, invoke it), timed. Prints one
 * line: {@code COLD_START jvmToInitMs=.. initMs=.. firstMs=.. secondMs=.. status=..}.
 */
public final class ColdStartMain {
  private ColdStartMain() {}

  public static void main(String[] args) {
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    long t0 = System.nanoTime();
    Instant initStart = Instant.now();
    HealthHandler handler = new HealthHandler();
    long t1 = System.nanoTime();
    Map<String, Object> first = handler.handleRequest(event(), null);
    long t2 = System.nanoTime();
    Map<String, Object> second = handler.handleRequest(event(), null);
    long t3 = System.nanoTime();
    System.out.printf("COLD_START jvmToInitMs=%d initMs=%d firstMs=%d secondMs=%d status=%s secondStatus=%s%n",
        Duration.between(jvmStart, initStart).toMillis(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000, first.get("statusCode"), second.get("statusCode"));
    System.out.println("BODY " + first.get("body"));
  }

  private static Map<String, Object> event() {
    Map<String, Object> http = new HashMap<>();
    http.put("method", "GET");
    http.put("path", "/health");
    Map<String, Object> context = new HashMap<>();
    context.put("http", http);
    context.put("routeKey", "GET /health");
    Map<String, Object> event = new HashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", "GET /health");
    event.put("rawPath", "/health");
    event.put("requestContext", context);
    return event;
  }
}
