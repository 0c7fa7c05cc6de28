package dev.meridian.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.Polling;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tests.openapi.OpenApiResponses;
import dev.meridian.tools.local.MultiRegionStack;
import dev.meridian.tools.local.client.TimedHttpClient;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import dev.meridian.tools.local.jwt.TokenCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * One running local stack for an end-to-end test class, driven through HTTP only: the regions'
 * APIs, the global entry (Route 53 stand-in) and the control API, all taken from
 * {@code .local-stack/endpoints.json}. Only one may run at a time (they share {@code .local-stack/}).
 *
 * <p>Every answer of the API (a region's or the entry's, through {@link #call}) is checked against
 * openapi.yaml by {@link OpenApiResponses}: a call whose answer the document does not describe
 * fails where it is made, and every such answer is also kept ({@link #openApiViolations}) so that
 * the suite fails at its end for the ones seen on threads of its own (a flood), whose failures
 * nobody would see. The stand-in's own routes ({@code /dns}) and the control API are the local
 * stack's, not Meridian's, and are not checked.
 */
final class StackHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String US = "us-east-1";
  static final String EU = "eu-west-1";
  /** Longer than the HTTP API's 30 s integration timeout: every call gets the gateway's own answer. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final TimedHttpClient API = new TimedHttpClient(Duration.ofSeconds(3), CALL_TIMEOUT);
  private static final Duration WARM_UP_BUDGET = Duration.ofMinutes(3);
  private static final OpenApiResponses OPENAPI = openApi();
  private static final List<String> OPENAPI_VIOLATIONS = new CopyOnWriteArrayList<>();
  /** Answers checked since {@link #forgetOpenApiViolations}: the suite prints it, so a check that ran on nothing shows. */
  private static final AtomicInteger OPENAPI_CHECKED = new AtomicInteger();

  private final MultiRegionStack stack;
  final Path root;
  final JsonNode endpoints;
  final URI entry;
  final URI control;

  private StackHarness(MultiRegionStack stack, Path root, JsonNode endpoints) {
    this.stack = stack;
    this.root = root;
    this.endpoints = endpoints;
    this.entry = URI.create(endpoints.path("entry").asText());
    this.control = URI.create(endpoints.path("control").asText());
  }

  /**
   * Two regions, time factor 0.1 (health interval 1 s, threshold 3, TTL 6 s).
   *
   * @param name for the console log ({@code tests/target/local-stack-console-<name>.log})
   * @param seed whether the stack seeds its catalog itself ({@code false}: the test seeds what it
   *             needs through the HTTP API)
   */
  static StackHarness up(String name, String mode, boolean seed) throws Exception {
    Assumptions.assumeTrue(MotoServer.isAvailable(), () -> "moto unavailable: " + MotoServer.unavailableReason().orElse(""));
    Path root = RepositoryRoot.path();
    Path console = root.resolve("tests/target/local-stack-console-" + name + ".log");
    Files.createDirectories(console.getParent());
    long t0 = System.nanoTime();
    MultiRegionStack stack = MultiRegionStack.up(new MultiRegionStack.Options(root, 2, mode, 0.1, null, 0, 0, seed,
        new PrintStream(Files.newOutputStream(console), true)));
    try {
      JsonNode endpoints = JSON.readTree(root.resolve(".local-stack/endpoints.json").toFile());
      System.out.printf("[e2e %s] local stack ready after %d ms (endpoints.json readyAfterMillis %d)%n", name,
          (System.nanoTime() - t0) / 1_000_000, endpoints.path("readyAfterMillis").asLong());
      return new StackHarness(stack, root, endpoints);
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /** Stops the stack; nothing it started (moto, the function JVMs) may outlive it. */
  @Override
  public void close() {
    stack.close();
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
        .as("processes left after the stack stopped").isEmpty();
  }

  /**
   * Invokes every function of every region until each has answered 200 once (customer reads and
   * /health), so that later assertions and figures show replication, detection or timeouts, not a
   * first invocation's cold start. On a busy machine a cold start can outlast the HTTP API's 30 s
   * integration timeout (503); the environment keeps starting and the next call finds it warm.
   */
  void warmUp(String customerToken) throws Exception {
    for (String name : List.of(US, EU)) {
      URI api = region(name);
      for (String path : List.of("/orders", "/products?limit=1", "/health")) {
        String token = path.equals("/health") ? null : customerToken;
        Polling.Waited<Integer> warm = await(WARM_UP_BUDGET, 500, () -> statusOrTimeout(api, path, token), s -> s == 200);
        assertThat(warm.met()).as(name + " GET " + path + " answered 200 within " + WARM_UP_BUDGET + " (last "
            + warm.value() + ")").isTrue();
      }
    }
  }

  /** The status of a GET, or -1 when the client gave up first (a gateway starved of CPU). */
  private static int statusOrTimeout(URI api, String path, String token) throws IOException, InterruptedException {
    try {
      return call(api, "GET", path, token, null, Map.of()).status();
    } catch (java.net.http.HttpTimeoutException e) {
      System.out.println("[e2e] warm-up GET " + path + " not answered within " + CALL_TIMEOUT + ", repeating");
      return -1;
    }
  }

  /**
   * Setup, not the behaviour under test: repeats a call while it answers 503 or times out (cold
   * functions and a busy emulator on a loaded machine), for up to {@link #WARM_UP_BUDGET}; asserts
   * the final answer is one of {@code expected}.
   */
  static Answer setupCall(Polling.Probe<Answer> call, Integer... expected) throws Exception {
    long deadline = System.nanoTime() + WARM_UP_BUDGET.toNanos();
    Answer response = null;
    for (long pause = 500; ; pause = Math.min(pause * 2, 8_000)) {
      try {
        response = call.get();
        if (response.status() != 503) {
          break;
        }
      } catch (java.net.http.HttpTimeoutException e) {
        System.out.println("[e2e] setup call not answered within " + CALL_TIMEOUT + ", repeating");
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(pause);
    }
    assertThat(response).as("setup call answered within " + WARM_UP_BUDGET).isNotNull();
    assertThat(response.status()).as("setup call: " + response.body()).isIn((Object[]) expected);
    return response;
  }

  URI region(String name) {
    return URI.create(endpoints.path("regions").path(name).path("url").asText());
  }

  // ------------------------------------------------------------------ HTTP

  static String token(String sub, boolean admin) {
    List<String> args = new ArrayList<>(List.of("--sub", sub));
    if (admin) {
      args.add("--admin");
    }
    return tokenWith(args.toArray(String[]::new));
  }

  /** A token from the local stack's {@code token} command with exactly these options ({@code --operations}, {@code --client}...). */
  static String tokenWith(String... options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> args = List.of(options);
    int rc = TokenCommand.run(args, new PrintStream(out, true), System.err);
    assertThat(rc).as("token command").isZero();
    String[] lines = out.toString().trim().split("\\R");
    return lines[lines.length - 1].trim();
  }

  static Answer call(URI base, String method, String path, String token, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    Answer answer = API.call(base, method, path, token, body, headers);
    List<String> violations = checkAgainstOpenApi(method, path, answer.status(), answer.contentType(), answer.body());
    if (!violations.isEmpty()) {
      throw new AssertionError("openapi.yaml does not describe this answer: " + violations.get(0));
    }
    return answer;
  }

  /**
   * The violations of one answer of the API, each {@code METHOD target -> status: what}, also kept
   * for {@link #openApiViolations}. For answers received outside {@link #call}.
   */
  static List<String> checkAgainstOpenApi(String method, String target, int status, String contentType, String body) {
    List<String> violations = OPENAPI.violations(method, target, status, contentType, body).stream()
        .map(v -> method + " " + target + " -> " + status + ": " + v).toList();
    OPENAPI_CHECKED.incrementAndGet();
    OPENAPI_VIOLATIONS.addAll(violations);
    return violations;
  }

  /** Every violation since {@link #forgetOpenApiViolations}, in the order they were seen. */
  static List<String> openApiViolations() {
    return List.copyOf(OPENAPI_VIOLATIONS);
  }

  static int openApiChecked() {
    return OPENAPI_CHECKED.get();
  }

  static void forgetOpenApiViolations() {
    OPENAPI_VIOLATIONS.clear();
    OPENAPI_CHECKED.set(0);
  }

  private static OpenApiResponses openApi() {
    try {
      return OpenApiResponses.load(RepositoryRoot.path().resolve("openapi.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a product through the admin API of {@code region} (If-None-Match: *) and adds stock there (setup calls). */
  static void createProductWithStock(URI region, String adminToken, String id, long units) throws Exception {
    setupCall(() -> call(region, "PUT", "/products/" + id, adminToken,
        "{\"name\":\"" + id + "\",\"description\":\"e2e\",\"price\":{\"amount\":1200,\"currency\":\"EUR\"},\"active\":true}",
        Map.of("If-None-Match", "*")), 201, 412);
    restock(region, adminToken, id, units);
  }

  static void restock(URI region, String adminToken, String id, long units) throws Exception {
    setupCall(() -> call(region, "POST", "/products/" + id + "/stock", adminToken, "{\"units\":" + units + "}", Map.of()), 200);
  }

  /** POST /orders with a fresh Idempotency-Key. */
  static Answer placeOrder(URI base, String token, String productId) throws IOException, InterruptedException {
    return call(base, "POST", "/orders", token, "{\"lines\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}",
        Map.of("Idempotency-Key", "e2e-" + UUID.randomUUID()));
  }

  /** The region the entry answers for a client location ({@code GET /dns?location=}). */
  String dnsRegion(String location) throws IOException, InterruptedException {
    // The stand-in's own route (what Route 53 would resolve), not Meridian's API: not in openapi.yaml.
    Answer answer = API.call(entry, "GET", "/dns?location=" + location, null, null, Map.of());
    assertThat(answer.status()).as("GET /dns?location=" + location + ": " + answer.body()).isEqualTo(200);
    return answer.json().path("region").asText();
  }

  /** The stack log ({@code .local-stack/logs/stack.log}): REPORT lines, access log, control actions. */
  String stackLog() throws IOException {
    return Files.readString(root.resolve(".local-stack/logs/stack.log"));
  }

  /** A control-API POST that must answer 200. */
  JsonNode controlPost(String path) throws IOException, InterruptedException {
    return API.control(control, path);
  }

  /** {@code GET /status} of the control API (what {@code ./tools/local/stack status --json} prints). */
  JsonNode status() throws IOException, InterruptedException {
    return API.status(control);
  }

  /** Total backlog of every replication link, as the control API reports it. */
  long replicationBacklog() throws IOException, InterruptedException {
    long total = 0;
    for (JsonNode link : status().path("replication")) {
      total += link.path("backlog").asLong();
    }
    return total;
  }

  /** Backlog of one replication link {@code from -> to}. */
  long replicationBacklog(String from, String to) throws IOException, InterruptedException {
    JsonNode links = status().path("replication");
    for (JsonNode link : links) {
      if (link.path("from").asText().equals(from) && link.path("to").asText().equals(to)) {
        return link.path("backlog").asLong();
      }
    }
    throw new AssertionError("no replication link " + from + " -> " + to + " in " + links);
  }

  // ------------------------------------------------------------------ waiting

  /** Polls every {@code everyMillis} until the condition holds or {@code budget} passes. */
  static <T> Polling.Waited<T> await(Duration budget, long everyMillis, Polling.Probe<T> probe, Predicate<T> condition)
      throws Exception {
    return Polling.await(budget, Duration.ofMillis(everyMillis), probe, condition);
  }
}
