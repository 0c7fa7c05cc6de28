package dev.meridian.tools.local.dns;

import dev.meridian.tools.local.model.DnsSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/** DnsSpecs as the template resolver produces them for template.yaml's RegionalHealthCheck and records. */
final class DnsFixtures {
  static final String SEARCH = "\"status\":\"healthy\"";

  private DnsFixtures() {}

  static DnsSpec.HealthCheck check(String region) {
    return new DnsSpec.HealthCheck("RegionalHealthCheck", "HTTPS_STR_MATCH",
        "abc123.execute-api." + region + ".amazonaws.com", 443, "/health", SEARCH, 10, 3);
  }

  static DnsSpec latency(String region) {
    return new DnsSpec(check(region), new DnsSpec.RecordSet("ApiLatencyRecord", DnsSpec.RoutingKind.LATENCY,
        "api.example.com", region, null, region, "RegionalHealthCheck"));
  }

  static DnsSpec failover(String region, String role) {
    return new DnsSpec(check(region), new DnsSpec.RecordSet("ApiFailoverRecord", DnsSpec.RoutingKind.FAILOVER,
        "api.example.com", region, role, null, "RegionalHealthCheck"));
  }

  static Map<String, DnsSpec> latencies(String... regions) {
    Map<String, DnsSpec> m = new LinkedHashMap<>();
    for (String r : regions) {
      m.put(r, latency(r));
    }
    return m;
  }

  static Map<String, DnsSpec.RecordSet> records(Map<String, DnsSpec> dns) {
    Map<String, DnsSpec.RecordSet> m = new LinkedHashMap<>();
    dns.forEach((r, d) -> m.put(r, d.record()));
    return m;
  }

  /** A loopback port nothing listens on (connections are refused). */
  static int deadPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
