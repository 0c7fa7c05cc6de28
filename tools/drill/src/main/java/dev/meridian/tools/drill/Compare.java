package dev.meridian.tools.drill;

import dev.meridian.testkit.Machine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code ./tools/drill/run compare --scenario NAME}: the same scenario and workload in active-active and
 * then in active-passive mode, each on a stack of its own started for it, printed side by side
 * (and written as compare.md and compare.json) with a monthly cost estimate per mode.
 */
final class Compare {
  static final List<String> MODES = List.of("active-active", "active-passive");

  private Compare() {}

  static int run(Path root, List<String> args, PrintStream out) throws Exception {
    if (args.contains("--use-running") || args.contains("--base-url")) {
      throw new IllegalArgumentException("compare starts one local stack per mode; --use-running and --base-url do not apply");
    }
    Scenario scenario = Scenario.load(root, DrillCommand.required(args, "--scenario"));
    if (!scenario.modes().containsAll(MODES)) {
      throw new IllegalArgumentException("scenario " + scenario.name() + " runs only in " + scenario.modes());
    }
    Path dir = root.resolve(DrillCommand.option(args, "--out").orElse("target/drill/compare-" + scenario.name()));
    String command = "./tools/drill/run compare " + String.join(" ", args);
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    for (String mode : MODES) {
      Path earlier = dir.resolve(mode).resolve("result.json");
      if (args.contains("--reuse") && Files.exists(earlier)) {
        // Resume a compare that stopped half-way: keep the mode already measured.
        out.println("== " + mode + ": reusing " + earlier);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = DrillCommand.JSON.readValue(earlier.toFile(), Map.class);
        results.put(mode, result);
        continue;
      }
      out.println("== " + mode);
      results.put(mode, DrillCommand.runOne(root, args, scenario, mode, dir.resolve(mode), command, out));
    }
    CostModel cost = CostModel.load();
    Map<String, Map<String, Object>> costs = new LinkedHashMap<>();
    results.forEach((mode, r) -> costs.put(mode, cost.estimate(usage(r), ((List<?>) r.get("regions")).size())));
    List<String[]> rows = rows(results, costs);
    String table = markdown(rows);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    json.put("scenario", scenario.name());
    json.put("machine", Machine.current().toMap());
    json.put("table", rows);
    json.put("cost", costs);
    json.put("results", Map.of("active-active", dir.resolve("active-active/result.json").toString(),
        "active-passive", dir.resolve("active-passive/result.json").toString()));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("compare.md"), table);
    Files.writeString(dir.resolve("compare.json"), DrillCommand.JSON.writeValueAsString(json));
    out.println();
    out.println("Active-active vs active-passive, scenario " + scenario.name() + " (" + command + ")");
    out.print(text(rows));
    out.println("written: " + dir.resolve("compare.md") + ", " + dir.resolve("compare.json"));
    return results.values().stream().allMatch(r -> Boolean.TRUE.equals(r.get("passed"))) ? 0 : 1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> usage(Map<String, Object> r) {
    return (Map<String, Object>) r.get("usage");
  }

  @SuppressWarnings("unchecked")
  static List<String[]> rows(Map<String, Map<String, Object>> results, Map<String, Map<String, Object>> costs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", "active-active", "active-passive"});
    row(rows, results, "verification", r -> Boolean.TRUE.equals(r.get("passed")) ? "passed" : "FAILED");
    row(rows, results, "availability during fault and recovery", r -> Summary.percent(
        ((Map<String, Map<String, Object>>) r.get("availability")).get("duringFaultAndRecovery").get("availability")));
    row(rows, results, "error window, longest location", r -> seconds(((Map<String, Map<String, Object>>) r.get("errorWindows"))
        .values().stream().mapToDouble(w -> ((Number) w.get("errorWindowMs")).doubleValue()).max().orElse(0)));
    row(rows, results, "failover time (fault to last failed request)", r -> seconds(((Number) r.get("failoverMs")).doubleValue()));
    row(rows, results, "acknowledged orders", r -> String.valueOf(r.get("acknowledgedOrders")));
    row(rows, results, "lost writes (acknowledged, missing after convergence)", r -> String.valueOf(r.get("lostWrites")));
    row(rows, results, "RPO: replication backlog at fault / recent orders unreadable in peers", r -> {
      Map<String, Object> rpo = (Map<String, Object>) r.get("rpo");
      return rpo.getOrDefault("replicationBacklogAtFault", "n/a") + " / " + rpo.getOrDefault("notReadableInPeersAfterFault", "n/a")
          + " of " + rpo.getOrDefault("acknowledgedInTheLast5sBeforeFault", "n/a");
    });
    row(rows, results, "merged writes (conflicts recorded)", r -> String.valueOf(((Map<String, Object>) r.get("conflictsMerged"))
        .get("total")));
    row(rows, results, "duplicate orders / oversold units", r -> r.get("duplicateOrders") + " / " + r.get("oversoldUnits"));
    row(rows, results, "convergence after recovery", r -> r.get("convergenceAfterRecoveryMs") == null ? "not reached"
        : seconds(((Number) r.get("convergenceAfterRecoveryMs")).doubleValue()));
    row(rows, results, "202 pending-stock answers", r -> String.valueOf(((Map<String, Object>) r.get("client"))
        .get("pendingStockAnswers")));
    List<String> locations = new ArrayList<>(((Map<String, Object>) results.values().iterator().next().get("errorWindows")).keySet());
    for (String location : locations) {
      row(rows, results, "error window " + location, r -> seconds(((Number) ((Map<String, Map<String, Object>>) r
          .get("errorWindows")).get(location).get("errorWindowMs")).doubleValue()));
      row(rows, results, "p50 / p99 " + location + " (ms)", r -> {
        Map<String, Object> l = ((Map<String, Map<String, Map<String, Object>>>) r.get("latency")).get("byLocation")
            .getOrDefault(location, Map.of());
        return l.get("p50Ms") + " / " + l.get("p99Ms");
      });
    }
    List<String> modes = new ArrayList<>(results.keySet());
    String[] cost = new String[] {"cost per month at " + String.format(Locale.ROOT, "%,.0f",
        ordersPerMonth(costs)) + " orders (cost model)", "", ""};
    for (int i = 0; i < modes.size(); i++) {
      Object total = costs.get(modes.get(i)).get("totalDollarsPerMonth");
      cost[i + 1] = total == null ? "n/a" : String.format(Locale.ROOT, "$%,.2f %s", ((Number) total).doubleValue(),
          costs.get(modes.get(i)).get("dollarsPerMonth"));
    }
    rows.add(cost);
    return rows;
  }

  private static double ordersPerMonth(Map<String, Map<String, Object>> costs) {
    return costs.values().stream().map(c -> c.get("ordersPerMonth")).filter(o -> o instanceof Number)
        .mapToDouble(o -> ((Number) o).doubleValue()).findFirst().orElse(0);
  }

  private static void row(List<String[]> rows, Map<String, Map<String, Object>> results, String name,
      Function<Map<String, Object>, String> cell) {
    String[] row = new String[results.size() + 1];
    row[0] = name;
    int i = 1;
    for (Map<String, Object> r : results.values()) {
      row[i++] = cell.apply(r);
    }
    rows.add(row);
  }

  private static String seconds(double ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000);
  }

  static String markdown(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      b.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
      if (i == 0) {
        b.append("|---|---|---|\n");
      }
    }
    return b.toString();
  }

  private static String text(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    for (String[] row : rows) {
      b.append(String.format(Locale.ROOT, "  %-66s %-28s %s%n", row[0], row[1], row[2]));
    }
    return b.toString();
  }
}
