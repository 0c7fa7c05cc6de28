package dev.meridian.tools.local.dns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

/**
 * Forwards one request to the region the DNS answer named, as a client that resolved the name
 * would have sent it there itself: same method, path, query (minus the stand-in's
 * {@code location} parameter), headers (minus hop-by-hop ones and those the HTTP client sets
 * itself: Host, Content-Length, Expect) and body; the answer comes back streamed, with
 * {@code X-Meridian-Region} added.
 *
 * <p><b>No retry elsewhere.</b> When the chosen region refuses the connection (502) or does not
 * answer within the timeout (504), the proxy reports it and stops: a real client that resolved the
 * name keeps using its cached answer until the TTL runs out, and sees exactly these failures
 * until Route 53's health checks (and then its cache) move it. Retrying in another region here
 * would hide the detection time the local stack exists to show.
 */
final class ReverseProxy {
  /** RFC 9110 §7.6.1 connection-specific headers, never forwarded. */
  static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
  /** Set by the HTTP client (and refused by it when given). */
  private static final Set<String> CLIENT_MANAGED = Set.of("host", "content-length", "expect");

  private final HttpClient client;
  private final Duration timeout;
  private final int maxBodyBytes;

  ReverseProxy(ExecutorService executor, Duration timeout, int maxBodyBytes) {
    this.timeout = timeout;
    this.maxBodyBytes = maxBodyBytes;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
  }

  /** Forwards the exchange to {@code base} (the chosen region's API) and answers it. */
  void forward(HttpExchange exchange, String region, URI base, String query) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(maxBodyBytes + 1);
    }
    if (body.length > maxBodyBytes) {
      send(exchange, region, 413, Json.problem("payload-too-large", "Payload Too Large", 413,
          "request bodies above " + maxBodyBytes + " bytes are not forwarded"));
      return;
    }
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    String path = exchange.getRequestURI().getRawPath();
    URI target = URI.create(b + (path == null || path.isEmpty() ? "/" : path)
        + (query == null || query.isEmpty() ? "" : "?" + query));
    String method = exchange.getRequestMethod();
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    Set<String> skip = skipped(exchange.getRequestHeaders());
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      if (skip.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : h.getValue()) {
        try {
          request.header(h.getKey(), value);
        } catch (IllegalArgumentException restricted) {
          // a header the JDK client refuses to send; a browser would not send it either
        }
      }
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      send(exchange, region, 504, Json.problem("region-timeout", "Gateway Timeout", 504,
          region + " (" + base + ") did not answer within " + timeout.toMillis() + " ms; the stand-in does not retry"
              + " in another region: a client keeps its cached DNS answer until the TTL expires"));
      return;
    } catch (ConnectException e) {
      send(exchange, region, 502, Json.problem("region-unreachable", "Bad Gateway", 502,
          region + " (" + base + ") refused the connection; the stand-in does not retry in another region: a client"
              + " keeps its cached DNS answer until the TTL expires"));
      return;
    } catch (IOException e) {
      send(exchange, region, 502, Json.problem("region-unreachable", "Bad Gateway", 502,
          region + " (" + base + ") failed: " + HealthProbe.describe(e)));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, region, 502, Json.problem("region-unreachable", "Bad Gateway", 502, "interrupted"));
      return;
    }
    try (InputStream upstream = response.body()) {
      Headers out = exchange.getResponseHeaders();
      Set<String> drop = new TreeSet<>(HOP_BY_HOP);
      drop.add("content-length");
      response.headers().allValues("connection").forEach(v -> addTokens(v, drop));
      response.headers().map().forEach((name, values) -> {
        if (!drop.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
          out.put(name, List.copyOf(values));
        }
      });
      out.set(Route53StandIn.REGION_HEADER, region);
      int status = response.statusCode();
      long length;
      if (method.equalsIgnoreCase("HEAD") || status < 200 || status == 204 || status == 304) {
        length = -1;
      } else {
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        length = declared == 0 ? -1 : declared < 0 ? 0 : declared;
      }
      exchange.sendResponseHeaders(status, length);
      if (length != -1) {
        try (OutputStream os = exchange.getResponseBody()) {
          upstream.transferTo(os);
        }
      }
    } finally {
      exchange.close();
    }
  }

  private static Set<String> skipped(Headers headers) {
    Set<String> skip = new TreeSet<>(HOP_BY_HOP);
    skip.addAll(CLIENT_MANAGED);
    List<String> connection = headers.get("Connection");
    if (connection != null) {
      connection.forEach(v -> addTokens(v, skip));
    }
    return skip;
  }

  private static void addTokens(String value, Set<String> into) {
    for (String token : value.split(",")) {
      if (!token.isBlank()) {
        into.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
  }

  static void send(HttpExchange exchange, String region, int status, ObjectNode problem) throws IOException {
    byte[] bytes = Json.bytes(problem);
    if (region != null) {
      exchange.getResponseHeaders().set(Route53StandIn.REGION_HEADER, region);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    } finally {
      exchange.close();
    }
  }
}
