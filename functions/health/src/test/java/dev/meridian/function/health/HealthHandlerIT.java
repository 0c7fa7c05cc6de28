package dev.meridian.function.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.dynamodb.DynamoDbControlRepository;
import dev.meridian.adapter.dynamodb.DynamoDbHeartbeatRepository;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.control.Deployment;
import dev.meridian.application.health.Heartbeat;
import dev.meridian.bootstrap.HealthSettings;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.health.HealthClients;
import dev.meridian.bootstrap.health.HealthWiring;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real {@link HealthHandler}, driven with API Gateway payload v2 and scheduled events, against
 * the emulator. Peers' items, which global-table replication would bring, are written straight into this
 * region's table.
 */
class HealthHandlerIT {
  @RegisterExtension
  static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String HERE = "eu-west-1";
  private static final String PEER = "us-east-1";
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
  private static final AtomicInteger TABLES = new AtomicInteger();

  private static DynamoDbClient dynamoDb;

  /** For the test's own set-up (tables, peers' items, control changes): SDK default timeouts. */
  @BeforeEach
  void client() {
    // Lazily, after EmulatorExtension's beforeEach has skipped the test if the emulator is unavailable.
    if (dynamoDb == null) {
      dynamoDb = EMULATOR.dynamoDb(HERE);
    }
  }

  @AfterAll
  static void close() {
    if (dynamoDb != null) {
      dynamoDb.close();
      dynamoDb = null;
    }
  }

  @Test
  void healthyAfterTheHeartbeatsWithBacklogReported() {
    String table = newTable();
    String queueUrl;
    try (SqsClient sqs = sqs()) {
      queueUrl = sqs.createQueue(r -> r.queueName("reconcile-" + table)).queueUrl();
      for (int i = 0; i < 3; i++) {
        int n = i;
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("change " + n));
      }
    }
    HealthHandler handler = handler(table, Map.of(MeridianConfig.RECONCILE_QUEUE_URL, queueUrl));

    Map<String, Object> beat = handler.handleRequest(Events.scheduled(), Events.context());
    peers(table).save(new Heartbeat(PEER, Instant.now().minusSeconds(5), Duration.ofSeconds(60)));
    Timed timed = get(handler);

    System.out.printf("[HealthHandlerIT] healthy /health answered in %d ms%n", timed.ms);
    assertThat(beat).containsEntry("heartbeat", "written").containsEntry("region", HERE)
        .containsEntry("intervalMs", 60_000L);
    assertThat(timed.response).containsEntry("statusCode", 200);
    assertThat(timed.response.get("headers")).isEqualTo(Map.of("content-type", "application/json", "cache-control", "no-store"));
    String body = timed.body();
    assertThat(body).startsWith("{\"status\":\"healthy\",\"degraded\":false");
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(5120);
    JsonNode json = Events.parse(body);
    assertThat(json.get("region").asText()).isEqualTo(HERE);
    assertThat(json.get("mode").asText()).isEqualTo("active-active");
    assertThat(json.get("role").asText()).isEqualTo("active");
    assertThat(json.at("/control/killSwitch").asBoolean()).isFalse();
    assertThat(json.at("/checks/dynamodb/reachable").asBoolean()).isTrue();
    assertThat(json.at("/checks/replication/self/status").asText()).isEqualTo("ok");
    assertThat(json.at("/checks/replication/peers/0/region").asText()).isEqualTo(PEER);
    assertThat(json.at("/checks/replication/peers/0/lagMs").asLong()).isZero();
    assertThat(json.at("/checks/backlog/status").asText()).isEqualTo("ok");
    assertThat(json.at("/checks/backlog/messages").asLong()).isEqualTo(3);
    assertThat(timed.ms).isLessThan(2000);
  }

  @Test
  void killSwitchSetFromAnotherRegionDrainsThisOne() {
    String table = newTable();
    HealthHandler handler = handler(table, Map.of());
    freshHeartbeats(handler, table);
    ControlService fromPeer = new ControlService(new DynamoDbControlRepository(dynamoDb, table, PEER),
        new Deployment(PEER, dev.meridian.application.control.DeploymentMode.ACTIVE_ACTIVE, PEER, null, List.of(HERE, PEER)));

    fromPeer.setKillSwitch(HERE, true);
    Timed drained = get(handler);
    fromPeer.setKillSwitch(HERE, false);
    Timed restored = get(handler);

    assertThat(drained.response).containsEntry("statusCode", 503);
    assertThat(drained.body()).startsWith("{\"status\":\"unhealthy\"").doesNotContain("\"status\":\"healthy\"");
    JsonNode json = Events.parse(drained.body());
    assertThat(json.at("/control/killSwitch").asBoolean()).isTrue();
    assertThat(json.at("/reasons/0").asText()).isEqualTo("kill switch engaged for " + HERE);
    assertThat(restored.response).containsEntry("statusCode", 200);
    assertThat(restored.body()).startsWith("{\"status\":\"healthy\",\"degraded\":false");
  }

  @Test
  void anOldPeerHeartbeatDegradesWithTheLagReported() {
    String table = newTable();
    HealthHandler handler = handler(table, Map.of());
    handler.handleRequest(Events.scheduled(), null);
    peers(table).save(new Heartbeat(PEER, Instant.now().minusSeconds(600), Duration.ofSeconds(60)));

    Timed timed = get(handler);

    assertThat(timed.response).containsEntry("statusCode", 200);
    assertThat(timed.body()).startsWith("{\"status\":\"healthy\",\"degraded\":true");
    JsonNode peer = Events.parse(timed.body()).at("/checks/replication/peers/0");
    assertThat(peer.get("region").asText()).isEqualTo(PEER);
    assertThat(peer.get("status").asText()).isEqualTo("lagging");
    // lag = age - interval - slack = ~600 s - 60 s - 15 s
    assertThat(peer.get("lagMs").asLong()).isBetween(525_000L, 535_000L);
    assertThat(Events.parse(timed.body()).at("/reasons/0").asText()).startsWith("replication: us-east-1 lags ");
  }

  @Test
  void theHeartbeatItemIsWrittenAndNeverMovesBack() {
    String table = newTable();
    Instant at = Instant.parse("2025-11-26T12:00:00.123Z");
    HealthHandler now = handler(table, Map.of(HealthSettings.HEARTBEAT_INTERVAL_MS, "5000"), Clock.fixed(at, ZoneOffset.UTC));
    HealthHandler late = handler(table, Map.of(), Clock.fixed(at.minusSeconds(30), ZoneOffset.UTC));

    Map<String, Object> written = now.handleRequest(Events.scheduled(), Events.context());
    Map<String, Object> skipped = late.handleRequest(Events.scheduled(), null);

    assertThat(written).containsEntry("heartbeat", "written").containsEntry("at", at.toString())
        .containsEntry("intervalMs", 5_000L);
    assertThat(skipped.get("heartbeat")).asString().startsWith("skipped");
    Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
        .key(DynamoDbHeartbeatRepository.key(HERE))).item();
    assertThat(item.get("pk").s()).isEqualTo("HEARTBEAT");
    assertThat(item.get("sk").s()).isEqualTo(HERE);
    assertThat(item.get("entity").s()).isEqualTo("heartbeat");
    assertThat(item.get("beatAt").n()).isEqualTo(Long.toString(at.toEpochMilli()));
    assertThat(item.get("beatAtIso").s()).isEqualTo(at.toString());
    assertThat(item.get("intervalMs").n()).isEqualTo("5000");
    assertThat(item.get("originRegion").s()).isEqualTo(HERE);
  }

  @Test
  void unreachableDynamoDbAnswers503WithinTheBudget() throws IOException {
    URI closed = HealthHandlerTest.closedPort();
    HealthHandler handler = handler("meridian", Map.of(), Clock.systemUTC(), closed);

    Timed timed = get(handler);

    System.out.printf("[HealthHandlerIT] /health with DynamoDB unreachable (closed port) answered in %d ms (checks %d ms)%n",
        timed.ms, Events.parse(timed.body()).get("elapsedMs").asLong());
    assertThat(timed.ms).isLessThan(2000);
    assertThat(timed.response).containsEntry("statusCode", 503);
    assertThat(timed.body()).startsWith("{\"status\":\"unhealthy\"").doesNotContain("\"status\":\"healthy\"");
    JsonNode json = Events.parse(timed.body());
    assertThat(json.at("/checks/dynamodb/reachable").asBoolean()).isFalse();
    assertThat(json.at("/reasons/0").asText()).startsWith("dynamodb unreachable");
  }

  @Test
  void hangingDynamoDbAnswers503WithinTheBudget() throws IOException {
    // A listening socket nobody reads: connections open, requests are never answered.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      HealthHandler handler = handler("meridian", Map.of(), Clock.systemUTC(),
          URI.create("http://127.0.0.1:" + blackHole.getLocalPort()));

      Timed timed = get(handler);

      System.out.printf("[HealthHandlerIT] /health with DynamoDB hanging answered in %d ms (checks %d ms)%n",
          timed.ms, Events.parse(timed.body()).get("elapsedMs").asLong());
      assertThat(timed.ms).isLessThan(2000);
      assertThat(timed.response).containsEntry("statusCode", 503);
      JsonNode json = Events.parse(timed.body());
      assertThat(json.at("/checks/dynamodb/status").asText()).isEqualTo("timeout");
      assertThat(json.at("/checks/dynamodb/reachable").asBoolean()).isFalse();
      assertThat(json.at("/checks/replication/status").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void activePassiveStandbyIsHealthyAtEpochZeroAndFencedAfterAPromotion() {
    String table = newTable();
    // This region is the configured standby; the peer is the configured primary.
    HealthHandler standby = handler(table, activePassive(PEER, HERE));
    freshHeartbeats(standby, table);
    ControlService fromPeer = new ControlService(new DynamoDbControlRepository(dynamoDb, table, PEER),
        MeridianConfig.from(env(table, PEER, HERE, activePassive(PEER, HERE))).deployment());

    Timed atEpochZero = get(standby);
    fromPeer.promote(PEER);
    Timed afterPromotion = get(standby);
    fromPeer.promote(HERE);
    Timed promotedHere = get(standby);

    assertThat(atEpochZero.response).containsEntry("statusCode", 200);
    JsonNode zero = Events.parse(atEpochZero.body());
    assertThat(zero.get("mode").asText()).isEqualTo("active-passive");
    assertThat(zero.get("role").asText()).isEqualTo("standby");
    assertThat(zero.at("/control/epoch").asLong()).isZero();

    assertThat(afterPromotion.response).containsEntry("statusCode", 503);
    assertThat(afterPromotion.body()).startsWith("{\"status\":\"unhealthy\"").doesNotContain("\"status\":\"healthy\"");
    JsonNode fenced = Events.parse(afterPromotion.body());
    assertThat(fenced.at("/control/epoch").asLong()).isEqualTo(1);
    assertThat(fenced.at("/control/primaryRegion").asText()).isEqualTo(PEER);
    assertThat(fenced.at("/reasons/0").asText()).isEqualTo("fenced: us-east-1 is the primary of epoch 1");

    assertThat(promotedHere.response).containsEntry("statusCode", 200);
    assertThat(Events.parse(promotedHere.body()).get("role").asText()).isEqualTo("primary");
  }

  @Test
  void activePassiveOldPrimaryCannotTakeTrafficBackAfterFailover() {
    String table = newTable();
    // This region is the configured primary; the standby gets promoted (failover).
    HealthHandler oldPrimary = handler(table, activePassive(HERE, PEER));
    freshHeartbeats(oldPrimary, table);
    Timed before = get(oldPrimary);
    new ControlService(new DynamoDbControlRepository(dynamoDb, table, PEER),
        MeridianConfig.from(env(table, PEER, HERE, activePassive(HERE, PEER))).deployment()).promote(PEER);

    Timed after = get(oldPrimary);

    assertThat(before.response).containsEntry("statusCode", 200);
    assertThat(Events.parse(before.body()).get("role").asText()).isEqualTo("primary");
    assertThat(after.response).containsEntry("statusCode", 503);
    assertThat(Events.parse(after.body()).get("role").asText()).isEqualTo("standby");
  }

  // ------------------------------------------------------------------ fixtures

  private record Timed(Map<String, Object> response, long ms) {
    String body() {
      return (String) response.get("body");
    }
  }

  /** Invokes {@code GET /health}, timing the handler only (the event is parsed before the clock starts). */
  private static Timed get(HealthHandler handler) {
    Map<String, Object> event = Events.getHealth();
    com.amazonaws.services.lambda.runtime.Context context = Events.context();
    long started = System.nanoTime();
    Map<String, Object> response = handler.handleRequest(event, context);
    return new Timed(response, (System.nanoTime() - started) / 1_000_000);
  }

  private static String newTable() {
    String table = "meridian-health-" + TABLES.incrementAndGet();
    dynamoDb.createTable(TableDesign.createTableRequest(table));
    return table;
  }

  private static DynamoDbHeartbeatRepository peers(String table) {
    return new DynamoDbHeartbeatRepository(dynamoDb, table);
  }

  private static void freshHeartbeats(HealthHandler handler, String table) {
    handler.handleRequest(Events.scheduled(), null);
    peers(table).save(new Heartbeat(PEER, Instant.now(), Duration.ofSeconds(60)));
  }

  private static Map<String, String> activePassive(String primary, String standby) {
    return Map.of(MeridianConfig.DEPLOYMENT_MODE, "active-passive", MeridianConfig.INITIAL_PRIMARY_REGION, primary,
        MeridianConfig.STANDBY_REGION, standby);
  }

  private static Map<String, String> env(String table, String region, String peer, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put(MeridianConfig.AWS_REGION, region);
    env.put(MeridianConfig.TABLE_NAME, table);
    env.put(MeridianConfig.PEER_REGIONS, peer);
    env.putAll(extra);
    return env;
  }

  private static HealthHandler handler(String table, Map<String, String> extra) {
    return handler(table, extra, Clock.systemUTC());
  }

  private static HealthHandler handler(String table, Map<String, String> extra, Clock clock) {
    return handler(table, extra, clock, EMULATOR.emulator().endpoint());
  }

  private static HealthHandler handler(String table, Map<String, String> extra, Clock clock, URI endpoint) {
    Map<String, String> env = env(table, HERE, PEER, extra);
    MeridianConfig config = MeridianConfig.from(env);
    DynamoDbClient client = HealthClients.dynamoDb(HERE).endpointOverride(endpoint).credentialsProvider(CREDENTIALS).build();
    Optional<SqsClient> sqs = config.reconcileQueueUrl()
        .map(url -> HealthClients.sqs(HERE).endpointOverride(endpoint).credentialsProvider(CREDENTIALS).build());
    HealthHandler handler = new HealthHandler(HealthWiring.of(config, HealthSettings.from(env), client, sqs, clock));
    handler.prime(); // as the public constructor does in Lambda's init phase
    return handler;
  }

  private static SqsClient sqs() {
    return EMULATOR.emulator().configure(SqsClient.builder(), HERE).build();
  }
}
