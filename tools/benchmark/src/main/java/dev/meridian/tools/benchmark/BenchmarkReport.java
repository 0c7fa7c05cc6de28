package dev.meridian.tools.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.testkit.Machine;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark's figures for every measured function and the baseline, as a Markdown table (what the README
 * shows), the cold-start samples one by one, and JSON. Ratios divide a function's figure by the baseline's
 * figure from the same run.
 */
final class BenchmarkReport {

  /**
   * One cold start: caller's wall time, the REPORT line's Init Duration, the first invocation's Duration, and the
   * init phases the function logged ({@code InitPhases}: phase name to milliseconds; empty when it logs none).
   */
  record ColdSample(long totalNanos, long initNanos, long firstInvocationNanos, Map<String, Long> phases) {
    ColdSample {
      phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases)); // in the order measured
    }

    ColdSample(long totalNanos, long initNanos, long firstInvocationNanos) {
      this(totalNanos, initNanos, firstInvocationNanos, Map.of());
    }
  }

  /**
   * One function's measurements.
   *
   * @param cold              cold starts without an AOT cache
   * @param cachedCold        cold starts from the AOT cache of the published version (SnapStart functions and the
   *                          baseline); empty for a function without SnapStart
   * @param warmNanos         each warm invocation as the caller waited for it (through the Runtime API)
   * @param warmDurationNanos each warm invocation's Duration as its REPORT line shows it (the handler's share)
   * @param maxMemoryUsedMb   the largest Max Memory Used of its REPORT lines, or -1
   */
  record Measured(String name, String function, String route, int memoryMb, boolean baseline, List<ColdSample> cold,
      List<ColdSample> cachedCold, List<Long> warmNanos, List<Long> warmDurationNanos, int maxMemoryUsedMb) {

    Measured {
      cold = List.copyOf(cold);
      cachedCold = List.copyOf(cachedCold);
      warmNanos = List.copyOf(warmNanos);
      warmDurationNanos = List.copyOf(warmDurationNanos);
    }

    boolean published() {
      return !cachedCold.isEmpty();
    }

    LatencyStats cachedColdStats() {
      return LatencyStats.of(cachedCold.stream().map(ColdSample::totalNanos).toList());
    }

    LatencyStats coldStats() {
      return LatencyStats.of(cold.stream().map(ColdSample::totalNanos).toList());
    }

    LatencyStats initStats() {
      return LatencyStats.of(cold.stream().map(ColdSample::initNanos).toList());
    }

    LatencyStats firstInvocationStats() {
      return LatencyStats.of(cold.stream().map(ColdSample::firstInvocationNanos).toList());
    }

    LatencyStats warmStats() {
      return LatencyStats.of(warmNanos);
    }

    LatencyStats warmDurationStats() {
      return LatencyStats.of(warmDurationNanos);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchmarkSettings settings;
  private final Machine machine;
  private final String loadAverageAtEnd;
  private final List<Measured> rows;
  private final Measured baseline;
  private final LatencyStats emulator;

  /**
   * @param emulatorNanos DynamoDB GetItem calls from the benchmark straight to the emulator, timed in the same
   *                      warm rounds as the functions
   * @throws IllegalArgumentException unless exactly one row is the baseline
   */
  BenchmarkReport(BenchmarkSettings settings, Machine machine, String loadAverageAtEnd, List<Measured> rows,
      List<Long> emulatorNanos) {
    this.settings = settings;
    this.machine = machine;
    this.loadAverageAtEnd = loadAverageAtEnd;
    this.rows = List.copyOf(rows);
    this.emulator = LatencyStats.of(emulatorNanos);
    List<Measured> baselines = rows.stream().filter(Measured::baseline).toList();
    if (baselines.size() != 1) {
      throw new IllegalArgumentException("exactly one baseline row expected, found " + baselines.size());
    }
    this.baseline = baselines.get(0);
  }

  /** A function's median cold start over the baseline's. */
  double coldRatio(Measured row) {
    return row.coldStats().medianMillis() / baseline.coldStats().medianMillis();
  }

  /** A function's median cold start from its AOT cache over the baseline's median cold start WITHOUT one. */
  double cachedColdRatio(Measured row) {
    return row.cachedColdStats().medianMillis() / baseline.coldStats().medianMillis();
  }

  /** A function's warm median over the baseline's. */
  double warmRatio(Measured row) {
    return row.warmStats().medianMillis() / baseline.warmStats().medianMillis();
  }

  /** The figures as a Markdown table, one row per function, the baseline last. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append("| function | route | memory | cold start, median (ms) | Init Duration, median (ms) "
        + "| cold from the AOT cache, median (ms) | warm p50 (ms) | warm p99 (ms) | Max Memory Used (MB) "
        + "| cold vs baseline | cold from the cache vs baseline's cold | warm p50 vs baseline |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Measured> ordered = new java.util.ArrayList<>(rows.stream().filter(r -> !r.baseline()).toList());
    ordered.add(baseline);
    for (Measured row : ordered) {
      LatencyStats warm = row.warmStats();
      out.append("| ").append(row.baseline() ? row.name() + " (baseline)" : row.name())
          .append(" | `").append(row.route()).append("` | ")
          .append(row.memoryMb()).append(" MB | ")
          .append(wholeMillis(row.coldStats().medianMillis())).append(" | ")
          .append(wholeMillis(row.initStats().medianMillis())).append(" | ")
          .append(row.published() ? wholeMillis(row.cachedColdStats().medianMillis()) : "no SnapStart").append(" | ")
          .append(fractionMillis(warm.medianMillis())).append(" | ")
          .append(fractionMillis(warm.percentileMillis(99))).append(" | ")
          .append(row.maxMemoryUsedMb() < 0 ? "-" : String.format(Locale.ROOT, "%,d", row.maxMemoryUsedMb())).append(" | ")
          .append(ratio(coldRatio(row))).append(" | ")
          .append(row.published() ? ratio(cachedColdRatio(row)) : "-").append(" | ")
          .append(ratio(warmRatio(row))).append(" |\n");
    }
    return out.toString();
  }

  /**
   * Where each function's cold start goes, medians in ms: the phases its init logged, what of the Init Duration
   * they leave unexplained, and the first request. One row per function and variant (without and with the cache).
   */
  String breakdown() {
    Set<String> phases = new LinkedHashSet<>();
    rows.forEach(r -> r.cold().forEach(c -> phases.addAll(c.phases().keySet())));
    StringBuilder out = new StringBuilder("| function | variant | ");
    phases.forEach(p -> out.append(p.replace("_ms", "").replace('_', ' ')).append(" | "));
    out.append("rest of init | Init Duration | first request |\n|---|---|");
    out.append("---:|".repeat(phases.size() + 3)).append('\n');
    for (Measured row : rows) {
      breakdownRow(out, row.name(), "without cache", row.cold(), phases);
      if (row.published()) {
        breakdownRow(out, row.name(), "AOT cache", row.cachedCold(), phases);
      }
    }
    return out.toString();
  }

  private static void breakdownRow(StringBuilder out, String name, String variant, List<ColdSample> samples,
      Set<String> phases) {
    out.append("| ").append(name).append(" | ").append(variant).append(" | ");
    double explained = 0;
    for (String phase : phases) {
      List<Long> values = samples.stream().filter(s -> s.phases().containsKey(phase))
          .map(s -> s.phases().get(phase) * 1_000_000).toList();
      if (values.isEmpty()) {
        out.append("- | ");
      } else {
        double median = LatencyStats.of(values).medianMillis();
        explained += median;
        out.append(wholeMillis(median)).append(" | ");
      }
    }
    double init = LatencyStats.of(samples.stream().map(ColdSample::initNanos).toList()).medianMillis();
    out.append(explained == 0 ? "-" : wholeMillis(Math.max(0, init - explained))).append(" | ")
        .append(wholeMillis(init)).append(" | ")
        .append(wholeMillis(LatencyStats.of(samples.stream().map(ColdSample::firstInvocationNanos).toList())
            .medianMillis())).append(" |\n");
  }

  /** The emulator's own latency, to read the functions' warm figures against. */
  String emulatorFloor() {
    return String.format(Locale.ROOT, "moto alone (one DynamoDB GetItem from the benchmark JVM, %,d in the same "
        + "rounds): p50 %s ms, p99 %s ms", emulator.count(), fractionMillis(emulator.medianMillis()),
        fractionMillis(emulator.percentileMillis(99)));
  }

  /** Every cold start, in the order measured per function. */
  String coldSamples() {
    StringBuilder out = new StringBuilder();
    for (Measured row : rows) {
      out.append(samples(row.name(), "cold", row.cold()));
      if (row.published()) {
        out.append(samples(row.name(), "cold from the AOT cache", row.cachedCold()));
      }
    }
    return out.toString();
  }

  private static String samples(String name, String kind, List<ColdSample> samples) {
    return String.format(Locale.ROOT, "%-14s %s (ms): %s; Init Duration: %s; first invocation: %s%n", name, kind,
        samples.stream().map(s -> wholeMillis(s.totalNanos() / 1e6)).collect(Collectors.joining(" ")),
        samples.stream().map(s -> wholeMillis(s.initNanos() / 1e6)).collect(Collectors.joining(" ")),
        samples.stream().map(s -> wholeMillis(s.firstInvocationNanos() / 1e6)).collect(Collectors.joining(" ")));
  }

  /** The settings, the machine, and every figure with its samples' summary. */
  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode s = root.putObject("settings");
    s.put("coldStarts", settings.coldStarts());
    s.put("warmInvocations", settings.warmInvocations());
    s.put("warmUp", settings.warmUp());
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("cpu", machine.cpu());
    m.put("memoryGiB", Math.round(machine.memoryGiB() * 10) / 10.0);
    m.put("jdk", machine.jdk());
    m.put("os", machine.os());
    m.put("loadAverageAtStart", machine.loadAverage());
    m.put("loadAverageAtEnd", loadAverageAtEnd);
    ObjectNode e = root.putObject("emulatorGetItem");
    e.put("calls", emulator.count());
    e.put("p50Ms", round(emulator.medianMillis()));
    e.put("p99Ms", round(emulator.percentileMillis(99)));
    ArrayNode functions = root.putArray("functions");
    for (Measured row : rows) {
      ObjectNode f = functions.addObject();
      f.put("name", row.name());
      f.put("function", row.function());
      f.put("route", row.route());
      f.put("memoryMb", row.memoryMb());
      f.put("baseline", row.baseline());
      f.put("maxMemoryUsedMb", row.maxMemoryUsedMb());
      ObjectNode cold = coldJson(f.putObject("cold"), row.cold());
      cold.put("vsBaseline", round(coldRatio(row)));
      if (row.published()) {
        coldJson(f.putObject("coldFromAotCache"), row.cachedCold()).put("vsBaselineColdWithoutCache",
            round(cachedColdRatio(row)));
      }
      LatencyStats warm = row.warmStats();
      ObjectNode w = f.putObject("warm");
      w.put("invocations", warm.count());
      w.put("p50Ms", round(warm.medianMillis()));
      w.put("p90Ms", round(warm.percentileMillis(90)));
      w.put("p99Ms", round(warm.percentileMillis(99)));
      w.put("maxMs", round(warm.maxMillis()));
      w.put("meanMs", round(warm.meanMillis()));
      w.put("sequentialThroughputPerSecond", round(warm.sequentialThroughputPerSecond()));
      w.put("durationP50Ms", round(row.warmDurationStats().medianMillis()));
      w.put("durationP99Ms", round(row.warmDurationStats().percentileMillis(99)));
      w.put("p50VsBaseline", round(warmRatio(row)));
    }
    return root;
  }

  private static ObjectNode coldJson(ObjectNode cold, List<ColdSample> samples) {
    cold.put("medianMs", round(LatencyStats.of(samples.stream().map(ColdSample::totalNanos).toList()).medianMillis()));
    cold.put("initDurationMedianMs", round(LatencyStats.of(samples.stream().map(ColdSample::initNanos).toList())
        .medianMillis()));
    cold.put("firstInvocationMedianMs", round(LatencyStats.of(samples.stream().map(ColdSample::firstInvocationNanos)
        .toList()).medianMillis()));
    ArrayNode array = cold.putArray("samples");
    for (ColdSample sample : samples) {
      ObjectNode one = array.addObject().put("totalMs", round(sample.totalNanos() / 1e6))
          .put("initDurationMs", round(sample.initNanos() / 1e6))
          .put("firstInvocationMs", round(sample.firstInvocationNanos() / 1e6));
      sample.phases().forEach((phase, ms) -> one.with("initPhases").put(phase, ms));
    }
    return cold;
  }

  static String wholeMillis(double millis) {
    return String.format(Locale.ROOT, "%,d", Math.round(millis));
  }

  static String fractionMillis(double millis) {
    return String.format(Locale.ROOT, "%,.2f", millis);
  }

  static String ratio(double ratio) {
    return String.format(Locale.ROOT, "%.2f×", ratio);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
