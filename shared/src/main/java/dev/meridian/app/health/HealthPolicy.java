package dev.meridian.app.health;

import dev.meridian.domain.common.Validation;
import dev.meridian.domain.common.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The health check's time budget and thresholds.
 *
 * <p>Route 53 gives an endpoint 2 s to answer after connecting. The checks run in parallel, each
 * with its own {@code checkTimeout}, under a hard overall {@code deadline} that is capped at
 * {@link #MAX_DEADLINE}, leaving the rest of the 2 s to Lambda, API Gateway and the network.
 *
 * <p>Replication lag, per peer {@code p} (see {@link HealthService}):
 * <pre>  lag(p) = max(0, now - heartbeat(p).at - heartbeat(p).interval - slack)</pre>
 * where {@code slack} = {@code heartbeatSlack} (default: a quarter of the interval) absorbs the
 * schedule's jitter, the writer's own latency and normal replication delay.
 *
 * @param checkTimeout         the most any single dependency check may take
 * @param deadline             the hard bound on all checks together (checks run in parallel)
 * @param heartbeatInterval    this region's heartbeat schedule, written into its heartbeat item
 * @param heartbeatSlack       tolerance added to a heartbeat's interval before it counts as late
 * @param backlogDegradedAt    a reconcile backlog of this many messages or more marks the region degraded
 */
public record HealthPolicy(Duration checkTimeout, Duration deadline, Duration heartbeatInterval,
    Duration heartbeatSlack, long backlogDegradedAt) {

  /** Upper bound on {@link #deadline}: under Route 53's 2 s with room for Lambda and the gateway. */
  public static final Duration MAX_DEADLINE = Duration.ofMillis(1500);
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(800);
  public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(1000);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
  public static final long DEFAULT_BACKLOG_DEGRADED_AT = 1000;

  public static final String CHECK_TIMEOUT_MS = "HEALTH_CHECK_TIMEOUT_MS";
  public static final String DEADLINE_MS = "HEALTH_DEADLINE_MS";
  /** Milliseconds, so a local stack that compresses time (a 1-minute rate run every 600 ms) can say so. */
  public static final String HEARTBEAT_INTERVAL_MS = "HEARTBEAT_INTERVAL_MS";
  public static final String HEARTBEAT_SLACK_MS = "HEARTBEAT_SLACK_MS";
  public static final String BACKLOG_DEGRADED_AT = "RECONCILE_BACKLOG_DEGRADED_AT";

  /** The optional variables {@link #from} reads; each has a default. */
  public static final List<String> VARIABLES = List.of(CHECK_TIMEOUT_MS, DEADLINE_MS, HEARTBEAT_INTERVAL_MS,
      HEARTBEAT_SLACK_MS, BACKLOG_DEGRADED_AT);

  public HealthPolicy {
    Validation v = Validation.start();
    if (v.notNull(checkTimeout, "checkTimeout") && v.notNull(deadline, "deadline")) {
      v.range(checkTimeout.toMillis(), 10, MAX_DEADLINE.toMillis(), "checkTimeout");
      v.range(deadline.toMillis(), checkTimeout.toMillis(), MAX_DEADLINE.toMillis(), "deadline");
    }
    if (v.notNull(heartbeatInterval, "heartbeatInterval")) {
      v.range(heartbeatInterval.toMillis(), 1, Duration.ofHours(1).toMillis(), "heartbeatInterval");
    }
    if (v.notNull(heartbeatSlack, "heartbeatSlack")) {
      v.require(!heartbeatSlack.isNegative(), "heartbeatSlack", "must not be negative");
    }
    v.require(backlogDegradedAt >= 1, "backlogDegradedAt", "must be at least 1");
    v.orThrow();
  }

  public static HealthPolicy defaults() {
    return new HealthPolicy(DEFAULT_CHECK_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_HEARTBEAT_INTERVAL.dividedBy(4), DEFAULT_BACKLOG_DEGRADED_AT);
  }

  /** Reads the optional variables in {@link #VARIABLES}; a malformed one fails naming it. */
  public static HealthPolicy from(Map<String, String> env) {
    Duration checkTimeout = Duration.ofMillis(number(env, CHECK_TIMEOUT_MS, DEFAULT_CHECK_TIMEOUT.toMillis()));
    Duration deadline = Duration.ofMillis(number(env, DEADLINE_MS, DEFAULT_DEADLINE.toMillis()));
    Duration interval = Duration.ofMillis(number(env, HEARTBEAT_INTERVAL_MS, DEFAULT_HEARTBEAT_INTERVAL.toMillis()));
    Duration slack = env.containsKey(HEARTBEAT_SLACK_MS) && !env.get(HEARTBEAT_SLACK_MS).isBlank()
        ? Duration.ofMillis(number(env, HEARTBEAT_SLACK_MS, 0))
        : interval.dividedBy(4);
    return new HealthPolicy(checkTimeout, deadline, interval, slack,
        number(env, BACKLOG_DEGRADED_AT, DEFAULT_BACKLOG_DEGRADED_AT));
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ValidationException.of(name, "must be a whole number, not " + value);
    }
  }
}
