package dev.meridian.tools.local.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.model.DnsSpec;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthCheckersTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ProbeResult ok(int second) {
    return ProbeResult.pass(200, 3, T0.plusSeconds(second));
  }

  private static ProbeResult bad(int second) {
    return ProbeResult.fail(-1, 3, "connection refused", T0.plusSeconds(second));
  }

  /** Not started: results are fed by hand. */
  private static HealthCheckers checkers(int perRegion, List<String> log) {
    return new HealthCheckers(Map.of("eu-west-1", DnsFixtures.check("eu-west-1")),
        Map.of("eu-west-1", URI.create("http://127.0.0.1:1")), 0.1, perRegion, log::add);
  }

  @Test
  void aCheckerFlipsOnlyAfterThresholdConsecutiveResultsOfTheOtherKind() {
    CheckerState c = new CheckerState(0, 3);
    assertThat(c.healthy).isTrue();
    assertThat(c.record(bad(0))).isFalse();
    assertThat(c.record(bad(1))).isFalse();
    assertThat(c.record(ok(2))).isFalse(); // a success resets the failure count
    assertThat(c.consecutiveFailures).isZero();
    assertThat(c.record(bad(3))).isFalse();
    assertThat(c.record(bad(4))).isFalse();
    assertThat(c.record(bad(5))).isTrue();
    assertThat(c.healthy).isFalse();
    assertThat(c.record(bad(6))).isFalse(); // already unhealthy
    assertThat(c.record(ok(7))).isFalse();
    assertThat(c.record(ok(8))).isFalse();
    assertThat(c.record(bad(9))).isFalse(); // a failure resets the success count
    assertThat(c.record(ok(10))).isFalse();
    assertThat(c.record(ok(11))).isFalse();
    assertThat(c.record(ok(12))).isTrue();
    assertThat(c.healthy).isTrue();
    assertThat(c.probes).isEqualTo(13);
  }

  @Test
  void thresholdOfOneFlipsOnEveryChange() {
    CheckerState c = new CheckerState(0, 1);
    assertThat(c.record(bad(0))).isTrue();
    assertThat(c.record(ok(1))).isTrue();
  }

  @Test
  void routeFiftyThreeEighteenPercentRule() {
    assertThat(HealthCheckers.regionHealthy(1, 3)).isTrue();   // 33%
    assertThat(HealthCheckers.regionHealthy(0, 3)).isFalse();
    assertThat(HealthCheckers.regionHealthy(3, 16)).isTrue();  // 18.75%
    assertThat(HealthCheckers.regionHealthy(2, 16)).isFalse(); // 12.5%
    assertThat(HealthCheckers.regionHealthy(9, 50)).isFalse(); // exactly 18%: not MORE than 18%
    assertThat(HealthCheckers.regionHealthy(10, 50)).isTrue();
    assertThat(HealthCheckers.regionHealthy(1, 5)).isTrue();   // 20%
    assertThat(HealthCheckers.regionHealthy(1, 6)).isFalse();  // 16.7%
    assertThat(HealthCheckers.regionHealthy(1, 1)).isTrue();
    assertThat(HealthCheckers.regionHealthy(0, 1)).isFalse();
  }

  @Test
  void regionTurnsUnhealthyOnlyWhenNoMoreThanEighteenPercentOfCheckersSeeItHealthy() {
    List<String> log = new ArrayList<>();
    try (HealthCheckers hc = checkers(6, log)) {
      // 6 checkers: healthy while ≥ 2 (33%) see it healthy; 1 of 6 (16.7%) is not enough
      for (int checker = 0; checker < 5; checker++) {
        for (int i = 0; i < 3; i++) {
          hc.record("eu-west-1", checker, bad(i));
        }
        assertThat(hc.isHealthy("eu-west-1")).as("after %d checkers flipped", checker + 1).isEqualTo(checker < 4);
      }
      HealthCheckers.RegionHealth h = hc.health("eu-west-1");
      assertThat(h.healthy()).isFalse();
      assertThat(h.healthyCheckers()).isEqualTo(1);
      assertThat(h.since()).isEqualTo(T0.plusSeconds(2));
      assertThat(h.checkerStatus().get(0)).satisfies(s -> {
        assertThat(s.healthy()).isFalse();
        assertThat(s.lastResult()).isEqualTo("failure");
        assertThat(s.consecutiveFailures()).isEqualTo(3);
        assertThat(s.lastError()).isEqualTo("connection refused");
      });
      assertThat(h.checkerStatus().get(5).lastResult()).isEqualTo("none");

      // one more checker seeing it healthy again (2 of 6) brings it back
      for (int i = 10; i < 13; i++) {
        hc.record("eu-west-1", 0, ok(i));
      }
      assertThat(hc.isHealthy("eu-west-1")).isTrue();
      List<HealthCheckers.Transition> region = hc.regionTransitions();
      assertThat(region).extracting(HealthCheckers.Transition::healthy).containsExactly(false, true);
      assertThat(region).extracting(HealthCheckers.Transition::at).containsExactly(T0.plusSeconds(2), T0.plusSeconds(12));
      assertThat(region.get(0).reason()).contains("1 of 6 checkers see it healthy").contains("connection refused");
      assertThat(hc.transitions()).filteredOn(t -> t.checker() != null).hasSize(6);
      assertThat(log).anyMatch(l -> l.contains("eu-west-1 is now UNHEALTHY"));
    }
  }

  @Test
  void timersAreScaledButNeverBelowTenMilliseconds() {
    try (HealthCheckers hc = checkers(3, new ArrayList<>())) {
      assertThat(hc.interval("eu-west-1")).isEqualTo(Duration.ofSeconds(1));
      assertThat(hc.detectionBound("eu-west-1")).isEqualTo(Duration.ofSeconds(3));
    }
    assertThat(HealthCheckers.scale(Duration.ofSeconds(10), 0.0001)).isEqualTo(Duration.ofMillis(10));
    assertThat(HealthCheckers.scale(Duration.ofSeconds(30), 1)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void probeTargetIsTheRegionsBaseUrlAndTheResourcePath() {
    assertThat(HealthCheckers.target(URI.create("http://127.0.0.1:4571/"), "/health"))
        .isEqualTo(URI.create("http://127.0.0.1:4571/health"));
    assertThat(HealthCheckers.target(URI.create("http://127.0.0.1:4571"), "health"))
        .isEqualTo(URI.create("http://127.0.0.1:4571/health"));
  }

  @Test
  void refusesChecksItCannotProbe() {
    DnsSpec.HealthCheck calculated = new DnsSpec.HealthCheck("Calc", "CALCULATED", null, 0, null, null, 30, 3);
    assertThatThrownBy(() -> new HealthCheckers(Map.of("r", calculated), Map.of("r", URI.create("http://127.0.0.1:1")),
        1, 3, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CALCULATED");
    DnsSpec.HealthCheck noSearch = new DnsSpec.HealthCheck("C", "HTTP_STR_MATCH", null, 80, "/", null, 30, 3);
    assertThatThrownBy(() -> new HealthCheckers(Map.of("r", noSearch), Map.of("r", URI.create("http://127.0.0.1:1")),
        1, 3, null)).hasMessageContaining("SearchString");
    assertThatThrownBy(() -> new HealthCheckers(Map.of("r", DnsFixtures.check("r")), Map.of(), 1, 3, null))
        .hasMessageContaining("no base URL");
    assertThatThrownBy(() -> new HealthCheckers(Map.of(), Map.of(), 0, 3, null)).hasMessageContaining("timeFactor");
  }
}
