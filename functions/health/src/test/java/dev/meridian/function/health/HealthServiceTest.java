package dev.meridian.function.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.Versioned;
import dev.meridian.application.control.ControlRepository;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.control.ControlState;
import dev.meridian.application.control.Deployment;
import dev.meridian.application.control.DeploymentMode;
import dev.meridian.application.health.BacklogProbe;
import dev.meridian.application.health.HealthPolicy;
import dev.meridian.application.health.HealthReport;
import dev.meridian.application.health.HealthReport.CheckStatus;
import dev.meridian.application.health.HealthReport.PeerStatus;
import dev.meridian.application.health.HealthService;
import dev.meridian.application.health.Heartbeat;
import dev.meridian.application.health.HeartbeatRepository;
import dev.meridian.testkit.ResponseBodies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
  private static final String HERE = "eu-west-1";
  private static final String PEER = "us-east-1";
  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration MINUTE = Duration.ofSeconds(60);
  /** Short budgets so the hang tests are quick; the production defaults are 800 ms / 1000 ms. */
  private static final HealthPolicy FAST = new HealthPolicy(Duration.ofMillis(200), Duration.ofMillis(300), MINUTE,
      Duration.ofSeconds(15), 1000);

  private final CountDownLatch never = new CountDownLatch(1);
  private final ExecutorService executor = HealthService.newCheckExecutor();
  private final FakeControl controlRepo = new FakeControl();
  private final FakeHeartbeats heartbeats = new FakeHeartbeats();

  @AfterEach
  void releaseHungChecks() {
    never.countDown();
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------ verdicts

  @Test
  void healthyWhenEverythingAnswersAndHeartbeatsAreFresh() {
    heartbeats.beats.add(new Heartbeat(HERE, NOW.minusSeconds(10), MINUTE));
    heartbeats.beats.add(new Heartbeat(PEER, NOW.minusSeconds(30), MINUTE));

    HealthReport report = service(activeActive(), FAST, Optional.of(() -> 3L)).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.healthy()).isTrue();
    assertThat(report.degraded()).isFalse();
    assertThat(report.reasons()).isEmpty();
    assertThat(report.role()).isEqualTo("active");
    assertThat(report.dynamodb().status()).isEqualTo(CheckStatus.OK);
    assertThat(report.backlog().messages()).hasValue(3);
    assertThat(report.replication().peers()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(PeerStatus.OK);
      assertThat(p.ageMs()).hasValue(30_000);
      assertThat(p.lagMs()).hasValue(0);
    });
    assertThat(report.region()).isEqualTo("eu-west-1");
    assertThat(report.mode()).isEqualTo("active-active");
    assertThat(report.control()).hasValueSatisfying(c -> assertThat(c.killSwitch()).isFalse());
    assertThat(report.dynamodb().reachable()).isTrue();
  }

  @Test
  void killSwitchAnswers503WithAnUnhealthyBody() {
    freshHeartbeats();
    controlRepo.stored = Optional.of(new Versioned<>(
        ControlState.initial(activeActive()).withKillSwitch(HERE, true), 2));

    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(503);
    assertThat(report.reasons()).containsExactly("kill switch engaged for eu-west-1");
    assertThat(report.healthy()).isFalse();
    assertThat(report.control()).hasValueSatisfying(c -> assertThat(c.killSwitch()).isTrue());
  }

  @Test
  void anotherRegionsKillSwitchDoesNotDrainThisOne() {
    freshHeartbeats();
    controlRepo.stored = Optional.of(new Versioned<>(
        ControlState.initial(activeActive()).withKillSwitch(PEER, true), 2));

    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.control()).hasValueSatisfying(c -> assertThat(c.killSwitch()).isFalse());
  }

  @Test
  void replicationLagAloneDegradesButStaysHealthy() {
    heartbeats.beats.add(new Heartbeat(HERE, NOW.minusSeconds(5), MINUTE));
    heartbeats.beats.add(new Heartbeat(PEER, NOW.minusSeconds(300), MINUTE));

    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.degraded()).isTrue();
    // lag = age - interval - slack = 300 s - 60 s - 15 s
    assertThat(report.replication().peers()).singleElement().satisfies(p -> {
      assertThat(p.status()).isEqualTo(PeerStatus.LAGGING);
      assertThat(p.ageMs()).hasValue(300_000);
      assertThat(p.lagMs()).hasValue(225_000);
    });
    assertThat(report.reasons()).containsExactly("replication: us-east-1 lags 225000 ms");
    assertThat(HealthJson.write(report)).startsWith("{\"status\":\"healthy\",\"degraded\":true")
        .contains("\"status\":\"lagging\",\"ageMs\":300000,\"intervalMs\":60000,\"lagMs\":225000");
  }

  @Test
  void lagUsesThePeersOwnIntervalAndToleratesClockSkew() {
    heartbeats.beats.add(new Heartbeat(HERE, NOW, MINUTE));
    // The local stack beats every 5 s: 30 s old is late for it (30 - 5 - 15 = 10 s).
    heartbeats.beats.add(new Heartbeat(PEER, NOW.minusSeconds(30), Duration.ofSeconds(5)));
    // A peer whose clock runs ahead: negative age, no lag.
    heartbeats.beats.add(new Heartbeat("ap-south-1", NOW.plusSeconds(2), MINUTE));

    HealthReport report = service(deployment(DeploymentMode.ACTIVE_ACTIVE, HERE, null, HERE, PEER, "ap-south-1"),
        FAST, Optional.empty()).check();

    assertThat(report.replication().peers()).extracting(HealthReport.PeerLag::region, HealthReport.PeerLag::lagMs)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ap-south-1", OptionalLong.of(0)),
            org.assertj.core.groups.Tuple.tuple(PEER, OptionalLong.of(10_000)));
  }

  @Test
  void missingPeerOrOwnHeartbeatDegrades() {
    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.healthy()).isTrue();
    assertThat(report.degraded()).isTrue();
    assertThat(report.replication().self()).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(PeerStatus.MISSING));
    assertThat(report.replication().peers()).singleElement()
        .satisfies(p -> assertThat(p.status()).isEqualTo(PeerStatus.MISSING));
    assertThat(HealthJson.write(report)).contains("\"peers\":[{\"region\":\"us-east-1\",\"status\":\"missing\"}]");
  }

  @Test
  void dynamoDbUnreachableAnswers503() {
    freshHeartbeats();
    controlRepo.behaviour = () -> {
      throw new StoreUnavailableException("DynamoDB could not find: Unable to execute HTTP request: Connection refused", null);
    };

    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(503);
    assertThat(report.dynamodb().status()).isEqualTo(CheckStatus.ERROR);
    assertThat(report.dynamodb().reachable()).isFalse();
    assertThat(report.role()).isEqualTo("unknown");
    assertThat(report.control()).isEmpty();
    assertThat(report.reasons().get(0)).isEqualTo("dynamodb unreachable: StoreUnavailableException");
    assertThat(report.dynamodb().cause()).as("the message, for the logs")
        .hasValueSatisfying(cause -> assertThat(cause).contains("Connection refused"));
    assertThat(HealthJson.write(report)).startsWith("{\"status\":\"unhealthy\"")
        .contains("\"control\":null", "\"dynamodb\":{\"status\":\"error\"", "\"reachable\":false")
        .doesNotContain(HealthJson.HEALTHY_MARK);
  }

  @Test
  void aCorruptControlItemFailsClosedButSaysDynamoDbAnswered() {
    freshHeartbeats();
    controlRepo.behaviour = () -> {
      throw new IllegalStateException("attribute epoch is missing");
    };

    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(503);
    assertThat(report.dynamodb().reachable()).isTrue();
    assertThat(report.reasons().get(0)).startsWith("control item unreadable");
  }

  // ------------------------------------------------------------------ time budget

  @Test
  void aHungControlReadTimesOutWithinTheBudgetAndFails() {
    freshHeartbeats();
    controlRepo.behaviour = this::hang;

    long started = System.nanoTime();
    HealthReport report = service(activeActive(), FAST, Optional.empty()).check();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(tookMs).isBetween(150L, 300L + 150L);
    assertThat(report.elapsedMs()).isLessThanOrEqualTo(FAST.deadline().toMillis() + 100);
    assertThat(report.dynamodb().status()).isEqualTo(CheckStatus.TIMEOUT);
    assertThat(report.dynamodb().reachable()).isFalse();
    assertThat(report.httpStatus()).isEqualTo(503);
    assertThat(HealthJson.write(report)).contains("\"dynamodb\":{\"status\":\"timeout\"", "no answer within 200 ms");
  }

  @Test
  void hungSharedDependenciesTimeOutAndOnlyDegrade() {
    heartbeats.behaviour = () -> {
      hang();
      return List.of();
    };

    long started = System.nanoTime();
    HealthReport report = service(activeActive(), FAST, Optional.of(() -> {
      hang();
      return 0L;
    })).check();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // Parallel: two hung checks cost one timeout, not two.
    assertThat(tookMs).isLessThan(300L + 150L);
    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.degraded()).isTrue();
    assertThat(report.replication().check().status()).isEqualTo(CheckStatus.TIMEOUT);
    assertThat(report.backlog().check().status()).isEqualTo(CheckStatus.TIMEOUT);
    assertThat(HealthJson.write(report)).startsWith("{\"status\":\"healthy\",\"degraded\":true")
        .contains("\"replication\":{\"status\":\"timeout\"", "\"backlog\":{\"status\":\"timeout\"");
  }

  @Test
  void theDefaultBudgetHoldsWhenEveryCheckHangs() {
    controlRepo.behaviour = this::hang;
    heartbeats.behaviour = () -> {
      hang();
      return List.of();
    };

    long started = System.nanoTime();
    HealthReport report = service(activeActive(), HealthPolicy.defaults(), Optional.of(() -> {
      hang();
      return 0L;
    })).check();
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(tookMs).isLessThan(HealthPolicy.DEFAULT_DEADLINE.toMillis() + 200).isLessThan(2000);
    assertThat(report.httpStatus()).isEqualTo(503);
    assertThat(report.dynamodb().status()).isEqualTo(CheckStatus.TIMEOUT);
  }

  @Test
  void theOverallDeadlineCutsChecksThatStartLate() {
    freshHeartbeats();
    controlRepo.behaviour = this::hang;
    HealthPolicy tight = new HealthPolicy(Duration.ofMillis(200), Duration.ofMillis(200), MINUTE, Duration.ofSeconds(15), 1000);

    HealthReport report = service(activeActive(), tight, Optional.empty()).check();

    assertThat(report.elapsedMs()).isLessThan(200 + 100);
  }

  // ------------------------------------------------------------------ active-passive fencing

  @Test
  void standbyIsHealthyAtEpochZero() {
    freshHeartbeats();
    Deployment standby = deployment(DeploymentMode.ACTIVE_PASSIVE, PEER, HERE, HERE, PEER);

    HealthReport report = service(standby, FAST, Optional.empty()).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.role()).isEqualTo("standby");
    assertThat(HealthJson.write(report)).contains("\"mode\":\"active-passive\"", "\"role\":\"standby\"",
        "\"control\":{\"epoch\":0,\"primaryRegion\":\"us-east-1\"");
  }

  @Test
  void afterAPromotionOnlyThePrimaryIsHealthy() {
    freshHeartbeats();
    Deployment configuredPrimary = deployment(DeploymentMode.ACTIVE_PASSIVE, HERE, PEER, HERE, PEER);
    controlRepo.stored = Optional.of(new Versioned<>(ControlState.initial(configuredPrimary).promote(PEER), 1));

    HealthReport oldPrimary = service(configuredPrimary, FAST, Optional.empty()).check();

    assertThat(oldPrimary.httpStatus()).isEqualTo(503);
    assertThat(oldPrimary.role()).isEqualTo("standby");
    assertThat(oldPrimary.reasons()).containsExactly("fenced: us-east-1 is the primary of epoch 1");
    assertThat(HealthJson.write(oldPrimary)).startsWith("{\"status\":\"unhealthy\"").doesNotContain(HealthJson.HEALTHY_MARK);

    // The promoted region, configured as the standby, is the primary now.
    Deployment promoted = deployment(DeploymentMode.ACTIVE_PASSIVE, HERE, HERE, PEER, HERE);
    controlRepo.stored = Optional.of(new Versioned<>(ControlState.initial(promoted).promote(HERE), 1));
    HealthReport newPrimary = new HealthService(new ControlService(controlRepo, deployment(DeploymentMode.ACTIVE_PASSIVE,
        HERE, PEER, HERE, PEER)), heartbeats, Optional.empty(), FAST, CLOCK, executor).check();
    assertThat(newPrimary.httpStatus()).isEqualTo(200);
    assertThat(newPrimary.role()).isEqualTo("primary");
  }

  @Test
  void activeActiveIgnoresTheEpoch() {
    freshHeartbeats();
    controlRepo.stored = Optional.of(new Versioned<>(new ControlState(PEER, 3, new TreeMap<>()), 4));

    assertThat(service(activeActive(), FAST, Optional.empty()).check().httpStatus()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ backlog

  @Test
  void backlogIsReportedAndALargeOneDegrades() {
    freshHeartbeats();
    HealthReport small = service(activeActive(), FAST, Optional.of(() -> 999L)).check();
    HealthReport large = service(activeActive(), FAST, Optional.of(() -> 1000L)).check();
    HealthReport unconfigured = service(activeActive(), FAST, Optional.empty()).check();

    assertThat(small.degraded()).isFalse();
    assertThat(large.degraded()).isTrue();
    assertThat(large.httpStatus()).isEqualTo(200);
    assertThat(large.reasons()).containsExactly("reconcile backlog 1000 >= 1000 messages");
    assertThat(unconfigured.backlog().check().status()).isEqualTo(CheckStatus.SKIPPED);
    assertThat(HealthJson.write(unconfigured)).contains("\"backlog\":{\"status\":\"skipped\"");
  }

  @Test
  void aFailingBacklogProbeDegradesOnly() {
    freshHeartbeats();
    HealthReport report = service(activeActive(), FAST, Optional.of(() -> {
      throw new IllegalStateException("sqs is down");
    })).check();

    assertThat(report.httpStatus()).isEqualTo(200);
    assertThat(report.degraded()).isTrue();
    assertThat(report.backlog().check().status()).isEqualTo(CheckStatus.ERROR);
  }

  // ------------------------------------------------------------------ body

  @Test
  void bodyStaysUnder5120BytesWithManyLaggingPeersAndLongErrors() {
    List<String> regions = new ArrayList<>();
    regions.add(HERE);
    for (int i = 0; i < 200; i++) {
      regions.add("zz-" + (char) ('a' + i / 26) + (char) ('a' + i % 26) + "peer-" + (i % 10 + 1));
    }
    for (String r : regions) {
      heartbeats.beats.add(new Heartbeat(r, NOW.minus(Duration.ofDays(3)), MINUTE));
    }
    Deployment many = deployment(DeploymentMode.ACTIVE_ACTIVE, HERE, null, regions.toArray(String[]::new));
    controlRepo.stored = Optional.of(new Versioned<>(ControlState.initial(many).withKillSwitch(HERE, true), 2));

    HealthReport report = service(many, FAST, Optional.of(() -> {
      throw new IllegalStateException("x".repeat(10_000) + "\"status\":\"healthy\"");
    })).check();
    String body = HealthJson.write(report);

    assertThat(report.replication().peers()).hasSize(200);
    assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(HealthJson.MAX_BODY_BYTES);
    assertThat(body).startsWith("{\"status\":\"unhealthy\"").doesNotContain(HealthJson.HEALTHY_MARK)
        .contains("\"peersOmitted\":").endsWith("}");
  }

  @Test
  void anErrorMessageQuotingTheSearchStringCannotMakeAnUnhealthyBodyMatch() {
    freshHeartbeats();
    controlRepo.behaviour = () -> {
      throw new StoreUnavailableException("{\"status\":\"healthy\"} \\\"status\\\":\"healthy\" \u00e9\n", null);
    };

    String body = HealthJson.write(service(activeActive(), FAST, Optional.empty()).check());

    assertThat(body).startsWith("{\"status\":\"unhealthy\"").doesNotContain(HealthJson.HEALTHY_MARK);
    assertThat(body.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  @Test
  void noBodyCarriesExceptionTextAnArnOrAnAccountId() {
    // What DynamoDB answers a role without the permission: the account and the role ARN in the message.
    String accessDenied = "User: arn:aws:sts::123456789012:assumed-role/meridian-HealthFunctionRole-1A2B/meridian-health"
        + " is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/meridian"
        + " because no identity-based policy allows the dynamodb:GetItem action";
    freshHeartbeats();
    controlRepo.behaviour = () -> {
      throw new IllegalStateException(accessDenied);
    };
    heartbeats.behaviour = () -> {
      throw new IllegalStateException(accessDenied.replace("GetItem", "Query"));
    };

    HealthReport report = service(activeActive(), FAST, Optional.of(() -> {
      throw new IllegalStateException(accessDenied.replace("dynamodb:GetItem", "sqs:GetQueueAttributes"));
    })).check();
    String body = HealthJson.write(report);

    assertThat(report.httpStatus()).isEqualTo(503);
    ResponseBodies.assertCarriesNoInternals(body, "not authorized", "meridian-HealthFunctionRole", "identity-based policy");
    assertThat(body).contains("IllegalStateException");
    // The details go to the logs: every failed check keeps its message for them.
    assertThat(HealthHandler.causes(report)).hasSize(3).allSatisfy(cause -> assertThat(cause).contains("123456789012"));
  }

  // ------------------------------------------------------------------ heartbeat

  @Test
  void beatWritesThisRegionsHeartbeatWithItsInterval() {
    HealthService service = service(activeActive(), FAST, Optional.empty());

    HealthService.Beat beat = service.beat();

    assertThat(beat.written()).isTrue();
    assertThat(beat.heartbeat()).isEqualTo(new Heartbeat(HERE, NOW, MINUTE));
    assertThat(heartbeats.beats).containsExactly(new Heartbeat(HERE, NOW, MINUTE));
    heartbeats.refuse = true;
    assertThat(service.beat().written()).isFalse();
  }

  // ------------------------------------------------------------------ fixtures

  private HealthService service(Deployment deployment, HealthPolicy policy, Optional<BacklogProbe> backlog) {
    return new HealthService(new ControlService(controlRepo, deployment), heartbeats, backlog, policy, CLOCK, executor);
  }

  private void freshHeartbeats() {
    heartbeats.beats.add(new Heartbeat(HERE, NOW.minusSeconds(1), MINUTE));
    heartbeats.beats.add(new Heartbeat(PEER, NOW.minusSeconds(1), MINUTE));
  }

  private static Deployment activeActive() {
    return deployment(DeploymentMode.ACTIVE_ACTIVE, HERE, null, HERE, PEER);
  }

  private static Deployment deployment(DeploymentMode mode, String primary, String standby, String... regions) {
    return new Deployment(HERE, mode, primary, standby, List.of(regions));
  }

  private <T> T hang() {
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("released");
  }

  private static final class FakeControl implements ControlRepository {
    volatile Optional<Versioned<ControlState>> stored = Optional.empty();
    volatile Supplier<Optional<Versioned<ControlState>>> behaviour;

    @Override
    public Optional<Versioned<ControlState>> find() {
      return behaviour != null ? behaviour.get() : stored;
    }

    @Override
    public OptionalLong save(ControlState state, long expectedVersion) {
      throw new UnsupportedOperationException();
    }
  }

  private static final class FakeHeartbeats implements HeartbeatRepository {
    final List<Heartbeat> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile Supplier<List<Heartbeat>> behaviour;
    volatile boolean refuse;

    @Override
    public boolean save(Heartbeat heartbeat) {
      if (refuse) {
        return false;
      }
      beats.add(heartbeat);
      return true;
    }

    @Override
    public List<Heartbeat> findAll() {
      return behaviour != null ? behaviour.get() : List.copyOf(beats);
    }
  }
}
