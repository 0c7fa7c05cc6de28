package dev.meridian.bootstrap;

import dev.meridian.application.health.HealthPolicy;
import dev.meridian.domain.common.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The health function's optional variables, read once into a {@link HealthPolicy}; each has a
 * default, and a malformed one fails the init phase naming it.
 */
public final class HealthSettings {
  public static final String CHECK_TIMEOUT_MS = "HEALTH_CHECK_TIMEOUT_MS";
  public static final String DEADLINE_MS = "HEALTH_DEADLINE_MS";
  /** Milliseconds, so a local stack that compresses time (a 1-minute rate run every 600 ms) can say so. */
  public static final String HEARTBEAT_INTERVAL_MS = "HEARTBEAT_INTERVAL_MS";
  public static final String HEARTBEAT_SLACK_MS = "HEARTBEAT_SLACK_MS";
  public static final String BACKLOG_DEGRADED_AT = "RECONCILE_BACKLOG_DEGRADED_AT";

  /** Every variable {@link #from} reads (the template contract test checks their names). */
  public static final List<String> VARIABLES = List.of(CHECK_TIMEOUT_MS, DEADLINE_MS, HEARTBEAT_INTERVAL_MS,
      HEARTBEAT_SLACK_MS, BACKLOG_DEGRADED_AT);

  private HealthSettings() {}

  public static HealthPolicy from(Map<String, String> env) {
    Validation v = Validation.start();
    long hour = Duration.ofHours(1).toMillis();
    Duration checkTimeout = millis(env, CHECK_TIMEOUT_MS, HealthPolicy.DEFAULT_CHECK_TIMEOUT, hour, v);
    Duration deadline = millis(env, DEADLINE_MS, HealthPolicy.DEFAULT_DEADLINE, hour, v);
    Duration interval = millis(env, HEARTBEAT_INTERVAL_MS, HealthPolicy.DEFAULT_HEARTBEAT_INTERVAL, hour, v);
    Duration slack = millis(env, HEARTBEAT_SLACK_MS, interval.dividedBy(4), hour, v);
    long backlog = MeridianConfig.number(env, BACKLOG_DEGRADED_AT, HealthPolicy.DEFAULT_BACKLOG_DEGRADED_AT, 1,
        Long.MAX_VALUE, v);
    v.orThrow();
    return new HealthPolicy(checkTimeout, deadline, interval, slack, backlog);
  }

  private static Duration millis(Map<String, String> env, String name, Duration fallback, long max, Validation v) {
    return Duration.ofMillis(MeridianConfig.number(env, name, fallback.toMillis(), 0, max, v));
  }
}
