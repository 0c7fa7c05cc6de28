package dev.meridian.tools.local.sources;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * One poller thread: {@link #pollOnce()} in a loop, with pause, wake-able back-off sleeps,
 * error back-off (100 ms doubling to 5 s, reset after a step that succeeds) and a bounded close.
 */
abstract class PollingSource implements EventSource {

  static final Duration ERROR_BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration ERROR_BACKOFF_MAX = Duration.ofSeconds(5);
  /** How long close() waits for an invocation in progress to finish. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  private static final System.Logger LOG = System.getLogger(PollingSource.class.getName());

  protected final String id;
  protected final String region;
  protected final String functionLogicalId;
  protected final Invoker invoker;
  protected final SourceClients.Session session;
  protected final Stats stats = new Stats();
  protected final Sleeper sleeper = new Sleeper();
  private final Backoff errorBackoff = new Backoff(ERROR_BACKOFF_MIN, ERROR_BACKOFF_MAX, 0);
  private final Object lifecycle = new Object();
  private volatile Duration sleeping = Duration.ZERO;
  private volatile boolean paused;
  protected volatile boolean closed;
  private Thread thread;

  PollingSource(String id, String region, String functionLogicalId, Invoker invoker, SourceClients clients) {
    this.id = Objects.requireNonNull(id, "id");
    this.region = Objects.requireNonNull(region, "region");
    this.functionLogicalId = Objects.requireNonNull(functionLogicalId, "functionLogicalId");
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    this.session = clients.session(region);
  }

  /** One step: fetch, invoke, settle; sleeps its own idle back-off through {@link #backOff}. */
  protected abstract void pollOnce();

  /** Called by {@link #close()} before waiting for the thread (e.g. to abort a long poll). */
  protected void onClose() {}

  protected abstract String threadName();

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final void start() {
    synchronized (lifecycle) {
      if (thread != null || closed) {
        return;
      }
      thread = new Thread(this::loop, threadName());
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void loop() {
    while (!closed) {
      if (paused) {
        sleeper.sleep(Duration.ofSeconds(1)); // resume() and close() wake it at once
        continue;
      }
      try {
        pollOnce();
        errorBackoff.reset();
      } catch (RuntimeException e) {
        if (closed) {
          break; // an aborted request on the way out
        }
        stats.error(describe(e));
        Duration delay = errorBackoff.next();
        LOG.log(Level.DEBUG, () -> id + " in " + region + ": " + describe(e) + "; retrying in " + delay.toMillis() + " ms");
        backOff(delay);
      }
    }
  }

  /** Sleeps {@code delay} (shown in the status as the current back-off); cut short by pause/close. */
  protected final void backOff(Duration delay) {
    sleeping = delay;
    try {
      sleeper.sleep(delay);
    } finally {
      sleeping = Duration.ZERO;
    }
  }

  protected final InvokeResult invoke(byte[] event, int items) {
    stats.invocations.incrementAndGet();
    stats.delivered.addAndGet(items);
    InvokeResult result = invoker.invoke(functionLogicalId, event);
    if (result.status() == InvokeResult.Status.THROTTLED) {
      stats.throttled.incrementAndGet();
      stats.error(describe(result));
    } else if (!result.succeeded()) {
      stats.failures.incrementAndGet();
      stats.error(describe(result));
    }
    return result;
  }

  static String describe(InvokeResult result) {
    String payload = result.payload() == null ? "" : new String(result.payload(), StandardCharsets.UTF_8);
    if (payload.length() > 500) {
      payload = payload.substring(0, 500) + "...";
    }
    return result.status() + " (request " + result.requestId() + ")" + (payload.isEmpty() ? "" : ": " + payload);
  }

  static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public final void pause() {
    paused = true;
    sleeper.wake();
  }

  @Override
  public final void resume() {
    paused = false;
    sleeper.wake();
  }

  @Override
  public final boolean isPaused() {
    return paused;
  }

  final boolean isRunning() {
    Thread t;
    synchronized (lifecycle) {
      t = thread;
    }
    return t != null && t.isAlive();
  }

  /** The back-off (idle, retry or error) being slept right now, zero when none. */
  final Duration currentBackoff() {
    return sleeping;
  }

  @Override
  public final void close() {
    Thread t;
    synchronized (lifecycle) {
      if (closed) {
        t = null;
      } else {
        closed = true;
        t = thread;
      }
    }
    sleeper.wake();
    onClose();
    if (t != null) {
      try {
        t.join(CLOSE_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.log(Level.WARNING, id + " in " + region + " still busy after " + CLOSE_TIMEOUT + "; leaving it");
      }
    }
    session.close();
  }

  protected final SourceStatus status(SourceStatus.Kind kind, String event, String resource, String description) {
    return new SourceStatus(id, kind, region, functionLogicalId, event, resource, description,
        stats.invocations.get(), stats.delivered.get(), stats.succeeded.get(), stats.failures.get(),
        stats.throttled.get(), stats.discarded.get(), stats.skipped.get(), stats.lastError(), stats.lastErrorAt(), paused,
        isRunning(), currentBackoff(), session.calls());
  }
}
