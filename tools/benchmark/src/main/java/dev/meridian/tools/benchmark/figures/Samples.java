package dev.meridian.tools.benchmark.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Measured values of one figure (milliseconds unless said otherwise) and their summary. */
final class Samples {
  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    values.add(value);
  }

  int count() {
    return values.size();
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** The middle value; the mean of the two middle values for an even count. */
  double median() {
    List<Double> sorted = sorted();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or
   * below it (so p95 of 50 values is the 48th smallest).
   */
  double percentile(double p) {
    List<Double> sorted = sorted();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private List<Double> sorted() {
    if (values.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted;
  }

  double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /** {@code {n, median, p95, min, max, values}} rounded to 0.1, for the JSON report. */
  Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("n", values.size());
    if (!values.isEmpty()) {
      out.put("median", round(median()));
      out.put("p95", round(percentile(95)));
      out.put("min", round(min()));
      out.put("max", round(max()));
    }
    out.put("values", values.stream().map(Samples::round).toList());
    return out;
  }

  /** {@code median 12.3 (p95 45.6, n 20)} for the console table. */
  String describe() {
    if (values.isEmpty()) {
      return "no samples";
    }
    return String.format(Locale.ROOT, "median %.1f (p95 %.1f, n %d)", median(), percentile(95), values.size());
  }

  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
