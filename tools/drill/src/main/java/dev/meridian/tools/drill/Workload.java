package dev.meridian.tools.drill;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The virtual customers' behaviour.
 *
 * @param rate                 customer iterations started per second, all locations together (each
 *                             iteration: browse, read a product, place an order, read it, sometimes cancel)
 * @param customersPerLocation concurrent customers per client location
 * @param locations            client locations (cities or region names the Route 53 stand-in knows)
 * @param cancelShare          share of placed orders the customer cancels
 * @param crossRegionReplay    share of placed orders replayed with the same key through another region
 * @param maxAttempts          attempts per placement or cancel (timeouts and 5xx are retried with the same key)
 * @param requestTimeout       a client gives up on one request after this long
 */
record Workload(double rate, int customersPerLocation, List<String> locations, double cancelShare,
    double crossRegionReplay, int maxAttempts, Duration requestTimeout) {

  Workload {
    if (!(rate > 0 && rate <= 100)) {
      throw new IllegalArgumentException("--rate must be in (0, 100] iterations per second");
    }
    if (customersPerLocation < 1 || customersPerLocation > 50) {
      throw new IllegalArgumentException("--customers must be 1..50 per location");
    }
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("at least one client location is needed");
    }
    if (cancelShare < 0 || cancelShare > 1 || crossRegionReplay < 0 || crossRegionReplay > 1) {
      throw new IllegalArgumentException("shares must be between 0 and 1");
    }
  }

  int customers() {
    return customersPerLocation * locations.size();
  }

  /** The time between two iterations of one customer. */
  Duration interval() {
    return Duration.ofNanos(Math.round(customers() / rate * 1e9));
  }

  /** Scenario overrides ({@code workload:} in the scenario file) applied to the command line's choice. */
  Workload with(Map<String, Object> overrides) {
    Workload w = this;
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      double v = ((Number) e.getValue()).doubleValue();
      w = switch (e.getKey()) {
        case "cancelShare" -> new Workload(w.rate, w.customersPerLocation, w.locations, v, w.crossRegionReplay,
            w.maxAttempts, w.requestTimeout);
        case "crossRegionReplay" -> new Workload(w.rate, w.customersPerLocation, w.locations, w.cancelShare, v,
            w.maxAttempts, w.requestTimeout);
        default -> throw new IllegalArgumentException("unknown workload setting " + e.getKey()
            + " (cancelShare, crossRegionReplay)");
      };
    }
    return w;
  }
}
