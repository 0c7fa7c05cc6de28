package dev.meridian.tools.local.sources;

import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.model.EventSourceSpec;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An EventBridge {@code rate(...)} schedule that invokes a function, as EventBridge does.
 *
 * <ul>
 *   <li>Fires every {@code periodSeconds × timeFactor} (0.1 turns a 1-minute rate into 6 s), the
 *       first time one period after {@link #start()} plus a jitter of up to 5 % of the period; then
 *       at a fixed rate (firings missed while the machine stalled are skipped, not caught up).
 *   <li>Sends the Scheduled Event ({@link LambdaEvents#scheduledEvent}) for the rule {@code
 *       arn:aws:events:<region>:123456789012:rule/<FunctionLogicalId><EventName>} (SAM's logical id
 *       of the rule it generates), or the template's constant {@code Input} verbatim.
 *   <li>A firing due while the previous invocation still runs is skipped (counted in {@code
 *       skipped}); there are no retries (Meridian's schedules set MaximumRetryAttempts 0).
 *   <li>Paused: firings are dropped (not queued). A schedule with {@code Enabled: false} never
 *       fires.
 * </ul>
 *
 * Two daemon threads: the timer and the invocation.
 */
public final class Scheduler implements EventSource {

  static final double JITTER = 0.05;
  private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

  private final String id;
  private final String region;
  private final String functionLogicalId;
  private final EventSourceSpec.Schedule spec;
  private final Invoker invoker;
  private final long periodNanos;
  private final String ruleArn;
  private final Stats stats = new Stats();
  private final Sleeper sleeper = new Sleeper();
  private final AtomicBoolean invoking = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private volatile boolean paused;
  private volatile boolean closed;
  private volatile Instant nextFiring;
  private Thread timer;
  private Thread worker;

  /**
   * @param region     the region the schedule's rule lives in
   * @param timeFactor multiplies the period (the local stack's time scale), > 0
   */
  public Scheduler(String region, String functionLogicalId, EventSourceSpec.Schedule spec, Invoker invoker,
      double timeFactor) {
    this.region = Objects.requireNonNull(region, "region");
    this.functionLogicalId = Objects.requireNonNull(functionLogicalId, "functionLogicalId");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    this.id = functionLogicalId + "." + spec.name();
    if (!(timeFactor > 0) || spec.periodSeconds() <= 0) {
      throw new IllegalArgumentException(id + ": need period > 0 and time factor > 0, got "
          + spec.periodSeconds() + " s × " + timeFactor);
    }
    this.periodNanos = Math.max(1_000_000L, Math.round(spec.periodSeconds() * timeFactor * 1e9));
    this.ruleArn = "arn:aws:events:" + region + ":" + Arns.DEFAULT_ACCOUNT + ":rule/" + functionLogicalId + spec.name();
  }

  @Override
  public String id() {
    return id;
  }

  /** The scaled period. */
  public Duration period() {
    return Duration.ofNanos(periodNanos);
  }

  public String ruleArn() {
    return ruleArn;
  }

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (timer != null || closed || !spec.enabled()) {
        return;
      }
      timer = new Thread(this::tick, "event-source-schedule-" + region + "-" + id);
      timer.setDaemon(true);
      timer.start();
    }
  }

  private void tick() {
    long jitter = (long) (ThreadLocalRandom.current().nextDouble(JITTER) * periodNanos);
    long next = System.nanoTime() + periodNanos + jitter;
    while (!closed) {
      nextFiring = Instant.now().plusNanos(next - System.nanoTime());
      long wait = next - System.nanoTime();
      if (wait > 0) {
        sleeper.sleep(Duration.ofNanos(wait));
        continue; // woken early (pause/resume/close) or on time: re-check
      }
      if (!paused) {
        fire();
      }
      long now = System.nanoTime();
      do {
        next += periodNanos;
      } while (next <= now); // skip firings missed while stalled
    }
    nextFiring = null;
  }

  private void fire() {
    if (!invoking.compareAndSet(false, true)) {
      stats.skipped.incrementAndGet();
      return;
    }
    synchronized (lifecycle) {
      if (closed) {
        invoking.set(false);
        return;
      }
      Instant time = Instant.now();
      worker = new Thread(() -> invoke(time), "event-source-schedule-invoke-" + region + "-" + id);
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void invoke(Instant time) {
    try {
      byte[] event = spec.inputJson() != null
          ? spec.inputJson().getBytes(StandardCharsets.UTF_8)
          : LambdaEvents.bytes(LambdaEvents.scheduledEvent(UUID.randomUUID().toString(), time, region,
              Arns.DEFAULT_ACCOUNT, ruleArn));
      stats.invocations.incrementAndGet();
      stats.delivered.incrementAndGet();
      InvokeResult result = invoker.invoke(functionLogicalId, event);
      if (result.succeeded()) {
        stats.succeeded.incrementAndGet();
      } else if (result.status() == InvokeResult.Status.THROTTLED) {
        // Lambda would keep an asynchronous event and retry it for up to 6 hours; a rate schedule
        // fires again within its period, so the local stack counts the throttle and moves on.
        stats.throttled.incrementAndGet();
        stats.error(PollingSource.describe(result));
      } else {
        stats.failures.incrementAndGet();
        stats.error(PollingSource.describe(result));
      }
    } catch (RuntimeException e) {
      stats.failures.incrementAndGet();
      stats.error(PollingSource.describe(e));
      LOG.log(Level.WARNING, id + " in " + region + ": invoker threw", e);
    } finally {
      invoking.set(false);
    }
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public boolean isPaused() {
    return paused;
  }

  /** When the timer fires next (null when stopped or disabled). */
  public Instant nextFiring() {
    return nextFiring;
  }

  @Override
  public SourceStatus status() {
    boolean running;
    synchronized (lifecycle) {
      running = timer != null && timer.isAlive();
    }
    String description = spec.enabled()
        ? String.format(java.util.Locale.ROOT, "every %.3f s (rate %d s)", periodNanos / 1e9, spec.periodSeconds())
        : "disabled";
    return new SourceStatus(id, SourceStatus.Kind.SCHEDULE, region, functionLogicalId, spec.name(), ruleArn,
        description, stats.invocations.get(), stats.delivered.get(), stats.succeeded.get(), stats.failures.get(),
        stats.throttled.get(), stats.discarded.get(), stats.skipped.get(), stats.lastError(), stats.lastErrorAt(), paused, running,
        Duration.ZERO, 0);
  }

  /** Stops the timer and waits (bounded) for an invocation in progress. */
  @Override
  public void close() {
    Thread t;
    Thread w;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      t = timer;
      w = worker;
    }
    sleeper.wake();
    join(t);
    join(w);
  }

  private void join(Thread thread) {
    if (thread == null) {
      return;
    }
    try {
      thread.join(PollingSource.CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.log(Level.WARNING, id + " in " + region + ": " + thread.getName() + " still busy; leaving it");
    }
  }
}
