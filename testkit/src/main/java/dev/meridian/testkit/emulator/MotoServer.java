package dev.meridian.testkit.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * One moto server process listening on {@code 127.0.0.1}, started from the bundled
 * {@code serialized_moto.py} launcher, in which every DynamoDB and DynamoDB Streams request runs
 * under one lock so that conditional writes are atomic as on real DynamoDB.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #start()} returns only once moto accepts connections, or throws {@link
 *       IllegalStateException} (moto missing, process died, or not ready within {@link
 *       #READY_TIMEOUT}); the message says why and, where it applies, how to install moto.
 *   <li>The Python executable is {@code -Dmeridian.python}, else {@code $MERIDIAN_PYTHON}, else
 *       {@code python3}.
 *   <li>State is per region and per account like AWS, and lives until {@link #resetAll()} or
 *       {@link #close()}.
 *   <li>{@link #close()} is idempotent and stops the process (SIGTERM, then SIGKILL after a grace
 *       period). If the JVM dies without calling it, the launcher exits when its stdin closes.
 *   <li>Thread-safe: clients may be built and used from any thread.
 * </ul>
 */
public final class MotoServer implements AutoCloseable {

  /** System property naming the Python executable; wins over {@link #PYTHON_ENV}. */
  public static final String PYTHON_PROPERTY = "meridian.python";
  /** Environment variable naming the Python executable. */
  public static final String PYTHON_ENV = "MERIDIAN_PYTHON";
  /** System property; {@code true} echoes moto's output (including every request) to stderr. */
  public static final String VERBOSE_PROPERTY = "meridian.moto.verbose";
  /** How to get moto with the server extras the launcher needs. */
  public static final String INSTALL_HINT = "pip install 'moto[server]'";
  /** Upper bound on waiting for the ready line; moto typically needs 1-2 s. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The launcher's write meter: GET answers {@code {"regions": {region: counts}}} with item writes
   * and write request units priced as DynamoDB on-demand prices them (single, transactional and
   * replicated, the last sent with {@link #REPLICATED_WRITE_HEADER}); DELETE zeroes it.
   */
  public static final String WRITE_METER_PATH = "/_meridian/write-units";
  /** Marks a write as the global-table stand-in's, so the meter counts it as replicated units. */
  public static final String REPLICATED_WRITE_HEADER = "X-Meridian-Replicated-Write";

  /** Dummy credentials: moto needs a SigV4 header to find the region, not a valid key. */
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private static final String SCRIPT = "serialized_moto.py";
  private static final int MISSING_EXIT_CODE = 3; // the launcher's "moto not importable"
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Pattern READY_LINE = Pattern.compile("MOTO_READY port=(\\d{1,5})");
  private static final Map<String, Optional<String>> PROBES = new ConcurrentHashMap<>();

  private final Process process;
  private final int port;
  private final URI endpoint;
  private final SdkHttpClient httpClient;
  private final HttpClient controlClient = HttpClient.newHttpClient();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    // Shared so that many short-lived clients reuse keep-alive connections; 64 > the
    // concurrency our tests use, so callers never queue on the pool.
    this.httpClient = Apache5HttpClient.builder().maxConnections(64).build();
    this.shutdownHook = new Thread(() -> kill(process), "moto-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts moto on a free loopback port with the configured Python.
   *
   * @throws IllegalStateException if moto is unavailable or does not become ready
   */
  public static MotoServer start() {
    return start(python());
  }

  static MotoServer start(String python) {
    Optional<String> unavailable = unavailableReason(python);
    if (unavailable.isPresent()) {
      throw new IllegalStateException(unavailable.get());
    }
    Path script = extractScript();
    boolean verbose = Boolean.getBoolean(VERBOSE_PROPERTY);
    List<String> command = new ArrayList<>(List.of(python, script.toString(), "--port", "0"));
    command.add("--exit-on-stdin-eof");
    if (verbose) {
      command.add("--verbose");
    }
    try {
      // stdin stays a pipe we never close: its EOF is how the launcher learns the JVM died.
      return awaitReady(new ProcessBuilder(command).start(), verbose);
    } catch (IOException e) {
      throw new IllegalStateException(cannotRun(python, e), e);
    } finally {
      // Python has compiled the script by the time it is ready (or it is gone): no temp file
      // is left behind, even if the JVM is later killed.
      deleteQuietly(script);
    }
  }

  private static MotoServer awaitReady(Process process, boolean verbose) {
    OutputTail tail = new OutputTail(verbose);
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    drain(process.getInputStream(), "moto-stdout-" + process.pid(), line -> {
      OptionalInt port = parseReadyLine(line);
      if (port.isPresent() && !ready.isDone()) {
        ready.complete(port.getAsInt());
      } else {
        tail.add(line);
      }
    }, () -> ready.completeExceptionally(new IllegalStateException("stdout closed")));
    Thread stderr =
        drain(process.getErrorStream(), "moto-stderr-" + process.pid(), tail::add, () -> {});

    try {
      return new MotoServer(process, ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      kill(process);
      throw new IllegalStateException(
          "moto did not print its ready line within " + READY_TIMEOUT + "; output:\n" + tail, e);
    } catch (ExecutionException e) {
      int exit = waitForExit(process);
      joinQuietly(stderr); // the reason for dying is usually the last thing on stderr
      String why = exit == MISSING_EXIT_CODE ? "moto is not importable; " + INSTALL_HINT : "";
      throw new IllegalStateException(
          "moto exited with code " + exit + " before it was ready. " + why + "\noutput:\n" + tail,
          e);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for moto to start", e);
    }
  }

  /** Whether {@link #start()} can work: the configured Python runs and imports moto[server]. */
  public static boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  /**
   * Why {@link #start()} cannot work, in a sentence fit for a test-skip message, or empty if it
   * can. Costs one short Python run the first time per executable, then is cached for the JVM.
   */
  public static Optional<String> unavailableReason() {
    return unavailableReason(python());
  }

  static Optional<String> unavailableReason(String python) {
    return PROBES.computeIfAbsent(python, MotoServer::probe);
  }

  /** Checks importability without importing: find_spec is ~10x cheaper than importing moto. */
  static Optional<String> probe(String python) {
    String code =
        "import importlib.util as u\n"
            + "print(' '.join(m for m in ('moto', 'werkzeug', 'flask', 'flask_cors')"
            + " if u.find_spec(m) is None))";
    try {
      Process p = new ProcessBuilder(python, "-c", code).redirectErrorStream(true).start();
      p.getOutputStream().close();
      // Wait before reading: the answer is a few bytes, so the pipe cannot fill up meanwhile.
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("'" + python + "' did not answer within 10 s");
      }
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        return Optional.of("'" + python + "' failed (exit " + p.exitValue() + "): " + text);
      }
      if (!text.isEmpty()) {
        return Optional.of(
            "moto is not installed for '" + python + "' (missing Python modules: " + text
                + "); install it with: " + INSTALL_HINT + ", or point -D" + PYTHON_PROPERTY
                + " / " + PYTHON_ENV + " at a Python that has it");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(cannotRun(python, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking for moto");
    }
  }

  /**
   * The write meter of the emulator at {@code endpoint} ({@link #WRITE_METER_PATH}): per region,
   * {@code singleItemWrites}, {@code singleWriteUnits}, {@code transactionalItemWrites},
   * {@code transactionalWriteUnits}, {@code replicatedItemWrites} and {@code replicatedWriteUnits},
   * and the same under {@code byKind} per kind of item (the partition key up to its first {@code #}:
   * {@code ORDER}, {@code STOCK}, {@code HEARTBEAT}...). Empty when the emulator has no meter
   * (another emulator than this launcher) or does not answer.
   */
  public static Optional<JsonNode> meteredWriteUnits(URI endpoint) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(WRITE_METER_PATH))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode regions = new ObjectMapper().readTree(response.body()).path("regions");
      return regions.isObject() ? Optional.of(regions) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Base URI of the server, {@code http://127.0.0.1:<port>}; use it as SDK endpoint override. */
  public URI endpoint() {
    return endpoint;
  }

  /** The loopback TCP port moto listens on. */
  public int port() {
    return port;
  }

  /**
   * Points an SDK v2 client builder at this server: endpoint override, the given region, dummy
   * static credentials and, for synchronous builders, this server's shared HTTP connection pool.
   * SDK defaults (retries, timeouts) are left alone so clients behave as in production.
   */
  public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    if (builder instanceof SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClient(httpClient);
    }
    return builder.endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(CREDENTIALS);
  }

  /** A new DynamoDB client for {@code region}; the caller closes it. */
  public DynamoDbClient dynamoDb(String region) {
    return configure(DynamoDbClient.builder(), region).build();
  }

  /** A new DynamoDB Streams client for {@code region}; the caller closes it. */
  public DynamoDbStreamsClient dynamoDbStreams(String region) {
    return configure(DynamoDbStreamsClient.builder(), region).build();
  }

  /**
   * Deletes all state in every service, region and account ({@code POST /moto-api/reset}).
   * Waits for in-flight DynamoDB requests, which hold the same lock.
   */
  public void resetAll() {
    HttpRequest reset =
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response =
          controlClient.send(reset, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "moto reset answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moto reset failed at " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during moto reset", e);
    }
  }

  /** Stops moto and releases the shared connection pool; clients built earlier stop working. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or will run; stopping twice is harmless
    }
    httpClient.close();
    kill(process);
  }

  /** The launcher's exit code once it has exited: 0 after a clean {@link #close()}. */
  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  @Override
  public String toString() {
    return "MotoServer[" + endpoint + ", pid " + process.pid() + "]";
  }

  static OptionalInt parseReadyLine(String line) {
    Matcher m = READY_LINE.matcher(line);
    if (!m.matches()) {
      return OptionalInt.empty();
    }
    int port = Integer.parseInt(m.group(1));
    return port > 0 && port <= 65_535 ? OptionalInt.of(port) : OptionalInt.empty();
  }

  static String python() {
    String fromProperty = System.getProperty(PYTHON_PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty.trim();
    }
    String fromEnv = System.getenv(PYTHON_ENV);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : "python3";
  }

  private static String cannotRun(String python, IOException e) {
    return "cannot run Python '" + python + "' (" + e.getMessage() + "); set -D" + PYTHON_PROPERTY
        + " or " + PYTHON_ENV + " to a Python 3 with moto, installed with: " + INSTALL_HINT;
  }

  private static Path extractScript() {
    try (InputStream in = MotoServer.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " missing from the classpath");
      }
      Path file = Files.createTempFile("meridian-moto-", ".py");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + SCRIPT, e);
    }
  }

  /** Reads a stream to its end on a daemon thread, so the child never blocks on a full pipe. */
  private static Thread drain(InputStream in, String name, Consumer<String> lines, Runnable atEnd) {
    Thread t = new Thread(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.accept(line);
        }
      } catch (IOException ignored) {
        // the process went away; nothing left to read
      } finally {
        atEnd.run();
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join(STOP_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void kill(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static int waitForExit(Process process) {
    try {
      if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(process);
    return -1;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }

  /** The last lines moto printed, for error messages; optionally echoed live. */
  /** The launcher's line for a DynamoDB request that held its lock long enough to stall every other caller. */
  static final String SLOW_REQUEST_PREFIX = "moto: slow ";

  private static final class OutputTail {
    private static final int MAX_LINES = 100;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final boolean echo;

    OutputTail(boolean echo) {
      this.echo = echo;
    }

    synchronized void add(String line) {
      if (echo || line.startsWith(SLOW_REQUEST_PREFIX)) {
        System.err.println("[moto] " + line);
      }
      if (lines.size() == MAX_LINES) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }

    @Override
    public synchronized String toString() {
      return lines.isEmpty() ? "(none)" : String.join("\n", lines);
    }
  }
}
