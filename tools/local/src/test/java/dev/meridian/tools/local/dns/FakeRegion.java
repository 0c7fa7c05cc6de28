package dev.meridian.tools.local.dns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one region's HTTP API on loopback: {@code /health} answers as told, {@code /echo...}
 * echoes the request, {@code /slow} answers after 3 s.
 */
final class FakeRegion implements AutoCloseable {
  enum Health {
    /** 200 {"status":"healthy"}. */
    HEALTHY,
    /** 200 {"status":"unhealthy"} (the health function's answer when its dependencies fail). */
    UNHEALTHY_BODY,
    /** 503 with the healthy body. */
    HTTP_503,
    /** Answers after 3 s (longer than Route 53's 2 s). */
    HANG
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  final String name;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(HealthCheckers.daemon("fake-region"));
  volatile Health health = Health.HEALTHY;
  final AtomicInteger healthProbes = new AtomicInteger();

  FakeRegion(String name) throws IOException {
    this.name = name;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/health", this::health);
    server.createContext("/echo", this::echo);
    server.createContext("/slow", ex -> {
      sleep(3000);
      send(ex, 200, "{\"slow\":true}");
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void health(HttpExchange ex) throws IOException {
    healthProbes.incrementAndGet();
    Health h = health;
    switch (h) {
      case HEALTHY -> send(ex, 200, "{\"status\":\"healthy\",\"region\":\"" + name + "\"}");
      case UNHEALTHY_BODY -> send(ex, 200, "{\"status\":\"unhealthy\",\"region\":\"" + name + "\",\"failing\":[\"dynamodb\"]}");
      case HTTP_503 -> send(ex, 503, "{\"status\":\"healthy\",\"region\":\"" + name + "\"}");
      case HANG -> {
        sleep(3000);
        send(ex, 200, "{\"status\":\"healthy\",\"region\":\"" + name + "\"}");
      }
    }
  }

  private void echo(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    ObjectNode n = JSON.createObjectNode();
    n.put("region", name);
    n.put("method", ex.getRequestMethod());
    n.put("path", ex.getRequestURI().getRawPath());
    n.put("query", ex.getRequestURI().getRawQuery());
    ObjectNode headers = n.putObject("headers");
    Map<String, List<String>> sorted = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> sorted.put(k.toLowerCase(Locale.ROOT), v));
    sorted.forEach((k, v) -> v.forEach(value -> headers.withArray(k).add(value)));
    n.put("body", new String(body, StandardCharsets.UTF_8));
    ex.getResponseHeaders().add("X-Upstream-Region", name);
    ex.getResponseHeaders().add("Set-Cookie", "a=1");
    ex.getResponseHeaders().add("Set-Cookie", "b=2");
    send(ex, ex.getRequestMethod().equals("POST") ? 201 : 200, JSON.writeValueAsString(n));
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    try {
      boolean noBody = bytes.length == 0 || ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, noBody ? -1 : bytes.length);
      if (noBody) {
        return;
      }
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    } catch (IOException closedByProber) {
      // a prober that gave up closed the connection
    } finally {
      ex.close();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops answering: connections are refused from now on. */
  void stop() {
    server.stop(0);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
