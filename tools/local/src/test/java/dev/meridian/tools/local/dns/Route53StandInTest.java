package dev.meridian.tools.local.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.replication.RegionLatency;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in's HTTP surface with health fixed by hand (no checkers) and regions that refuse connections. */
class Route53StandInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final List<String> log = new ArrayList<>();
  private Route53StandIn dns;
  private Map<String, URI> urls;

  @BeforeEach
  void start() {
    urls = Map.of("us-east-1", URI.create("http://127.0.0.1:" + DnsFixtures.deadPort()),
        "eu-west-1", URI.create("http://127.0.0.1:" + DnsFixtures.deadPort()));
    dns = new Route53StandIn(RoutingMode.ACTIVE_ACTIVE, DnsFixtures.latencies("us-east-1", "eu-west-1"), urls,
        RegionLatency.defaults(), 0.1, Route53StandIn.Options.defaults(), log::add, r -> !down.contains(r)).start();
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(dns.url().resolve(pathAndQuery));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void dnsAnswerNamesRegionUrlScaledTtlHealthAndReason() throws Exception {
    HttpResponse<String> r = get("/dns?location=dublin");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    JsonNode a = JSON.readTree(r.body());
    assertThat(a.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(a.get("url").asText()).isEqualTo(urls.get("eu-west-1").toString());
    assertThat(a.get("ttlSeconds").asInt()).isEqualTo(6);
    assertThat(a.get("healthy").asBoolean()).isTrue();
    assertThat(a.get("reason").asText()).isEqualTo("latency 0 ms from dublin (eu-west-1)");
    assertThat(a.get("mode").asText()).isEqualTo("active-active");

    assertThat(JSON.readTree(get("/dns", "X-Client-Location", "virginia").body()).get("region").asText())
        .isEqualTo("us-east-1");
    assertThat(JSON.readTree(get("/dns").body()).get("locationRegion").asText()).isEqualTo("us-east-1");

    down.add("eu-west-1");
    JsonNode moved = JSON.readTree(get("/dns?location=dublin").body());
    assertThat(moved.get("region").asText()).isEqualTo("us-east-1");
    assertThat(moved.get("reason").asText()).contains("latency 80.5 ms from dublin").contains("skipped unhealthy");

    down.add("us-east-1");
    JsonNode open = JSON.readTree(get("/dns?location=dublin").body());
    assertThat(open.get("region").asText()).isEqualTo("eu-west-1");
    assertThat(open.get("healthy").asBoolean()).isFalse();
    assertThat(open.get("failOpen").asBoolean()).isTrue();
  }

  @Test
  void unknownLocationIs400ProblemJsonOnDnsAndOnTheProxy() throws Exception {
    for (HttpResponse<String> r : List.of(get("/dns?location=atlantis"), get("/orders?location=atlantis"),
        get("/orders", "X-Client-Location", "atlantis"))) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
      JsonNode p = JSON.readTree(r.body());
      assertThat(p.get("type").asText()).isEqualTo("https://meridian.dev/problems/unknown-location");
      assertThat(p.get("status").asInt()).isEqualTo(400);
      assertThat(p.get("location").asText()).isEqualTo("atlantis");
      assertThat(p.get("knownLocations").toString()).contains("dublin", "eu-west-1");
    }
  }

  @Test
  void ownPathsAnswerGetOnly() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(dns.url().resolve("/dns"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("GET");
  }

  @Test
  void aRefusingRegionGives502WithoutRetryingElsewhere() throws Exception {
    HttpResponse<String> r = get("/orders/o-1?location=dublin");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue(Route53StandIn.REGION_HEADER)).contains("eu-west-1");
    assertThat(r.headers().firstValue("content-type")).contains("application/problem+json");
    assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("refused").contains("does not retry");
  }

  @Test
  void statusListsModeRecordsAndRegions() throws Exception {
    JsonNode s = JSON.readTree(get("/route53/status").body());
    assertThat(s.get("mode").asText()).isEqualTo("active-active");
    assertThat(s.get("ttlSeconds").asInt()).isEqualTo(6);
    assertThat(s.get("records")).hasSize(2);
    assertThat(s.get("records").get(0).get("kind").asText()).isEqualTo("LATENCY");
    assertThat(s.get("regions").get("eu-west-1").get("healthy").asBoolean()).isTrue();
    assertThat(s.get("regions").get("eu-west-1").get("inDns").asBoolean()).isTrue();
  }

  @Test
  void ttlIsSixtySecondsScaledRoundedUpAtLeastOne() {
    assertThat(Route53StandIn.ttlSeconds(1)).isEqualTo(60);
    assertThat(Route53StandIn.ttlSeconds(0.1)).isEqualTo(6);
    assertThat(Route53StandIn.ttlSeconds(0.05)).isEqualTo(3);
    assertThat(Route53StandIn.ttlSeconds(0.01)).isEqualTo(1);
    assertThat(Route53StandIn.ttlSeconds(0.001)).isEqualTo(1);
    assertThat(Route53StandIn.ttlSeconds(0.025)).isEqualTo(2);
  }

  @Test
  void logsTheEffectiveTimersAtStart() {
    assertThat(log).anyMatch(l -> l.contains("timeFactor 0.1") && l.contains("1.000 s") && l.contains("TTL 60 s → 6 s")
        && l.contains("3.000 s"));
  }

  @Test
  void closeLeavesNothingListening() throws Exception {
    int port = dns.port();
    dns.close();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void recordsOfTheOtherModeAreRefused() {
    Map<String, DnsSpec> failover = Map.of("us-east-1", DnsFixtures.failover("us-east-1", "PRIMARY"));
    assertThatThrownBy(() -> new Route53StandIn(RoutingMode.ACTIVE_ACTIVE, failover, urls, RegionLatency.defaults(),
        0.1, 3, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FAILOVER");
    assertThatThrownBy(() -> new Route53StandIn(RoutingMode.ACTIVE_ACTIVE, DnsFixtures.latencies("ap-southeast-2"), urls,
        RegionLatency.defaults(), 0.1, 3, null)).hasMessageContaining("no base URL");
  }
}
