package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

  private static Map<String, Object> usage(long orders, long requests, long replicated, long events) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("measured", true);
    u.put("acknowledgedOrders", orders);
    u.put("clientRequests", requests);
    u.put("lambdaInvocations", Map.of("CatalogFunction", requests / 2, "OrdersFunction", requests / 2,
        "HealthFunction", 999_999L, "PublisherFunction", orders, "ReconcilerFunction", orders));
    u.put("replicatedItemWrites", replicated);
    u.put("crossRegionEvents", events);
    return u;
  }

  @Test
  @SuppressWarnings("unchecked")
  void scalesTheMeasuredUsagePerOrderToTheStatedTrafficAndPricesEachLine() throws Exception {
    CostModel model = CostModel.load();
    Map<String, Object> cost = model.estimate(usage(100, 400, 200, 100), 2);
    Map<String, Object> perOrder = (Map<String, Object>) cost.get("measuredPerOrder");
    assertThat(perOrder.get("clientRequests")).isEqualTo(4.0);
    assertThat(perOrder.get("replicatedItemWrites")).isEqualTo(2.0);
    Map<String, Double> dollars = (Map<String, Double>) cost.get("dollarsPerMonth");
    // 1,000,000 orders x 2 replicated items x 2 rWRU x $0.625 per million.
    assertThat(dollars.get("dynamoDbReplicatedWrites")).isCloseTo(2.5, within(0.01));
    // Two regions' health checks with three optional features, plus the hosted zone.
    assertThat(dollars.get("route53")).isCloseTo(2 * 3.5 + 0.5, within(0.001));
    assertThat((Double) cost.get("totalDollarsPerMonth"))
        .isCloseTo(dollars.values().stream().mapToDouble(Double::doubleValue).sum(), within(0.05));
  }

  @Test
  @SuppressWarnings("unchecked")
  void meteredWriteUnitsArePricedAsMeasuredInsteadOfTheAssumedUnitsPerItem() throws Exception {
    CostModel model = CostModel.load();
    Map<String, Object> u = usage(100, 400, 200, 100);
    // 100 orders: 300 units written in their regions (transactions at 2 per KB), 250 replicated.
    u.put("dynamoDbWrites", Map.of("singleItemWrites", 50L, "singleWriteUnits", 50L, "transactionalItemWrites", 125L,
        "transactionalWriteUnits", 250L, "replicatedItemWrites", 200L, "replicatedWriteUnits", 250L));
    Map<String, Object> cost = model.estimate(u, 2);
    Map<String, Object> perOrder = (Map<String, Object>) cost.get("measuredPerOrder");
    assertThat(perOrder.get("writeUnits")).isEqualTo(3.0);
    assertThat(perOrder.get("replicatedWriteUnits")).isEqualTo(2.5);
    assertThat(perOrder.get("writeUnitsMetered")).isEqualTo(true);
    Map<String, Double> dollars = (Map<String, Double>) cost.get("dollarsPerMonth");
    // 1,000,000 orders x 3 WRU x $0.625 per million; 2.5 rWRU likewise.
    assertThat(dollars.get("dynamoDbWrites")).isCloseTo(1.88, within(0.01));
    assertThat(dollars.get("dynamoDbReplicatedWrites")).isCloseTo(1.56, within(0.01));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theHealthFunctionIsPricedFromTheCheckRateNotFromTheDrill() throws Exception {
    CostModel model = CostModel.load();
    Map<String, Object> a = model.estimate(usage(100, 400, 200, 100), 2);
    Map<String, Object> u = usage(100, 400, 200, 100);
    ((Map<String, Object>) u).put("lambdaInvocations", Map.of("CatalogFunction", 200L, "OrdersFunction", 200L,
        "HealthFunction", 5L, "PublisherFunction", 100L, "ReconcilerFunction", 100L));
    Map<String, Object> b = model.estimate(u, 2);
    assertThat(b.get("totalDollarsPerMonth")).isEqualTo(a.get("totalDollarsPerMonth"));
    Map<String, Object> none = model.estimate(Map.of("measured", false, "acknowledgedOrders", 0, "clientRequests", 0), 2);
    assertThat(none).containsKey("note");
  }
}
