package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the drill's traffic cost the stack, from the local stack's counters before and after:
 * Lambda invocations per function, items replicated between regions (global-table replicated
 * writes), events forwarded between regions, and the emulator's metered DynamoDB write units
 * (single, transactional and replicated). The cost model prices these per order.
 */
final class Usage {
  private static final List<String> WRITE_FIELDS = List.of("singleItemWrites", "singleWriteUnits", "transactionalItemWrites",
      "transactionalWriteUnits", "replicatedItemWrites", "replicatedWriteUnits");
  /** The health design's heartbeat items ({@code HEARTBEAT} partition): written on a timer, whatever the traffic. */
  private static final String HEARTBEAT_KIND = "HEARTBEAT";

  private Usage() {}

  static Map<String, Object> between(Optional<JsonNode> before, Optional<JsonNode> after, long acknowledgedOrders,
      long clientRequests) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("acknowledgedOrders", acknowledgedOrders);
    out.put("clientRequests", clientRequests);
    if (before.isEmpty() || after.isEmpty()) {
      out.put("measured", false);
      return out;
    }
    out.put("measured", true);
    Map<String, Long> invocations = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> regions = after.get().path("regions").fields(); regions.hasNext(); ) {
      Map.Entry<String, JsonNode> region = regions.next();
      for (JsonNode f : region.getValue().path("functions")) {
        String id = f.path("logicalId").asText();
        long then = 0;
        for (JsonNode g : before.get().path("regions").path(region.getKey()).path("functions")) {
          if (g.path("logicalId").asText().equals(id)) {
            then = g.path("invocations").asLong();
          }
        }
        invocations.merge(id, f.path("invocations").asLong() - then, Long::sum);
      }
    }
    out.put("lambdaInvocations", invocations);
    out.put("replicatedItemWrites", delta(before.get().path("replication"), after.get().path("replication"), "applied")
        + delta(before.get().path("replication"), after.get().path("replication"), "superseded"));
    out.put("crossRegionEvents", delta(before.get().path("eventLinks"), after.get().path("eventLinks"), "forwarded"));
    JsonNode unitsBefore = before.get().path("writeUnits");
    JsonNode unitsAfter = after.get().path("writeUnits");
    if (unitsAfter.isObject() && !unitsAfter.has("metered")) {
      Map<String, Long> writes = new LinkedHashMap<>();
      Map<String, Long> unitsByKind = new TreeMap<>();
      for (String field : WRITE_FIELDS) {
        writes.put(field, 0L);
      }
      for (Iterator<Map.Entry<String, JsonNode>> regions = unitsAfter.fields(); regions.hasNext(); ) {
        Map.Entry<String, JsonNode> region = regions.next();
        for (Iterator<Map.Entry<String, JsonNode>> kinds = region.getValue().path("byKind").fields(); kinds.hasNext(); ) {
          Map.Entry<String, JsonNode> kind = kinds.next();
          if (kind.getKey().equals(HEARTBEAT_KIND)) {
            continue; // a fixed cost per region and interval, not a cost of orders
          }
          JsonNode then = unitsBefore.path(region.getKey()).path("byKind").path(kind.getKey());
          for (String field : WRITE_FIELDS) {
            writes.merge(field, kind.getValue().path(field).asLong() - then.path(field).asLong(), Long::sum);
          }
          unitsByKind.merge(kind.getKey(), kind.getValue().path("singleWriteUnits").asLong()
              + kind.getValue().path("transactionalWriteUnits").asLong() - then.path("singleWriteUnits").asLong()
              - then.path("transactionalWriteUnits").asLong(), Long::sum);
        }
      }
      out.put("dynamoDbWrites", writes);
      out.put("dynamoDbWriteUnitsByKind", unitsByKind);
    }
    return out;
  }

  private static long delta(JsonNode before, JsonNode after, String field) {
    long total = 0;
    for (JsonNode link : after) {
      total += link.path(field).asLong();
    }
    for (JsonNode link : before) {
      total -= link.path(field).asLong();
    }
    return total;
  }
}
