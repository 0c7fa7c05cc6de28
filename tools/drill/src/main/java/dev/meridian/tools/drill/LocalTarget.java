package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.MultiRegionStack;
import dev.meridian.tools.local.client.DnsCache;
import dev.meridian.tools.local.client.StackProcess;
import dev.meridian.tools.local.client.TimedHttpClient;
import dev.meridian.tools.local.jwt.TokenCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local multi-region stack: one this drill starts in-process (and stops at the end, leaving no
 * process behind) or one already running, found through {@code .local-stack/endpoints.json}.
 */
final class LocalTarget implements Target {
  private final StackProcess stack;
  private final MultiRegionStack owned;
  /** Stops an owned stack on Ctrl-C or SIGTERM too, as ./tools/local/stack up does. */
  private final Thread shutdownHook;
  private final TimedHttpClient api;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  private LocalTarget(StackProcess stack, MultiRegionStack owned, TimedHttpClient api) {
    this.stack = stack;
    this.owned = owned;
    this.api = api;
    this.shutdownHook = owned == null ? null : new Thread(owned::close, "drill-stack-shutdown");
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** The running stack, if any (its process alive). */
  static Optional<StackProcess> running(Path root) throws Exception {
    return StackProcess.running(root);
  }

  static LocalTarget attach(StackProcess running, TimedHttpClient api) {
    return new LocalTarget(running, null, api);
  }

  /** Starts a stack in this JVM, unseeded (the drill stocks products of its own); its console goes to {@code console}. */
  static LocalTarget start(Path root, int regions, String mode, double timeFactor, Path console, TimedHttpClient api,
      PrintStream out) throws Exception {
    Files.createDirectories(console.getParent());
    out.printf("starting the local stack: %d regions, %s, time factor %s (console: %s)%n", regions, mode, timeFactor, console);
    PrintStream consoleOut = new PrintStream(Files.newOutputStream(console), true, StandardCharsets.UTF_8);
    MultiRegionStack stack = MultiRegionStack.up(new MultiRegionStack.Options(root, regions, mode, timeFactor, null, 0, 0, false, consoleOut));
    try {
      StackProcess view = StackProcess.running(root)
          .orElseThrow(() -> new IllegalStateException("the stack started but wrote no endpoints.json"));
      return new LocalTarget(view, stack, api);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  boolean owned() {
    return owned != null;
  }

  @Override
  public String describe() {
    return "local stack (" + (owned() ? "started by this drill" : "already running, pid " + stack.pid) + ")";
  }

  @Override
  public String mode() {
    return stack.endpoints.path("mode").asText();
  }

  @Override
  public double timeFactor() {
    return stack.endpoints.path("timeFactor").asDouble();
  }

  @Override
  public List<String> regions() {
    return stack.regions();
  }

  @Override
  public URI regionUrl(String region) {
    return stack.region(region);
  }

  @Override
  public Resolver resolver(String location) {
    DnsCache cache = new DnsCache(api, stack.entry(), location);
    return cache::resolve;
  }

  @Override
  public String token(String sub, boolean admin) {
    return tokens.computeIfAbsent(sub + (admin ? "#admin" : ""), k -> issue(sub, admin));
  }

  private String issue(String sub, boolean admin) {
    List<String> args = new ArrayList<>(List.of("--sub", sub, "--dir", stack.root.resolve(TokenCommand.DEFAULT_DIR).toString(),
        "--ttl", "12h"));
    if (admin) {
      args.add("--admin");
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = TokenCommand.run(args, new PrintStream(buffer, true, StandardCharsets.UTF_8),
        new PrintStream(errors, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("token command failed: " + errors.toString(StandardCharsets.UTF_8));
    }
    String[] lines = buffer.toString(StandardCharsets.UTF_8).trim().split("\\R");
    return lines[lines.length - 1].trim();
  }

  @Override
  public boolean injectsFailures() {
    return true;
  }

  @Override
  public JsonNode control(String path) throws Exception {
    return api.control(stack.control(), path);
  }

  /** Through the control API, which runs each FIS action as the stack's own fault. */
  @Override
  public Map<String, Object> experiment(String experiment, String region, boolean start) throws Exception {
    JsonNode answer = control("/regions/" + region + "/experiments/" + experiment + "/" + (start ? "start" : "stop"));
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("state", start ? "running" : "stopped");
    facts.put("actions", DrillCommand.JSON.convertValue(answer.path("actions"), List.class));
    return facts;
  }

  @Override
  public Optional<JsonNode> status() throws Exception {
    return Optional.of(api.status(stack.control()));
  }

  @Override
  public Audit.Replicas replicas() {
    return Audit.Replicas.localStack(stack.endpoints, regions());
  }

  @Override
  public Map<String, Object> facts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("kind", "local-stack");
    facts.put("startedByThisDrill", owned());
    facts.put("regions", regions());
    facts.put("mode", mode());
    facts.put("timeFactor", timeFactor());
    facts.put("readyAfterMillis", stack.endpoints.path("readyAfterMillis").asLong());
    facts.put("entry", stack.entry().toString());
    return facts;
  }

  /** Stops a stack this drill started; nothing it started may outlive it. */
  @Override
  public void close() {
    if (owned == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook stops the stack
    }
    owned.close();
    try {
      // The stack ran in this JVM, whose pid endpoints.json names: it must not look running any longer.
      Files.deleteIfExists(stack.root.resolve(".local-stack/endpoints.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<ProcessHandle> left = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      if (left.isEmpty()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    left.forEach(ProcessHandle::destroyForcibly);
    throw new IllegalStateException("processes left after the stack stopped (killed now): "
        + left.stream().map(ProcessHandle::pid).toList());
  }
}
