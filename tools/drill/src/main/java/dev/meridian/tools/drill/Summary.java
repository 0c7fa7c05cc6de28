package dev.meridian.tools.drill;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal summary of one drill. */
final class Summary {
  private Summary() {}

  @SuppressWarnings("unchecked")
  static String headline(Map<String, Object> r) {
    Map<String, Object> target = (Map<String, Object>) r.get("target");
    return String.format(Locale.ROOT, "Meridian failover drill: %s, %s, regions %s, time factor %s: %s", r.get("scenario"),
        r.get("mode"), r.get("regions"), target.get("timeFactor"), Boolean.TRUE.equals(r.get("passed")) ? "PASSED" : "FAILED");
  }

  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> r, PrintStream out) {
    out.println();
    out.println(headline(r));
    out.printf(Locale.ROOT, "  acknowledged orders %s (cancels %s); lost writes %s; duplicate orders %s; oversold units %s; "
            + "negative stock %s; stock conserved %s%n", r.get("acknowledgedOrders"), r.get("acknowledgedCancels"),
        r.get("lostWrites"), r.get("duplicateOrders"), r.get("oversoldUnits"), r.get("negativeStock"), r.get("stockConserved"));
    out.printf(Locale.ROOT, "  conflicts merged: %s; duplicate reservations released: %s%n", r.get("conflictsMerged"),
        r.get("duplicateReservationsReleased"));
    Object convergence = r.get("convergenceAfterRecoveryMs");
    out.printf(Locale.ROOT, "  convergence after recovery: %s; RPO: %s%n",
        convergence == null ? "not reached" : String.format(Locale.ROOT, "%.1f s", ((Number) convergence).doubleValue() / 1000),
        r.get("rpo"));
    Map<String, Object> availability = (Map<String, Object>) r.get("availability");
    Map<String, Object> during = (Map<String, Object>) availability.get("duringFaultAndRecovery");
    out.printf(Locale.ROOT, "  availability during fault and recovery: %s (%s requests, %s failed)%n",
        percent(during.get("availability")), during.get("requests"), during.get("failed"));
    Map<String, Object> client = (Map<String, Object>) r.get("client");
    out.printf(Locale.ROOT, "  client: %s placements/s, %s 202 pending-stock, %s 409 out-of-stock, %s placements given up, %s own orders not "
            + "found right after placing%n", client.get("placementsPerSecond"), client.get("pendingStockAnswers"), client.get("outOfStockAnswers"),
        client.get("placementsGivenUp"), client.get("ownOrderNotFoundRightAfterPlacing"));
    Map<String, Map<String, Object>> windows = (Map<String, Map<String, Object>>) r.get("errorWindows");
    Map<String, Map<String, Object>> byLocation = (Map<String, Map<String, Object>>) ((Map<String, Object>) r.get("latency"))
        .get("byLocation");
    out.printf(Locale.ROOT, "  %-12s %14s %10s %8s %10s %10s%n", "location", "error window", "failover", "failed", "p50 ms",
        "p99 ms");
    windows.forEach((location, w) -> {
      Map<String, Object> l = byLocation.getOrDefault(location, Map.of());
      out.printf(Locale.ROOT, "  %-12s %12.1f s %8.1f s %8s %10s %10s%n", location,
          ((Number) w.get("errorWindowMs")).doubleValue() / 1000, ((Number) w.get("failoverMs")).doubleValue() / 1000,
          w.get("failedRequests"), l.get("p50Ms"), l.get("p99Ms"));
    });
    for (Map<String, Object> c : (List<Map<String, Object>>) r.get("checks")) {
      out.printf("  [%s] %s%s%n", Boolean.TRUE.equals(c.get("passed")) ? "pass" : "FAIL", c.get("name"),
          Boolean.TRUE.equals(c.get("passed")) ? "" : ": " + c.get("detail"));
    }
  }

  static String percent(Object ratio) {
    return ratio instanceof Number n ? String.format(Locale.ROOT, "%.2f %%", n.doubleValue() * 100) : "n/a";
  }
}
