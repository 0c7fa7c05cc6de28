package dev.meridian.tests.e2e;

import static dev.meridian.tests.e2e.StackHarness.EU;
import static dev.meridian.tests.e2e.StackHarness.US;
import static dev.meridian.tests.e2e.StackHarness.await;
import static dev.meridian.tests.e2e.StackHarness.call;
import static dev.meridian.tests.e2e.StackHarness.placeOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Active-passive failover end to end on a two-region stack at time factor 0.1: us-east-1 is the
 * PRIMARY, eu-west-1 the standby. Promotion through the control API moves writes and (after
 * health-check detection) the entry's answer to eu-west-1, and the old primary stays fenced, even
 * across a fail and recover. The tests build on each other in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActivePassiveFailoverE2EIT extends TwoRegionStackSuite {
  /** interval 1 s × threshold 3 + one interval + 2 s slack (see ActiveActiveFailureE2EIT). */
  static final Duration DETECTION_BOUND = ActiveActiveFailureE2EIT.DETECTION_BOUND;
  /** The control item written in eu-west-1 must replicate to us-east-1 to fence it. */
  static final Duration FENCE_BOUND = Duration.ofSeconds(5);


  @BeforeAll
  static void up() throws Exception {
    // The stack seeds the catalog through the primary (the standby refuses writes); each restock
    // gives the standby its reserve (StandbyReservePercent, 20 by default) by transfer.
    start("active-passive", "active-passive", true);
    stack.warmUp(alice);
    StackHarness.createProductWithStock(us, ops, "espresso-cup", 100);
  }


  @Test
  @Order(1)
  void theStandbyRefusesWritesAndTheEntryAnswersThePrimary() throws Exception {
    Answer refused = placeOrder(eu, alice, "espresso-cup");
    assertThat(refused.status()).as("standby POST /orders: " + refused.body()).isEqualTo(503);
    assertThat(refused.contentType()).contains("problem+json");
    assertThat(refused.json().path("status").asInt()).isEqualTo(503);
    Answer accepted = placeOrder(us, alice, "espresso-cup");
    assertThat(accepted.status()).as("primary POST /orders: " + accepted.body()).isEqualTo(201);
    assertThat(stack.dnsRegion("dublin")).as("dublin resolves to the PRIMARY").isEqualTo(US);
    assertThat(stack.dnsRegion("us-east-1")).isEqualTo(US);
  }

  @Test
  @Order(2)
  void promotingTheStandbyMovesWritesFencesTheOldPrimaryAndMovesTheEntry() throws Exception {
    JsonNode promoted = stack.controlPost("/regions/" + EU + "/promote");
    assertThat(promoted.path("status").asInt()).as("promote answered " + promoted).isEqualTo(200);
    assertThat(promoted.path("body").path("primaryRegion").asText()).isEqualTo(EU);
    long t0 = System.nanoTime();

    // The old primary learns of the promotion through replication of the control item, then fences itself.
    var healthFenced = await(FENCE_BOUND, 25, () -> call(us, "GET", "/health", null, null, Map.of()), r -> r.status() == 503);
    assertThat(healthFenced.met()).as(US + " /health 503 while up (fenced): " + healthFenced.value().body()).isTrue();
    assertThat(healthFenced.value().body()).contains("fenced");
    long fencedAt = System.nanoTime();
    var moved = await(Duration.ofSeconds(20), 25, () -> stack.dnsRegion("dublin"), EU::equals);
    System.out.printf("[e2e active-passive] %s /health 503 (fenced) %d ms after promote; entry answers %s %d ms later "
        + "(detection bound %d ms), %d ms after promote%n", US, (fencedAt - t0) / 1_000_000, EU, moved.millis(),
        DETECTION_BOUND.toMillis(), (System.nanoTime() - t0) / 1_000_000);
    assertThat(moved.met()).as("entry fails over to the SECONDARY " + EU).isTrue();
    assertThat(moved.millis()).as("detection time after the fence").isLessThanOrEqualTo(DETECTION_BOUND.toMillis());

    Answer refused = placeOrder(us, alice, "espresso-cup");
    assertThat(refused.status()).as("old primary " + US + " refuses writes: " + refused.body()).isEqualTo(503);
    assertThat(refused.contentType()).contains("problem+json");

    // The new primary sells its reserve at once, with no transfer from the old primary.
    Answer fromReserve = placeOrder(eu, alice, "espresso-cup");
    assertThat(fromReserve.status()).as("POST /orders in the promoted " + EU + " from its reserve: " + fromReserve.body())
        .isEqualTo(201);
    var stocked = await(FENCE_BOUND, 50, () -> call(eu, "POST", "/products/espresso-cup/stock", ops, "{\"units\":100}", Map.of()),
        r -> r.status() == 200);
    assertThat(stocked.met()).as("restock in the promoted " + EU + ": " + stocked.value().body()).isTrue();
    Answer written = placeOrder(eu, alice, "espresso-cup");
    assertThat(written.status()).as("POST /orders in the promoted " + EU + ": " + written.body()).isEqualTo(201);
    Answer viaEntry = call(stack.entry, "POST", "/orders?location=dublin", alice,
        "{\"lines\":[{\"productId\":\"espresso-cup\",\"quantity\":1}]}", Map.of("Idempotency-Key", "e2e-ap-" + System.nanoTime()));
    assertThat(viaEntry.status()).as("write through the entry after failover: " + viaEntry.body()).isEqualTo(201);
    assertThat(viaEntry.region()).isEqualTo(EU);
  }

  @Test
  @Order(3)
  void theOldPrimaryStaysFencedAcrossFailAndRecover() throws Exception {
    stack.controlPost("/regions/" + US + "/fail?mode=refuse");
    Thread.sleep(1_500);
    assertThat(stack.dnsRegion("dublin")).as("entry while " + US + " is failed").isEqualTo(EU);
    stack.controlPost("/regions/" + US + "/recover");
    // It must not come back as a writer: check repeatedly over a few health-check intervals.
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    int checks = 0;
    while (System.nanoTime() < end) {
      Answer health = call(us, "GET", "/health", null, null, Map.of());
      assertThat(health.status()).as(US + " /health after recover: " + health.body()).isEqualTo(503);
      Answer write = placeOrder(us, alice, "espresso-cup");
      assertThat(write.status()).as(US + " POST /orders after recover: " + write.body()).isEqualTo(503);
      assertThat(stack.dnsRegion("dublin")).as("entry after " + US + " recovered").isEqualTo(EU);
      checks++;
      Thread.sleep(500);
    }
    assertThat(placeOrder(eu, alice, "espresso-cup").status()).as(EU + " still takes writes").isEqualTo(201);
    System.out.printf("[e2e active-passive] %s stayed fenced after fail+recover (%d checks over 4 s)%n", US, checks);
  }
}
