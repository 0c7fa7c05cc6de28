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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The functions of one region, run the way Lambda runs them: each in its own {@code java} process
 * under the real AWS Lambda Java runtime interface client, fed through a Lambda Runtime API.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>One execution environment per function.</b> The first invocation is a real cold start:
 *       the deployment package ({@link FunctionSpec#codeUri()}, resolved against {@link
 *       Options#codeBaseDir()}) is extracted once per content, a Runtime API server is started on
 *       {@code 127.0.0.1:<free port>}, and {@code java ... AWSLambda <handler>} is launched with the
 *       package as working directory (the RIC's task root). Later invocations reuse the warm process.
 *   <li><b>Invocations of one function are serialized</b>, like one Lambda execution environment:
 *       concurrent callers queue (fairly) and each waits for its turn; the stack does not scale out
 *       to more environments. Different functions run in parallel.
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

  /** Configuration shared by all functions of a region. */
  public record Options(Path codeBaseDir, Path workDir, Path logDir, Map<String, String> extraEnvironment,
      Consumer<String> platformLog, String accountId, String stackName, Duration initTimeout, Duration shutdownGrace) {

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
     * stack name {@code meridian}, init timeout 30 s, shutdown grace 2 s.
     *
     * @param codeBaseDir what {@link FunctionSpec#codeUri()} is relative to (the template's directory)
     * @param workDir     where packages are extracted and the runtime's native library is kept
     */
    public static Options defaults(Path codeBaseDir, Path workDir) {
      System.Logger logger = System.getLogger("dev.meridian.tools.local.lambda");
      return new Options(codeBaseDir, workDir, workDir.resolve("logs"), Map.of(),
          line -> logger.log(System.Logger.Level.INFO, line), "123456789012", "meridian", Duration.ofSeconds(30),
          Duration.ofSeconds(2));
    }

    public Options withLogDir(Path dir) {
      return new Options(codeBaseDir, workDir, dir, extraEnvironment, platformLog, accountId, stackName, initTimeout,
          shutdownGrace);
    }

    public Options withExtraEnvironment(Map<String, String> env) {
      return new Options(codeBaseDir, workDir, logDir, env, platformLog, accountId, stackName, initTimeout,
          shutdownGrace);
    }

    public Options withPlatformLog(Consumer<String> sink) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, sink, accountId, stackName, initTimeout,
          shutdownGrace);
    }

    public Options withAccountId(String id) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, id, stackName, initTimeout,
          shutdownGrace);
    }

    public Options withStackName(String name) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, name, initTimeout,
          shutdownGrace);
    }

    public Options withInitTimeout(Duration timeout) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, stackName, timeout,
          shutdownGrace);
    }

    public Options withShutdownGrace(Duration grace) {
      return new Options(codeBaseDir, workDir, logDir, extraEnvironment, platformLog, accountId, stackName,
          initTimeout, grace);
    }
  }

  private static final System.Logger LOG = System.getLogger(LambdaRuntime.class.getName());

  private final String region;
  private final Options options;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Set<ExecutionEnvironment> live = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private volatile boolean closed;
  private RuntimeInterfaceClient ric; // guarded by this

  /**
   * @param region    the region these functions belong to ({@code AWS_REGION})
   * @param functions the region's functions (logical ids must be unique)
   */
  public LambdaRuntime(String region, Collection<FunctionSpec> functions, Options options) {
    this.region = Objects.requireNonNull(region, "region");
    this.options = Objects.requireNonNull(options, "options");
    for (FunctionSpec spec : functions) {
      if (slots.put(spec.logicalId(), new Slot(spec)) != null) {
        throw new IllegalArgumentException("Duplicate function logical id " + spec.logicalId());
      }
    }
    this.shutdownHook = new Thread(this::killAll, "lambda-runtime-shutdown-" + region);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public String region() {
    return region;
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
   * <p>Blocks while another invocation of the same function runs (see the class contract).
   *
   * @throws IllegalArgumentException for an unknown logical id
   */
  @Override
  public InvokeResult invoke(String functionLogicalId, byte[] eventJson) {
    Slot slot = slot(functionLogicalId);
    Objects.requireNonNull(eventJson, "eventJson");
    String requestId = UUID.randomUUID().toString();
    try {
      slot.lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new InvokeResult(requestId, Status.RUNTIME_ERROR,
          ExecutionEnvironment.errorJson("Runtime.Interrupted", "Interrupted while queued"), Duration.ZERO, false);
    }
    try {
      return slot.invoke(requestId, eventJson);
    } finally {
      slot.lock.unlock();
    }
  }

  public FunctionStatus status(String functionLogicalId) {
    return slot(functionLogicalId).status();
  }

  /** Every function's status, in template order. */
  public List<FunctionStatus> status() {
    return slots.values().stream().map(Slot::status).toList();
  }

  /**
   * Stops the function's warm execution environment once it is idle (SIGTERM, then SIGKILL after
   * the shutdown grace), as Lambda does when it recycles one: no invocation is cut short, and the
   * next invocation cold-starts.
   *
   * @param waitForIdle how long to wait for an invocation in flight (and those queued before this
   *                    call) to finish
   * @return whether a process was running
   * @throws IllegalStateException if the function stayed busy for {@code waitForIdle}
   */
  public boolean recycle(String functionLogicalId, Duration waitForIdle) {
    Slot slot = slot(functionLogicalId);
    return slot.whenIdle(waitForIdle, slot::stopEnvironment);
  }

  /**
   * Sets the function's timeout, as {@code UpdateFunctionConfiguration} does: the warm execution
   * environment is recycled (once idle) and invocations from then on run with the new timeout.
   *
   * @param seconds 1 to 900, as Lambda allows; null restores the template's value
   * @return the timeout now in effect, in seconds
   */
  public int setTimeout(String functionLogicalId, Integer seconds, Duration waitForIdle) {
    if (seconds != null && (seconds < 1 || seconds > 900)) {
      throw new IllegalArgumentException("a Lambda timeout is 1 to 900 seconds, not " + seconds);
    }
    Slot slot = slot(functionLogicalId);
    return slot.whenIdle(waitForIdle, () -> {
      slot.timeoutSeconds = seconds == null ? slot.spec.timeoutSeconds() : seconds;
      slot.stopEnvironment();
      return slot.timeoutSeconds;
    });
  }

  /** Kills every function process tree and stops every Runtime API server. Idempotent. */
  @Override
  public void close() {
    closed = true;
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

  /** The command line of a function's current (or last) process, for diagnostics. */
  List<String> lastCommand(String functionLogicalId) {
    return slot(functionLogicalId).lastCommand;
  }

  /** One function and its (at most one) execution environment. */
  private final class Slot {
    final FunctionSpec spec;
    final String name;
    final String arn;
    final Path logFile;
    final ReentrantLock lock = new ReentrantLock(true);
    final AtomicInteger coldStarts = new AtomicInteger();
    final AtomicLong invocations = new AtomicLong();
    volatile ExecutionEnvironment env;
    volatile int timeoutSeconds;
    volatile boolean busy;
    volatile Duration lastInit;
    volatile Duration lastDuration;
    volatile List<String> lastCommand = List.of();

    Slot(FunctionSpec spec) {
      this.spec = spec;
      this.name = options.stackName() + "-" + region + "-" + spec.logicalId();
      this.arn = "arn:aws:lambda:" + region + ":" + options.accountId() + ":function:" + name;
      this.logFile = options.logDir().resolve(region).resolve(spec.logicalId() + ".log");
      this.timeoutSeconds = spec.timeoutSeconds();
    }

    /** Runs {@code action} holding the invocation lock, so no invocation is in flight meanwhile. */
    <T> T whenIdle(Duration wait, java.util.function.Supplier<T> action) {
      try {
        if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException(spec.logicalId() + " in " + region + " stayed busy for " + wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + spec.logicalId() + " to be idle", e);
      }
      try {
        return action.get();
      } finally {
        lock.unlock();
      }
    }

    /** Called with {@link #lock} held. */
    boolean stopEnvironment() {
      ExecutionEnvironment e = env;
      if (e == null || e.isDead()) {
        return false;
      }
      discard(e, options.shutdownGrace());
      return true;
    }

    FunctionStatus status() {
      ExecutionEnvironment e = env;
      FunctionStatus.State state;
      long pid = -1;
      if (e == null || e.isDead()) {
        state = FunctionStatus.State.COLD;
      } else {
        state = e.isReady() ? FunctionStatus.State.WARM : FunctionStatus.State.STARTING;
        pid = e.pid();
      }
      return new FunctionStatus(spec.logicalId(), name, state, pid, busy, lock.getQueueLength(), coldStarts.get(),
          invocations.get(), timeoutSeconds, lastInit, lastDuration, logFile);
    }

    /** Called with {@link #lock} held. */
    InvokeResult invoke(String requestId, byte[] event) {
      busy = true;
      try {
        return invokeLocked(requestId, event);
      } finally {
        busy = false;
        invocations.incrementAndGet();
      }
    }

    private InvokeResult invokeLocked(String requestId, byte[] event) {
      boolean startLogged = false;
      for (int attempt = 0; ; attempt++) {
        if (closed) {
          return new InvokeResult(requestId, Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.Closed", "The local Lambda runtime is closed"), Duration.ZERO,
              false);
        }
        ExecutionEnvironment current = env;
        boolean cold = current == null || current.isDead();
        double initMillis = -1;
        if (cold) {
          if (current != null) {
            discard(current, Duration.ZERO);
          }
          Outcome failure = coldStart();
          current = env;
          if (failure != null) {
            if (!startLogged) {
              platform(PlatformLog.start(requestId));
            }
            long initNanos = current == null ? -1 : current.initNanos();
            long maxUsed = current == null ? -1 : current.maxMemoryUsedMb();
            discard(current, Duration.ZERO);
            platform(PlatformLog.end(requestId));
            platform(PlatformLog.report(requestId, 0, 0, spec.memoryMb(), maxUsed, initNanos < 0 ? -1 : initNanos / 1e6,
                "error", failure.errorType()));
            lastDuration = Duration.ZERO;
            return new InvokeResult(requestId, Status.RUNTIME_ERROR, failure.payload(), Duration.ZERO, true);
          }
          initMillis = current.initNanos() / 1e6;
        }
        int timeout = timeoutSeconds;
        long timeoutMillis = timeout * 1000L;
        Instant now = Instant.now();
        Invocation invocation = new Invocation(requestId, event, PlatformLog.traceHeader(now),
            now.toEpochMilli() + timeoutMillis);
        long submitted = System.nanoTime();
        if (!current.submit(invocation)) {
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
          discard(current, Duration.ZERO);
          return finish(requestId, Outcome.of(Status.RUNTIME_ERROR,
              ExecutionEnvironment.errorJson("Runtime.Interrupted", "Interrupted while waiting for the function"),
              "Runtime.Interrupted"), submitted, -1, cold, initMillis);
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
        if (outcome.undelivered() && attempt == 0) {
          discard(current, Duration.ZERO);
          continue;
        }
        long started = invocation.deliveredNanos != 0 ? invocation.deliveredNanos : submitted;
        long maxUsed = current.maxMemoryUsedMb();
        if (outcome.status() == Status.RUNTIME_ERROR) {
          discard(current, Duration.ZERO);
        }
        return finish(requestId, outcome, started, maxUsed, cold, initMillis);
      }
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
      discard(current, Duration.ZERO);
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

    /** Starts a new environment into {@link #env}; null when ready, else why it failed. */
    private Outcome coldStart() {
      Path taskRoot;
      RuntimeInterfaceClient client;
      try {
        taskRoot = DeploymentPackage.taskRoot(spec.logicalId(), options.codeBaseDir().resolve(spec.codeUri()),
            options.workDir());
        client = ric();
      } catch (UncheckedIOException | IllegalStateException e) {
        env = null;
        return Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.InvalidEntrypoint",
            e.getMessage()), "Runtime.InvalidEntrypoint");
      }
      ExecutionEnvironment fresh;
      try {
        fresh = new ExecutionEnvironment(arn, region + "-" + spec.logicalId());
      } catch (IOException e) {
        env = null;
        return Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Unknown",
            "Cannot start the Runtime API server: " + e), "Runtime.Unknown");
      }
      live.add(fresh);
      env = fresh;
      if (closed) {
        return Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Closed",
            "The local Lambda runtime is closed"), "Runtime.Closed");
      }
      Instant now = Instant.now();
      Map<String, String> environment = LaunchPlan.environment(spec, region, name, fresh.runtimeApi(), taskRoot,
          client.jniLibrary().getParent(), PlatformLog.logStreamName(now), options.extraEnvironment(), System.getenv());
      for (String key : spec.environment().keySet()) {
        if (LaunchPlan.RESERVED.contains(key)) {
          platform("WARNING: reserved environment variable " + key + " in the function's configuration is ignored "
              + "(Lambda rejects it)");
        }
      }
      List<String> command = LaunchPlan.command(LaunchPlan.currentJava(),
          LaunchPlan.jvmOptions(spec.memoryMb(), environment.get("JAVA_TOOL_OPTIONS")), client.jniLibrary(),
          client.classpathString(), spec.handler());
      lastCommand = command;
      ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(environment);
      try {
        Files.createDirectories(logFile.getParent());
        builder.redirectOutput(Redirect.appendTo(logFile.toFile()));
        platform("INIT_START Runtime Version: java:" + Runtime.version().feature() + ".local"
            + "\tRuntime Version ARN: local (aws-lambda-java-runtime-interface-client " + client.version() + ")");
        LOG.log(System.Logger.Level.DEBUG, () -> "Starting " + name + ": " + String.join(" ", command));
        if (!fresh.launch(builder)) {
          return Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Closed",
              "The local Lambda runtime is closed"), "Runtime.Closed");
        }
      } catch (IOException e) {
        return Outcome.of(Status.RUNTIME_ERROR, ExecutionEnvironment.errorJson("Runtime.Unknown",
            "Cannot start " + command.get(0) + ": " + e.getMessage()), "Runtime.Unknown");
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
      return failure;
    }

    private void discard(ExecutionEnvironment e, Duration grace) {
      if (e == null) {
        return;
      }
      e.kill(grace);
      live.remove(e);
      if (env == e) {
        env = null;
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
