package dev.meridian.application.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code GET /health} answers: 200 with a body starting {@code {"status":"healthy"} or 503
 * with one starting {@code {"status":"unhealthy"} (the health function renders it).
 *
 * @param healthy      whether this region should take traffic (Route 53 matches {@code "status":"healthy"})
 * @param degraded     serving, but a shared dependency (replication, the reconcile queue) is behind or unknown
 * @param region       this region
 * @param mode         {@code active-active} or {@code active-passive}
 * @param role         {@code active}, {@code primary}, {@code standby}, or {@code unknown} when the
 *                     control item could not be read
 * @param control      the control item in force (epoch, primary, this region's kill switch); empty when unreadable
 * @param dynamodb     the control-item read, which doubles as the probe of this region's DynamoDB
 * @param replication  peers' heartbeats as seen from here
 * @param backlog      the reconcile queue's backlog (skipped when no queue is configured)
 * @param reasons      why the region is unhealthy or degraded, most severe first; empty when neither
 * @param checkedAt    this region's wall clock when the check started
 * @param elapsedMs    how long the whole check took
 */
public record HealthReport(
    boolean healthy,
    boolean degraded,
    String region,
    String mode,
    String role,
    Optional<Control> control,
    Check dynamodb,
    Replication replication,
    Backlog backlog,
    List<String> reasons,
    Instant checkedAt,
    long elapsedMs) {

  public HealthReport {
    reasons = List.copyOf(reasons);
  }

  /** 200 when healthy (degraded or not), 503 otherwise. */
  public int httpStatus() {
    return healthy ? 200 : 503;
  }

  /** The outcome of one dependency check. */
  public enum CheckStatus {
    OK("ok"), ERROR("error"), TIMEOUT("timeout"), SKIPPED("skipped");

    private final String label;

    CheckStatus(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One dependency check.
   *
   * @param reachable whether the dependency answered at all (false on a timeout or a transport error)
   * @param elapsedMs from the check's start to its answer or its timeout
   * @param detail    the error or timeout, empty when OK: safe for the public body (an error is
   *                  named by its exception's simple class name, never its message, which can name
   *                  the account and a role ARN)
   * @param cause     the error's own message, for the logs only; empty when OK or on a timeout
   */
  public record Check(CheckStatus status, boolean reachable, long elapsedMs, Optional<String> detail, Optional<String> cause) {
    /** A check without an error message to log. */
    public Check(CheckStatus status, boolean reachable, long elapsedMs, Optional<String> detail) {
      this(status, reachable, elapsedMs, detail, Optional.empty());
    }

    public boolean ok() {
      return status == CheckStatus.OK;
    }
  }

  /** The control item in force for this region. */
  public record Control(long epoch, String primaryRegion, boolean killSwitch) {}

  public enum PeerStatus {
    /** The latest heartbeat is within interval + slack. */
    OK("ok"),
    /** The latest heartbeat is older than interval + slack: replication lags or the peer stopped beating. */
    LAGGING("lagging"),
    /** No heartbeat from the peer has ever reached this replica. */
    MISSING("missing");

    private final String label;

    PeerStatus(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One heartbeat as seen from here. {@code ageMs = now - heartbeat.at};
   * {@code lagMs = max(0, ageMs - intervalMs - slackMs)}. Empty values when {@link PeerStatus#MISSING}.
   */
  public record PeerLag(String region, PeerStatus status, OptionalLong ageMs, OptionalLong intervalMs, OptionalLong lagMs) {}

  /**
   * @param check   the heartbeat query
   * @param slackMs the tolerance used in the lag formula
   * @param self    this region's own heartbeat (is the schedule running?)
   * @param peers   every other region of the deployment, sorted by name
   */
  public record Replication(Check check, long slackMs, Optional<PeerLag> self, List<PeerLag> peers) {
    public Replication {
      peers = List.copyOf(peers);
    }
  }

  /** @param messages SQS ApproximateNumberOfMessages of the reconcile queue, when the probe answered */
  public record Backlog(Check check, OptionalLong messages) {}
}
