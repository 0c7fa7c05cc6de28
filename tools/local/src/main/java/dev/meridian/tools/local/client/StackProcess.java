package dev.meridian.tools.local.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stack being measured: one this command starts as a child process ({@code Main up}, exactly
 * what {@code ./tools/local/stack up} runs) and stops at the end, or one already running, found through
 * {@code .local-stack/endpoints.json}.
 */
public final class StackProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration READY_BUDGET = Duration.ofMinutes(10);

  public final Path root;
  public final JsonNode endpoints;
  public final long pid;
  /** Wall-clock time from launching {@code up} to endpoints.json (ready), or -1 when attached. */
  public final long upMillis;
  private final Process child;

  private StackProcess(Path root, JsonNode endpoints, long pid, long upMillis, Process child) {
    this.root = root;
    this.endpoints = endpoints;
    this.pid = pid;
    this.upMillis = upMillis;
    this.child = child;
  }

  /** The stack that endpoints.json names, if its process is alive. */
  public static Optional<StackProcess> running(Path root) throws IOException {
    Path file = root.resolve(".local-stack/endpoints.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode endpoints = JSON.readTree(file.toFile());
    long pid = endpoints.path("pid").asLong();
    if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StackProcess(root, endpoints, pid, -1, null));
  }

  /**
   * Starts {@code up --regions N} (default mode and time factor) with this JVM's java and class
   * path, and waits until it is ready.
   */
  public static StackProcess start(Path root, int regions, Path console, PrintStream out) throws IOException, InterruptedException {
    Path endpointsFile = root.resolve(".local-stack/endpoints.json");
    Files.deleteIfExists(endpointsFile);
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-D" + RepositoryRoot.PROPERTY + "=" + root,
        "-cp", System.getProperty("java.class.path"), "dev.meridian.tools.local.Main", "up", "--regions", Integer.toString(regions)));
    Files.createDirectories(console.getParent());
    out.println("starting: ./tools/local/stack up --regions " + regions + "   (console: " + console + ")");
    long t0 = System.nanoTime();
    Process child = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(console.toFile()).start();
    // Ctrl-C or a kill of this command must not leave the stack (and its moto and JVMs) running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (child.isAlive()) {
        child.destroy();
      }
    }, "figures-stop-stack"));
    long deadline = t0 + READY_BUDGET.toNanos();
    while (true) {
      if (Files.exists(endpointsFile)) {
        try {
          JsonNode endpoints = JSON.readTree(endpointsFile.toFile());
          if (endpoints.path("pid").asLong() == child.pid()) {
            long upMillis = (System.nanoTime() - t0) / 1_000_000;
            return new StackProcess(root, endpoints, child.pid(), upMillis, child);
          }
        } catch (IOException e) {
          // written at this moment: read it again
        }
      }
      if (!child.isAlive()) {
        throw new IllegalStateException("up exited with " + child.exitValue() + " before it was ready; see " + console);
      }
      if (System.nanoTime() > deadline) {
        stop(child);
        throw new IllegalStateException("up was not ready within " + READY_BUDGET + "; see " + console);
      }
      Thread.sleep(200);
    }
  }

  public boolean owned() {
    return child != null;
  }

  public List<String> regions() {
    List<String> out = new ArrayList<>();
    endpoints.path("regions").fieldNames().forEachRemaining(out::add);
    return out;
  }

  public URI region(String name) {
    return URI.create(endpoints.path("regions").path(name).path("url").asText());
  }

  public URI entry() {
    return URI.create(endpoints.path("entry").asText());
  }

  public URI control() {
    return URI.create(endpoints.path("control").asText());
  }

  public Path stackLog() {
    return Path.of(endpoints.path("logs").asText()).resolve("stack.log");
  }

  /** Stops the stack this command started (as Ctrl-C does) and checks that nothing it started is left. */
  @Override
  public void close() {
    if (child != null) {
      stop(child);
    }
  }

  private static void stop(Process child) {
    List<ProcessHandle> tree = new ArrayList<>(child.descendants().toList());
    child.destroy(); // SIGTERM: the stack's shutdown hook stops moto and every function JVM
    try {
      child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.add(child.toHandle());
    List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
    if (!left.isEmpty()) {
      left.forEach(ProcessHandle::destroyForcibly);
      throw new IllegalStateException("processes left after the stack stopped (killed now): "
          + left.stream().map(ProcessHandle::pid).toList());
    }
  }
}
