package dev.meridian.tools.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import dev.meridian.tools.local.model.RegionModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One region's HTTP API on {@code 127.0.0.1:<port>}: a JDK {@link HttpServer} with a bounded
 * executor in front of {@link HttpApiHandler} (routes from the template, JWT authorizer,
 * throttling, payload format 2.0, {@link Invoker}).
 *
 * <p>Failure injection for region outages ({@link #setMode}):
 * <ul>
 *   <li>{@link Mode#OPEN}: serves requests;
 *   <li>{@link Mode#REFUSE}: the listening socket is closed and open connections are dropped, so
 *       connecting fails ({@code Connection refused}); going back to OPEN listens on the same
 *       port again;
 *   <li>{@link Mode#BLACKHOLE}: connections are accepted and requests read but never answered,
 *       so clients hang until their own timeout. Requests held this way are dropped (connection
 *       closed, no answer, function never invoked) when the mode changes: like packets lost in a
 *       partition, they are not replayed.
 * </ul>
 */
public final class HttpApiGateway implements AutoCloseable {

  /** How the gateway treats connections. */
  public enum Mode { OPEN, REFUSE, BLACKHOLE }

  private static final Duration REBIND_PATIENCE = Duration.ofSeconds(10);
  /** How much of an oversized body is read and thrown away before answering 413. */
  static final long MAX_SWALLOW_BYTES = 1024 * 1024;

  private final String region;
  private final HttpApiHandler handler;
  private final ThreadPoolExecutor executor;
  /** Invocation threads per function: a function whose callers queue cannot starve another. */
  private final Map<String, ThreadPoolExecutor> integrations = new ConcurrentHashMap<>();
  private final int port;
  private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private HttpServer server;
  private volatile Mode mode = Mode.OPEN;
  private volatile boolean closed;

  private HttpApiGateway(Builder b) throws IOException {
    this.region = b.region;
    RouteTable routes = RouteTable.of(b.api, b.functions);
    JwtAuthorizer authorizer = b.authorizer;
    Map<String, JwtAuthorizer> named = new LinkedHashMap<>(b.authorizers);
    boolean jwtRoutes = routes.routes().stream().anyMatch(r -> r.authorization() == RouteTable.Authorization.JWT);
    if (authorizer == null && named.isEmpty() && jwtRoutes) {
      // As API Gateway does: each authorizer finds the issuer's keys through its discovery document.
      for (HttpApiSpec.JwtAuthorizerSpec spec : b.api.jwtAuthorizers()) {
        named.put(spec.name(), JwtAuthorizer.fromDiscovery(spec.issuer(), spec.audience()));
      }
      authorizer = b.api.jwtAuthorizerName() == null ? null : named.get(b.api.jwtAuthorizerName());
    }
    String apiId = b.apiId != null ? b.apiId : apiIdFor(b.region, b.api.logicalId());
    this.executor = new ThreadPoolExecutor(b.threads, b.threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(b.queueCapacity), threads("meridian-apigw-" + b.region), new ThreadPoolExecutor.AbortPolicy());
    this.executor.allowCoreThreadTimeOut(true);
    int threads = b.threads;
    Function<String, Executor> integrationExecutors = function -> integrations.computeIfAbsent(function,
        f -> new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
            threads("meridian-apigw-" + b.region + "-" + f), new ThreadPoolExecutor.AbortPolicy()));
    HttpApiHandler.Config config = new HttpApiHandler.Config(b.region, new PayloadV2.Api(apiId, b.region, PayloadV2.ACCOUNT_ID),
        routes, authorizer, b.api.throttlingRateLimit(), b.api.throttlingBurstLimit(), b.maxBodyBytes, b.integrationTimeout,
        b.clock, b.nanoTime, b.accessLog, b.api.identitySource(), named, b.api.routeThrottles(), b.api.stages());
    this.handler = new HttpApiHandler(config, b.invoker, integrationExecutors);
    try {
      this.server = bind(b.port);
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
    this.port = server.getAddress().getPort();
  }

  /** A gateway for one region of the resolved stack. */
  public static Builder builder(RegionModel model, Invoker invoker) {
    return new Builder(model.region(), model.api(), model.functions(), invoker);
  }

  /** A gateway for {@code api} with the routes of {@code functions}. */
  public static Builder builder(String region, HttpApiSpec api, List<FunctionSpec> functions, Invoker invoker) {
    return new Builder(region, api, functions, invoker);
  }

  public String region() {
    return region;
  }

  /** The port (stable across REFUSE → OPEN). */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public String apiId() {
    return handler.config().api().apiId();
  }

  public RouteTable routes() {
    return handler.config().routes();
  }

  /** The socket-less pipeline behind this gateway (same routes, authorizer, throttles). */
  public HttpApiHandler handler() {
    return handler;
  }

  public Mode mode() {
    return mode;
  }

  /** Switches how connections are treated; see the class comment. */
  public void setMode(Mode next) throws IOException {
    Objects.requireNonNull(next, "mode");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the gateway for " + region + " is closed");
      }
      Mode previous = mode;
      if (previous == next) {
        return;
      }
      if (next == Mode.REFUSE) {
        mode = next;
        dropHeld();
        server.stop(0);
        server = null;
        return;
      }
      if (previous == Mode.REFUSE) {
        server = bindAgain();
      }
      mode = next;
      if (previous == Mode.BLACKHOLE) {
        dropHeld();
      }
    }
  }

  /** Stops listening, drops every connection and stops the threads. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      dropHeld();
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }
    executor.shutdownNow();
    integrations.values().forEach(ThreadPoolExecutor::shutdownNow);
  }

  // ---------------------------------------------------------------- serving

  private HttpServer bind(int requestedPort) throws IOException {
    HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 128);
    created.createContext("/", this::serve);
    created.setExecutor(executor);
    created.start();
    return created;
  }

  private HttpServer bindAgain() throws IOException {
    long deadline = System.nanoTime() + REBIND_PATIENCE.toNanos();
    while (true) {
      try {
        return bind(port);
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("cannot listen on 127.0.0.1:" + port + " again for " + region, e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while re-binding", ie);
        }
      }
    }
  }

  private void serve(HttpExchange exchange) {
    if (mode != Mode.OPEN) {
      // BLACKHOLE: keep the connection open, never answer (no thread is held).
      held.add(exchange);
      if (mode == Mode.OPEN && held.remove(exchange)) {
        answer(exchange); // the mode changed while parking: serve it after all
      }
      return;
    }
    answer(exchange);
  }

  private void answer(HttpExchange exchange) {
    try (exchange) {
      GatewayResponse response = handler.handle(toRequest(exchange));
      if (response.status() == 413 && !swallow(exchange.getRequestBody())) {
        response = response.withHeader("connection", "close");
      }
      write(exchange, response);
    } catch (IOException | RuntimeException e) {
      // The client went away, or the mode changed under the exchange: nothing to answer.
    }
  }

  /**
   * Discards what is left of a refused body (up to {@value #MAX_SWALLOW_BYTES} bytes, nothing is
   * kept) so the connection closes cleanly: closing a socket with unread input sends a reset,
   * which can destroy the 413 before the client reads it.
   *
   * @return false if more than that was left (the connection is then closed after the answer)
   */
  private static boolean swallow(InputStream body) {
    byte[] scratch = new byte[16 * 1024];
    long total = 0;
    try {
      for (int n = body.read(scratch); n >= 0; n = body.read(scratch)) {
        total += n;
        if (total > MAX_SWALLOW_BYTES) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static GatewayRequest toRequest(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    Map<String, List<String>> headers = exchange.getRequestHeaders();
    return new GatewayRequest(exchange.getRequestMethod(), rawPath, uri.getRawQuery(), headers, exchange.getRequestBody(),
        exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getLocalAddress().getPort(),
        exchange.getProtocol());
  }

  private static void write(HttpExchange exchange, GatewayResponse response) throws IOException {
    response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, new ArrayList<>(values)));
    boolean noBody = "HEAD".equalsIgnoreCase(exchange.getRequestMethod()) || response.status() == 204
        || response.status() == 304 || response.body().length == 0;
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  private void dropHeld() {
    for (HttpExchange exchange : List.copyOf(held)) {
      if (held.remove(exchange)) {
        exchange.close(); // no response was started: closes the connection
      }
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A stable 10-character API id per region and API, like {@code a1b2c3d4e5}. */
  static String apiIdFor(String region, String apiLogicalId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((region + "/" + apiLogicalId).getBytes(StandardCharsets.UTF_8));
      StringBuilder id = new StringBuilder();
      String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
      for (int i = 0; i < 10; i++) {
        id.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
      }
      return id.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Configures and starts a gateway. */
  public static final class Builder {
    private final String region;
    private final HttpApiSpec api;
    private final List<FunctionSpec> functions;
    private final Invoker invoker;
    private int port = 0;
    private JwtAuthorizer authorizer;
    private Map<String, JwtAuthorizer> authorizers = Map.of();
    private Consumer<String> accessLog = line -> { };
    private int maxBodyBytes = HttpApiHandler.DEFAULT_MAX_BODY_BYTES;
    private int threads = 32;
    private int queueCapacity = 256;
    private Duration integrationTimeout = HttpApiHandler.DEFAULT_INTEGRATION_TIMEOUT;
    private String apiId;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(String region, HttpApiSpec api, List<FunctionSpec> functions, Invoker invoker) {
      this.region = Objects.requireNonNull(region, "region");
      this.api = Objects.requireNonNull(api, "api");
      this.functions = List.copyOf(functions);
      this.invoker = Objects.requireNonNull(invoker, "invoker");
    }

    /** 0 (default) = a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The JWT authorizer; default: the API's issuer and audience with keys from the issuer's
     * discovery document ({@link JwtAuthorizer#fromDiscovery}).
     */
    public Builder authorizer(JwtAuthorizer authorizer) {
      this.authorizer = authorizer;
      return this;
    }

    /** The API's JWT authorizers by name (each route is judged by the one it names). */
    public Builder authorizers(Map<String, JwtAuthorizer> authorizers) {
      this.authorizers = Map.copyOf(authorizers);
      return this;
    }

    /** Receives one JSON line per request. */
    public Builder accessLog(Consumer<String> accessLog) {
      this.accessLog = Objects.requireNonNull(accessLog);
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Request threads (default 32) and queued requests beyond them (default 256). */
    public Builder threads(int threads, int queueCapacity) {
      this.threads = threads;
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** How long to wait for a function before answering 503 (default 30 s, as API Gateway). */
    public Builder integrationTimeout(Duration timeout) {
      this.integrationTimeout = timeout;
      return this;
    }

    public Builder apiId(String apiId) {
      this.apiId = apiId;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      return this;
    }

    /** Binds and starts serving. */
    public HttpApiGateway start() throws IOException {
      return new HttpApiGateway(this);
    }
  }
}
