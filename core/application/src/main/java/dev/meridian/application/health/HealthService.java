package dev.meridian.application.health;

import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.UseCase;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.control.ControlService.ControlView;
import dev.meridian.application.control.Deployment;
import dev.meridian.application.control.DeploymentMode;
import dev.meridian.application.health.HealthReport.Backlog;
import dev.meridian.application.health.HealthReport.Check;
import dev.meridian.application.health.HealthReport.CheckStatus;
import dev.meridian.application.health.HealthReport.Control;
import dev.meridian.application.health.HealthReport.PeerLag;
import dev.meridian.application.health.HealthReport.PeerStatus;
import dev.meridian.application.health.HealthReport.Replication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The region's health (design section 5) and its heartbeat.
 *
 * <p>{@link #check()} runs three checks in parallel, each bounded by
 * {@link HealthPolicy#checkTimeout()}, all bounded by {@link HealthPolicy#deadline()}; a check that
 * has not answered by then is reported {@code timeout} and abandoned (its thread is interrupted),
 * so the report always comes within the deadline plus rendering time:
 *
 * <ol>
 *   <li><b>dynamodb</b>: the control item, read consistently from this region's replica. It is
 *       both the DynamoDB reachability probe and the source of the kill switch and the epoch.</li>
 *   <li><b>replication</b>: every heartbeat item in this replica. For each peer {@code p}:
 *       <pre>  ageMs(p) = now - heartbeat(p).at
 *  lagMs(p) = max(0, ageMs(p) - heartbeat(p).interval - slack)</pre>
 *       {@code now} is this region's clock, {@code interval} the peer's own schedule (written in
 *       its item), {@code slack} {@link HealthPolicy#heartbeatSlack()}. A peer that beats on time
 *       and replicates promptly has {@code ageMs <= interval + jitter + replication delay}, so
 *       {@code lagMs > 0} means the replication delay from {@code p} (or {@code p}'s outage) is at
 *       least {@code lagMs}. Both cases degrade, neither fails this region.</li>
 *   <li><b>backlog</b>: the reconcile queue's approximate number of messages, when configured.</li>
 * </ol>
 *
 * <p>Verdict: <b>unhealthy</b> (503) when the control item cannot be read (DynamoDB unreachable or
 * timing out: the region cannot serve), when this region's kill switch is engaged, or, in
 * active-passive mode once a promotion happened (epoch &ge; 1), when this region is not the
 * control item's primary (fencing: a recovered old primary cannot take traffic back). At epoch 0
 * the configured standby is healthy. <b>Degraded</b> (still 200) when a peer heartbeat is late or
 * missing, this region's own heartbeat is late or missing, the heartbeat query fails, the backlog
 * cannot be read, or it reaches {@link HealthPolicy#backlogDegradedAt()}: shared dependencies fail
 * open.
 */
@UseCase
public final class HealthService {
  private final ControlService control;
  private final HeartbeatRepository heartbeats;
  private final Optional<BacklogProbe> backlog;
  private final HealthPolicy policy;
  private final Clock clock;
  private final ExecutorService executor;

  public HealthService(ControlService control, HeartbeatRepository heartbeats, Optional<BacklogProbe> backlog,
      HealthPolicy policy, Clock clock, ExecutorService executor) {
    this.control = control;
    this.heartbeats = heartbeats;
    this.backlog = backlog;
    this.policy = policy;
    this.clock = clock;
    this.executor = executor;
  }

  /**
   * Threads for the checks: created on demand, at most 32 (a hung call holds one until its client
   * times out), daemon, idle ones retired after 30 s.
   */
  public static ExecutorService newCheckExecutor() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, "health-check-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  public HealthPolicy policy() {
    return policy;
  }

  public Deployment deployment() {
    return control.deployment();
  }

  /** The heartbeat the schedule writes: this region, now, this region's interval. */
  public record Beat(Heartbeat heartbeat, boolean written) {}

  /**
   * Writes this region's heartbeat.
   *
   * @throws StoreUnavailableException when DynamoDB cannot take it
   */
  public Beat beat() {
    Heartbeat heartbeat = new Heartbeat(control.deployment().region(), clock.instant().truncatedTo(ChronoUnit.MILLIS),
        policy.heartbeatInterval());
    return new Beat(heartbeat, heartbeats.save(heartbeat));
  }

  public HealthReport check() {
    long started = System.nanoTime();
    Instant now = clock.instant();
    long deadline = started + policy.deadline().toNanos();
    Pending<ControlView> controlCall = start(control::current);
    Pending<List<Heartbeat>> heartbeatCall = start(heartbeats::findAll);
    Pending<Long> backlogCall = backlog.map(probe -> start(probe::approximateMessages)).orElse(null);

    Outcome<ControlView> controlOutcome = controlCall.await(deadline);
    Outcome<List<Heartbeat>> heartbeatOutcome = heartbeatCall.await(deadline);
    Outcome<Long> backlogOutcome = backlogCall == null ? null : backlogCall.await(deadline);

    Deployment deployment = control.deployment();
    String region = deployment.region();
    List<String> failures = new ArrayList<>();
    List<String> degradations = new ArrayList<>();

    // dynamodb + control
    Check dynamodb = controlOutcome.check();
    Optional<Control> controlSummary = Optional.empty();
    String role = "unknown";
    if (controlOutcome.value().isPresent()) {
      ControlView view = controlOutcome.value().get();
      boolean killed = view.state().isKilled(region);
      controlSummary = Optional.of(new Control(view.state().epoch(), view.state().primaryRegion(), killed));
      role = view.role();
      if (killed) {
        failures.add("kill switch engaged for " + region);
      }
      if (deployment.mode() == DeploymentMode.ACTIVE_PASSIVE && view.state().epoch() >= 1
          && !view.state().primaryRegion().equals(region)) {
        failures.add("fenced: " + view.state().primaryRegion() + " is the primary of epoch " + view.state().epoch());
      }
    } else if (dynamodb.reachable()) {
      failures.add("control item unreadable: " + dynamodb.detail().orElse("unknown error"));
    } else {
      failures.add("dynamodb unreachable: " + dynamodb.detail().orElse("unknown error"));
    }

    Replication replication = replication(deployment, now, heartbeatOutcome, degradations);
    Backlog backlogReport = backlog(backlogOutcome, degradations);

    List<String> reasons = new ArrayList<>(failures);
    reasons.addAll(degradations);
    return new HealthReport(failures.isEmpty(), !degradations.isEmpty(), region, deployment.mode().label(), role,
        controlSummary, dynamodb, replication, backlogReport, reasons, now,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private Replication replication(Deployment deployment, Instant now, Outcome<List<Heartbeat>> outcome,
      List<String> degradations) {
    long slackMs = policy.heartbeatSlack().toMillis();
    if (outcome.value().isEmpty()) {
      degradations.add("replication unknown: heartbeats " + outcome.check().status().label() + ": "
          + outcome.check().detail().orElse(""));
      return new Replication(outcome.check(), slackMs, Optional.empty(), List.of());
    }
    Map<String, Heartbeat> latest = new HashMap<>();
    for (Heartbeat h : outcome.value().get()) {
      latest.merge(h.region(), h, (a, b) -> a.at().isAfter(b.at()) ? a : b);
    }
    PeerLag self = lag(deployment.region(), latest.get(deployment.region()), now, slackMs);
    if (self.status() != PeerStatus.OK) {
      degradations.add("own heartbeat " + describe(self) + ": is the heartbeat schedule running?");
    }
    List<PeerLag> peers = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (String peer : deployment.regions().stream().sorted().toList()) {
      if (peer.equals(deployment.region())) {
        continue;
      }
      PeerLag lag = lag(peer, latest.get(peer), now, slackMs);
      peers.add(lag);
      if (lag.status() != PeerStatus.OK) {
        late.add(peer + " " + describe(lag));
      }
    }
    if (!late.isEmpty()) {
      // One reason whatever the number of peers, so the body stays small; the peers list has the numbers.
      degradations.add(late.size() == 1
          ? "replication: " + late.get(0)
          : "replication: " + late.size() + " peers late or missing, first " + late.get(0));
    }
    return new Replication(outcome.check(), slackMs, Optional.of(self), peers);
  }

  private static PeerLag lag(String region, Heartbeat heartbeat, Instant now, long slackMs) {
    if (heartbeat == null) {
      return new PeerLag(region, PeerStatus.MISSING, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }
    long ageMs = Duration.between(heartbeat.at(), now).toMillis();
    long intervalMs = heartbeat.interval().toMillis();
    long lagMs = Math.max(0, ageMs - intervalMs - slackMs);
    return new PeerLag(region, lagMs > 0 ? PeerStatus.LAGGING : PeerStatus.OK, OptionalLong.of(ageMs),
        OptionalLong.of(intervalMs), OptionalLong.of(lagMs));
  }

  private static String describe(PeerLag lag) {
    return lag.status() == PeerStatus.MISSING ? "missing" : "lags " + lag.lagMs().orElse(0) + " ms";
  }

  private Backlog backlog(Outcome<Long> outcome, List<String> degradations) {
    if (outcome == null) {
      return new Backlog(new Check(CheckStatus.SKIPPED, false, 0, Optional.of("no reconcile queue configured")),
          OptionalLong.empty());
    }
    if (outcome.value().isEmpty()) {
      degradations.add("reconcile backlog unknown: " + outcome.check().status().label() + ": "
          + outcome.check().detail().orElse(""));
      return new Backlog(outcome.check(), OptionalLong.empty());
    }
    long messages = outcome.value().get();
    if (messages >= policy.backlogDegradedAt()) {
      degradations.add("reconcile backlog " + messages + " >= " + policy.backlogDegradedAt() + " messages");
    }
    return new Backlog(outcome.check(), OptionalLong.of(messages));
  }

  // ------------------------------------------------------------------ bounded calls

  private <T> Pending<T> start(Callable<T> call) {
    long submitted = System.nanoTime();
    try {
      return new Pending<>(executor.submit(call), submitted, null);
    } catch (RejectedExecutionException e) {
      return new Pending<>(null, submitted, e);
    }
  }

  private final class Pending<T> {
    private final Future<T> future;
    private final long submitted;
    private final RejectedExecutionException rejected;

    Pending(Future<T> future, long submitted, RejectedExecutionException rejected) {
      this.future = future;
      this.submitted = submitted;
      this.rejected = rejected;
    }

    /** Waits until this check's own timeout or the overall deadline, whichever comes first. */
    Outcome<T> await(long overallDeadline) {
      if (rejected != null) {
        return Outcome.failed(new Check(CheckStatus.ERROR, true, 0, Optional.of("no thread free for the check")));
      }
      long timeoutNanos = policy.checkTimeout().toNanos();
      long until = Math.min(submitted + timeoutNanos, overallDeadline);
      try {
        T value = future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new Outcome<>(Optional.ofNullable(value), new Check(CheckStatus.OK, true, elapsedMs(), Optional.empty()));
      } catch (TimeoutException e) {
        future.cancel(true);
        return Outcome.failed(new Check(CheckStatus.TIMEOUT, false, elapsedMs(),
            Optional.of("no answer within " + TimeUnit.NANOSECONDS.toMillis(until - submitted) + " ms")));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean unreachable = cause instanceof StoreUnavailableException;
        return Outcome.failed(new Check(CheckStatus.ERROR, !unreachable, elapsedMs(), Optional.of(describe(cause)),
            Optional.of(cause.getClass().getName() + ": " + cause.getMessage())));
      } catch (InterruptedException e) {
        future.cancel(true);
        Thread.currentThread().interrupt();
        return Outcome.failed(new Check(CheckStatus.TIMEOUT, false, elapsedMs(), Optional.of("interrupted")));
      }
    }

    private long elapsedMs() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted);
    }
  }

  /**
   * What the public body says of a failed check: the exception's simple class name. Its message
   * goes to the logs only ({@link Check#cause}): an AWS error message names the account and the
   * role ARN, and a public endpoint must not hand those to anyone who asks.
   */
  private static String describe(Throwable t) {
    return t.getClass().getSimpleName();
  }

  private record Outcome<T>(Optional<T> value, Check check) {
    static <T> Outcome<T> failed(Check check) {
      return new Outcome<>(Optional.empty(), check);
    }
  }
}
