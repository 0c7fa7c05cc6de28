package dev.meridian.function.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.meridian.application.health.HealthService;
import dev.meridian.application.health.Heartbeat;
import dev.meridian.application.health.HeartbeatRepository;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of report renders as well-formed JSON (parsed with Jackson), within the size limit, with the right lead. */
class HealthBodyTest {
  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");
  private static final Duration MINUTE = Duration.ofSeconds(60);

  record Case(String name, Deployment deployment, Supplier<Optional<Versioned<ControlState>>> control,
      List<Heartbeat> heartbeats, Optional<BacklogProbe> backlog, boolean healthy) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    Deployment aa = new Deployment("eu-west-1", DeploymentMode.ACTIVE_ACTIVE, "eu-west-1", null,
        List.of("eu-west-1", "us-east-1", "ap-southeast-2"));
    Deployment ap = new Deployment("eu-west-1", DeploymentMode.ACTIVE_PASSIVE, "eu-west-1", "us-east-1",
        List.of("eu-west-1", "us-east-1"));
    List<String> many = new ArrayList<>(List.of("eu-west-1"));
    for (int i = 0; i < 120; i++) {
      many.add("zz-" + (char) ('a' + i / 26) + (char) ('a' + i % 26) + "-" + (i % 9 + 1));
    }
    Deployment wide = new Deployment("eu-west-1", DeploymentMode.ACTIVE_ACTIVE, "eu-west-1", null, many);
    List<Heartbeat> fresh = List.of(beat("eu-west-1", 1), beat("us-east-1", 2), beat("ap-southeast-2", 3));
    List<Heartbeat> old = many.stream().map(r -> beat(r, 86_400)).toList();
    return Stream.of(
        new Case("healthy", aa, Optional::empty, fresh, Optional.of(() -> 0L), true),
        new Case("degraded", aa, Optional::empty, List.of(beat("eu-west-1", 1), beat("us-east-1", 900)),
            Optional.of(() -> 5000L), true),
        new Case("killed", aa, () -> Optional.of(new Versioned<>(
            ControlState.initial(aa).withKillSwitch("eu-west-1", true), 3)), fresh, Optional.empty(), false),
        new Case("fenced", ap, () -> Optional.of(new Versioned<>(ControlState.initial(ap).promote("us-east-1"), 1)),
            fresh, Optional.empty(), false),
        new Case("unreachable", aa, () -> {
          throw new StoreUnavailableException("Connection refused: \"status\":\"healthy\" \u2603 \u0007", null);
        }, fresh, Optional.of(() -> {
          throw new IllegalStateException("\\\"}]} broken");
        }), false),
        new Case("wide", wide, () -> Optional.of(new Versioned<>(
            ControlState.initial(wide).withKillSwitch("eu-west-1", true), 3)), old, Optional.empty(), false));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rendersWellFormedBoundedJson(Case c) {
    HeartbeatRepository heartbeats = new HeartbeatRepository() {
      @Override
      public boolean save(Heartbeat heartbeat) {
        return true;
      }

      @Override
      public List<Heartbeat> findAll() {
        return c.heartbeats();
      }
    };
    ControlRepository control = new ControlRepository() {
      @Override
      public Optional<Versioned<ControlState>> find() {
        return c.control().get();
      }

      @Override
      public OptionalLong save(ControlState state, long expectedVersion) {
        throw new UnsupportedOperationException();
      }
    };
    HealthService service = new HealthService(new ControlService(control, c.deployment()), heartbeats, c.backlog(),
        HealthPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC), HealthService.newCheckExecutor());

    HealthReport report = service.check();
    String body = HealthJson.write(report);
    JsonNode json = Events.parse(body);

    assertThat(report.healthy()).isEqualTo(c.healthy());
    assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(HealthJson.MAX_BODY_BYTES);
    assertThat(json.get("status").asText()).isEqualTo(c.healthy() ? "healthy" : "unhealthy");
    assertThat(body).startsWith(c.healthy() ? "{\"status\":\"healthy\"" : "{\"status\":\"unhealthy\"");
    if (!c.healthy()) {
      assertThat(body).doesNotContain(HealthJson.HEALTHY_MARK);
    }
    assertThat(json.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(json.get("degraded").isBoolean()).isTrue();
    assertThat(json.get("checks").get("dynamodb").get("reachable").isBoolean()).isTrue();
    assertThat(json.get("checkedAt").asText()).isEqualTo(NOW.toString());
  }

  private static Heartbeat beat(String region, long ageSeconds) {
    return new Heartbeat(region, NOW.minusSeconds(ageSeconds), MINUTE);
  }
}
