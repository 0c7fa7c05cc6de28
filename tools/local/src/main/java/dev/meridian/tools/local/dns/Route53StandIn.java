package dev.meridian.tools.local.dns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.replication.RegionLatency;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The local stack's Route 53: the one global entry point in front of every region's HTTP API.
 *
 * <p>Health comes from {@link HealthCheckers} (one set of simulated checkers per region, as the
 * template's {@code RegionalHealthCheck} declares), routing from {@link Router} (the template's
 * latency records in active-active mode, its failover records in active-passive mode). Served on
 * one loopback port:
 *
 * <ul>
 *   <li>{@code GET /dns?location=<loc>} (or header {@code X-Client-Location}; default
 *       {@code us-east-1}) → {@code {"region","url","ttlSeconds","healthy","reason",...}}: what a
 *       resolver would answer, for clients that cache like DNS ({@code ttlSeconds} = the alias
 *       record's 60 s × timeFactor, at least 1);
 *   <li>{@code GET /route53/status} → every region's health as the checkers see it, each checker's
 *       view, transitions, mode and records;
 *   <li>anything else → forwarded to the region the DNS answer names ({@link ReverseProxy}),
 *       with {@code X-Meridian-Region} added. The proxy resolves afresh on every request (a client
 *       with a zero TTL) and never retries elsewhere: a region that refuses the connection gives
 *       502, one that does not answer within the proxy timeout gives 504, until the health checks
 *       move the answer — exactly what a real client holding a cached answer would see.
 * </ul>
 *
 * <p>An unknown client location gives 400 {@code application/problem+json} on every path.
 */
public final class Route53StandIn implements AutoCloseable {
  /** Route 53 alias records to API Gateway are answered with a 60 s TTL. */
  public static final int ALIAS_TTL_SECONDS = 60;
  public static final String REGION_HEADER = "X-Meridian-Region";
  public static final String LOCATION_HEADER = "X-Client-Location";
  public static final String LOCATION_PARAMETER = "location";
  public static final String DEFAULT_LOCATION = "us-east-1";
  public static final String DNS_PATH = "/dns";
  public static final String STATUS_PATH = "/route53/status";

  /**
   * Tuning.
   *
   * @param port              loopback port to listen on (0: any free port)
   * @param checkersPerRegion simulated checker locations per region
   * @param proxyTimeout      the proxy's connect and response timeout per request (not scaled)
   * @param maxBodyBytes      request bodies above this are refused (413), not forwarded
   */
  public record Options(int port, int checkersPerRegion, Duration proxyTimeout, int maxBodyBytes) {
    public static final Duration DEFAULT_PROXY_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      if (checkersPerRegion < 1) {
        throw new IllegalArgumentException("at least one checker per region");
      }
      Objects.requireNonNull(proxyTimeout, "proxyTimeout");
      if (proxyTimeout.isNegative() || proxyTimeout.isZero()) {
        throw new IllegalArgumentException("proxyTimeout must be positive");
      }
      if (maxBodyBytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes must not be negative");
      }
    }

    /** Any free port, 3 checkers per region, 30 s proxy timeout, 10 MiB bodies. */
    public static Options defaults() {
      return new Options(0, HealthCheckers.DEFAULT_CHECKERS, DEFAULT_PROXY_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
    }

    public Options withPort(int p) {
      return new Options(p, checkersPerRegion, proxyTimeout, maxBodyBytes);
    }

    public Options withCheckersPerRegion(int n) {
      return new Options(port, n, proxyTimeout, maxBodyBytes);
    }

    public Options withProxyTimeout(Duration t) {
      return new Options(port, checkersPerRegion, t, maxBodyBytes);
    }
  }

  private final RoutingMode mode;
  private final Map<String, URI> baseUrls;
  private final Router router;
  private final HealthCheckers checkers;
  private final Predicate<String> healthy;
  private final double timeFactor;
  private final Options options;
  private final Consumer<String> log;
  private final Map<String, DnsSpec> dns;
  private HttpServer server;
  private volatile URI url;
  private ExecutorService serverExecutor;
  private ExecutorService proxyExecutor;
  private ReverseProxy proxy;
  private boolean closed;

  /** As below, on any free port with a 30 s proxy timeout. */
  public Route53StandIn(RoutingMode mode, Map<String, DnsSpec> dns, Map<String, URI> baseUrls, RegionLatency latency,
      double timeFactor, int checkersPerRegion, Consumer<String> log) {
    this(mode, dns, baseUrls, latency, timeFactor, Options.defaults().withCheckersPerRegion(checkersPerRegion), log);
  }

  /**
   * @param mode       active-active (latency records) or active-passive (failover records)
   * @param dns        region → its resolved health check and record (a region without one, e.g. a
   *                   third region in active-passive mode, is simply not in DNS)
   * @param baseUrls   region → its HTTP API's base URL on loopback
   * @param latency    round-trip times between regions (latency routing)
   * @param timeFactor scales the request interval and the TTL (0.1: 10 s → 1 s, 60 s → 6 s)
   * @param options    port, checkers per region, proxy timeout
   * @param log        start-up summary and health transitions
   * @throws IllegalArgumentException when the records do not match the mode, or a region in
   *     {@code dns} has no base URL
   */
  public Route53StandIn(RoutingMode mode, Map<String, DnsSpec> dns, Map<String, URI> baseUrls, RegionLatency latency,
      double timeFactor, Options options, Consumer<String> log) {
    this(mode, dns, baseUrls, latency, timeFactor, options, log, null);
  }

  /** Test seam: {@code healthOverride} replaces the checkers (none run) when not null. */
  Route53StandIn(RoutingMode mode, Map<String, DnsSpec> dns, Map<String, URI> baseUrls, RegionLatency latency,
      double timeFactor, Options options, Consumer<String> log, Predicate<String> healthOverride) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.options = Objects.requireNonNull(options, "options");
    this.log = log == null ? line -> { } : log;
    this.baseUrls = Map.copyOf(baseUrls);
    this.dns = new TreeMap<>(dns);
    if (!(timeFactor > 0) || Double.isInfinite(timeFactor)) {
      throw new IllegalArgumentException("timeFactor must be positive, was " + timeFactor);
    }
    this.timeFactor = timeFactor;
    Map<String, DnsSpec.HealthCheck> checks = new TreeMap<>();
    Map<String, DnsSpec.RecordSet> records = new TreeMap<>();
    for (Map.Entry<String, DnsSpec> e : this.dns.entrySet()) {
      String region = e.getKey();
      if (!baseUrls.containsKey(region)) {
        throw new IllegalArgumentException("region " + region + " has a DNS record but no base URL");
      }
      DnsSpec spec = e.getValue();
      if (spec == null) {
        continue;
      }
      if (spec.healthCheck() != null) {
        checks.put(region, spec.healthCheck());
      }
      DnsSpec.RecordSet record = spec.record();
      if (record != null) {
        String ref = record.healthCheckLogicalId();
        if (ref != null && (spec.healthCheck() == null || !ref.equals(spec.healthCheck().logicalId()))) {
          throw new IllegalArgumentException("region " + region + "'s record " + record.logicalId()
              + " references health check " + ref + ", which the region does not define");
        }
        records.put(region, record);
      }
    }
    this.router = new Router(mode, records, latency);
    if (healthOverride != null) {
      this.checkers = null;
      this.healthy = healthOverride;
    } else {
      this.checkers = new HealthCheckers(checks, baseUrls, timeFactor, options.checkersPerRegion(), this.log,
          Clock.systemUTC());
      this.healthy = region -> !checks.containsKey(region) || checkers.isHealthy(region);
    }
  }

  /** Starts the checkers and the server; logs the effective timers. Returns this. */
  public synchronized Route53StandIn start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (server != null) {
      return this;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("route53 stand-in cannot listen on 127.0.0.1:" + options.port(), e);
    }
    serverExecutor = Executors.newCachedThreadPool(HealthCheckers.daemon("route53-http"));
    proxyExecutor = Executors.newCachedThreadPool(HealthCheckers.daemon("route53-proxy"));
    proxy = new ReverseProxy(proxyExecutor, options.proxyTimeout(), options.maxBodyBytes());
    server.setExecutor(serverExecutor);
    server.createContext("/", this::handle);
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    if (checkers != null) {
      checkers.start();
    }
    logSummary();
    return this;
  }

  private void logSummary() {
    log.accept("route53: listening on " + url() + " (" + mode + "; records: " + router.regions()
        + (router.primary().isPresent() ? ", PRIMARY " + router.primary().get()
            + router.secondary().map(s -> ", SECONDARY " + s).orElse("") : "") + ")");
    for (String region : new java.util.TreeSet<>(baseUrls.keySet())) {
      if (!router.regions().contains(region)) {
        log.accept("route53: " + region + " has no record: not in DNS (never answered, never proxied to)");
      }
    }
    Map<String, String> lines = new LinkedHashMap<>();
    for (Map.Entry<String, DnsSpec> e : dns.entrySet()) {
      DnsSpec.HealthCheck c = e.getValue() == null ? null : e.getValue().healthCheck();
      if (c == null) {
        continue;
      }
      Duration interval = HealthCheckers.scale(Duration.ofSeconds(c.requestIntervalSeconds()), timeFactor);
      Duration bound = interval.multipliedBy(c.failureThreshold());
      String line = "route53: timeFactor " + timeFactor + ": request interval " + c.requestIntervalSeconds() + " s → "
          + seconds(interval) + ", TTL " + ALIAS_TTL_SECONDS + " s → " + ttlSeconds() + " s, expected detection bound "
          + "interval × FailureThreshold " + c.failureThreshold() + " = " + seconds(bound)
          + " (+ up to one interval of phase, + the " + HealthCheckers.PROBE_TIMEOUT.toSeconds()
          + " s probe timeout for a hanging endpoint); " + options.checkersPerRegion() + " checkers per region, "
          + "healthy while more than " + HealthCheckers.HEALTHY_PERCENT + "% see it healthy; probe timeout "
          + HealthCheckers.PROBE_TIMEOUT.toSeconds() + " s (not scaled)";
      lines.merge(line, e.getKey(), (a, b) -> a + ", " + b);
    }
    if (checkers == null) {
      log.accept("route53: health fixed by the caller (no checkers)");
    }
    lines.forEach((line, regions) -> log.accept(line + (lines.size() > 1 ? " [" + regions + "]" : "")));
    for (Map.Entry<String, DnsSpec> e : dns.entrySet()) {
      DnsSpec.HealthCheck c = e.getValue() == null ? null : e.getValue().healthCheck();
      if (c != null) {
        log.accept("route53: " + e.getKey() + " probed at " + HealthCheckers.target(baseUrls.get(e.getKey()),
            c.resourcePath()) + " (" + c.type() + (c.searchString() == null ? "" : " " + c.searchString()) + ")");
      }
    }
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }

  /** The stand-in's base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI url() {
    URI u = url;
    if (u == null) {
      throw new IllegalStateException("not started");
    }
    return u;
  }

  public int port() {
    return url().getPort();
  }

  /** The TTL answered: the alias record's 60 s × timeFactor, rounded up, at least 1 s. */
  public int ttlSeconds() {
    return ttlSeconds(timeFactor);
  }

  static int ttlSeconds(double timeFactor) {
    return (int) Math.max(1, Math.ceil(ALIAS_TTL_SECONDS * timeFactor - 1e-9));
  }

  public RoutingMode mode() {
    return mode;
  }

  public Router router() {
    return router;
  }

  /** The checkers (null only in tests that fix health by hand). */
  public HealthCheckers healthCheckers() {
    return checkers;
  }

  /** The DNS answer for a client location right now (null: the default location). */
  public Router.Decision resolve(String location) {
    return router.route(location == null ? DEFAULT_LOCATION : location, healthy);
  }

  /** The base URL of a region's API. */
  public URI regionUrl(String region) {
    return baseUrls.get(region);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      String location = null;
      List<String> forwarded = new ArrayList<>();
      if (rawQuery != null && !rawQuery.isEmpty()) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String name = decode(eq < 0 ? pair : pair.substring(0, eq));
          if (name.equals(LOCATION_PARAMETER)) {
            if (location == null) {
              location = eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
          } else if (!pair.isEmpty()) {
            forwarded.add(pair);
          }
        }
      }
      if (location == null) {
        location = exchange.getRequestHeaders().getFirst(LOCATION_HEADER);
      }
      if (location == null || location.isBlank()) {
        location = DEFAULT_LOCATION;
      }
      boolean own = DNS_PATH.equals(path) || STATUS_PATH.equals(path);
      if (own && !exchange.getRequestMethod().equalsIgnoreCase("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        ReverseProxy.send(exchange, null, 405, Json.problem("method-not-allowed", "Method Not Allowed", 405,
            path + " answers GET only"));
        return;
      }
      if (STATUS_PATH.equals(path)) {
        sendJson(exchange, 200, statusJson());
        return;
      }
      Router.Decision decision;
      try {
        decision = router.route(location, healthy);
      } catch (Router.UnknownLocationException e) {
        ObjectNode problem = Json.problem("unknown-location", "Unknown client location", 400, e.getMessage());
        problem.put("location", e.location());
        ArrayNode known = problem.putArray("knownLocations");
        e.known().forEach(known::add);
        ReverseProxy.send(exchange, null, 400, problem);
        return;
      }
      if (DNS_PATH.equals(path)) {
        sendJson(exchange, 200, answer(decision));
        return;
      }
      proxy.forward(exchange, decision.region(), baseUrls.get(decision.region()), String.join("&", forwarded));
    } catch (IOException | RuntimeException e) {
      log.accept("route53: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
      try {
        ReverseProxy.send(exchange, null, 500, Json.problem("internal", "Internal Server Error", 500, e.toString()));
      } catch (IOException | RuntimeException ignored) {
        exchange.close();
      }
    }
  }

  private ObjectNode answer(Router.Decision d) {
    ObjectNode n = Json.object();
    n.put("region", d.region());
    n.put("url", baseUrls.get(d.region()).toString());
    n.put("ttlSeconds", ttlSeconds());
    n.put("healthy", d.healthy());
    n.put("reason", d.reason());
    n.put("location", d.location());
    n.put("locationRegion", d.locationRegion());
    n.put("mode", mode.label());
    n.put("failOpen", d.failOpen());
    return n;
  }

  /** The {@code GET /route53/status} document. */
  public ObjectNode statusJson() {
    ObjectNode n = Json.object();
    n.put("mode", mode.label());
    n.put("url", url == null ? null : url.toString());
    n.put("timeFactor", timeFactor);
    n.put("ttlSeconds", ttlSeconds());
    n.put("checkersPerRegion", options.checkersPerRegion());
    n.put("probeTimeoutMillis", HealthCheckers.PROBE_TIMEOUT.toMillis());
    n.put("healthyPercentThreshold", HealthCheckers.HEALTHY_PERCENT);
    ArrayNode records = n.putArray("records");
    router.records().forEach((region, r) -> records.add(Json.record(region, r)));
    ObjectNode regions = n.putObject("regions");
    for (String region : new java.util.TreeSet<>(baseUrls.keySet())) {
      ObjectNode r;
      if (checkers != null && checkers.regions().contains(region)) {
        r = Json.regionHealth(checkers.health(region));
      } else {
        r = Json.object();
        r.put("healthy", healthy.test(region));
        r.putNull("healthCheck");
      }
      r.put("url", baseUrls.get(region).toString());
      r.put("inDns", router.regions().contains(region));
      regions.set(region, r);
    }
    n.set("transitions", Json.transitions(checkers == null ? List.of() : checkers.transitions()));
    return n;
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = Json.bytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    } finally {
      exchange.close();
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** Stops the server (nothing left listening), the checkers and every thread. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (checkers != null) {
      checkers.close();
    }
    if (server != null) {
      server.stop(0); // closes the listening socket first; returns within the dispatcher's 1 s select
      server = null;
      serverExecutor.shutdownNow();
      proxyExecutor.shutdownNow();
      try {
        serverExecutor.awaitTermination(2, TimeUnit.SECONDS);
        proxyExecutor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
