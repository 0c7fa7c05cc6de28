package dev.meridian.tools.local.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.replication.RegionLatency;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Route 53 stand-in against three fake regional APIs on loopback, at timeFactor 0.1: the
 * template's 10 s interval becomes 1 s, FailureThreshold 3 gives a 3 s detection bound.
 */
class Route53StandInIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double FACTOR = 0.1;
  private static final long INTERVAL_MS = 1000; // 10 s × 0.1
  private static final int THRESHOLD = 3;
  private static final long BOUND_MS = INTERVAL_MS * THRESHOLD;
  private static final long SLACK_MS = 750;
  /** A failure is seen once every checker had THRESHOLD failures: never before (THRESHOLD − 1) intervals. */
  private static final long EARLIEST_MS = INTERVAL_MS * (THRESHOLD - 1) - 100;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, FakeRegion> regions = new LinkedHashMap<>();
  private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private Route53StandIn dns;

  @BeforeEach
  void regions() throws Exception {
    for (String r : List.of("us-east-1", "eu-west-1", "ap-southeast-1")) {
      regions.put(r, new FakeRegion(r));
    }
  }

  @AfterEach
  void close() {
    if (dns != null) {
      dns.close();
    }
    regions.values().forEach(FakeRegion::close);
  }

  private Map<String, URI> urls() {
    Map<String, URI> m = new LinkedHashMap<>();
    regions.forEach((k, v) -> m.put(k, v.url()));
    return m;
  }

  private Route53StandIn start(RoutingMode mode, Map<String, DnsSpec> specs, Route53StandIn.Options options) {
    dns = new Route53StandIn(mode, specs, urls(), RegionLatency.defaults(), FACTOR, options, line -> {
      log.add(line);
      System.out.println("[Route53StandInIT] " + line);
    }).start();
    return dns;
  }

  private Route53StandIn activeActive() {
    return start(RoutingMode.ACTIVE_ACTIVE, DnsFixtures.latencies("us-east-1", "eu-west-1", "ap-southeast-1"),
        Route53StandIn.Options.defaults());
  }

  private JsonNode answer(String location) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(dns.url().resolve("/dns?location=" + location)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private String answered(String location) throws Exception {
    return answer(location).get("region").asText();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(dns.url().resolve(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Polls every 20 ms until {@code answer} gives {@code expected}; returns the elapsed milliseconds. */
  private static long millisUntil(Supplier<String> answer, String expected, long maxMillis) throws Exception {
    long t0 = System.nanoTime();
    while (true) {
      long elapsed = (System.nanoTime() - t0) / 1_000_000;
      if (expected.equals(answer.get())) {
        return elapsed;
      }
      if (elapsed > maxMillis) {
        throw new AssertionError("still not " + expected + " after " + elapsed + " ms");
      }
      Thread.sleep(20);
    }
  }

  private Supplier<String> dnsFor(String location) {
    return () -> {
      try {
        return answered(location);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Milliseconds from {@code since} to the region's latest transition to {@code healthy}. */
  private long transitionMillis(String region, boolean healthy, Instant since) {
    HealthCheckers.Transition t = dns.healthCheckers().regionTransitions().stream()
        .filter(x -> x.region().equals(region) && x.healthy() == healthy && !x.at().isBefore(since))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no transition of " + region));
    return Duration.between(since, t.at()).toMillis();
  }

  /** Lets every checker probe at least once, so failures start from a steady state. */
  private static void steady() throws InterruptedException {
    Thread.sleep(INTERVAL_MS + 200);
  }

  @Test
  void latencyRoutingByLocationOnDnsAndProxy() throws Exception {
    activeActive();
    assertThat(answered("dublin")).isEqualTo("eu-west-1");
    assertThat(answered("virginia")).isEqualTo("us-east-1");
    assertThat(answered("singapore")).isEqualTo("ap-southeast-1");
    assertThat(answered("frankfurt")).isEqualTo("eu-west-1");
    assertThat(answered("tokyo")).isEqualTo("ap-southeast-1");
    assertThat(answered("oregon")).isEqualTo("us-east-1");
    JsonNode a = answer("dublin");
    assertThat(a.get("url").asText()).isEqualTo(regions.get("eu-west-1").url().toString());
    assertThat(a.get("ttlSeconds").asInt()).isEqualTo(6);

    for (Map.Entry<String, String> e : Map.of("dublin", "eu-west-1", "virginia", "us-east-1",
        "singapore", "ap-southeast-1").entrySet()) {
      HttpResponse<String> r = get("/echo/ping?location=" + e.getKey() + "&n=1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Meridian-Region")).contains(e.getValue());
      JsonNode echo = JSON.readTree(r.body());
      assertThat(echo.get("region").asText()).isEqualTo(e.getValue());
      assertThat(echo.get("query").asText()).isEqualTo("n=1");
    }
    // no location: us-east-1's view
    assertThat(get("/echo").headers().firstValue("X-Meridian-Region")).contains("us-east-1");
  }

  @Test
  void unhealthyRegionIsDetectedWithinTheBoundAndTrafficMovesThenReturns() throws Exception {
    activeActive();
    steady();
    assertThat(answered("dublin")).isEqualTo("eu-west-1");

    Instant injected = Instant.now();
    regions.get("eu-west-1").health = FakeRegion.Health.UNHEALTHY_BODY;
    long detected = millisUntil(dnsFor("dublin"), "us-east-1", 10_000);
    long byTransition = transitionMillis("eu-west-1", false, injected);
    long allowed = BOUND_MS + INTERVAL_MS + SLACK_MS;
    System.out.printf("[Route53StandInIT] eu-west-1 answering {\"status\":\"unhealthy\"}: DNS moved dublin → us-east-1 "
        + "after %d ms (region transition at +%d ms); bound interval × threshold × factor = %d ms, allowed %d–%d ms%n",
        detected, byTransition, BOUND_MS, EARLIEST_MS, allowed);
    assertThat(detected).isBetween(EARLIEST_MS, allowed);
    assertThat(byTransition).isBetween(EARLIEST_MS, allowed);

    HttpResponse<String> proxied = get("/echo?location=dublin");
    assertThat(proxied.headers().firstValue("X-Meridian-Region")).contains("us-east-1");
    assertThat(JSON.readTree(proxied.body()).get("region").asText()).isEqualTo("us-east-1");
    assertThat(answer("dublin").get("reason").asText()).contains("skipped unhealthy eu-west-1");

    JsonNode status = JSON.readTree(get("/route53/status").body());
    JsonNode eu = status.get("regions").get("eu-west-1");
    assertThat(eu.get("healthy").asBoolean()).isFalse();
    assertThat(eu.get("healthyCheckers").asInt()).isZero();
    assertThat(eu.get("checkerStatus")).hasSize(3).allSatisfy(c -> {
      assertThat(c.get("healthy").asBoolean()).isFalse();
      assertThat(c.get("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(THRESHOLD);
      assertThat(c.get("lastStatusCode").asInt()).isEqualTo(200);
      assertThat(c.get("lastError").asText()).contains("not in the first 5120 bytes");
    });
    assertThat(status.get("transitions").toString()).contains("\"region\":\"eu-west-1\",\"checker\":null,\"healthy\":false");

    Instant recovered = Instant.now();
    regions.get("eu-west-1").health = FakeRegion.Health.HEALTHY;
    long back = millisUntil(dnsFor("dublin"), "eu-west-1", 10_000);
    System.out.printf("[Route53StandInIT] eu-west-1 healthy again: DNS back to eu-west-1 after %d ms (transition at +%d ms)%n",
        back, transitionMillis("eu-west-1", true, recovered));
    assertThat(back).isBetween(EARLIEST_MS, allowed);
    assertThat(get("/echo?location=dublin").headers().firstValue("X-Meridian-Region")).contains("eu-west-1");
  }

  @Test
  void stoppedRegionGives502UntilDetectedThenTheNextLowestLatencyRegion() throws Exception {
    activeActive();
    steady();
    Instant stopped = Instant.now();
    regions.get("ap-southeast-1").stop();
    // the cached answer still names ap-southeast-1: the proxy reports the refusal, it does not retry elsewhere
    HttpResponse<String> refused = get("/echo?location=singapore");
    assertThat(refused.statusCode()).isEqualTo(502);
    assertThat(refused.headers().firstValue("X-Meridian-Region")).contains("ap-southeast-1");
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");

    // from ap-southeast-1, us-east-1 (216.7 ms) is closer than eu-west-1 (238.1 ms)
    long detected = millisUntil(dnsFor("singapore"), "us-east-1", 10_000);
    long allowed = BOUND_MS + INTERVAL_MS + SLACK_MS;
    System.out.printf("[Route53StandInIT] ap-southeast-1 stopped (connection refused): DNS moved singapore → us-east-1 "
        + "after %d ms (region transition at +%d ms); allowed %d–%d ms%n", detected,
        transitionMillis("ap-southeast-1", false, stopped), EARLIEST_MS, allowed);
    assertThat(detected).isBetween(EARLIEST_MS, allowed);
    HttpResponse<String> moved = get("/echo?location=singapore");
    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(moved.headers().firstValue("X-Meridian-Region")).contains("us-east-1");
    assertThat(JSON.readTree(get("/route53/status").body()).get("regions").get("ap-southeast-1").get("checkerStatus")
        .get(0).get("lastError").asText()).isEqualTo("connection refused");
  }

  @Test
  void healthEndpointThatHangsThreeSecondsFailsOnTheTwoSecondTimeout() throws Exception {
    activeActive();
    steady();
    Instant hung = Instant.now();
    regions.get("eu-west-1").health = FakeRegion.Health.HANG;
    long detected = millisUntil(dnsFor("dublin"), "us-east-1", 15_000);
    long timeout = HealthCheckers.PROBE_TIMEOUT.toMillis();
    long allowed = BOUND_MS + INTERVAL_MS + timeout + SLACK_MS;
    System.out.printf("[Route53StandInIT] eu-west-1 /health hanging 3 s: DNS moved dublin → us-east-1 after %d ms "
        + "(transition at +%d ms); allowed %d–%d ms (bound + interval + 2 s probe timeout)%n", detected,
        transitionMillis("eu-west-1", false, hung), EARLIEST_MS + timeout, allowed);
    assertThat(detected).isBetween(EARLIEST_MS + timeout, allowed);
    HealthCheckers.RegionHealth eu = dns.healthCheckers().health("eu-west-1");
    assertThat(eu.healthy()).isFalse();
    assertThat(eu.checkerStatus()).allSatisfy(c -> {
      assertThat(c.lastError()).isEqualTo("timed out after 2000 ms");
      assertThat(c.lastLatencyMillis()).isBetween(timeout - 50, timeout + 500);
    });
  }

  @Test
  void proxyPreservesMethodPathQueryHeadersAndBodyAndAddsTheRegion() throws Exception {
    activeActive();
    String body = "{\"customerId\":\"c-1\",\"lines\":[{\"productId\":\"p-1\",\"quantity\":2}]}";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            dns.url().resolve("/echo/orders?x=1&location=dublin&y=a%20b"))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", "k-42")
        .header("Authorization", "Bearer abc")
        .header("X-Multi", "one")
        .header("X-Multi", "two")
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("X-Meridian-Region")).contains("eu-west-1");
    assertThat(r.headers().firstValue("X-Upstream-Region")).contains("eu-west-1");
    assertThat(r.headers().allValues("Set-Cookie")).containsExactlyInAnyOrder("a=1", "b=2");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("path").asText()).isEqualTo("/echo/orders");
    assertThat(echo.get("query").asText()).isEqualTo("x=1&y=a%20b");
    assertThat(echo.get("body").asText()).isEqualTo(body);
    JsonNode h = echo.get("headers");
    assertThat(h.get("idempotency-key").get(0).asText()).isEqualTo("k-42");
    assertThat(h.get("authorization").get(0).asText()).isEqualTo("Bearer abc");
    assertThat(h.get("content-type").get(0).asText()).isEqualTo("application/json");
    assertThat(h.get("x-multi").toString()).contains("one", "two");
    assertThat(h.get("content-length").get(0).asText()).isEqualTo(String.valueOf(body.length()));

    for (String method : List.of("PUT", "DELETE", "PATCH")) {
      HttpResponse<String> m = http.send(HttpRequest.newBuilder(dns.url().resolve("/echo/x"))
          .header("X-Client-Location", "tokyo")
          .method(method, HttpRequest.BodyPublishers.ofString(method.equals("DELETE") ? "" : "b-" + method))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(m.headers().firstValue("X-Meridian-Region")).contains("ap-southeast-1");
      JsonNode e = JSON.readTree(m.body());
      assertThat(e.get("method").asText()).isEqualTo(method);
      assertThat(e.get("body").asText()).isEqualTo(method.equals("DELETE") ? "" : "b-" + method);
      assertThat(e.get("headers").get("x-client-location").get(0).asText()).isEqualTo("tokyo");
    }

    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(dns.url().resolve("/echo"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("X-Meridian-Region")).contains("us-east-1");
  }

  @Test
  void hopByHopHeadersAreNotForwarded() throws Exception {
    activeActive();
    try (Socket s = new Socket("127.0.0.1", dns.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /echo?location=dublin HTTP/1.1\r\nHost: api.example.com\r\nConnection: close, X-Drop-Me\r\n"
          + "Keep-Alive: timeout=5\r\nX-Drop-Me: secret\r\nX-Keep-Me: kept\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String statusLine = in.readLine();
      assertThat(statusLine).startsWith("HTTP/1.1 200");
      int length = -1;
      for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      assertThat(length).isPositive();
      char[] body = new char[length]; // the echo is ASCII
      int read = 0;
      while (read < length) {
        read += in.read(body, read, length - read);
      }
      JsonNode headers = JSON.readTree(new String(body)).get("headers");
      assertThat(headers.has("x-keep-me")).isTrue();
      assertThat(headers.has("x-drop-me")).isFalse();
      assertThat(headers.has("keep-alive")).isFalse();
    }
  }

  @Test
  void slowRegionGives504AfterTheProxyTimeout() throws Exception {
    start(RoutingMode.ACTIVE_ACTIVE, DnsFixtures.latencies("us-east-1", "eu-west-1", "ap-southeast-1"),
        Route53StandIn.Options.defaults().withProxyTimeout(Duration.ofMillis(800)));
    long t0 = System.nanoTime();
    HttpResponse<String> r = get("/slow?location=dublin");
    long elapsed = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.headers().firstValue("X-Meridian-Region")).contains("eu-west-1");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(JSON.readTree(r.body()).get("type").asText()).isEqualTo("https://meridian.dev/problems/region-timeout");
    assertThat(elapsed).isBetween(700L, 2500L);
  }

  @Test
  void activePassiveFailsOverToTheSecondaryAndFailsOpenToThePrimary() throws Exception {
    Map<String, DnsSpec> specs = new LinkedHashMap<>();
    specs.put("us-east-1", DnsFixtures.failover("us-east-1", "PRIMARY"));
    specs.put("eu-west-1", DnsFixtures.failover("eu-west-1", "SECONDARY"));
    // ap-southeast-1 has an API but, as the template's third region in active-passive mode, no record
    start(RoutingMode.ACTIVE_PASSIVE, specs, Route53StandIn.Options.defaults());
    assertThat(log).anyMatch(l -> l.contains("ap-southeast-1 has no record"));
    assertThat(answered("singapore")).isEqualTo("us-east-1");
    assertThat(answered("dublin")).isEqualTo("us-east-1");
    steady();

    Instant failed = Instant.now();
    regions.get("us-east-1").health = FakeRegion.Health.HTTP_503;
    long detected = millisUntil(dnsFor("dublin"), "eu-west-1", 10_000);
    long allowed = BOUND_MS + INTERVAL_MS + SLACK_MS;
    System.out.printf("[Route53StandInIT] active-passive PRIMARY us-east-1 answering 503: DNS moved to SECONDARY "
        + "eu-west-1 after %d ms (transition at +%d ms); allowed %d–%d ms%n", detected,
        transitionMillis("us-east-1", false, failed), EARLIEST_MS, allowed);
    assertThat(detected).isBetween(EARLIEST_MS, allowed);
    assertThat(answered("singapore")).isEqualTo("eu-west-1");
    assertThat(get("/echo?location=virginia").headers().firstValue("X-Meridian-Region")).contains("eu-west-1");

    regions.get("eu-west-1").health = FakeRegion.Health.UNHEALTHY_BODY;
    millisUntil(dnsFor("dublin"), "us-east-1", 10_000);
    JsonNode open = answer("dublin");
    assertThat(open.get("healthy").asBoolean()).isFalse();
    assertThat(open.get("failOpen").asBoolean()).isTrue();
    assertThat(open.get("reason").asText()).contains("fails open");

    regions.get("eu-west-1").health = FakeRegion.Health.HEALTHY;
    millisUntil(dnsFor("dublin"), "eu-west-1", 10_000);
    regions.get("us-east-1").health = FakeRegion.Health.HEALTHY;
    millisUntil(dnsFor("dublin"), "us-east-1", 10_000);
    assertThat(answer("dublin").get("healthy").asBoolean()).isTrue();
    JsonNode status = JSON.readTree(get("/route53/status").body());
    assertThat(status.get("mode").asText()).isEqualTo("active-passive");
    assertThat(status.get("regions").get("ap-southeast-1").get("inDns").asBoolean()).isFalse();
    assertThat(status.get("records").toString()).contains("PRIMARY", "SECONDARY");
  }

  @Test
  void closeStopsTheServerAndEveryThread() throws Exception {
    activeActive();
    steady();
    int port = dns.port();
    long t0 = System.nanoTime();
    dns.close();
    System.out.printf("[Route53StandInIT] close() took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    int before = regions.get("eu-west-1").healthProbes.get();
    Thread.sleep(INTERVAL_MS + 200);
    assertThat(regions.get("eu-west-1").healthProbes.get()).as("no probe after close").isEqualTo(before);
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().startsWith("route53-"));
  }
}
