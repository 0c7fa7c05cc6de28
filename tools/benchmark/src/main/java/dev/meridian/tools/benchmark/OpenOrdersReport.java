package dev.meridian.tools.benchmark;

import static dev.meridian.tools.benchmark.BenchmarkReport.fractionMillis;
import static dev.meridian.tools.benchmark.BenchmarkReport.ratio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.testkit.Machine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures of the open-orders benchmark: per number of open orders of the ordered product (K), placement p50
 * and p99 in each run and their median over the runs, the ratio of those medians to K = 0's, the size of the items
 * the placements wrote, the 50-line order's items, and whether the targets of issue #14 hold.
 */
final class OpenOrdersReport {
  /** p50 with the most open orders over p50 with none, at most. */
  static final double P50_TARGET = 1.2;
  /** p99 with the most open orders over p99 with none, at most. */
  static final double P99_TARGET = 1.5;
  /** No item a 1-line placement writes is larger (bytes as DynamoDB sizes an item: 2 WCU at most). */
  static final long ITEM_TARGET_BYTES = 2_048;

  /**
   * One run of one series.
   *
   * @param nanos         each placement as the caller waited for it (through the Runtime API)
   * @param durationNanos each placement's Duration as its REPORT line shows it (the handler's share)
   */
  record Series(int openOrders, int run, List<Long> nanos, List<Long> durationNanos) {
    Series {
      nanos = List.copyOf(nanos);
      durationNanos = List.copyOf(durationNanos);
    }

    LatencyStats stats() {
      return LatencyStats.of(nanos);
    }
  }

  /** The largest item of each kind the placements of one series wrote over every run, read back after each run. */
  record WrittenItems(int openOrders, String product, int placements, long orderBytes, long holdBytes, long shardBytes) {
    /** Both runs' placements together: the largest item of each kind. */
    WrittenItems and(WrittenItems other) {
      return new WrittenItems(openOrders, product, placements + other.placements, Math.max(orderBytes, other.orderBytes),
          Math.max(holdBytes, other.holdBytes), Math.max(shardBytes, other.shardBytes));
    }

    long largest() {
      return Math.max(orderBytes, Math.max(holdBytes, shardBytes));
    }
  }

  /**
   * The items one 50-line placement wrote: its order, its hold and one stock shard per product, by product.
   *
   * @param nanos the placement as the caller waited for it (one sample: for scale, not a statistic)
   */
  record WideOrder(String orderId, long nanos, long orderBytes, long holdBytes, SortedMap<String, Long> shardBytes) {
    WideOrder {
      shardBytes = new TreeMap<>(shardBytes);
    }
  }

  /** One run's context: the load average after it and moto's own latency in it (one GetItem per round). */
  record Run(int number, String loadAverageAtEnd, List<Long> emulatorNanos) {
    Run {
      emulatorNanos = List.copyOf(emulatorNanos);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenOrdersSettings settings;
  private final String date;
  private final Machine machine;
  private final String loadAverageAtEnd;
  private final List<Series> series;
  private final List<Run> runs;
  private final List<WrittenItems> written;
  private final WideOrder wide;

  /**
   * @param date when the run started (ISO-8601)
   * @throws IllegalArgumentException unless every series has one entry per run and every series its written items
   */
  OpenOrdersReport(OpenOrdersSettings settings, String date, Machine machine, String loadAverageAtEnd, List<Series> series,
      List<Run> runs, List<WrittenItems> written, WideOrder wide) {
    this.settings = settings;
    this.date = date;
    this.machine = machine;
    this.loadAverageAtEnd = loadAverageAtEnd;
    this.series = List.copyOf(series);
    this.runs = List.copyOf(runs);
    this.written = List.copyOf(written);
    this.wide = wide;
    for (int k : settings.openOrders()) {
      if (of(k).size() != settings.runs() || written.stream().noneMatch(w -> w.openOrders() == k)) {
        throw new IllegalArgumentException("K = " + k + ": one series per run and its written items are needed");
      }
    }
  }

  /** The runs of the series with {@code k} open orders, in run order. */
  List<Series> of(int k) {
    return series.stream().filter(s -> s.openOrders() == k).sorted(Comparator.comparingInt(Series::run)).toList();
  }

  double medianP50(int k) {
    return median(of(k).stream().map(s -> s.stats().medianMillis()).toList());
  }

  double medianP99(int k) {
    return median(of(k).stream().map(s -> s.stats().percentileMillis(99)).toList());
  }

  double p50Ratio(int k) {
    return medianP50(k) / medianP50(0);
  }

  double p99Ratio(int k) {
    return medianP99(k) / medianP99(0);
  }

  WrittenItems written(int k) {
    return written.stream().filter(w -> w.openOrders() == k).findFirst().orElseThrow();
  }

  long largestItem() {
    return written.stream().mapToLong(WrittenItems::largest).max().orElseThrow();
  }

  boolean p50Holds() {
    return p50Ratio(settings.mostOpenOrders()) <= P50_TARGET;
  }

  boolean p99Holds() {
    return p99Ratio(settings.mostOpenOrders()) <= P99_TARGET;
  }

  boolean itemsHold() {
    return largestItem() <= ITEM_TARGET_BYTES;
  }

  /** One row per K: the medians over the runs, their ratios to K = 0, each run's figures and the items' sizes. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "| open orders of the product (K) | p50 (ms), median of %d runs | p99 (ms), median"
        + " of %d runs | p50 vs K = 0 | p99 vs K = 0 | p50 per run (ms) | p99 per run (ms) | order item (bytes) "
        + "| hold item (bytes) | stock shard (bytes) |%n", settings.runs(), settings.runs()));
    out.append("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|\n");
    for (int k : settings.openOrders()) {
      WrittenItems items = written(k);
      out.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %s | %,d | %,d | %,d |%n", k,
          fractionMillis(medianP50(k)), fractionMillis(medianP99(k)), ratio(p50Ratio(k)), ratio(p99Ratio(k)),
          perRun(k, s -> s.stats().medianMillis()), perRun(k, s -> s.stats().percentileMillis(99)),
          items.orderBytes(), items.holdBytes(), items.shardBytes()));
    }
    return out.toString();
  }

  /** Whether each target of issue #14 holds, with the figure it was judged on. */
  String targets() {
    int most = settings.mostOpenOrders();
    return String.format(Locale.ROOT, "targets (K = %,d against K = 0, medians of %d runs):%n"
        + "  p50 %s (at most %s): %s%n"
        + "  p99 %s (at most %s): %s%n"
        + "  largest item a 1-line placement wrote: %,d bytes (at most %,d): %s%n",
        most, settings.runs(), ratio(p50Ratio(most)), ratio(P50_TARGET), verdict(p50Holds()), ratio(p99Ratio(most)),
        ratio(P99_TARGET), verdict(p99Holds()), largestItem(), ITEM_TARGET_BYTES, verdict(itemsHold()));
  }

  /** The 50-line order's items: its order and hold grow with its lines (expected), its shards do not; each one in the JSON. */
  String wideOrder() {
    LongSummaryStatistics shards = wide.shardBytes().values().stream().mapToLong(Long::longValue).summaryStatistics();
    String shardSizes = shards.getMin() == shards.getMax() ? String.format(Locale.ROOT, "%,d bytes each", shards.getMax())
        : String.format(Locale.ROOT, "%,d to %,d bytes", shards.getMin(), shards.getMax());
    return String.format(Locale.ROOT, "%d-line order %s (placed in %s ms) wrote: order item %,d bytes, hold %,d bytes, %d stock"
        + " shards of %s%n", wide.shardBytes().size(), wide.orderId(), fractionMillis(wide.nanos() / 1e6), wide.orderBytes(),
        wide.holdBytes(), shards.getCount(), shardSizes);
  }

  /** The machine, when, and how busy it was: the figures mean nothing without it. */
  String context() {
    StringBuilder out = new StringBuilder();
    out.append("date: ").append(date).append("; machine: ").append(machine.describe()).append('\n');
    out.append("load average at start: ").append(machine.loadAverage());
    for (Run run : runs) {
      out.append("; after run ").append(run.number()).append(": ").append(run.loadAverageAtEnd());
    }
    out.append("; at end: ").append(loadAverageAtEnd).append('\n');
    for (Run run : runs) {
      LatencyStats moto = LatencyStats.of(run.emulatorNanos());
      out.append(String.format(Locale.ROOT, "run %d: moto alone (one GetItem per round, %,d): p50 %s ms, p99 %s ms%n",
          run.number(), moto.count(), fractionMillis(moto.medianMillis()), fractionMillis(moto.percentileMillis(99))));
    }
    return out.toString();
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("date", date);
    ObjectNode s = root.putObject("settings");
    ArrayNode openOrders = s.putArray("openOrders");
    settings.openOrders().forEach(openOrders::add);
    s.put("placements", settings.placements());
    s.put("warmUp", settings.warmUp());
    s.put("runs", settings.runs());
    ObjectNode m = root.putObject("machine");
    machine.toMap().forEach((key, value) -> m.put(key, String.valueOf(value)));
    m.remove("loadAverage");
    m.put("loadAverageAtStart", machine.loadAverage());
    m.put("loadAverageAtEnd", loadAverageAtEnd);
    ArrayNode runNodes = root.putArray("runs");
    for (Run run : runs) {
      LatencyStats moto = LatencyStats.of(run.emulatorNanos());
      runNodes.addObject().put("run", run.number()).put("loadAverageAtEnd", run.loadAverageAtEnd())
          .put("emulatorGetItemP50Ms", round(moto.medianMillis())).put("emulatorGetItemP99Ms", round(moto.percentileMillis(99)));
    }
    ArrayNode rows = root.putArray("series");
    for (int k : settings.openOrders()) {
      ObjectNode row = rows.addObject();
      row.put("openOrders", k);
      row.put("product", written(k).product());
      row.put("p50MedianMs", round(medianP50(k)));
      row.put("p99MedianMs", round(medianP99(k)));
      row.put("p50VsNoOpenOrders", round(p50Ratio(k)));
      row.put("p99VsNoOpenOrders", round(p99Ratio(k)));
      ArrayNode perRun = row.putArray("runs");
      for (Series one : of(k)) {
        LatencyStats stats = one.stats();
        perRun.addObject().put("run", one.run()).put("placements", stats.count()).put("p50Ms", round(stats.medianMillis()))
            .put("p90Ms", round(stats.percentileMillis(90))).put("p99Ms", round(stats.percentileMillis(99)))
            .put("maxMs", round(stats.maxMillis())).put("meanMs", round(stats.meanMillis()))
            .put("durationP50Ms", round(LatencyStats.of(one.durationNanos()).medianMillis()))
            .put("durationP99Ms", round(LatencyStats.of(one.durationNanos()).percentileMillis(99)));
      }
      WrittenItems items = written(k);
      row.putObject("largestItemsWritten").put("placementsReadBack", items.placements()).put("orderBytes", items.orderBytes())
          .put("holdBytes", items.holdBytes()).put("shardBytes", items.shardBytes());
    }
    ObjectNode targets = root.putObject("targets");
    targets.put("openOrders", settings.mostOpenOrders());
    targets.put("p50Ratio", round(p50Ratio(settings.mostOpenOrders()))).put("p50AtMost", P50_TARGET).put("p50Holds", p50Holds());
    targets.put("p99Ratio", round(p99Ratio(settings.mostOpenOrders()))).put("p99AtMost", P99_TARGET).put("p99Holds", p99Holds());
    targets.put("largestItemBytes", largestItem()).put("itemAtMostBytes", ITEM_TARGET_BYTES).put("itemsHold", itemsHold());
    ObjectNode w = root.putObject("wideOrder");
    w.put("lines", wide.shardBytes().size()).put("orderId", wide.orderId()).put("placementMs", round(wide.nanos() / 1e6))
        .put("orderBytes", wide.orderBytes())
        .put("holdBytes", wide.holdBytes());
    ObjectNode shards = w.putObject("shardBytes");
    wide.shardBytes().forEach(shards::put);
    return root;
  }

  private String perRun(int k, ToDoubleFunction<Series> figure) {
    return of(k).stream().map(s -> fractionMillis(figure.applyAsDouble(s))).collect(Collectors.joining(", "));
  }

  /** The middle value; of an even count, the mean of the two middle ones. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String verdict(boolean holds) {
    return holds ? "holds" : "DOES NOT HOLD";
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
