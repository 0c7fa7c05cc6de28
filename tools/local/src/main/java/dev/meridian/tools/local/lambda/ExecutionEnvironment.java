package dev.meridian.tools.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult.Status;
import dev.meridian.tools.local.lambda.RuntimeApiServer.Request;
import dev.meridian.tools.local.lambda.RuntimeApiServer.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Lambda execution environment: a function process running the runtime interface client, and
 * the Runtime API server ({@link RuntimeApiServer} on {@code 127.0.0.1:<free port>}) it polls. Each
 * environment has its own server, so a killed process can never answer for its successor.
 *
 * <p>Runtime API served (version 2018-06-01): {@code GET /runtime/invocation/next} (long poll; the
 * first call ends the init phase), {@code POST /runtime/invocation/{id}/response}, {@code POST
 * /runtime/invocation/{id}/error}, {@code POST /runtime/init/error}. At most one invocation is
 * pending or in flight at a time (the caller serializes).
 */
final class ExecutionEnvironment {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/2018-06-01/runtime/";
  private static final byte[] ACCEPTED = "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);

  /** How an invocation (or the init phase) ended. {@code undelivered}: the runtime never received it. */
  record Outcome(Status status, byte[] payload, String errorType, long completedNanos, boolean undelivered) {

    static Outcome of(Status status, byte[] payload, String errorType) {
      return new Outcome(status, payload, errorType, System.nanoTime(), false);
    }
  }

  /** One event handed to the runtime. */
  static final class Invocation {
    final String requestId;
    final byte[] event;
    final String traceHeader;
    final long deadlineEpochMillis;
    final CompletableFuture<Outcome> result = new CompletableFuture<>();
    volatile long deliveredNanos;

    Invocation(String requestId, byte[] event, String traceHeader, long deadlineEpochMillis) {
      this.requestId = requestId;
      this.event = event;
      this.traceHeader = traceHeader;
      this.deadlineEpochMillis = deadlineEpochMillis;
    }
  }

  private final String functionArn;
  private final RuntimeApiServer server;
  private final CompletableFuture<Outcome> ready = new CompletableFuture<>();
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();
  private final AtomicBoolean stopped = new AtomicBoolean();

  // guarded by this
  private Process process;
  private long startNanos;
  private long readyNanos;
  private long initFailedNanos;
  private Invocation pending;
  private Invocation inFlight;
  private boolean dead;

  /** Starts the Runtime API server; {@link #launch} then starts the process. */
  ExecutionEnvironment(String functionArn, String name) throws IOException {
    this.functionArn = functionArn;
    this.server = new RuntimeApiServer(name, this::handle);
  }

  /** {@code host:port} for {@code AWS_LAMBDA_RUNTIME_API}. */
  String runtimeApi() {
    return "127.0.0.1:" + server.port();
  }

  /**
   * Starts the function process (stdin closed).
   *
   * @return false if the environment was already shut down
   */
  boolean launch(ProcessBuilder builder) throws IOException {
    Process started;
    synchronized (this) {
      if (dead) {
        return false;
      }
      startNanos = System.nanoTime();
      started = builder.start();
      process = started;
    }
    try {
      started.getOutputStream().close();
    } catch (IOException ignored) {
      // nothing to close
    }
    started.onExit().whenComplete((p, e) -> onExit(p == null ? -1 : p.exitValue()));
    return true;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized boolean isDead() {
    return dead;
  }

  synchronized boolean isReady() {
    return readyNanos != 0 && !dead;
  }

  /** Nanos from process start to the first {@code /next} (or to the init error), or -1. */
  synchronized long initNanos() {
    long end = readyNanos != 0 ? readyNanos : initFailedNanos;
    return end == 0 ? -1 : end - startNanos;
  }

  /**
   * Waits for the init phase: null once the runtime polls {@code /next}, else the failure (init
   * error reported by the runtime, process exit, or no {@code /next} within {@code timeout}).
   */
  Outcome awaitReady(Duration timeout) throws InterruptedException {
    try {
      return ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return Outcome.of(Status.RUNTIME_ERROR, errorJson("Sandbox.Timedout",
          "INIT phase timed out after " + String.format(Locale.ROOT, "%.2f", timeout.toMillis() / 1000.0)
              + " seconds"), "Sandbox.Timedout");
    } catch (ExecutionException e) {
      return Outcome.of(Status.RUNTIME_ERROR, errorJson("Runtime.Unknown", String.valueOf(e.getCause())),
          "Runtime.Unknown");
    }
  }

  /** Waits for the process to end: its exit status, or -1 when it is still running after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    try {
      return exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return -1;
    }
  }

  /**
   * Hands {@code invocation} to the runtime's next (or current) {@code /next} poll.
   *
   * @return false if the environment is dead
   */
  synchronized boolean submit(Invocation invocation) {
    if (dead) {
      return false;
    }
    if (pending != null || inFlight != null) {
      throw new IllegalStateException("An invocation is already pending or in flight in this environment");
    }
    pending = invocation;
    notifyAll();
    return true;
  }

  /** Peak resident set size of the function process in MB (VmHWM, else VmRSS), or -1. */
  long maxMemoryUsedMb() {
    long pid = pid();
    if (pid < 0) {
      return -1;
    }
    try {
      long rss = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return kbToMb(line);
        }
        if (line.startsWith("VmRSS:")) {
          rss = kbToMb(line);
        }
      }
      return rss;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long kbToMb(String line) {
    String kb = line.substring(line.indexOf(':') + 1).replace("kB", "").trim();
    return (Long.parseLong(kb) + 1023) / 1024;
  }

  /**
   * Kills the process tree and stops the server. {@code grace} zero: SIGKILL at once; otherwise
   * SIGTERM, then SIGKILL for whatever is still alive after {@code grace}. Returns once every
   * process of the tree has exited (or after a further 5 s).
   */
  void kill(Duration grace) {
    Process p;
    synchronized (this) {
      p = process;
      if (p == null) {
        markDead(-1);
      }
    }
    if (p != null) {
      killTree(p.toHandle(), grace);
      try {
        exited.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // fall through: marked dead below
      }
      onExit(p.isAlive() ? -1 : p.exitValue());
    }
    stopServer();
  }

  private void stopServer() {
    if (stopped.compareAndSet(false, true)) {
      server.close();
    }
  }

  static void killTree(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    if (!grace.isZero() && !grace.isNegative()) {
      tree.forEach(ProcessHandle::destroy);
      waitFor(tree, grace);
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    waitFor(tree, Duration.ofSeconds(5));
  }

  private static void waitFor(List<ProcessHandle> tree, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        return;
      }
    }
  }

  private void onExit(int exitCode) {
    markDead(exitCode);
    exited.complete(exitCode);
    stopServer();
  }

  private void markDead(int exitCode) {
    Invocation wasPending;
    Invocation wasInFlight;
    synchronized (this) {
      if (dead) {
        return;
      }
      dead = true;
      wasPending = pending;
      wasInFlight = inFlight;
      pending = null;
      inFlight = null;
      notifyAll();
    }
    String exit = exitCode < 0 ? "Runtime exited without providing a reason"
        : "Runtime exited with error: exit status " + exitCode;
    ready.complete(Outcome.of(Status.RUNTIME_ERROR, errorJson("Runtime.ExitError", exit), "Runtime.ExitError"));
    if (wasInFlight != null) {
      wasInFlight.result.complete(Outcome.of(Status.RUNTIME_ERROR,
          errorJson("Runtime.ExitError", "RequestId: " + wasInFlight.requestId + " Error: " + exit),
          "Runtime.ExitError"));
    }
    if (wasPending != null) {
      wasPending.result.complete(new Outcome(Status.RUNTIME_ERROR,
          errorJson("Runtime.ExitError", "RequestId: " + wasPending.requestId + " Error: " + exit),
          "Runtime.ExitError", System.nanoTime(), true));
    }
  }

  static byte[] errorJson(String errorType, String errorMessage) {
    ObjectNode node = JSON.createObjectNode();
    node.put("errorType", errorType);
    node.put("errorMessage", errorMessage);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- Runtime API

  private Response handle(Request request) {
    String path = request.path().startsWith(PREFIX) ? request.path().substring(PREFIX.length()) : "";
    String method = request.method();
    if (method.equals("GET") && path.equals("invocation/next")) {
      return next();
    } else if (method.equals("POST") && path.equals("init/error")) {
      return initError(request);
    } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
      return result(request, path.substring("invocation/".length(), path.length() - "/response".length()), false);
    } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
      return result(request, path.substring("invocation/".length(), path.length() - "/error".length()), true);
    }
    return json(404, errorJson("UnknownEndpoint", method + " " + request.path()));
  }

  /** The long poll: blocks until an invocation is submitted; null (connection closed) once dead. */
  private Response next() {
    Invocation invocation;
    synchronized (this) {
      if (readyNanos == 0) {
        readyNanos = System.nanoTime();
        ready.complete(null);
      }
      while (pending == null && !dead) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      if (dead) {
        return null;
      }
      invocation = pending;
      pending = null;
      inFlight = invocation;
      invocation.deliveredNanos = System.nanoTime();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
    headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMillis));
    headers.put("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    headers.put("Lambda-Runtime-Trace-Id", invocation.traceHeader);
    headers.put("Content-Type", "application/json");
    return new Response(200, headers, invocation.event);
  }

  private Response result(Request request, String requestId, boolean error) {
    Invocation invocation;
    synchronized (this) {
      invocation = inFlight != null && inFlight.requestId.equals(requestId) ? inFlight : null;
      if (invocation != null) {
        inFlight = null;
      }
    }
    if (invocation == null) {
      return json(400, errorJson("InvalidRequestID", "Invalid request ID: " + requestId));
    }
    if (error) {
      String type = request.headers().get("lambda-runtime-function-error-type");
      byte[] payload = request.body().length > 0 ? request.body()
          : errorJson(type == null ? "Unhandled" : type, "Unknown error");
      invocation.result.complete(Outcome.of(Status.FUNCTION_ERROR, payload, type));
    } else {
      invocation.result.complete(Outcome.of(Status.SUCCESS, request.body(), null));
    }
    return json(202, ACCEPTED);
  }

  private Response initError(Request request) {
    String type = request.headers().get("lambda-runtime-function-error-type");
    if (type == null) {
      type = "Runtime.Unknown";
    }
    byte[] payload = request.body().length > 0 ? request.body() : errorJson(type, "Init error");
    synchronized (this) {
      if (initFailedNanos == 0) {
        initFailedNanos = System.nanoTime();
      }
    }
    ready.complete(Outcome.of(Status.RUNTIME_ERROR, payload, type));
    return json(202, ACCEPTED);
  }

  private static Response json(int status, byte[] body) {
    return new Response(status, Map.of("Content-Type", "application/json"), body);
  }
}
