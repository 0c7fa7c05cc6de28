package dev.meridian.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Renders the control API's status as a terminal summary. */
final class StatusTable {
  private StatusTable() {}

  static void print(JsonNode status, PrintStream out) {
    out.printf("mode %s, time factor %s%n", status.path("mode").asText(), status.path("timeFactor").asText());
    JsonNode budget = status.path("environments");
    out.printf("execution environments %d of %d alive (peak %d; %d per function unless reserved; idle timeout %d s)%n",
        budget.path("alive").asInt(), budget.path("max").asInt(), budget.path("peak").asInt(),
        budget.path("maxPerFunction").asInt(), budget.path("idleTimeoutSeconds").asLong());
    JsonNode health = status.path("route53").path("regions");
    out.println();
    out.printf("%-16s %-10s %-10s %-10s %s%n", "region", "api", "route53", "dynamodb", "functions (state/cold starts)");
    status.path("regions").fields().forEachRemaining(e -> {
      StringBuilder functions = new StringBuilder();
      e.getValue().path("functions").forEach(f -> functions.append(f.path("logicalId").asText().replace("Function", ""))
          .append('=').append(f.path("state").asText()).append('/').append(f.path("coldStarts").asInt()).append(' '));
      JsonNode h = findRegion(health, e.getKey());
      out.printf("%-16s %-10s %-10s %-10s %s%n", e.getKey(), e.getValue().path("apiMode").asText(),
          h == null ? "?" : (h.path("healthy").asBoolean() ? "healthy" : "UNHEALTHY"),
          e.getValue().path("dynamoDb").path("stalled").asBoolean() ? "STALLED" : "ok", functions.toString().trim());
    });
    out.println();
    out.printf("%-16s %-12s %5s %5s %5s %6s %6s %10s %9s%n", "region", "function", "busy", "idle", "init", "limit",
        "cold", "throttled", "reclaimed");
    status.path("regions").fields().forEachRemaining(e -> e.getValue().path("functions").forEach(f -> {
      JsonNode env = f.path("environments");
      out.printf("%-16s %-12s %5d %5d %5d %6s %6d %10d %9d%n", e.getKey(),
          f.path("logicalId").asText().replace("Function", ""), env.path("busy").asInt(), env.path("idle").asInt(),
          env.path("initializing").asInt(), env.path("limit").asInt() + (env.path("reserved").asBoolean() ? "r" : ""),
          f.path("coldStarts").asInt(), env.path("throttled").asInt(), env.path("reclaimed").asInt());
    }));
    out.println();
    out.printf("%-16s %s%n", "region", "queues (visible/in flight)");
    status.path("regions").fields().forEachRemaining(e -> {
      StringBuilder queues = new StringBuilder();
      e.getValue().path("queues").forEach(q -> queues.append(q.path("logicalId").asText()).append('=')
          .append(q.path("visible").asLong()).append('/').append(q.path("inFlight").asLong()).append(' '));
      out.printf("%-16s %s%n", e.getKey(), queues.toString().trim());
    });
    out.println();
    out.printf("%-34s %-10s %8s %8s %10s%n", "replication link", "paused", "backlog", "applied", "lag ms");
    status.path("replication").forEach(l -> out.printf("%-34s %-10s %8d %8d %10d%n",
        l.path("from").asText() + " -> " + l.path("to").asText(), l.path("paused").toString(), l.path("backlog").asLong(),
        l.path("applied").asLong(), l.path("lastLagMillis").asLong()));
    out.println();
    out.printf("%-34s %-10s %8s %10s%n", "event link", "paused", "queued", "forwarded");
    status.path("eventLinks").forEach(l -> out.printf("%-34s %-10s %8d %10d%n",
        l.path("from").asText() + " -> " + l.path("to").asText(), l.path("paused").toString(), l.path("queued").asLong(),
        l.path("forwarded").asLong()));
  }

  private static JsonNode findRegion(JsonNode regions, String name) {
    if (regions.isArray()) {
      for (JsonNode r : regions) {
        if (name.equals(r.path("region").asText())) {
          return r;
        }
      }
      return null;
    }
    return regions.has(name) ? regions.get(name) : null;
  }
}
