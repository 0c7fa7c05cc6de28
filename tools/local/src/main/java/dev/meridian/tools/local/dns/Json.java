package dev.meridian.tools.local.dns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.model.DnsSpec;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** The stand-in's JSON shapes (built by hand: explicit field names, ISO-8601 instants). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String PROBLEM_TYPE_BASE = "https://meridian.dev/problems/";

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 9457 problem details. */
  static ObjectNode problem(String type, String title, int status, String detail) {
    ObjectNode p = object();
    p.put("type", PROBLEM_TYPE_BASE + type);
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }

  static String instant(Instant at) {
    return at == null ? null : at.toString();
  }

  static ObjectNode record(String region, DnsSpec.RecordSet r) {
    ObjectNode n = object();
    n.put("region", region);
    n.put("logicalId", r.logicalId());
    n.put("kind", r.kind() == null ? null : r.kind().name());
    n.put("name", r.name());
    n.put("setIdentifier", r.setIdentifier());
    n.put("failover", r.failover());
    n.put("latencyRegion", r.latencyRegion());
    n.put("healthCheckLogicalId", r.healthCheckLogicalId());
    return n;
  }

  static ObjectNode regionHealth(HealthCheckers.RegionHealth h) {
    ObjectNode n = object();
    n.put("healthy", h.healthy());
    n.put("healthyCheckers", h.healthyCheckers());
    n.put("checkers", h.checkers());
    n.put("healthyPercent", Math.round(h.healthyPercent() * 10) / 10.0);
    n.put("since", instant(h.since()));
    n.put("target", h.target().toString());
    DnsSpec.HealthCheck c = h.check();
    ObjectNode check = n.putObject("healthCheck");
    check.put("logicalId", c.logicalId());
    check.put("type", c.type());
    check.put("resourcePath", c.resourcePath());
    check.put("searchString", c.searchString());
    check.put("requestIntervalSeconds", c.requestIntervalSeconds());
    check.put("failureThreshold", c.failureThreshold());
    check.put("effectiveIntervalMillis", h.interval().toMillis());
    check.put("detectionBoundMillis", h.detectionBound().toMillis());
    ArrayNode views = n.putArray("checkerStatus");
    for (HealthCheckers.CheckerStatus s : h.checkerStatus()) {
      ObjectNode v = views.addObject();
      v.put("checker", s.checker());
      v.put("healthy", s.healthy());
      v.put("lastResult", s.lastResult());
      if (s.lastStatusCode() < 0) {
        v.putNull("lastStatusCode");
      } else {
        v.put("lastStatusCode", s.lastStatusCode());
      }
      if (s.lastLatencyMillis() < 0) {
        v.putNull("lastLatencyMillis");
      } else {
        v.put("lastLatencyMillis", s.lastLatencyMillis());
      }
      v.put("consecutiveSuccesses", s.consecutiveSuccesses());
      v.put("consecutiveFailures", s.consecutiveFailures());
      v.put("lastError", s.lastError());
      v.put("lastCheckedAt", instant(s.lastCheckedAt()));
      v.put("probes", s.probes());
    }
    return n;
  }

  static ArrayNode transitions(List<HealthCheckers.Transition> all) {
    ArrayNode a = MAPPER.createArrayNode();
    for (HealthCheckers.Transition t : all) {
      ObjectNode n = a.addObject();
      n.put("at", instant(t.at()));
      n.put("region", t.region());
      if (t.checker() == null) {
        n.putNull("checker");
      } else {
        n.put("checker", t.checker());
      }
      n.put("healthy", t.healthy());
      n.put("reason", t.reason());
    }
    return a;
  }
}
