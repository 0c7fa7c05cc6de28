package dev.meridian.tools.local.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.replication.RegionLatency;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final RegionLatency LATENCY = RegionLatency.defaults();
  private static final Predicate<String> ALL_UP = r -> true;

  private static Router latencyRouter(String... regions) {
    return new Router(RoutingMode.ACTIVE_ACTIVE, DnsFixtures.records(DnsFixtures.latencies(regions)), LATENCY);
  }

  private static Predicate<String> downs(String... regions) {
    Set<String> down = Set.of(regions);
    return r -> !down.contains(r);
  }

  @Test
  void latencyRoutingPicksTheLowestRoundTripFromTheClientsLocation() {
    Router router = latencyRouter("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(router.route("dublin", ALL_UP).region()).isEqualTo("eu-west-1");
    assertThat(router.route("virginia", ALL_UP).region()).isEqualTo("us-east-1");
    assertThat(router.route("singapore", ALL_UP).region()).isEqualTo("ap-southeast-1");
    // frankfurt → eu-central-1: eu-west-1 19.6 ms beats us-east-1 88.6 ms
    assertThat(router.route("frankfurt", ALL_UP).region()).isEqualTo("eu-west-1");
    // tokyo → ap-northeast-1: ap-southeast-1 73.8 ms beats us-east-1 145.3 ms
    assertThat(router.route("tokyo", ALL_UP).region()).isEqualTo("ap-southeast-1");
    // oregon → us-west-2: us-east-1 88.7 ms
    assertThat(router.route("oregon", ALL_UP).region()).isEqualTo("us-east-1");
    // sao-paulo → sa-east-1 (only as a column of the table): us-east-1 119.5 ms
    assertThat(router.route("Sao Paulo", ALL_UP).region()).isEqualTo("us-east-1");
    // a region name is a location too
    assertThat(router.route("eu-central-1", ALL_UP).region()).isEqualTo("eu-west-1");
  }

  @Test
  void decisionExplainsItself() {
    Router.Decision d = latencyRouter("us-east-1", "eu-west-1").route("frankfurt", ALL_UP);
    assertThat(d.healthy()).isTrue();
    assertThat(d.failOpen()).isFalse();
    assertThat(d.location()).isEqualTo("frankfurt");
    assertThat(d.locationRegion()).isEqualTo("eu-central-1");
    assertThat(d.reason()).isEqualTo("latency 19.6 ms from frankfurt (eu-central-1)");
  }

  @Test
  void anUnhealthyRegionIsSkippedForTheNextLowestLatency() {
    Router router = latencyRouter("us-east-1", "eu-west-1", "ap-southeast-1");
    Router.Decision d = router.route("dublin", downs("eu-west-1"));
    assertThat(d.region()).isEqualTo("us-east-1"); // 80.5 ms, ap-southeast-1 is 239 ms
    assertThat(d.healthy()).isTrue();
    assertThat(d.reason()).contains("latency 80.5 ms from dublin (eu-west-1)").contains("skipped unhealthy eu-west-1");
    assertThat(router.route("dublin", downs("eu-west-1", "us-east-1")).region()).isEqualTo("ap-southeast-1");
  }

  @Test
  void everyLatencyRecordUnhealthyFailsOpenToTheLowestLatency() {
    Router router = latencyRouter("us-east-1", "eu-west-1", "ap-southeast-1");
    Router.Decision d = router.route("dublin", r -> false);
    assertThat(d.region()).isEqualTo("eu-west-1");
    assertThat(d.failOpen()).isTrue();
    assertThat(d.healthy()).isFalse();
    assertThat(d.reason()).contains("fails open");
    assertThat(router.route("singapore", r -> false).region()).isEqualTo("ap-southeast-1");
  }

  @Test
  void aRecordWithoutHealthCheckIsAlwaysHealthy() {
    Map<String, DnsSpec.RecordSet> records = DnsFixtures.records(DnsFixtures.latencies("us-east-1", "eu-west-1"));
    DnsSpec.RecordSet eu = records.get("eu-west-1");
    records.put("eu-west-1", new DnsSpec.RecordSet(eu.logicalId(), eu.kind(), eu.name(), eu.setIdentifier(), null,
        eu.latencyRegion(), null));
    Router router = new Router(RoutingMode.ACTIVE_ACTIVE, records, LATENCY);
    Router.Decision d = router.route("dublin", r -> false);
    assertThat(d.region()).isEqualTo("eu-west-1");
    assertThat(d.failOpen()).isFalse();
  }

  @Test
  void failoverAnswersPrimaryWhileHealthyThenSecondaryThenFailsOpenToPrimary() {
    Router router = new Router(RoutingMode.ACTIVE_PASSIVE, Map.of(
        "us-east-1", DnsFixtures.failover("us-east-1", "PRIMARY").record(),
        "eu-west-1", DnsFixtures.failover("eu-west-1", "SECONDARY").record()), LATENCY);
    assertThat(router.primary()).contains("us-east-1");
    assertThat(router.secondary()).contains("eu-west-1");

    Router.Decision primary = router.route("dublin", ALL_UP);
    assertThat(primary.region()).isEqualTo("us-east-1"); // location plays no part
    assertThat(primary.healthy()).isTrue();

    Router.Decision secondary = router.route("virginia", downs("us-east-1"));
    assertThat(secondary.region()).isEqualTo("eu-west-1");
    assertThat(secondary.healthy()).isTrue();
    assertThat(secondary.reason()).contains("PRIMARY us-east-1 unhealthy");

    Router.Decision both = router.route(null, r -> false);
    assertThat(both.region()).isEqualTo("us-east-1");
    assertThat(both.failOpen()).isTrue();
    assertThat(both.healthy()).isFalse();

    // the secondary down alone changes nothing
    assertThat(router.route(null, downs("eu-west-1")).region()).isEqualTo("us-east-1");
  }

  @Test
  void unknownLocationIsRefused() {
    Router router = latencyRouter("us-east-1", "eu-west-1");
    assertThatThrownBy(() -> router.route("atlantis", ALL_UP))
        .isInstanceOf(Router.UnknownLocationException.class)
        .hasMessageContaining("atlantis")
        .satisfies(e -> assertThat(((Router.UnknownLocationException) e).known()).contains("dublin", "eu-west-1"));
    assertThatThrownBy(() -> router.route(null, ALL_UP)).isInstanceOf(Router.UnknownLocationException.class);
  }

  @Test
  void recordsMustMatchTheModeAndFailoverNeedsOnePrimary() {
    assertThatThrownBy(() -> new Router(RoutingMode.ACTIVE_PASSIVE,
        DnsFixtures.records(DnsFixtures.latencies("us-east-1")), LATENCY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LATENCY");
    assertThatThrownBy(() -> new Router(RoutingMode.ACTIVE_PASSIVE,
        Map.of("eu-west-1", DnsFixtures.failover("eu-west-1", "SECONDARY").record()), LATENCY))
        .hasMessageContaining("without a PRIMARY");
    assertThatThrownBy(() -> new Router(RoutingMode.ACTIVE_PASSIVE, Map.of(
        "us-east-1", DnsFixtures.failover("us-east-1", "PRIMARY").record(),
        "eu-west-1", DnsFixtures.failover("eu-west-1", "PRIMARY").record()), LATENCY))
        .hasMessageContaining("two PRIMARY");
  }

  @Test
  void modesParseAsSamconfigSpellsThem() {
    assertThat(RoutingMode.parse("active-active")).isEqualTo(RoutingMode.ACTIVE_ACTIVE);
    assertThat(RoutingMode.parse("ACTIVE_PASSIVE")).isEqualTo(RoutingMode.ACTIVE_PASSIVE);
    assertThatThrownBy(() -> RoutingMode.parse("multi")).isInstanceOf(IllegalArgumentException.class);
  }
}
