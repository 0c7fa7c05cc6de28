package dev.meridian.function.health;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.meridian.application.health.HealthPolicy;
import dev.meridian.application.health.HealthReport;
import dev.meridian.application.health.HealthService;
import dev.meridian.bootstrap.InitPhases;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.health.HealthWiring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The health function: {@code GET /health} for Route 53 (HTTP API payload v2) and the regional
 * heartbeat (EventBridge scheduled event). A plain handler with no framework, so it starts fast.
 *
 * <ul>
 *   <li>{@code GET /health} → 200 {@code {"status":"healthy",...}} or 503
 *       {@code {"status":"unhealthy",...}} ({@link HealthService} decides, within its deadline);
 *       other paths 404, other methods 405, as {@code application/problem+json}.</li>
 *   <li>scheduled event ({@code source = aws.events}, {@code detail-type = Scheduled Event}) →
 *       writes this region's heartbeat and returns a summary; fails the invocation when DynamoDB
 *       cannot take it (so the Errors metric shows it).</li>
 * </ul>
 *
 * <p>Configuration and clients are built once per container, in the init phase, which also
 * primes the SDK (one call of each kind) so the first {@code /health} does not pay for class
 * loading inside its 800 ms check timeouts.
 */
public final class HealthHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  // First: its logging_ms is the logging system's start, which the logger below would otherwise pay unmeasured.
  private static final InitPhases INIT = InitPhases.begin();
  private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);
  static final String HEALTH_PATH = "/health";
  static final String HEALTH_ROUTE = "GET /health";
  /** How long the init phase may spend priming the SDK. */
  static final long PRIME_BUDGET_MS = 2000;

  private final HealthWiring wiring;
  private final MeridianConfig config;
  private final HealthService health;
  /** What the previous report said, so a change is logged at INFO and repeats at DEBUG. */
  private volatile String lastVerdict = "";

  /** The Lambda entry point: configuration from the environment, real clients, primed. */
  public HealthHandler() {
    this(INIT);
  }

  private HealthHandler(InitPhases init) {
    this(init.time("sdk_clients_and_wiring_ms", HealthWiring::fromEnvironment));
    init.time("priming_ms", () -> {
      prime();
      return null;
    });
    init.log();
  }

  /** The same function on a given wiring (tests), not primed. */
  public HealthHandler(HealthWiring wiring) {
    this.wiring = wiring;
    this.config = wiring.config();
    this.health = wiring.health();
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    if (context == null) {
      return dispatch(event);
    }
    return PowertoolsLogging.withLogging(context, () -> dispatch(event));
  }

  private Map<String, Object> dispatch(Map<String, Object> event) {
    Map<String, Object> http = map(map(event == null ? null : event.get("requestContext")).get("http"));
    if (!http.isEmpty()) {
      return http(String.valueOf(http.get("method")), string(event.get("rawPath")), string(event.get("routeKey")));
    }
    if (event != null && "aws.events".equals(event.get("source")) && "Scheduled Event".equals(event.get("detail-type"))) {
      return heartbeat();
    }
    LOG.warn("unsupported event", entry("keys", event == null ? List.of() : List.copyOf(event.keySet())));
    throw new IllegalArgumentException("unsupported event: expected an HTTP API (payload 2.0) request or a scheduled event");
  }

  // ------------------------------------------------------------------ GET /health

  private Map<String, Object> http(String method, String rawPath, String routeKey) {
    boolean healthPath = HEALTH_PATH.equals(rawPath) || (HEALTH_PATH + "/").equals(rawPath) || HEALTH_ROUTE.equals(routeKey);
    if (!healthPath) {
      return problem(404, "Not Found", "no route for " + method + " " + rawPath + "; this function serves GET /health",
          Map.of());
    }
    if (!"GET".equals(method)) {
      return problem(405, "Method Not Allowed", "/health answers GET only", Map.of("allow", "GET"));
    }
    String body;
    int status;
    try {
      HealthReport report = health.check();
      body = HealthJson.write(report);
      status = report.httpStatus();
      log(report);
    } catch (RuntimeException e) {
      // HealthService reports failures itself; this is the last line of defence: never a 500.
      LOG.error("health check failed unexpectedly", e);
      body = "{\"status\":\"unhealthy\",\"degraded\":false,\"region\":\"" + config.region()
          + "\",\"reasons\":[\"health check failed unexpectedly\"]}";
      status = 503;
    }
    return response(status, "application/json", body, Map.of());
  }

  private void log(HealthReport report) {
    String verdict = (report.healthy() ? "healthy" : "unhealthy") + (report.degraded() ? ",degraded" : "")
        + report.reasons().stream().map(r -> r.replaceAll("\\d+ ms", "")).toList();
    boolean changed = !verdict.equals(lastVerdict);
    lastVerdict = verdict;
    if (changed || LOG.isDebugEnabled()) {
      String message = changed ? "health changed" : "health";
      Object[] fields = {entry("status", report.healthy() ? "healthy" : "unhealthy"), entry("degraded", report.degraded()),
          entry("reasons", report.reasons()), entry("causes", causes(report)), entry("elapsedMs", report.elapsedMs())};
      if (changed && !report.healthy()) {
        LOG.warn(message, fields);
      } else if (changed) {
        LOG.info(message, fields);
      } else {
        LOG.debug(message, fields);
      }
    }
  }

  /** The failed checks' own error messages: the logs' detail, never the body's. */
  static List<String> causes(HealthReport report) {
    return java.util.stream.Stream.of(report.dynamodb(), report.replication().check(), report.backlog().check())
        .flatMap(check -> check.cause().stream()).toList();
  }

  // ------------------------------------------------------------------ scheduled heartbeat

  private Map<String, Object> heartbeat() {
    HealthService.Beat beat = health.beat();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("heartbeat", beat.written() ? "written" : "skipped: a later heartbeat is stored");
    summary.put("region", beat.heartbeat().region());
    summary.put("at", beat.heartbeat().at().toString());
    summary.put("intervalMs", beat.heartbeat().interval().toMillis());
    LOG.info("heartbeat", entry("written", beat.written()), entry("at", summary.get("at")),
        entry("intervalMs", summary.get("intervalMs")));
    return summary;
  }

  // ------------------------------------------------------------------ init

  /**
   * Makes one call of each kind (control item, heartbeats, backlog) without the check timeouts,
   * then one bounded health check whose report is rendered and logged, so class loading,
   * connection set-up and the JSON log layout's first use happen in the init phase rather than
   * inside the first request's 800 ms check timeouts. The direct calls are bounded by
   * {@link #PRIME_BUDGET_MS}, the check by the policy's deadline; failures are ignored here (the
   * first request reports them).
   */
  void prime() {
    long started = System.nanoTime();
    long until = started + TimeUnit.MILLISECONDS.toNanos(PRIME_BUDGET_MS);
    List<Future<?>> calls = new java.util.ArrayList<>();
    calls.add(wiring.executor().submit(wiring.control()::current));
    calls.add(wiring.executor().submit(wiring.heartbeats()::findAll));
    wiring.backlog().ifPresent(probe -> calls.add(wiring.executor().submit(probe::approximateMessages)));
    boolean allAnswered = true;
    for (Future<?> call : calls) {
      try {
        call.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        allAnswered = false;
      } catch (Exception e) {
        allAnswered = false;
      }
    }
    HealthReport report = health.check();
    HealthJson.write(report);
    HealthPolicy policy = health.policy();
    LOG.info("initialized", entry("region", config.region()), entry("mode", config.mode().label()),
        entry("table", config.tableName()), entry("peers", config.peerRegions()),
        entry("reconcileQueue", config.reconcileQueueUrl().isPresent()),
        entry("checkTimeoutMs", policy.checkTimeout().toMillis()), entry("deadlineMs", policy.deadline().toMillis()),
        entry("heartbeatIntervalMs", policy.heartbeatInterval().toMillis()),
        entry("heartbeatSlackMs", policy.heartbeatSlack().toMillis()),
        entry("primeMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)), entry("primedCallsAnswered", allAnswered),
        entry("status", report.healthy() ? "healthy" : "unhealthy"), entry("reasons", report.reasons()));
  }

  // ------------------------------------------------------------------ responses

  static Map<String, Object> response(int status, String contentType, String body, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", contentType);
    headers.put("cache-control", "no-store");
    headers.putAll(extraHeaders);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("statusCode", status);
    response.put("headers", headers);
    response.put("body", body);
    response.put("isBase64Encoded", false);
    return response;
  }

  private static Map<String, Object> problem(int status, String title, String detail, Map<String, String> headers) {
    StringBuilder body = new StringBuilder(160);
    body.append("{\"type\":\"about:blank\",\"title\":");
    Json.string(body, title);
    body.append(",\"status\":").append(status).append(",\"detail\":");
    Json.string(body, detail);
    body.append('}');
    return response(status, "application/problem+json", body.toString(), headers);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Object value) {
    return value == null ? "" : value.toString();
  }

  /** JSON string escaping for the small problem bodies (the report has its own writer). */
  static final class Json {
    private Json() {}

    static void string(StringBuilder b, String s) {
      b.append('"');
      for (int i = 0; i < s.length() && i < 300; i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20 || c > 0x7e) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
  }
}
