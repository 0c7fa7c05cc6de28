package dev.meridian.tests.e2e;

import static dev.meridian.tests.e2e.StackHarness.EU;
import static dev.meridian.tests.e2e.StackHarness.US;
import static dev.meridian.tests.e2e.StackHarness.await;
import static dev.meridian.tests.e2e.StackHarness.call;
import static dev.meridian.tests.e2e.StackHarness.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Active-active failure scenarios end to end, on one two-region stack at time factor 0.1
 * (health-check interval 1 s, failure threshold 3, TTL 6 s): cross-region replication, a
 * partition and its heal, a failed region and its recovery. Driven through the regions' HTTP
 * APIs, the global entry and the control API only. Each test leaves the stack as it found it
 * (healed, recovered, routed back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActiveActiveFailureE2EIT extends TwoRegionStackSuite {
  /** Stated bound for a write in one region to be readable in the other. */
  static final Duration REPLICATION_BOUND = Duration.ofSeconds(5);
  /** interval 1 s × threshold 3 (= 30 s × 0.1) + one interval of phase + 2 s slack. */
  static final Duration DETECTION_BOUND = Duration.ofMillis(3_000 + 1_000 + 2_000);
  static final Duration CONVERGENCE_BOUND = Duration.ofSeconds(10);


  @BeforeAll
  static void up() throws Exception {
    start("active-active", "active-active", true);
    stack.warmUp(alice);
  }


  @Test
  @Order(1)
  void anOrderPlacedInOneRegionIsReadableInTheOtherWithinTheBound() throws Exception {
    for (String[] pair : new String[][] {{US, EU}, {EU, US}}) {
      URI from = stack.region(pair[0]);
      URI to = stack.region(pair[1]);
      Answer placed = placeOrder(from, alice, "espresso-cup");
      assertThat(placed.status()).as(pair[0] + " POST /orders " + placed.body()).isEqualTo(201);
      String orderId = placed.json().path("id").asText();
      var visible = await(REPLICATION_BOUND, 25, () -> call(to, "GET", "/orders/" + orderId, alice, null, Map.of()).status(),
          s -> s == 200);
      System.out.printf("[e2e active-active] replication visibility %s -> %s: order readable after %d ms (bound %d ms)%n",
          pair[0], pair[1], visible.millis(), REPLICATION_BOUND.toMillis());
      assertThat(visible.met()).as("order " + orderId + " from " + pair[0] + " readable in " + pair[1] + " within "
          + REPLICATION_BOUND + " (last status " + visible.value() + ")").isTrue();
    }
  }

  @Test
  @Order(2)
  void aPartitionLetsTheRegionsDivergeAndTheHealConvergesThem() throws Exception {
    String id = "e2e-part-" + UUID.randomUUID().toString().substring(0, 8);
    Answer created = call(us, "PUT", "/products/" + id, ops, product("Partition test", 1500), Map.of("If-None-Match", "*"));
    assertThat(created.status()).as("create " + created.body()).isEqualTo(201);
    var replicated = await(REPLICATION_BOUND, 25, () -> call(eu, "GET", "/products/" + id, alice, null, Map.of()), r -> r.status() == 200);
    assertThat(replicated.met()).as("new product readable in " + EU).isTrue();
    String etagUs = created.etag();
    assertThat(etagUs).as("ETag of the created product").isNotNull();
    String etagEu = replicated.value().etag();
    assertThat(etagEu).isEqualTo(etagUs);

    stack.controlPost("/links/" + US + "/" + EU + "/partition");
    try {
      Answer putUs = call(us, "PUT", "/products/" + id, ops, product("Written in us-east-1", 1600), Map.of("If-Match", etagUs));
      assertThat(putUs.status()).as("PUT in " + US + ": " + putUs.body()).isEqualTo(200);
      Answer putEu = call(eu, "PUT", "/products/" + id, ops, product("Written in eu-west-1", 1700), Map.of("If-Match", etagEu));
      assertThat(putEu.status()).as("PUT in " + EU + ": " + putEu.body()).isEqualTo(200);
      Answer order = placeOrder(us, alice, "latte-mug");
      assertThat(order.status()).as("order in " + US + " during the partition: " + order.body()).isEqualTo(201);
      String orderId = order.json().path("id").asText();

      Thread.sleep(2_500);
      assertThat(call(us, "GET", "/products/" + id, alice, null, Map.of()).json().path("name").asText()).isEqualTo("Written in us-east-1");
      assertThat(call(eu, "GET", "/products/" + id, alice, null, Map.of()).json().path("name").asText()).isEqualTo("Written in eu-west-1");
      assertThat(call(eu, "GET", "/orders/" + orderId, alice, null, Map.of()).status())
          .as("order placed in " + US + " during the partition, read in " + EU + " after 2.5 s").isEqualTo(404);
      assertThat(await(REPLICATION_BOUND, 50, () -> stack.replicationBacklog(US, EU), b -> b > 0).met())
          .as("writes queued " + US + " -> " + EU + " while partitioned").isTrue();
      assertThat(await(REPLICATION_BOUND, 50, () -> stack.replicationBacklog(EU, US), b -> b > 0).met())
          .as("writes queued " + EU + " -> " + US + " while partitioned").isTrue();

      stack.controlPost("/links/" + US + "/" + EU + "/heal");
      var converged = await(CONVERGENCE_BOUND, 50, () -> {
        JsonNode a = call(us, "GET", "/products/" + id, alice, null, Map.of()).json();
        JsonNode b = call(eu, "GET", "/products/" + id, alice, null, Map.of()).json();
        int orderStatus = call(eu, "GET", "/orders/" + orderId, alice, null, Map.of()).status();
        return new Object[] {a, b, orderStatus};
      }, v -> v[0].equals(v[1]) && (int) v[2] == 200);
      System.out.printf("[e2e active-active] convergence after heal: product items equal and partition-time order visible"
          + " after %d ms (bound %d ms)%n",
          converged.millis(), CONVERGENCE_BOUND.toMillis());
      assertThat(converged.met()).as("after heal within " + CONVERGENCE_BOUND + ": " + US + " " + converged.value()[0] + " vs "
          + EU + " " + converged.value()[1] + ", order status in " + EU + " " + converged.value()[2]).isTrue();
      String winner = ((JsonNode) converged.value()[0]).path("name").asText();
      assertThat(winner).as("last writer wins: one of the two partition-time writes").isIn("Written in us-east-1", "Written in eu-west-1");
      System.out.printf("[e2e active-active] after heal both regions show '%s'%n", winner);
      var drained = await(CONVERGENCE_BOUND, 100, stack::replicationBacklog, b -> b == 0);
      assertThat(drained.met()).as("replication backlog drained after heal").isTrue();
    } finally {
      stack.controlPost("/links/" + US + "/" + EU + "/heal");
    }
  }

  @Test
  @Order(3)
  void aFailedRegionIsRoutedAroundAndCatchesUpAfterRecovery() throws Exception {
    assertThat(stack.dnsRegion("dublin")).as("dublin before the failure").isEqualTo(EU);

    stack.controlPost("/regions/" + EU + "/fail?mode=refuse");
    String duringOutageOrder;
    try {
      var detected = await(Duration.ofSeconds(20), 25, () -> stack.dnsRegion("dublin"), US::equals);
      System.out.printf("[e2e active-active] detection: dublin routed %s -> %s after %d ms (bound %d ms = 1 s x 3 + 1 s + 2 s)%n",
          EU, US, detected.millis(), DETECTION_BOUND.toMillis());
      assertThat(detected.met()).as("dublin moved to " + US).isTrue();
      assertThat(detected.millis()).as("detection time").isLessThanOrEqualTo(DETECTION_BOUND.toMillis());

      Answer viaEntry = call(stack.entry, "GET", "/products/latte-mug?location=dublin", alice, null, Map.of());
      assertThat(viaEntry.status()).as("entry GET after detection: " + viaEntry.body()).isEqualTo(200);
      assertThat(viaEntry.region()).isEqualTo(US);
      Answer orderViaEntry = call(stack.entry, "POST", "/orders?location=dublin", alice,
          "{\"lines\":[{\"productId\":\"espresso-cup\",\"quantity\":1}]}", Map.of("Idempotency-Key", "e2e-" + UUID.randomUUID()));
      assertThat(orderViaEntry.status()).as("entry POST /orders after detection: " + orderViaEntry.body()).isEqualTo(201);
      assertThat(orderViaEntry.region()).isEqualTo(US);
      Answer direct = placeOrder(us, alice, "latte-mug");
      assertThat(direct.status()).isEqualTo(201);
      duringOutageOrder = direct.json().path("id").asText();
      String entryOrder = orderViaEntry.json().path("id").asText();
      // The hub queues a write once it has read it from us-east-1's stream (polled), so wait for it.
      var queued = await(REPLICATION_BOUND, 50, () -> stack.replicationBacklog(US, EU), b -> b > 0);
      assertThat(queued.met()).as("writes waiting for the failed region on the " + US + " -> " + EU + " link").isTrue();

      stack.controlPost("/regions/" + EU + "/recover");
      var drained = await(CONVERGENCE_BOUND, 50, stack::replicationBacklog, b -> b == 0);
      System.out.printf("[e2e active-active] after recover: replication backlog 0 after %d ms%n", drained.millis());
      assertThat(drained.met()).as("backlog drained after recover (last " + drained.value() + ")").isTrue();
      for (String orderId : new String[] {duringOutageOrder, entryOrder}) {
        var seen = await(REPLICATION_BOUND, 50, () -> call(eu, "GET", "/orders/" + orderId, alice, null, Map.of()).status(), s -> s == 200);
        assertThat(seen.met()).as("order " + orderId + " written in " + US + " during the outage, readable in " + EU).isTrue();
      }
      var back = await(Duration.ofSeconds(20), 50, () -> stack.dnsRegion("dublin"), EU::equals);
      System.out.printf("[e2e active-active] recovery: dublin routed back to %s %d ms after the backlog drained%n", EU, back.millis());
      assertThat(back.met()).as("dublin routed to " + EU + " again after recovery").isTrue();
    } finally {
      stack.controlPost("/regions/" + EU + "/recover");
    }
  }

  private static String product(String name, long amount) {
    return "{\"name\":\"" + name + "\",\"description\":\"e2e\",\"price\":{\"amount\":" + amount + ",\"currency\":\"EUR\"},\"active\":true}";
  }
}
