package dev.meridian.tools.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Per function, the figures of its REPORT lines, as a Markdown table in the cold/warm benchmark's style: cold starts
 * (Init Duration of on-demand starts, Restore Duration of SnapStart restores), the Duration of the warm invocations,
 * and Max Memory Used. Medians are the mean of the middle two of an even count and p99 is nearest-rank, as in
 * {@link LatencyStats}; a figure with no sample is a dash.
 */
final class ReportLineFigures {
  private static final String NONE = "–";

  private final Map<String, List<ReportLine>> byFunction = new TreeMap<>();

  void add(String function, ReportLine line) {
    byFunction.computeIfAbsent(function, f -> new ArrayList<>()).add(line);
  }

  /** REPORT lines read, every function together. */
  int count() {
    return byFunction.values().stream().mapToInt(List::size).sum();
  }

  /** One row per function, in name order. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append("| function | invocations | cold starts | Init Duration, median (ms) | Init Duration, p99 (ms) "
        + "| Restore Duration, median (ms) | Restore Duration, p99 (ms) | warm Duration, p50 (ms) | warm Duration, p99 (ms) "
        + "| Max Memory Used, max (MB) | Max Memory Used, median (MB) |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    byFunction.forEach((function, lines) -> {
      List<ReportLine> warm = lines.stream().filter(line -> !line.coldStart()).toList();
      long[] memory = lines.stream().mapToLong(ReportLine::maxMemoryUsedMb).sorted().toArray();
      Stats init = Stats.of(present(lines, ReportLine::initDurationMillis));
      Stats restore = Stats.of(present(lines, ReportLine::restoreDurationMillis));
      Stats warmDuration = Stats.of(warm.stream().map(line -> nanos(line.durationMillis())).toList());
      out.append("| ").append(function)
          .append(" | ").append(whole(lines.size()))
          .append(" | ").append(whole(lines.size() - warm.size()))
          .append(" | ").append(init.median(BenchmarkReport::wholeMillis))
          .append(" | ").append(init.p99(BenchmarkReport::wholeMillis))
          .append(" | ").append(restore.median(BenchmarkReport::wholeMillis))
          .append(" | ").append(restore.p99(BenchmarkReport::wholeMillis))
          .append(" | ").append(warmDuration.median(BenchmarkReport::fractionMillis))
          .append(" | ").append(warmDuration.p99(BenchmarkReport::fractionMillis))
          .append(" | ").append(whole(memory[memory.length - 1]))
          .append(" | ").append(whole(Math.round(median(memory))))
          .append(" |\n");
    });
    return out.toString();
  }

  private static List<Long> present(List<ReportLine> lines, Function<ReportLine, OptionalDouble> field) {
    return lines.stream().map(field).filter(OptionalDouble::isPresent).map(d -> nanos(d.getAsDouble())).toList();
  }

  private static double median(long[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static String whole(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static long nanos(double millis) {
    return Math.round(millis * 1e6);
  }

  /** {@link LatencyStats} of samples that may be none (a function without a restore, a warm invocation). */
  private record Stats(Optional<LatencyStats> stats) {
    static Stats of(Collection<Long> nanos) {
      return new Stats(nanos.isEmpty() ? Optional.empty() : Optional.of(LatencyStats.of(nanos)));
    }

    String median(Function<Double, String> format) {
      return stats.map(s -> format.apply(s.medianMillis())).orElse(NONE);
    }

    String p99(Function<Double, String> format) {
      return stats.map(s -> format.apply(s.percentileMillis(99))).orElse(NONE);
    }
  }
}
