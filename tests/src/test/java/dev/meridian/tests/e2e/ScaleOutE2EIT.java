package dev.meridian.tests.e2e;

import static dev.meridian.tests.e2e.StackHarness.EU;
import static dev.meridian.tests.e2e.StackHarness.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #18: a burst of orders in one region scales its orders function out instead of queueing,
 * and the region's {@code GET /health} keeps its contract meanwhile. Four clients place orders of
 * one product in {@code eu-west-1} back to back for {@code -Dmeridian.e2e.scaleOut.loadSeconds}
 * (default 60; the run is 300) while a checker calls {@code GET /health} there every 2 s.
 *
 * <p>What "within its contract" means here: every answer within 2 s, and either 200 or the health
 * function's own 503, one whose body says a check ran into its deadline. Such 503s are allowed:
 * the orders' DynamoDB transactions and the health function's reads meet in the emulator, which
 * serves one DynamoDB request at a time, so a read can wait past its 800 ms check timeout (an
 * earlier run saw 2 to 3 of 30). That is the health contract working, not queueing in the local
 * runtime, which showed as 13 to 15 s answers, or as the gateway's own 503 {"message":"Service
 * Unavailable"}, and a throttled health function would show as a 500: neither is allowed. Most
 * answers must still be 200, so a region that stays unhealthy fails.
 */
class ScaleOutE2EIT extends TwoRegionStackSuite {
  private static final Duration LOAD = Duration.ofSeconds(Long.getLong("meridian.e2e.scaleOut.loadSeconds", 60));
  private static final int CLIENTS = 4;
  private static final Duration HEALTH_EVERY = Duration.ofSeconds(2);
  /** The health contract's bound on an answer (docs: "< 2 s always"). */
  private static final Duration HEALTH_BOUND = Duration.ofSeconds(2);
  private static final String PRODUCT = "scale-out-mug";
  private static final long STOCK = 1_000_000;
  /** Tries per Idempotency-Key during the load; a key still unanswered is settled after it. */
  private static final int TRIES_PER_KEY = 8;

  /** One health answer: its status, how long it took, and its body. */
  private record HealthAnswer(int status, long millis, String body) {}

  @BeforeAll
  static void up() throws Exception {
    start("scale-out", "active-active", true);
    stack.warmUp(alice);
    StackHarness.createProductWithStock(eu, ops, PRODUCT, STOCK);
  }

  @Test
  void fourClientsPlacingOrdersScaleTheOrdersFunctionOutWhileHealthKeepsItsContract() throws Exception {
    long availableBefore = available();
    int coldStartsBefore = function("OrdersFunction").path("coldStarts").asInt();

    Map<String, String> placed = new ConcurrentHashMap<>(); // Idempotency-Key -> order id
    Set<String> unsettled = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> orderStatuses = new ConcurrentHashMap<>();
    List<Long> placementMillis = Collections.synchronizedList(new ArrayList<>());
    List<HealthAnswer> health = Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + LOAD.toNanos();

    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(Thread.ofPlatform().name("scale-out-client-" + i).start(
          () -> placeUntil(deadline, placed, unsettled, orderStatuses, placementMillis)));
    }
    Thread checker = Thread.ofPlatform().name("scale-out-health").start(() -> checkHealthUntil(deadline, health));
    for (Thread client : clients) {
      client.join();
    }
    checker.join();

    // A key whose every try failed may still have placed its order (an answer lost after the write):
    // replaying it finds that order or places it once, never twice.
    for (String key : unsettled) {
      Answer settled = StackHarness.setupCall(() -> order(key), 201);
      placed.put(key, settled.json().path("id").asText());
    }
    long availableAfter = available();
    JsonNode orders = function("OrdersFunction");
    int coldStarts = orders.path("coldStarts").asInt();
    List<String> initReports = initReports(stack.stackLog(), EU, "OrdersFunction");
    List<Long> latencies = new ArrayList<>(placementMillis);
    Collections.sort(latencies);
    System.out.printf("[e2e scale-out] %d s of load in %s: %d orders placed (%d keys settled afterwards), statuses %s,"
        + " latency median %d ms, p95 %d ms, max %d ms; orders cold starts %d -> %d (%d REPORT lines with Init"
        + " Duration), environments now %s; %d health answers, statuses %s, slowest %d ms%n", LOAD.toSeconds(), EU,
        placed.size(), unsettled.size(), orderStatuses, percentile(latencies, 50), percentile(latencies, 95),
        percentile(latencies, 100), coldStartsBefore, coldStarts, initReports.size(), orders.path("environments"),
        health.size(), health.stream().map(HealthAnswer::status).distinct().sorted().toList(),
        health.stream().mapToLong(HealthAnswer::millis).max().orElse(-1));

    assertThat(placed).as("orders placed during the load").isNotEmpty();
    assertThat(coldStarts).as("the orders function scaled out: more than one environment started").isGreaterThan(1);
    assertThat(initReports).as("cold starts visible as REPORT lines with Init Duration").hasSizeGreaterThan(1)
        .hasSize(coldStarts);

    assertThat(new HashSet<>(placed.values())).as("one order per Idempotency-Key, none shared").hasSize(placed.size());
    assertThat(availableBefore - availableAfter).as("units taken from " + EU + "'s stock: one per order, none lost"
        + " and none twice").isEqualTo(placed.size());
    for (String orderId : placed.values()) {
      Answer read = StackHarness.setupCall(() -> call(eu, "GET", "/orders/" + orderId, alice, null, Map.of()), 200);
      assertThat(read.json().path("id").asText()).isEqualTo(orderId);
    }

    assertThat(health).as("health answers every %s for %s", HEALTH_EVERY, LOAD)
        .hasSizeGreaterThanOrEqualTo((int) (LOAD.toSeconds() / HEALTH_EVERY.toSeconds() / 2));
    assertThat(health).as("every GET /health answered within " + HEALTH_BOUND)
        .allSatisfy(h -> assertThat(h.millis()).as(h.toString()).isLessThan(HEALTH_BOUND.toMillis()));
    assertThat(health).as("200, or the health function's own 503 from a check's deadline").allSatisfy(h -> {
      if (h.status() != 200) {
        assertThat(h.status()).as(h.toString()).isEqualTo(503);
        assertThat(h.body()).as(h.toString()).startsWith("{\"status\":\"unhealthy\"").contains("\"timeout\"");
      }
    });
    assertThat(health.stream().filter(h -> h.status() == 200).count()).as("most health answers healthy")
        .isGreaterThan(health.size() / 2);
  }

  /** Places orders back to back until the deadline, retrying each key through throttles and 503s. */
  private static void placeUntil(long deadline, Map<String, String> placed, Set<String> unsettled,
      Map<String, AtomicInteger> statuses, List<Long> millis) {
    while (System.nanoTime() < deadline) {
      String key = "scale-out-" + UUID.randomUUID();
      boolean done = false;
      for (int attempt = 0; attempt < TRIES_PER_KEY && !done; attempt++) {
        String outcome;
        try {
          Answer answer = order(key);
          outcome = Integer.toString(answer.status());
          if (answer.status() == 201) {
            placed.put(key, answer.json().path("id").asText());
            millis.add(Math.round(answer.millis()));
            done = true;
          }
        } catch (HttpTimeoutException e) {
          outcome = "timeout";
        } catch (IOException e) {
          outcome = "io-error";
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        statuses.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
        if (!done) {
          pause(Duration.ofMillis(200L * (attempt + 1)));
        }
      }
      if (!done) {
        unsettled.add(key);
      }
    }
  }

  private static Answer order(String key) throws IOException, InterruptedException {
    return call(eu, "POST", "/orders", alice, "{\"lines\":[{\"productId\":\"" + PRODUCT + "\",\"quantity\":1}]}",
        Map.of("Idempotency-Key", key));
  }

  private static void checkHealthUntil(long deadline, List<HealthAnswer> answers) {
    while (System.nanoTime() < deadline) {
      long t0 = System.nanoTime();
      try {
        Answer answer = call(eu, "GET", "/health", null, null, Map.of());
        answers.add(new HealthAnswer(answer.status(), Math.round(answer.millis()), answer.body()));
      } catch (IOException e) {
        answers.add(new HealthAnswer(-1, (System.nanoTime() - t0) / 1_000_000, e.toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      pause(HEALTH_EVERY.minusNanos(System.nanoTime() - t0));
    }
  }

  /** eu-west-1's available units of the product, as its replica sees them. */
  private static long available() throws Exception {
    Answer product = StackHarness.setupCall(() -> call(eu, "GET", "/products/" + PRODUCT, alice, null, Map.of()), 200);
    for (JsonNode allocation : product.json().path("allocations")) {
      if (allocation.path("region").asText().equals(EU)) {
        return allocation.path("available").asLong();
      }
    }
    throw new AssertionError("no " + EU + " allocation in " + product.body());
  }

  private static JsonNode function(String logicalId) throws Exception {
    for (JsonNode f : stack.status().path("regions").path(EU).path("functions")) {
      if (f.path("logicalId").asText().equals(logicalId)) {
        return f;
      }
    }
    throw new AssertionError("no " + logicalId + " in " + EU + "'s status");
  }

  private static List<String> initReports(String log, String region, String function) {
    Matcher m = Pattern.compile("\\[" + Pattern.quote(region + "/" + function) + "\\] REPORT RequestId: [^\\n]*\tInit Duration: ")
        .matcher(log);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void pause(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
