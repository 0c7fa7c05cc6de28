package dev.meridian.tools.local.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.model.HttpApiSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One region's HTTP API, without the socket: what API Gateway does with a request, in order.
 *
 * <ol>
 *   <li>select the stage: a first path segment that names one of the API's other stages selects
 *       that stage (the rest of the path is matched), anything else the {@code $default} stage;
 *   <li>select the route ({@link RouteTable}); none → 404 {@code {"message":"Not Found"}};
 *   <li>throttling, one token bucket per stage and route: a {@code $default} route's
 *       {@code RouteSettings} throttle, else the API's {@code DefaultRouteSettings}; another
 *       stage's {@code DefaultRouteSettings} for each of its routes → 429
 *       {@code {"message":"Too Many Requests"}}. A request that matches no route takes no token;
 *   <li>read the body, at most the limit + 1 bytes (a declared {@code Content-Length} over the
 *       limit is refused without reading) → 413 {@code {"message":"Request Entity Too Large"}}.
 *       The limit is API Gateway's payload quota (10 MB); the functions' own, smaller limit is
 *       theirs to answer (a {@code payload-too-large} problem);
 *   <li>on a JWT route, the JWT authorizer → 401 {@code {"message":"Unauthorized"}} or 403
 *       {@code {"message":"Forbidden"}} with a {@code www-authenticate} header;
 *   <li>invoke the route's function with the payload format 2.0 event ({@link PayloadV2}),
 *       waiting at most the integration timeout (30 s) → 503 {@code {"message":"Service Unavailable"}}
 *       when it passes;
 *   <li>map the function's response ({@link LambdaResponses}).
 * </ol>
 *
 * <p>Every answer carries {@code apigw-requestid}; every request yields one access-log line (JSON,
 * the fields of the template's {@code AccessLogSettings} plus method, path and latency).
 */
public final class HttpApiHandler {

  /** API Gateway's HTTP API payload quota, 10 MB (AWS: "Quotas for configuring and running an HTTP API"). */
  public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
  public static final Duration DEFAULT_INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
  /** What API Gateway answers, itself, for a body over its payload quota. */
  public static final String REQUEST_TOO_LARGE = "Request Entity Too Large";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEADER_SOURCE = "$request.header.";
  private static final String QUERY_SOURCE = "$request.querystring.";

  /**
   * How the API behaves.
   *
   * @param region             the region (access log, default domain name)
   * @param api                apiId/region/account of the event's requestContext
   * @param routes             the routes
   * @param authorizer         the JWT authorizer (null only when no route uses it)
   * @param rateLimit          steady-state requests/second per route
   * @param burstLimit         bucket size per route
   * @param maxBodyBytes       request bodies above this are refused with 413
   * @param integrationTimeout how long to wait for the function before answering 503
   * @param clock              request time
   * @param nanoTime           latency and throttling clock
   * @param accessLog          receives one JSON line per request
   * @param identitySource     where the JWT authorizer reads the token ({@code $request.header.Authorization},
   *                           or {@code $request.querystring.<name>}); null = the Authorization header
   * @param namedAuthorizers   the API's JWT authorizers by name: a route naming one is judged by it (each
   *                           has its own audience, as API Gateway's do), any other JWT route by {@code authorizer}
   * @param routeThrottles     the {@code $default} stage's route-level throttles by route key
   * @param stages             the other stages by name, with the throttle of each of their routes
   */
  public record Config(String region, PayloadV2.Api api, RouteTable routes, JwtAuthorizer authorizer, double rateLimit,
      int burstLimit, int maxBodyBytes, Duration integrationTimeout, Clock clock, LongSupplier nanoTime,
      Consumer<String> accessLog, String identitySource, Map<String, JwtAuthorizer> namedAuthorizers,
      Map<String, HttpApiSpec.Throttle> routeThrottles, Map<String, HttpApiSpec.Throttle> stages) {

    /** Several JWT authorizers, only the {@code $default} stage, every route at {@code rateLimit} and {@code burstLimit}. */
    public Config(String region, PayloadV2.Api api, RouteTable routes, JwtAuthorizer authorizer, double rateLimit,
        int burstLimit, int maxBodyBytes, Duration integrationTimeout, Clock clock, LongSupplier nanoTime,
        Consumer<String> accessLog, String identitySource, Map<String, JwtAuthorizer> namedAuthorizers) {
      this(region, api, routes, authorizer, rateLimit, burstLimit, maxBodyBytes, integrationTimeout, clock, nanoTime,
          accessLog, identitySource, namedAuthorizers, Map.of(), Map.of());
    }

    /** One JWT authorizer for every JWT route, with route and stage throttles. */
    public Config(String region, PayloadV2.Api api, RouteTable routes, JwtAuthorizer authorizer, double rateLimit,
        int burstLimit, int maxBodyBytes, Duration integrationTimeout, Clock clock, LongSupplier nanoTime,
        Consumer<String> accessLog, String identitySource, Map<String, HttpApiSpec.Throttle> routeThrottles,
        Map<String, HttpApiSpec.Throttle> stages) {
      this(region, api, routes, authorizer, rateLimit, burstLimit, maxBodyBytes, integrationTimeout, clock, nanoTime,
          accessLog, identitySource, Map.of(), routeThrottles, stages);
    }

    /** One JWT authorizer for every JWT route, only the {@code $default} stage. */
    public Config(String region, PayloadV2.Api api, RouteTable routes, JwtAuthorizer authorizer, double rateLimit,
        int burstLimit, int maxBodyBytes, Duration integrationTimeout, Clock clock, LongSupplier nanoTime,
        Consumer<String> accessLog, String identitySource) {
      this(region, api, routes, authorizer, rateLimit, burstLimit, maxBodyBytes, integrationTimeout, clock, nanoTime,
          accessLog, identitySource, Map.of(), Map.of(), Map.of());
    }

    public Config {
      namedAuthorizers = namedAuthorizers == null ? Map.of() : Map.copyOf(namedAuthorizers);
      routeThrottles = routeThrottles == null ? Map.of() : Map.copyOf(routeThrottles);
      stages = stages == null ? Map.of() : Map.copyOf(stages);
      identitySource = identitySource == null ? HttpApiSpec.DEFAULT_IDENTITY_SOURCE : identitySource;
      if (!identitySource.startsWith(HEADER_SOURCE) && !identitySource.startsWith(QUERY_SOURCE)) {
        throw new IllegalArgumentException("unsupported identity source " + identitySource
            + " (expected $request.header.<name> or $request.querystring.<name>)");
      }
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(routes, "routes");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(nanoTime, "nanoTime");
      accessLog = accessLog == null ? line -> { } : accessLog;
      for (RouteTable.Route route : routes.routes()) {
        if (route.authorization() == RouteTable.Authorization.JWT && authorizer == null
            && (route.authorizerName() == null || !namedAuthorizers.containsKey(route.authorizerName()))) {
          throw new IllegalArgumentException("route " + route.routeKey() + " uses the JWT authorizer "
              + route.authorizerName() + " but none was given");
        }
      }
      if (maxBodyBytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes < 0");
      }
    }

    /** The authorizer that judges {@code route}: the one it names, else the API's. */
    JwtAuthorizer authorizerOf(RouteTable.Route route) {
      JwtAuthorizer named = route.authorizerName() == null ? null : namedAuthorizers.get(route.authorizerName());
      return named != null ? named : authorizer;
    }
  }

  private final Config config;
  private final Invoker invoker;
  private final Function<String, Executor> integrationExecutors;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param integrationExecutors the executor for each function's invocations (by logical id), so the
   *     integration timeout can be enforced and a function whose callers queue (its one environment
   *     is busy) cannot take the threads another function needs; null invokes on the calling thread
   *     and waits as long as the invoker takes
   */
  public HttpApiHandler(Config config, Invoker invoker, Function<String, Executor> integrationExecutors) {
    this.config = config;
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    this.integrationExecutors = integrationExecutors;
  }

  public Config config() {
    return config;
  }

  /** Handles one request; never throws. */
  public GatewayResponse handle(GatewayRequest request) {
    long start = config.nanoTime().getAsLong();
    Instant now = config.clock().instant();
    String requestId = newRequestId();
    Log log = new Log(requestId, now, request);
    GatewayResponse response;
    try {
      response = process(request, requestId, now, log);
    } catch (RuntimeException e) {
      log.integrationError = "gateway error: " + e;
      response = GatewayResponse.message(500, LambdaResponses.INTERNAL_SERVER_ERROR);
    }
    response = response.withHeader("apigw-requestid", requestId);
    long latencyMs = (config.nanoTime().getAsLong() - start) / 1_000_000;
    config.accessLog().accept(log.line(config.region(), response, latencyMs));
    return response;
  }

  private GatewayResponse process(GatewayRequest request, String requestId, Instant now, Log log) {
    String stage = stageOf(request.rawPath());
    String routedPath = stage.equals(PayloadV2.STAGE) ? request.rawPath()
        : withoutStage(request.rawPath(), stage);
    Optional<RouteTable.Match> found = config.routes().match(request.method(), routedPath);
    if (found.isEmpty()) {
      return GatewayResponse.message(404, "Not Found");
    }
    RouteTable.Match match = found.get();
    RouteTable.Route route = match.route();
    log.routeKey = route.routeKey();

    HttpApiSpec.Throttle throttle = throttle(stage, route.routeKey());
    TokenBucket bucket = buckets.computeIfAbsent(stage + " " + route.routeKey(),
        key -> new TokenBucket(throttle.rateLimit(), throttle.burstLimit(), config.nanoTime()));
    if (!bucket.tryAcquire()) {
      return GatewayResponse.message(429, "Too Many Requests");
    }

    byte[] body;
    try {
      body = readBody(request);
    } catch (IOException e) {
      log.integrationError = "request body unreadable: " + e.getMessage();
      return GatewayResponse.message(400, "Bad Request");
    }
    if (body == null) {
      return GatewayResponse.message(413, REQUEST_TOO_LARGE);
    }

    JwtAuthorizer.Allowed allowed = null;
    if (route.authorization() == RouteTable.Authorization.JWT) {
      JwtAuthorizer.Decision decision = config.authorizerOf(route).authorize(identity(request), route.scopes());
      if (decision instanceof JwtAuthorizer.Denied denied) {
        log.authorizerError = denied.description();
        return GatewayResponse.message(denied.status(), denied.status() == 403 ? "Forbidden" : "Unauthorized")
            .withHeader("www-authenticate", denied.wwwAuthenticate());
      }
      allowed = (JwtAuthorizer.Allowed) decision;
      log.sub = allowed.subject();
    }

    ObjectNode event = PayloadV2.event(config.api(), request, match, allowed, body, requestId, now, stage);
    byte[] eventJson;
    try {
      eventJson = JSON.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }

    long invokeStart = config.nanoTime().getAsLong();
    LambdaResponses.Mapped mapped = invoke(route.functionLogicalId(), eventJson, log);
    log.integrationLatencyMs = (config.nanoTime().getAsLong() - invokeStart) / 1_000_000;
    log.integrationError = mapped.integrationError();
    return mapped.response();
  }

  /** The stage a request goes to: its first path segment when that names a stage, else {@code $default}. */
  private String stageOf(String rawPath) {
    if (config.stages().isEmpty()) {
      return PayloadV2.STAGE;
    }
    String rest = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    return config.stages().containsKey(first) ? first : PayloadV2.STAGE;
  }

  /** {@code /stage/a/b} → {@code /a/b}; {@code /stage} → {@code /}. */
  private static String withoutStage(String rawPath, String stage) {
    String rest = rawPath.substring(1 + stage.length());
    return rest.isEmpty() ? "/" : rest;
  }

  private HttpApiSpec.Throttle throttle(String stage, String routeKey) {
    if (!stage.equals(PayloadV2.STAGE)) {
      return config.stages().get(stage);
    }
    HttpApiSpec.Throttle route = config.routeThrottles().get(routeKey);
    return route != null ? route : new HttpApiSpec.Throttle(config.rateLimit(), config.burstLimit());
  }

  private LambdaResponses.Mapped invoke(String function, byte[] event, Log log) {
    if (integrationExecutors == null) {
      return map(invoker.invoke(function, event), log);
    }
    CompletableFuture<Invoker.InvokeResult> future;
    try {
      future = CompletableFuture.supplyAsync(() -> invoker.invoke(function, event), integrationExecutors.apply(function));
    } catch (RejectedExecutionException e) {
      return new LambdaResponses.Mapped(GatewayResponse.message(503, LambdaResponses.SERVICE_UNAVAILABLE),
          "no capacity to invoke " + function);
    }
    try {
      return map(future.get(config.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS), log);
    } catch (TimeoutException e) {
      return new LambdaResponses.Mapped(GatewayResponse.message(503, LambdaResponses.SERVICE_UNAVAILABLE),
          "integration timed out after " + config.integrationTimeout().toMillis() + " ms");
    } catch (ExecutionException e) {
      return new LambdaResponses.Mapped(GatewayResponse.message(500, LambdaResponses.INTERNAL_SERVER_ERROR),
          "invoke failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LambdaResponses.Mapped(GatewayResponse.message(503, LambdaResponses.SERVICE_UNAVAILABLE),
          "interrupted while invoking " + function);
    }
  }

  private static LambdaResponses.Mapped map(Invoker.InvokeResult result, Log log) {
    log.integrationRequestId = result.requestId();
    return LambdaResponses.map(result);
  }

  /** The identity source's value: the token, with or without {@code Bearer }, or null. */
  private String identity(GatewayRequest request) {
    String source = config.identitySource();
    if (source.startsWith(HEADER_SOURCE)) {
      return request.headerValue(source.substring(HEADER_SOURCE.length()));
    }
    return PayloadV2.queryStringParameters(request.rawQuery()).get(source.substring(QUERY_SOURCE.length()));
  }

  /** The body, or null when it is over the limit (never reading more than limit + 1 bytes). */
  private byte[] readBody(GatewayRequest request) throws IOException {
    String declared = request.headerValue("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > config.maxBodyBytes()) {
          return null;
        }
      } catch (NumberFormatException e) {
        // Let the read decide.
      }
    }
    byte[] body = request.body().readNBytes(config.maxBodyBytes() + 1);
    return body.length > config.maxBodyBytes() ? null : body;
  }

  /** A request id in API Gateway's shape: 16 base64 characters, e.g. {@code Mc7UVioPPHcEKPA=}. */
  static String newRequestId() {
    byte[] bytes = new byte[11];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** What one request's access-log line says. */
  private static final class Log {
    final String requestId;
    final Instant time;
    final GatewayRequest request;
    String routeKey;
    String sub;
    String authorizerError;
    String integrationError;
    String integrationRequestId;
    Long integrationLatencyMs;

    Log(String requestId, Instant time, GatewayRequest request) {
      this.requestId = requestId;
      this.time = time;
      this.request = request;
    }

    String line(String region, GatewayResponse response, long latencyMs) {
      ObjectNode node = JSON.createObjectNode();
      node.put("requestId", requestId);
      node.put("ip", request.sourceIp());
      node.put("requestTime", PayloadV2.formatTime(time));
      node.put("httpMethod", request.method());
      node.put("path", request.rawPath());
      node.put("routeKey", dash(routeKey));
      node.put("status", Integer.toString(response.status()));
      node.put("responseLength", Integer.toString(response.body().length));
      node.put("responseLatency", Long.toString(latencyMs));
      node.put("integrationLatency", integrationLatencyMs == null ? "-" : Long.toString(integrationLatencyMs));
      node.put("integrationError", dash(integrationError));
      // $context.integration.requestId: for a Lambda integration, the RequestId of its REPORT line.
      node.put("integrationRequestId", dash(integrationRequestId));
      node.put("authorizerError", dash(authorizerError));
      node.put("sub", dash(sub));
      node.put("region", dash(region));
      try {
        return JSON.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        return "{\"requestId\":\"" + requestId + "\"}";
      }
    }

    private static String dash(String value) {
      return value == null || value.isEmpty() ? "-" : value;
    }
  }
}
