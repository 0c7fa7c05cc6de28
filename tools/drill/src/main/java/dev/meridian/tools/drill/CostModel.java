package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A monthly cost estimate for one mode at a stated traffic level, from the drill's measured usage
 * per acknowledged order (client requests, Lambda invocations per function, replicated item writes,
 * DynamoDB write units as the emulator metered them, cross-region events) and the prices and assumptions in {@code cost-model.json}
 * (documented in {@code tools/drill/cost-model.md}). Health checks and their invocations are per region
 * and month, independent of traffic.
 */
final class CostModel {
  private static final double SECONDS_PER_MONTH = 30 * 86_400;
  private final JsonNode model;

  private CostModel(JsonNode model) {
    this.model = model;
  }

  static CostModel load() throws IOException {
    try (InputStream in = CostModel.class.getResourceAsStream("cost-model.json")) {
      if (in == null) {
        throw new IllegalStateException("cost-model.json missing from the class path");
      }
      return new CostModel(new ObjectMapper().readTree(in));
    }
  }

  double ordersPerMonth() {
    return model.path("ordersPerMonth").asDouble();
  }

  /** Dollars per month by line item, and the total, for a drill's {@code usage} section. */
  @SuppressWarnings("unchecked")
  Map<String, Object> estimate(Map<String, Object> usage, int regions) {
    JsonNode price = model.path("prices");
    JsonNode assume = model.path("assumptions");
    double orders = ((Number) usage.get("acknowledgedOrders")).doubleValue();
    Map<String, Object> out = new LinkedHashMap<>();
    if (!Boolean.TRUE.equals(usage.get("measured")) || orders == 0) {
      out.put("note", "no usage measured (not a local stack, or no order acknowledged)");
      return out;
    }
    double scale = ordersPerMonth() / orders;
    double requests = ((Number) usage.get("clientRequests")).doubleValue() * scale;
    Map<String, Number> invocations = (Map<String, Number>) usage.get("lambdaInvocations");
    double lambdaRequests = 0;
    double gbSeconds = 0;
    for (Map.Entry<String, Number> e : invocations.entrySet()) {
      if (e.getKey().equals("HealthFunction")) {
        continue; // priced below from the health-check rate, not from the drill's traffic
      }
      double monthly = e.getValue().doubleValue() * scale;
      lambdaRequests += monthly;
      gbSeconds += monthly * assume.path("lambdaBilledMsPerInvocation").path(e.getKey()).asDouble(50) / 1000
          * assume.path("lambdaMemoryMb").path(e.getKey()).asDouble(1024) / 1024;
    }
    double replicated = ((Number) usage.get("replicatedItemWrites")).doubleValue() * scale;
    Map<String, Number> metered = (Map<String, Number>) usage.get("dynamoDbWrites");
    double writeUnits;
    double replicatedWriteUnits;
    if (metered != null) {
      writeUnits = (metered.get("singleWriteUnits").doubleValue() + metered.get("transactionalWriteUnits").doubleValue()) * scale;
      replicatedWriteUnits = metered.get("replicatedWriteUnits").doubleValue() * scale;
    } else {
      // No meter (an emulator other than Meridian's launcher): the assumed units per item write.
      double wru = assume.path("writeRequestUnitsPerItemWrite").asDouble();
      writeUnits = replicated / Math.max(1, regions - 1) * wru;
      replicatedWriteUnits = replicated * wru;
    }
    double events = ((Number) usage.get("crossRegionEvents")).doubleValue() * scale;
    double published = events / Math.max(1, regions - 1);

    double healthRequests = assume.path("healthCheckRequestsPerSecondPerRegion").asDouble() * SECONDS_PER_MONTH * regions;
    double healthGbSeconds = healthRequests * assume.path("lambdaBilledMsPerInvocation").path("HealthFunction").asDouble() / 1000
        * assume.path("lambdaMemoryMb").path("HealthFunction").asDouble() / 1024;

    Map<String, Double> lines = new LinkedHashMap<>();
    lines.put("apiGateway", (requests + healthRequests) / 1e6 * price.path("apiGatewayHttpPerMillion").asDouble());
    lines.put("lambda", (lambdaRequests + healthRequests) / 1e6 * price.path("lambdaRequestsPerMillion").asDouble()
        + (gbSeconds + healthGbSeconds) * price.path("lambdaArmGbSecond").asDouble());
    lines.put("dynamoDbWrites", writeUnits / 1e6 * price.path("dynamoDbWriteRequestUnitsPerMillion").asDouble());
    lines.put("dynamoDbReplicatedWrites", replicatedWriteUnits / 1e6
        * price.path("dynamoDbReplicatedWriteRequestUnitsPerMillion").asDouble());
    lines.put("dynamoDbReads", (requests * 0.6 + healthRequests * assume.path("dynamoDbReadsPerHealthCheck").asDouble())
        * assume.path("readRequestUnitsPerClientRead").asDouble() / 1e6 * price.path("dynamoDbReadRequestUnitsPerMillion").asDouble());
    lines.put("eventBridge", published / 1e6 * price.path("eventBridgeCustomEventsPerMillion").asDouble()
        + events / 1e6 * price.path("eventBridgeCrossRegionEventsPerMillion").asDouble());
    lines.put("sqs", events * assume.path("sqsRequestsPerDeliveredEvent").asDouble() / 1e6
        * price.path("sqsRequestsPerMillion").asDouble());
    lines.put("route53", regions * (price.path("route53HealthCheckPerMonth").asDouble()
        + assume.path("healthCheckOptionalFeatures").asDouble() * price.path("route53HealthCheckOptionalFeaturePerMonth").asDouble())
        + price.path("route53HostedZonePerMonth").asDouble());
    double total = lines.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Object> perOrder = new LinkedHashMap<>();
    perOrder.put("clientRequests", round(requests / ordersPerMonth()));
    perOrder.put("lambdaInvocationsWithoutHealth", round(lambdaRequests / ordersPerMonth()));
    perOrder.put("replicatedItemWrites", round(replicated / ordersPerMonth()));
    perOrder.put("writeUnits", round(writeUnits / ordersPerMonth()));
    perOrder.put("replicatedWriteUnits", round(replicatedWriteUnits / ordersPerMonth()));
    perOrder.put("writeUnitsMetered", metered != null);
    perOrder.put("crossRegionEvents", round(events / ordersPerMonth()));
    out.put("ordersPerMonth", ordersPerMonth());
    out.put("measuredPerOrder", perOrder);
    Map<String, Object> dollars = new LinkedHashMap<>();
    lines.forEach((k, v) -> dollars.put(k, round(v)));
    out.put("dollarsPerMonth", dollars);
    out.put("totalDollarsPerMonth", round(total));
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
