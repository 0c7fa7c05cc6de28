package dev.meridian.application.health;

import dev.meridian.domain.common.Validation;
import java.time.Duration;

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
}
