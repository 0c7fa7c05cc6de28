package dev.meridian.tools.local.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The local stack's control API on loopback:
 * <pre>
 *   GET  /status
 *   POST /regions/{region}/fail?mode=refuse|blackhole
 *   POST /regions/{region}/recover
 *   POST /links/{a}/{b}/partition[?links=all|replication|events]
 *   POST /links/{a}/{b}/heal[?links=all|replication|events]
 *   POST /links/{a}/{b}/delay?ms=N
 *   POST /regions/{region}/kill-switch?engaged=true|false
 *   POST /regions/{region}/promote
 *   POST /regions/{region}/stall-dynamodb?on=true|false
 *   POST /regions/{region}/functions/{function}/recycle
 *   POST /regions/{region}/functions/{function}/timeout?seconds=N|default
 *   POST /regions/{region}/experiments/{experiment}/start|stop   (deploy/faults.yaml, FisExperiments)
 * </pre>
 * Errors answer {@code application/problem+json}.
 */
public final class ControlApi implements AutoCloseable {
  /** Status snapshots hold Duration, Instant and Path: written as text (PT1.5S, ISO-8601, the path). */
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule("control-api-text")
          .addSerializer(Duration.class, ToStringSerializer.instance)
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(Path.class, ToStringSerializer.instance));

  private final HttpServer server;
  private final StackControl control;

  public ControlApi(int port, StackControl control) throws IOException {
    this.control = control;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "control-api");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      try {
        Object body = route(method, path, query);
        if (body == null) {
          problem(exchange, 404, "Not Found", "no control verb at " + method + " " + exchange.getRequestURI().getPath());
        } else {
          send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
        }
      } catch (IllegalArgumentException e) {
        problem(exchange, 400, "Bad Request", e.getMessage());
      } catch (JsonProcessingException | RuntimeException | LinkageError e) {
        problem(exchange, 500, "Internal Server Error", String.valueOf(e));
      }
    }
  }

  private static StackControl.Links links(Map<String, String> q) {
    String value = q.getOrDefault("links", "all");
    try {
      return StackControl.Links.valueOf(value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("links must be all, replication or events, not " + value);
    }
  }

  private Object route(String method, String[] p, Map<String, String> q) {
    if (method.equals("GET") && p.length == 1 && p[0].equals("status")) {
      return control.status();
    }
    if (!method.equals("POST")) {
      return null;
    }
    if (p.length == 3 && p[0].equals("regions")) {
      String region = p[1];
      switch (p[2]) {
        case "fail" -> {
          control.fail(region, StackControl.FailMode.valueOf(q.getOrDefault("mode", "refuse").toUpperCase()));
          return done("failed " + region);
        }
        case "recover" -> {
          control.recover(region);
          return done("recovered " + region);
        }
        case "kill-switch" -> {
          return control.killSwitch(region, Boolean.parseBoolean(required(q, "engaged")));
        }
        case "promote" -> {
          return control.promote(region);
        }
        case "stall-dynamodb" -> {
          boolean on = parseBoolean(required(q, "on"), "on");
          control.stallDynamoDb(region, on);
          return done((on ? "stalled" : "resumed") + " DynamoDB of " + region);
        }
        default -> {
          return null;
        }
      }
    }
    if (p.length == 5 && p[0].equals("regions") && p[2].equals("experiments")) {
      switch (p[4]) {
        case "start" -> {
          return control.startExperiment(p[1], p[3]);
        }
        case "stop" -> {
          return control.stopExperiment(p[1], p[3]);
        }
        default -> {
          return null;
        }
      }
    }
    if (p.length == 5 && p[0].equals("regions") && p[2].equals("functions")) {
      switch (p[4]) {
        case "recycle" -> {
          return control.recycleFunction(p[1], p[3]);
        }
        case "timeout" -> {
          String seconds = required(q, "seconds");
          return control.setFunctionTimeout(p[1], p[3], seconds.equals("default") ? null : parseSeconds(seconds));
        }
        default -> {
          return null;
        }
      }
    }
    if (p.length == 4 && p[0].equals("links")) {
      String a = p[1];
      String b = p[2];
      switch (p[3]) {
        case "partition" -> {
          StackControl.Links links = links(q);
          control.partition(a, b, links);
          return done("partitioned " + a + " | " + b + " (" + links.name().toLowerCase() + ")");
        }
        case "heal" -> {
          StackControl.Links links = links(q);
          control.heal(a, b, links);
          return done("healed " + a + " - " + b + " (" + links.name().toLowerCase() + ")");
        }
        case "delay" -> {
          long ms = Long.parseLong(required(q, "ms"));
          if (ms < 0 || ms > 60_000) {
            throw new IllegalArgumentException("ms must be between 0 and 60000");
          }
          control.delay(a, b, Duration.ofMillis(ms));
          return done("delay " + a + " <-> " + b + " = " + ms + " ms one way");
        }
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  private static boolean parseBoolean(String value, String name) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, not " + value);
    }
    return Boolean.parseBoolean(value);
  }

  private static int parseSeconds(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("seconds must be a whole number of seconds or 'default', not " + value);
    }
  }

  private static Map<String, Object> done(String what) {
    return Map.of("ok", true, "did", what);
  }

  private static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null) {
      throw new IllegalArgumentException("query parameter " + name + " is required");
    }
    return value;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
