package dev.meridian.tests.e2e;

import static dev.meridian.tests.e2e.StackHarness.EU;
import static dev.meridian.tests.e2e.StackHarness.US;
import static dev.meridian.tests.e2e.StackHarness.call;
import static dev.meridian.tests.e2e.StackHarness.token;
import static dev.meridian.tests.e2e.StackHarness.tokenWith;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local stack end to end, through HTTP, the control API and the stack log only: two regions
 * started once, from template.yaml, with the packaged function zips running under the real Lambda
 * runtime interface client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackE2EIT extends TwoRegionStackSuite {
  private static final List<String> REGIONS = List.of(US, EU);
  /** The functions HTTP reaches (each cold-starts, then serves warm). */
  private static final List<String> FUNCTIONS = List.of("CatalogFunction", "OrdersFunction", "HealthFunction");
  /** Every function of the template, in its order. */
  private static final List<String> ALL_FUNCTIONS = List.of("CatalogFunction", "OrdersFunction", "HealthFunction",
      "PublisherFunction", "ReconcilerFunction");
  /**
   * Past the SDK's 2 s per-attempt timeout (AwsClients.API), so a hanging DynamoDB call is still
   * being retried when Lambda stops the invocation, and below its 5 s total, after which the
   * function would answer 503 itself instead of timing out.
   */
  private static final int FUNCTION_TIMEOUT_SECONDS = 4;

  @BeforeAll
  static void up() throws Exception {
    start("local-stack", "active-active", true);
    stack.warmUp(alice);
  }


  @Test
  @Order(1)
  void everyRegionServesTheSeededCatalogAndTheCustomerRoutes() throws Exception {
    String alice = token("alice", false);
    String mallory = token("mallory", false);
    for (String region : REGIONS) {
      URI api = stack.region(region);
      Answer products = call(api, "GET", "/products?limit=3", alice, null, Map.of());
      assertThat(products.status()).as(region + " GET /products").isEqualTo(200);
      assertThat(products.json().toString()).contains("espresso-cup");
      Answer product = call(api, "GET", "/products/latte-mug", alice, null, Map.of());
      assertThat(product.status()).isEqualTo(200);
      assertThat(product.body()).contains(region);

      String key = "e2e-" + UUID.randomUUID();
      String body = "{\"lines\":[{\"productId\":\"latte-mug\",\"quantity\":1}]}";
      Answer placed = call(api, "POST", "/orders", alice, body, Map.of("Idempotency-Key", key));
      assertThat(placed.status()).as(region + " POST /orders " + placed.body()).isEqualTo(201);
      String orderId = placed.json().path("id").asText();
      Answer replay = call(api, "POST", "/orders", alice, body, Map.of("Idempotency-Key", key));
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.json().path("id").asText()).isEqualTo(orderId);
      assertThat(call(api, "POST", "/orders", alice, body, Map.of()).status()).as("missing key").isEqualTo(400);
      assertThat(call(api, "GET", "/orders/" + orderId, alice, null, Map.of()).status()).isEqualTo(200);
      assertThat(call(api, "GET", "/orders/" + orderId, mallory, null, Map.of()).status()).isEqualTo(404);
      assertThat(call(api, "GET", "/orders", alice, null, Map.of()).body()).contains(orderId);
      assertThat(call(api, "POST", "/orders/" + orderId + "/cancel", alice, "", Map.of()).status()).isEqualTo(200);
      assertThat(call(api, "GET", "/orders", null, null, Map.of()).status()).as("no token").isEqualTo(401);
      // Two authorizers: a customer-client token is refused by the admin authorizer's audience (401),
      // even when it asked for the admin scope; an admin-client token without the group passes the
      // gateway and is refused by the function (403 problem); the operations client is a machine admin.
      assertThat(call(api, "GET", "/admin/control", alice, null, Map.of()).status()).as("customer on admin").isEqualTo(401);
      String greedy = tokenWith("--sub", "eve", "--client", "customer", "--scope", "meridian/admin");
      Answer wrongAudience = call(api, "GET", "/admin/control", greedy, null, Map.of());
      assertThat(wrongAudience.status()).as("customer client asking for the admin scope").isEqualTo(401);
      assertThat(wrongAudience.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
      Answer groupless = call(api, "GET", "/admin/control",
          tokenWith("--sub", "mallory", "--client", "admin", "--scope", "meridian/admin"), null, Map.of());
      assertThat(groupless.status()).as("admin client without the group").isEqualTo(403);
      assertThat(groupless.contentType()).contains("problem+json");
      assertThat(call(api, "GET", "/admin/control", token("ops", true), null, Map.of()).status()).isEqualTo(200);
      assertThat(call(api, "GET", "/admin/control", tokenWith("--operations"), null, Map.of()).status()).isEqualTo(200);
      assertThat(call(api, "GET", "/orders", token("ops", true), null, Map.of()).status()).as("admin on a customer route")
          .isEqualTo(401);
      Answer health = call(api, "GET", "/health", null, null, Map.of());
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).startsWith("{\"status\":\"healthy\"");
      Answer tooLarge = call(api, "POST", "/orders", alice, "x".repeat(70 * 1024), Map.of("Idempotency-Key", "big"));
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.contentType()).contains("problem+json");
    }
  }

  @Test
  @Order(2)
  void anOrderPlacedInOneRegionIsReadableInTheOther() throws Exception {
    String alice = token("alice", false);
    Answer placed = call(stack.region(US), "POST", "/orders", alice,
        "{\"lines\":[{\"productId\":\"espresso-cup\",\"quantity\":1}]}", Map.of("Idempotency-Key", "cross-" + UUID.randomUUID()));
    assertThat(placed.status()).isEqualTo(201);
    String orderId = placed.json().path("id").asText();
    var visible = StackHarness.await(java.time.Duration.ofSeconds(10), 50,
        () -> call(stack.region(EU), "GET", "/orders/" + orderId, alice, null, Map.of()).status(), s -> s == 200);
    assertThat(visible.met()).as("order " + orderId + " readable in " + EU).isTrue();
    System.out.println("order replicated us-east-1 -> eu-west-1, readable after " + visible.millis() + " ms");
  }

  /**
   * A function cold-starts only when every environment it had was busy, as on Lambda: Route 53's
   * concurrent probes may have given health a second environment (and a warm-up call repeated
   * after the gateway's 30 s timeout, while the first still ran, may have done so elsewhere).
   * Every environment started is accounted for (a REPORT with Init Duration for each, each still
   * alive or reclaimed after its idle timeout, so never more than the function's limit), and the
   * later invocations ran warm on them.
   */
  @Test
  @Order(3)
  void aFunctionColdStartsOnlyWhenEveryEnvironmentItHadWasBusy() throws Exception {
    JsonNode before = stack.status();
    String log = stack.stackLog();
    JsonNode after = stack.status();
    for (String region : REGIONS) {
      for (String function : FUNCTIONS) {
        String what = region + " " + function;
        JsonNode was = functionIn(before, region, function);
        JsonNode now = functionIn(after, region, function);
        JsonNode environments = now.path("environments");
        List<String> reports = reports(log, region, function);
        long initReports = reports.stream().filter(r -> r.contains("\tInit Duration: ")).count();
        System.out.printf("[e2e local-stack] %s: %d invocations, %d cold starts, environments %s%n", what,
            reports.size(), now.path("coldStarts").asInt(), environments);
        // An invocation in flight when the log was read has not written its REPORT yet.
        int inFlight = was.path("environments").path("busy").asInt() + was.path("environments").path("initializing").asInt();
        assertThat(initReports).as(what + " cold starts in REPORT lines against the status")
            .isBetween((long) was.path("coldStarts").asInt() - inFlight, (long) now.path("coldStarts").asInt());
        assertThat(now.path("coldStarts").asInt()).as(what + " environments started: alive or reclaimed, none lost")
            .isEqualTo(environments.path("busy").asInt() + environments.path("idle").asInt()
                + environments.path("initializing").asInt() + environments.path("reclaimed").asInt());
        assertThat(now.path("coldStarts").asInt()).as(what + " cold starts").isPositive()
            .isLessThanOrEqualTo(environments.path("limit").asInt() + environments.path("reclaimed").asInt());
        assertThat(reports.size() - initReports).as(what + " warm invocations on those environments")
            .isGreaterThan(0);
      }
    }
    assertThat(log).contains("Max Memory Used:", "Billed Duration:");
  }

  @Test
  @Order(4)
  void statusCarriesHealthLinksBacklogsQueuesAndFunctionStates() throws Exception {
    JsonNode status = stack.status();
    for (String region : REGIONS) {
      JsonNode health = status.path("route53").path("regions").path(region);
      assertThat(health.path("healthy").isBoolean()).as(region + " health as the checkers see it: " + health).isTrue();
      assertThat(health.path("checkerStatus")).as(region + " each checker's view").hasSizeGreaterThanOrEqualTo(3);

      JsonNode r = status.path("regions").path(region);
      List<String> queues = new ArrayList<>();
      r.path("queues").forEach(q -> {
        assertThat(q.path("visible").isNumber()).as(region + " queue depth " + q).isTrue();
        assertThat(q.path("inFlight").isNumber()).isTrue();
        queues.add(q.path("logicalId").asText());
      });
      assertThat(queues).as(region + " queues and their DLQs").contains("ReconcileQueue", "ReconcileDeadLetterQueue",
          "PublisherFailureQueue");
      List<String> functions = new ArrayList<>();
      r.path("functions").forEach(f -> {
        assertThat(f.path("state").asText()).as(region + " " + f.path("logicalId") + " cold/warm").isIn("COLD", "STARTING", "WARM");
        assertThat(f.path("timeoutSeconds").asInt()).isPositive();
        functions.add(f.path("logicalId").asText());
      });
      assertThat(functions).containsExactlyElementsOf(ALL_FUNCTIONS);
      assertThat(r.path("dynamoDb").path("stalled").asBoolean(true)).as(region + " DynamoDB proxy").isFalse();
    }
    for (String links : List.of("replication", "eventLinks")) {
      assertThat(status.path(links)).as(links + " per ordered region pair").hasSize(2);
    }
    status.path("replication").forEach(l -> {
      assertThat(l.path("backlog").isNumber()).as("replication backlog " + l).isTrue();
      assertThat(l.path("lastLagMillis").isNumber()).as("replication lag " + l).isTrue();
    });
    status.path("eventLinks").forEach(l -> assertThat(l.path("queued").isNumber()).as("event-link backlog " + l).isTrue());
  }

  /**
   * A DynamoDB that stops answering (stall-dynamodb) makes the catalog's query hang past the
   * function's timeout: API Gateway answers as it does for any function error, Lambda logs its
   * timeout line and a REPORT with Status: timeout, and the next invocation starts a fresh
   * execution environment.
   */
  @Test
  @Order(5)
  void aFunctionThatRunsPastItsTimeoutIsReportedAsLambdaReportsIt() throws Exception {
    URI eu = stack.region(EU);
    String alice = token("alice", false);
    JsonNode set = stack.controlPost("/regions/" + EU + "/functions/catalog/timeout?seconds=" + FUNCTION_TIMEOUT_SECONDS);
    assertThat(set.path("function").asText()).isEqualTo("CatalogFunction");
    assertThat(set.path("timeoutSeconds").asInt()).isEqualTo(FUNCTION_TIMEOUT_SECONDS);
    try {
      // The configuration change recycled the instance: start it again while DynamoDB answers (a
      // first request on a cold JVM may itself need most of the 4 s on a busy machine).
      var warm = StackHarness.await(java.time.Duration.ofMinutes(3), 500,
          () -> call(eu, "GET", "/products/latte-mug", alice, null, Map.of()).status(), s -> s == 200);
      assertThat(warm.met()).as("catalog answers in " + EU + " with the new timeout").isTrue();
      int coldStartsBefore = function(EU, "CatalogFunction").path("coldStarts").asInt();

      Answer timedOut;
      long elapsedMillis;
      stack.controlPost("/regions/" + EU + "/stall-dynamodb?on=true");
      try {
        assertThat(stack.status().path("regions").path(EU).path("dynamoDb").path("stalled").asBoolean()).isTrue();
        long t0 = System.nanoTime();
        timedOut = call(eu, "GET", "/products/latte-mug", alice, null, Map.of());
        elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
      } finally {
        stack.controlPost("/regions/" + EU + "/stall-dynamodb?on=false");
      }
      System.out.printf("[e2e local-stack] catalog with DynamoDB stalled: HTTP %d after %d ms (function timeout %d s)%n",
          timedOut.status(), elapsedMillis, FUNCTION_TIMEOUT_SECONDS);
      // An HTTP API answers a function error, a function timeout included, with 500 (503 is its
      // answer when its own 30 s integration timeout passes first).
      assertThat(timedOut.status()).as("answer: " + timedOut.body()).isEqualTo(500);
      assertThat(timedOut.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
      assertThat(elapsedMillis).as("answered when Lambda stopped the invocation")
          .isBetween(FUNCTION_TIMEOUT_SECONDS * 1000L, FUNCTION_TIMEOUT_SECONDS * 1000L + 4_000);

      String log = stack.stackLog();
      String lambdaRequestId = integrationRequestId(log, timedOut);
      assertThat(log).containsPattern("\\[" + EU + "/CatalogFunction\\] \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z "
          + Pattern.quote(lambdaRequestId) + " Task timed out after " + FUNCTION_TIMEOUT_SECONDS + ".00 seconds\n");
      assertThat(report(log, lambdaRequestId)).contains("\tDuration: " + FUNCTION_TIMEOUT_SECONDS + "000.00 ms")
          .endsWith("\tStatus: timeout");
      assertThat(function(EU, "CatalogFunction").path("state").asText()).as("the timed-out instance is gone").isEqualTo("COLD");

      // The next invocation starts a fresh environment (on a very busy machine its cold start may
      // outlast the gateway's 30 s and answer 503 while it carries on; the call after finds it).
      var answered = StackHarness.await(java.time.Duration.ofMinutes(3), 500,
          () -> call(eu, "GET", "/products/latte-mug", alice, null, Map.of()), r -> r.status() == 200);
      assertThat(answered.met()).as("catalog answers again: " + answered.value().body()).isTrue();
      List<String> after = reports(stack.stackLog(), EU, "CatalogFunction").stream()
          .dropWhile(r -> !r.contains(lambdaRequestId)).skip(1).toList();
      assertThat(after).as("invocations after the timeout").isNotEmpty();
      assertThat(after.get(0)).as("the first one after the timeout: a fresh execution environment")
          .contains("\tInit Duration: ").doesNotContain("Status:");
      assertThat(function(EU, "CatalogFunction").path("coldStarts").asInt()).isEqualTo(coldStartsBefore + 1);
    } finally {
      stack.controlPost("/regions/" + EU + "/functions/catalog/timeout?seconds=default");
    }
  }

  private static JsonNode functionIn(JsonNode status, String region, String logicalId) {
    for (JsonNode f : status.path("regions").path(region).path("functions")) {
      if (f.path("logicalId").asText().equals(logicalId)) {
        return f;
      }
    }
    throw new AssertionError("no " + logicalId + " in " + region + "'s status");
  }

  private static JsonNode function(String region, String logicalId) throws Exception {
    for (JsonNode f : stack.status().path("regions").path(region).path("functions")) {
      if (f.path("logicalId").asText().equals(logicalId)) {
        return f;
      }
    }
    throw new AssertionError("no function " + logicalId + " in " + region);
  }

  private static List<String> reports(String log, String region, String function) {
    Matcher m = Pattern.compile("\\[" + Pattern.quote(region + "/" + function) + "\\] REPORT RequestId: .*").matcher(log);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The Lambda RequestId behind an answer: its apigw-requestid header → the access log's integrationRequestId. */
  private static String integrationRequestId(String log, Answer answer) {
    String gatewayId = answer.gatewayRequestId();
    Matcher m = Pattern.compile("\\{\"requestId\":\"" + Pattern.quote(gatewayId) + "\".*\"integrationRequestId\":\"([^\"]+)\"")
        .matcher(log);
    assertThat(m.find()).as("access-log line of " + gatewayId).isTrue();
    return m.group(1);
  }

  private static String report(String log, String lambdaRequestId) {
    Matcher m = Pattern.compile("REPORT RequestId: " + Pattern.quote(lambdaRequestId) + "\t[^\n]*").matcher(log);
    assertThat(m.find()).as("REPORT line of " + lambdaRequestId).isTrue();
    return m.group();
  }
}
