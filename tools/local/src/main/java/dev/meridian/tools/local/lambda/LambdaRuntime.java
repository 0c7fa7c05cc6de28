package dev.meridian.tools.local.lambda;

import dev.meridian.tools.local.lambda.ExecutionEnvironment.Invocation;
import dev.meridian.tools.local.lambda.ExecutionEnvironment.Outcome;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult.Status;
import dev.meridian.tools.local.model.FunctionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The functions of one region, run the way Lambda runs them: each in its own {@code java} process
 * under the real AWS Lambda Java runtime interface client, fed through a Lambda Runtime API.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>Execution environments scale out as on Lambda.</b> Each environment runs one invocation
 *       at a time. An invocation takes an idle environment of its function; when all are busy it
 *       starts a new one (a real cold start: the deployment package ({@link FunctionSpec#codeUri()},
 *       resolved against {@link Options#codeBaseDir()}) is extracted once per content, a Runtime
 *       API server is started on {@code 127.0.0.1:<free port>}, and {@code java ... AWSLambda
 *       <handler>} is launched with the package as working directory, the RIC's task root), up to
 *       the function's reserved concurrency or {@link Scaling#maxPerFunction()}, and within the
 *       {@link Scaling#budget()} shared by the whole stack; beyond those it returns {@link
 *       Status#THROTTLED} at once. Only one environment of a function initializes at a time (a
 *       local departure, see {@link EnvironmentPool}). Environments idle for {@link
 *       Scaling#idleTimeout()} are stopped; the next invocation cold-starts again.
 *   <li><b>Timeout</b>: an invocation not answered within {@link FunctionSpec#timeoutSeconds()}, or
 *       the value {@link #setTimeout} set (counted from when the event is handed to the warm runtime),
 *       returns {@link Status#TIMEOUT} at once; the process tree is killed and the next invocation
 *       cold-starts. The init phase is bounded
 *       separately by {@link Options#initTimeout()} (Lambda allows 10 s, then retries init within
 *       the invocation; locally several JVMs may cold-start at once, so the default is 30 s).
 *   <li><b>Errors</b>: a handler exception is {@link Status#FUNCTION_ERROR} with the runtime's error
 *       JSON ({@code errorMessage}, {@code errorType}, {@code stackTrace}); an init error reported on
 *       {@code /runtime/init/error}, a process exit or a failed launch is {@link
 *       Status#RUNTIME_ERROR} (payload {@code errorType}/{@code errorMessage}) and the next
 *       invocation cold-starts. An event the runtime never received (process died before its
 *       {@code /next}) is retried once on a fresh environment.
 *   <li><b>Environment</b>: exactly Lambda's (see {@link LaunchPlan#environment}), nothing else of
 *       this JVM's environment but PATH, HOME and LANG; {@link Options#extraEnvironment()} (e.g.
 *       {@code AWS_ENDPOINT_URL} of the emulator) is added to every function.
 *   <li><b>Logs</b>: a process's stdout and stderr, and the platform lines ({@code INIT_START},
 *       {@code START}, {@code END}, {@code REPORT}, timeouts) are appended to {@code
 *       <logDir>/<region>/<logicalId>.log}; the platform lines also go to {@link
 *       Options#platformLog()} prefixed {@code [<region>/<logicalId>] }.
 *   <li>{@link #close()} kills every process tree (SIGTERM, SIGKILL after {@link
 *       Options#shutdownGrace()}) and stops every server; a JVM shutdown hook does the same if the
 *       runtime is never closed. Thread-safe.
 * </ul>
 */
public final class LambdaRuntime implements Invoker, AutoCloseable {

  /**
   * Configuration shared by all functions of a region.
   *
   * @param aotCache whether SnapStart functions are "published" to an ahead-of-time cache that their
   *                 environments start from ({@link PublishedVersions}); off, they start without one
   */
  public record Options(Path codeBaseDir, Path workDir, Path logDir, Map<String, String> extraEnvironment,
      Consumer<String> platformLog, String accountId, String stackName, Duration initTimeout, Duration shutdownGrace,
      boolean aotCache) {

    public Options {
      Objects.requireNonNull(codeBaseDir, "codeBaseDir");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(logDir, "logDir");
      extraEnvironment = Map.copyOf(extraEnvironment);
      Objects.requireNonNull(platformLog, "platformLog");
      Objects.requireNonNull(accountId, "accountId");
      Objects.requireNonNull(stackName, "stackName");
      Objects.requireNonNull(initTimeout, "initTimeout");
      Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    /**
     * Defaults: logs in {@code <workDir>/logs}, no extra environment, platform lines to the {@code
     * dev.meridian.tools.local.lambda} System.Logger at INFO, account 123456789012 (moto's default),
     * stack name {@code meridian}, init timeout 30 s, shutdown grace 2 s, SnapStart functions published
     * to an AOT cache.
     *
     * @param codeBaseDir what {@link FunctionSpec#codeUri()} is relative to (the template's directory)
     * @param workDir     where packages are extracted and the runtime's native library is kept
     */
    public static Options defaults(Path codeBaseDir, Path workDir) {
      System.Logger logger = System.getLogger("dev.meridian.tools.local.lambda");
      return new Options(codeBaseDir, workDir, workDir.resolve("logs"), Map.of(),
          line -> logger.log(System.Logger.Level.INFO, line), "123456789012", "meridian", Duration.ofSeconds(30),
          Duration.ofSeconds(2), true);
    }

    public Options withLogDir(Path dir) {
      return new Options(codeBaseDir, workDir, dir, extraEnvironment, platformLog, accountId, stackName, initTimeout,
          shutdownGrace, aotCache);
    }

    public Options withExtraEnvironment(Map<String, String> env) {
      return new Options(codeBaseDir, workDir, logDir, env, platformLog, accountId, stackName, initTimeout,
          shutdownGrace, aotCache);
    }

    public Options withPlatformLog(Consumer<String> sink) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, sink, accountId, stackName, initTimeout,
          shutdownGrace, aotCache);
    }

    public Options withAccountId(String id) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, id, stackName, initTimeout,
          shutdownGrace, aotCache);
    }

    public Options withStackName(String name) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, name, initTimeout,
          shutdownGrace, aotCache);
    }

    public Options withInitTimeout(Duration timeout) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, stackName, timeout,
          shutdownGrace, aotCache);
    }

    public Options withShutdownGrace(Duration grace) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, stackName,
          initTimeout, grace, aotCache);
    }

    public Options withAotCache(boolean on) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, stackName, initTimeout,
          shutdownGrace, on);
    }
  }

  /**
   * How far functions scale out.
   *
   * @param budget         environments alive at once across the stack (shared by every region's runtime)
   * @param maxPerFunction environments of one function when the template reserves no concurrency for it
   * @param idleTimeout    how long an environment may stay idle before it is stopped
   */
  public record Scaling(EnvironmentBudget budget, int maxPerFunction, Duration idleTimeout) {
    /** {@code --max-environments-per-function}. */
    public static final int DEFAULT_MAX_PER_FUNCTION = 3;
    /** {@code --idle-timeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);

    public Scaling {
      Objects.requireNonNull(budget, "budget");
      if (maxPerFunction < 1) {
        throw new IllegalArgumentException("at least one environment per function, not " + maxPerFunction);
      }
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
      }
    }

    /** A budget of its own of {@link EnvironmentBudget#DEFAULT_MAX}, 3 per function, 300 s idle timeout. */
    public static Scaling defaults() {
      return new Scaling(new EnvironmentBudget(EnvironmentBudget.DEFAULT_MAX), DEFAULT_MAX_PER_FUNCTION,
          DEFAULT_IDLE_TIMEOUT);
    }
  }

  private static final System.Logger LOG = System.getLogger(LambdaRuntime.class.getName());
  /** How long a training run may take, the AOT cache's assembly included. */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofMinutes(5);
  /** How often idle environments are looked for, at most. */
  private static final Duration REAP_PERIOD_MAX = Duration.ofSeconds(5);

  private final String region;
  private final Options options;
  private final Scaling scaling;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Set<ExecutionEnvironment> live = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService reaper;
  private final Thread shutdownHook;
  private volatile boolean closed;
  private RuntimeInterfaceClient ric; // guarded by this
  private final List<Thread> publishing = new ArrayList<>();

  /** With {@link Scaling#defaults()}: a budget of its own. */
  public LambdaRuntime(String region, Collection<FunctionSpec> functions, Options options) {
    this(region, functions, options, Scaling.defaults());
  }

  /**
   * @param region    the region these functions belong to ({@code AWS_REGION})
   * @param functions the region's functions (logical ids must be unique)
   * @param scaling   how far they scale out; pass the same budget to every region's runtime
   */
  public LambdaRuntime(String region, Collection<FunctionSpec> functions, Options options, Scaling scaling) {
    this.region = Objects.requireNonNull(region, "region");
    this.options = Objects.requireNonNull(options, "options");
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    for (FunctionSpec spec : functions) {
      if (slots.put(spec.logicalId(), new Slot(spec)) != null) {
        throw new IllegalArgumentException("Duplicate function logical id " + spec.logicalId());
      }
    }
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lambda-runtime-reaper-" + region);
      t.setDaemon(true);
      return t;
    });
    long period = Math.max(100, Math.min(REAP_PERIOD_MAX.toMillis(), scaling.idleTimeout().toMillis() / 10));
    reaper.scheduleWithFixedDelay(this::reclaimIdle, period, period, TimeUnit.MILLISECONDS);
    this.shutdownHook = new Thread(this::killAll, "lambda-runtime-shutdown-" + region);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    if (options.aotCache()) {
      // Publish before the first request, as a deployment does: a cold start then finds the cache
      // built (or waits for the training run already under way) instead of training on a caller's time.
      for (Slot slot : slots.values()) {
        if (slot.spec.snapStart()) {
          publishing.add(Thread.ofPlatform().daemon().name("lambda-runtime-publish-" + region + "-" + slot.spec.logicalId())
              .start(slot::publishAhead));
        }
      }
    }
  }

  public String region() {
    return region;
  }

  /**
   * Waits until every SnapStart function's version is published (its AOT cache built, or its training
   * failed), as a deployment waits before it takes traffic; false if some is still training after
   * {@code timeout}.
   */
  public boolean awaitPublished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread training : publishing) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !training.join(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  /** The logical ids of this region's functions, in template order. */
  public List<String> functionLogicalIds() {
    return List.copyOf(slots.keySet());
  }

  /** {@code <stackName>-<region>-<logicalId>}. */
  public String functionName(String functionLogicalId) {
    return slot(functionLogicalId).name;
  }

  /** {@code arn:aws:lambda:<region>:<account>:function:<name>}. */
  public String functionArn(String functionLogicalId) {
    return slot(functionLogicalId).arn;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs at once on an idle or a new execution environment, or returns {@link Status#THROTTLED};
   * it waits only while another environment of the same function initializes (see the class
   * contract).
   *
   * @throws IllegalArgumentException for an unknown logical id
   */
  @Override
  public InvokeResult invoke(String functionLogicalId, byte[] eventJson) {
    Slot slot = slot(functionLogicalId);
    Objects.requireNonNull(eventJson, "eventJson");
    String requestId = UUID.randomUUID().toString();
    try {
      return slot.invoke(requestId, eventJson);
    } finally {
      slot.invocations.incrementAndGet();
    }
  }

  public FunctionStatus status(String functionLogicalId) {
    return slot(functionLogicalId).status();
  }

  /** Every function's status, in template order. */
  public List<FunctionStatus> status() {
    return slots.values().stream().map(Slot::status).toList();
  }

  /** The scaling this runtime runs with (its budget is shared with the other regions' runtimes). */
  public Scaling scaling() {
    return scaling;
  }

  /**
   * Stops the function's execution environments, as Lambda does when it recycles them: the idle ones
   * at once (SIGTERM, then SIGKILL after the shutdown grace), the busy ones when their invocation
   * ends (none is cut short); none is used again, so the next invocation cold-starts.
   *
   * @param waitForIdle how long to wait for the invocations in flight to end
   * @return whether an environment was running
   */
  public boolean recycle(String functionLogicalId, Duration waitForIdle) {
    return slot(functionLogicalId).retire(waitForIdle);
  }

  /**
   * Sets the function's timeout, as {@code UpdateFunctionConfiguration} does: the execution
   * environments are recycled (see {@link #recycle}) and invocations from then on run with the new
   * timeout on new environments.
   *
   * @param seconds 1 to 900, as Lambda allows; null restores the template's value
   * @return the timeout now in effect, in seconds
   */
  public int setTimeout(String functionLogicalId, Integer seconds, Duration waitForIdle) {
    if (seconds != null && (seconds < 1 || seconds > 900)) {
      throw new IllegalArgumentException("a Lambda timeout is 1 to 900 seconds, not " + seconds);
    }
    Slot slot = slot(functionLogicalId);
    slot.timeoutSeconds = seconds == null ? slot.spec.timeoutSeconds() : seconds;
    slot.retire(waitForIdle);
    return slot.timeoutSeconds;
  }

  /** Kills every function process tree and stops every Runtime API server. Idempotent. */
  @Override
  public void close() {
    closed = true;
    reaper.shutdownNow();
    // Out of the pools first, so no invocation picks one up and the status shows them gone; every
    // process, busy ones included, is killed below.
    slots.values().forEach(slot -> slot.pool.retire());
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private void killAll() {
    closed = true;
    List<Thread> killers = new ArrayList<>();
    for (ExecutionEnvironment env : List.copyOf(live)) {
      Thread t = new Thread(() -> env.kill(options.shutdownGrace()), "lambda-runtime-close");
      t.start();
      killers.add(t);
    }
    for (Thread t : killers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void reclaimIdle() {
    if (closed) {
      return;
    }
    try {
      for (Slot slot : slots.values()) {
        for (ExecutionEnvironment e : slot.pool.reclaimIdle(scaling.idleTimeout())) {
          LOG.log(System.Logger.Level.DEBUG, () -> "Reclaiming an idle environment of " + slot.name + " (pid " + e.pid()
              + ")");
          stop(e, options.shutdownGrace());
        }
      }
    } catch (RuntimeException e) {
      // The reaper must outlive one failed kill, or idle environments would never be reclaimed again.
      LOG.log(System.Logger.Level.WARNING, "Reclaiming idle environments failed", e);
    }
  }

  private void stop(ExecutionEnvironment e, Duration grace) {
    e.kill(grace);
    live.remove(e);
  }

  /** Stops an environment on a thread of its own, so the invocation that ended on it returns at once. */
  private void stopLater(ExecutionEnvironment e) {
    Thread.ofVirtual().name("lambda-runtime-stop-" + region).start(() -> stop(e, options.shutdownGrace()));
  }

  private Slot slot(String logicalId) {
    Slot slot = slots.get(logicalId);
    if (slot == null) {
      throw new IllegalArgumentException("No function " + logicalId + " in " + region + " (known: " + slots.keySet()
          + ")");
    }
    return slot;
  }

  private synchronized RuntimeInterfaceClient ric() {
    if (ric == null) {
      ric = RuntimeInterfaceClient.locate(options.workDir().resolve("runtime"));
    }
    return ric;
  }

  /** The command line of a function's last started process, for diagnostics. */
  List<String> lastCommand(String functionLogicalId) {
    return slot(functionLogicalId).lastCommand;
  }

  /** A cold start's result: the environment (null if none was created) and why it failed (null when ready). */
  private record Started(ExecutionEnvironment environment, Outcome failure) {}

  /** One function and its pool of execution environments. */
  private final class Slot {
    final FunctionSpec spec;
    final String name;
    final String arn;
    final Path logFile;
    final EnvironmentPool<ExecutionEnvironment> pool;
    final AtomicInteger coldStarts = new AtomicInteger();
    final AtomicLong invocations = new AtomicLong();
    volatile int timeoutSeconds;
    volatile Duration lastInit;
    volatile Duration lastDuration;
    volatile List<String> lastCommand = List.of();

    Slot(FunctionSpec spec) {
      this.spec = spec;
      this.name = options.stackName() + "-" + region + "-" + spec.logicalId();
      this.arn = "arn:aws:lambda:" + region + ":" + options.accountId() + ":function:" + name;
      this.logFile = options.logDir().resolve(region).resolve(spec.logicalId() + ".log");
      this.timeoutSeconds = spec.timeoutSeconds();
      Integer reserved = spec.reservedConcurrency();
      this.pool = new EnvironmentPool<>(reserved != null ? reserved : scaling.maxPerFunction(), reserved != null,
          scaling.budget(), System::nanoTime, e -> stop(e, options.shutdownGrace()));
      scaling.budget().register(pool);
    }

    boolean retire(Duration waitForIdle) {
      boolean running = pool.counts().total() > 0;
      for (ExecutionEnvironment e : pool.retire()) {
        stop(e, options.shutdownGrace());
      }
      long deadline = System.nanoTime() + waitForIdle.toNanos();
      try {
        while (pool.retiring() > 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return running;
    }

    FunctionStatus status() {
      EnvironmentPool.Counts counts = pool.counts();
      List<ExecutionEnvironment> environments = pool.environments();
      FunctionStatus.State state = counts.busy() + counts.idle() > 0 ? FunctionStatus.State.WARM
          : counts.initializing() > 0 ? FunctionStatus.State.STARTING : FunctionStatus.State.COLD;
      List<Long> pids = environments.stream().map(ExecutionEnvironment::pid).toList();
      return new FunctionStatus(spec.logicalId(), name, state, pids.isEmpty() ? -1 : pids.get(0), counts.busy() > 0,
          counts.waiting(), coldStarts.get(), invocations.get(), timeoutSeconds, lastInit, lastDuration, logFile,
          new FunctionStatus.Environments(counts.busy(), counts.idle(), counts.initializing(), counts.limit(),
              spec.reservedConcurrency() != null, counts.reclaimed(), counts.throttled(), pids));
    }

    InvokeResult invoke(String requestId, byte[] event) {
      boolean startLogged = false;
      for (int attempt = 0; ; attempt++) {
        if (closed) {
          return new InvokeResult(requestId, Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.Closed", "The local Lambda runtime is closed"), Duration.ZERO,
              false);
        }
        EnvironmentPool.Lease<ExecutionEnvironment> lease;
        try {
          lease = pool.acquireMakingRoom();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new InvokeResult(requestId, Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.Interrupted", "Interrupted while waiting for an environment"),
              Duration.ZERO, false);
        }
        ExecutionEnvironment current;
        boolean cold = lease.kind() == EnvironmentPool.Lease.Kind.COLD;
        double initMillis = -1;
        switch (lease.kind()) {
          case THROTTLED -> {
            return throttled(requestId, lease.throttleReason());
          }
          case WARM -> {
            current = lease.environment();
            if (current.isDead()) {
              // Died while idle (killed from outside): nothing was delivered, so look again.
              pool.discard(current);
              stopLater(current);
              attempt--;
              continue;
            }
          }
          default -> {
            Started fresh = coldStart();
            if (fresh.failure() != null) {
              pool.initFailed();
              if (!startLogged) {
                platform(PlatformLog.start(requestId));
              }
              ExecutionEnvironment failed = fresh.environment();
              long initNanos = failed == null ? -1 : failed.initNanos();
              long maxUsed = failed == null ? -1 : failed.maxMemoryUsedMb();
              if (failed != null) {
                stop(failed, Duration.ZERO);
              }
              platform(PlatformLog.end(requestId));
              platform(PlatformLog.report(requestId, 0, 0, spec.memoryMb(), maxUsed, initNanos < 0 ? -1 : initNanos / 1e6,
                  "error", fresh.failure().errorType()));
              lastDuration = Duration.ZERO;
              return new InvokeResult(requestId, Status.RUNTIME_ERROR, fresh.failure().payload(), Duration.ZERO, true);
            }
            current = fresh.environment();
            pool.started(current);
            initMillis = current.initNanos() / 1e6;
          }
        }
        int timeout = timeoutSeconds;
        long timeoutMillis = timeout * 1000L;
        Instant now = Instant.now();
        Invocation invocation = new Invocation(requestId, event, PlatformLog.traceHeader(now),
            now.toEpochMilli() + timeoutMillis);
        long submitted = System.nanoTime();
        if (!current.submit(invocation)) {
          discard(current);
          if (attempt == 0) {
            continue; // died between the check and the submit: nothing was delivered, start afresh
          }
          return new InvokeResult(requestId, Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.ExitError", "Runtime exited before the invocation"),
              Duration.ZERO, cold);
        }
        if (!startLogged) {
          platform(PlatformLog.start(requestId));
          startLogged = true;
        }
        Outcome outcome;
        try {
          outcome = invocation.result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          return timedOut(current, requestId, cold, initMillis, timeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          discard(current);
          return finish(requestId, Outcome.of(Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.Interrupted", "Interrupted while waiting for the function"),
              "Runtime.Interrupted"), submitted, -1, cold, initMillis);
        } catch (ExecutionException e) {
          discard(current);
          throw new IllegalStateException(e.getCause());
        }
        if (outcome.undelivered() && attempt == 0) {
          discard(current);
          continue;
        }
        long started = invocation.deliveredNanos != 0 ? invocation.deliveredNanos : submitted;
        long maxUsed = current.maxMemoryUsedMb();
        if (outcome.status() == Status.RUNTIME_ERROR || outcome.undelivered()) {
          discard(current);
        } else if (pool.release(current)) {
          stopLater(current);
        }
        return finish(requestId, outcome, started, maxUsed, cold, initMillis);
      }
    }

    /** Takes a broken environment out of the pool and stops it without grace. */
    private void discard(ExecutionEnvironment e) {
      pool.discard(e);
      stop(e, Duration.ZERO);
    }

    /**
     * Lambda answers a throttled synchronous invocation with 429 TooManyRequestsException before any
     * environment sees it: no START, END or REPORT line.
     */
    private InvokeResult throttled(String requestId, String reason) {
      return new InvokeResult(requestId, Status.THROTTLED, ExecutionEnvironment.errorJson("TooManyRequestsException",
          "Rate Exceeded. (Reason: " + reason + ")"), Duration.ZERO, false);
    }

    private InvokeResult finish(String requestId, Outcome outcome, long startedNanos, long maxUsedMb, boolean cold,
        double initMillis) {
      long nanos = Math.max(0, outcome.completedNanos() - startedNanos);
      double millis = nanos / 1e6;
      Duration duration = Duration.ofNanos(nanos);
      lastDuration = duration;
      boolean platformError = outcome.status() == Status.RUNTIME_ERROR;
      platform(PlatformLog.end(requestId));
      platform(PlatformLog.report(requestId, millis, PlatformLog.billedMillis(millis), spec.memoryMb(), maxUsedMb,
          cold ? initMillis : -1, platformError ? "error" : null, platformError ? outcome.errorType() : null));
      return new InvokeResult(requestId, outcome.status(), outcome.payload(), duration, cold);
    }

    private InvokeResult timedOut(ExecutionEnvironment current, String requestId, boolean cold, double initMillis,
        int timeout) {
      long maxUsed = current.maxMemoryUsedMb();
      discard(current);
      Instant at = Instant.now();
      String line = PlatformLog.timedOut(at, requestId, timeout);
      Duration duration = Duration.ofSeconds(timeout);
      lastDuration = duration;
      platform(line);
      platform(PlatformLog.end(requestId));
      double millis = duration.toNanos() / 1e6;
      platform(PlatformLog.report(requestId, millis, PlatformLog.billedMillis(millis), spec.memoryMb(), maxUsed,
          cold ? initMillis : -1, "timeout", null));
      return new InvokeResult(requestId, Status.TIMEOUT, ExecutionEnvironment.errorJson("Sandbox.Timedout", line),
          duration, cold);
    }

    /** Starts a new environment; its failure is null when it is ready for its first invocation. */
    private Started coldStart() {
      Path taskRoot;
      RuntimeInterfaceClient client;
      try {
        taskRoot = DeploymentPackage.taskRoot(spec.logicalId(), options.codeBaseDir().resolve(spec.codeUri()),
            options.workDir());
        client = ric();
      } catch (UncheckedIOException | IllegalStateException e) {
        return new Started(null, Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson(
            "Runtime.InvalidEntrypoint", e.getMessage()), "Runtime.InvalidEntrypoint"));
      }
      ExecutionEnvironment fresh;
      try {
        fresh = new ExecutionEnvironment(arn, region + "-" + spec.logicalId());
      } catch (IOException e) {
        return new Started(null, Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Unknown",
            "Cannot start the Runtime API server: " + e), "Runtime.Unknown"));
      }
      live.add(fresh);
      if (closed) {
        return new Started(fresh, Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Closed",
            "The local Lambda runtime is closed"), "Runtime.Closed"));
      }
      Map<String, String> environment = environment(fresh, taskRoot, client, LaunchPlan.RESTORE);
      for (String key : spec.environment().keySet()) {
        if (LaunchPlan.RESERVED.contains(key)) {
          platform("WARNING: reserved environment variable " + key + " in the function's configuration is ignored "
              + "(Lambda rejects it)");
        }
      }
      List<String> jvmOptions = LaunchPlan.jvmOptions(spec.memoryMb(), environment.get("JAVA_TOOL_OPTIONS"));
      if (spec.snapStart() && options.aotCache()) {
        Optional<Path> cache = publishedCache(taskRoot, client, jvmOptions);
        if (cache.isPresent()) {
          jvmOptions = LaunchPlan.startingFrom(jvmOptions, cache.get());
        }
      }
      List<String> command = LaunchPlan.command(LaunchPlan.currentJava(), jvmOptions, client.jniLibrary(),
          client.classpathString(), spec.handler());
      lastCommand = command;
      ProcessBuilder builder = process(command, taskRoot, environment);
      try {
        platform("INIT_START Runtime Version: java:" + Runtime.version().feature() + ".local"
            + "\tRuntime Version ARN: local (aws-lambda-java-runtime-interface-client " + client.version() + ")");
        LOG.log(System.Logger.Level.DEBUG, () -> "Starting " + name + ": " + String.join(" ", command));
        if (!fresh.launch(builder)) {
          return new Started(fresh, Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Closed",
              "The local Lambda runtime is closed"), "Runtime.Closed"));
        }
      } catch (IOException e) {
        return new Started(fresh, Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Unknown",
            "Cannot start " + command.get(0) + ": " + e.getMessage()), "Runtime.Unknown"));
      }
      coldStarts.incrementAndGet();
      Outcome failure;
      try {
        failure = fresh.awaitReady(options.initTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Interrupted",
            "Interrupted during init"), "Runtime.Interrupted");
      }
      if (fresh.initNanos() >= 0) {
        lastInit = Duration.ofNanos(fresh.initNanos());
      }
      return new Started(fresh, failure);
    }

    /**
     * The function's environment, exactly Lambda's; a SnapStart function's also says which phase of
     * its published version it is in ({@code phase}: training or restored environment).
     */
    private Map<String, String> environment(ExecutionEnvironment environment, Path taskRoot, RuntimeInterfaceClient client,
        String phase) {
      Map<String, String> extras = new LinkedHashMap<>(options.extraEnvironment());
      if (spec.snapStart()) {
        extras.put(LaunchPlan.SNAPSTART_PHASE, phase);
      }
      return LaunchPlan.environment(spec, region, name, environment.runtimeApi(), taskRoot, client.jniLibrary().getParent(),
          PlatformLog.logStreamName(Instant.now()), extras, System.getenv());
    }

    /** The function process: in the task root, with exactly {@code environment}, its output appended to the log. */
    private ProcessBuilder process(List<String> command, Path taskRoot, Map<String, String> environment) {
      ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(environment);
      try {
        Files.createDirectories(logFile.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return builder.redirectOutput(Redirect.appendTo(logFile.toFile()));
    }

    /** Publishes the function now (see the constructor); a failure is in the platform log. */
    void publishAhead() {
      try {
        Path taskRoot = DeploymentPackage.taskRoot(spec.logicalId(), options.codeBaseDir().resolve(spec.codeUri()),
            options.workDir());
        publishedCache(taskRoot, ric(), LaunchPlan.jvmOptions(spec.memoryMb(), spec.environment().get("JAVA_TOOL_OPTIONS")));
      } catch (RuntimeException e) {
        platform("PUBLISH_FAILED: " + e.getMessage());
      }
    }

    /**
     * The AOT cache of this function's published version ({@link PublishedVersions}), built by a
     * training run the first time any region asks for it; empty when the training failed.
     */
    private Optional<Path> publishedCache(Path taskRoot, RuntimeInterfaceClient client, List<String> jvmOptions) {
      // Beside the build's output, not in this stack's work directory: every stack, test and benchmark of the
      // checkout shares one published version per zip, as one deployment would.
      Path cache = PublishedVersions.cacheFile(options.codeBaseDir().resolve("target").resolve("aot-cache"),
          spec.logicalId(), taskRoot,
          LaunchPlan.command(LaunchPlan.currentJava(), jvmOptions, client.jniLibrary(), client.classpathString(),
              spec.handler()));
      return PublishedVersions.publish(cache, output -> train(output, taskRoot, client, jvmOptions), this::platform);
    }

    /**
     * The training run: the function started as for a cold start, told it is publishing, and with
     * its JVM writing an AOT cache to {@code output} when it exits. A Meridian handler runs its
     * checkpoint hooks (priming) and exits by itself; a handler that knows nothing of publishing
     * reaches its first {@code /next} instead, and is then stopped (SIGTERM: the JVM still writes
     * its cache on the way out), so its cache covers its init alone.
     *
     * @return null when the run ended as a training run ends, else why it did not
     */
    private String train(Path output, Path taskRoot, RuntimeInterfaceClient client, List<String> jvmOptions)
        throws IOException, InterruptedException {
      ExecutionEnvironment training = new ExecutionEnvironment(arn, region + "-" + spec.logicalId() + "-publish");
      try {
        List<String> command = LaunchPlan.command(LaunchPlan.currentJava(), LaunchPlan.trainingInto(jvmOptions, output),
            client.jniLibrary(),
            client.classpathString(), spec.handler());
        if (!training.launch(process(command, taskRoot, environment(training, taskRoot, client, LaunchPlan.PUBLISH)))) {
          return "the runtime closed";
        }
        Outcome init = training.awaitReady(PUBLISH_TIMEOUT);
        boolean reachedNext = init == null;
        if (reachedNext) {
          training.kill(PUBLISH_TIMEOUT);
        }
        int status = training.awaitExit(PUBLISH_TIMEOUT);
        if (!reachedNext && status != 0) {
          return "the training run ended with status " + status + " (see " + logFile + ")";
        }
        return null;
      } finally {
        training.kill(Duration.ZERO);
      }
    }

    private void platform(String line) {
      try {
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "Cannot append to " + logFile, e);
      }
      try {
        options.platformLog().accept("[" + region + "/" + spec.logicalId() + "] " + line);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Platform log sink failed", e);
      }
    }
  }
}
