package dev.meridian.tools.drill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Every request the virtual customers make: latency in HdrHistograms per location, region,
 * operation and second, counts of answers and failures, and each failure with its time (for the
 * error windows). Thread-safe; times are milliseconds since the drill started.
 */
final class Recorder {
  /** Latencies are recorded in microseconds, from 1 µs to 10 minutes, with 3 significant digits. */
  private static final long HIGHEST_MICROS = 600_000_000L;

  record Key(String location, String region, String operation) {}

  private record SecondKey(long second, Key key) {}

  /** One failed request: a transport error, a timeout or a 5xx answer. */
  record Failure(double atMs, String location, String region, String operation, String what) {}

  private static final class Bucket {
    final Histogram latency;
    long requests;
    long errors;

    Bucket(Histogram latency) {
      this.latency = latency;
    }

    synchronized void add(long micros, boolean failed) {
      requests++;
      if (failed) {
        errors++;
      }
      latency.recordValue(Math.min(Math.max(1, micros), HIGHEST_MICROS));
    }
  }

  private final long t0;
  private final Map<Key, Bucket> totals = new ConcurrentHashMap<>();
  private final Map<SecondKey, Bucket> perSecond = new ConcurrentHashMap<>();
  private final Map<String, Long> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();

  Recorder(long t0Nanos) {
    this.t0 = t0Nanos;
  }

  double msSinceStart(long nanos) {
    return (nanos - t0) / 1e6;
  }

  /**
   * @param outcome the HTTP status, or the transport failure's name ({@code timeout}, {@code refused})
   * @param failed  whether a user would call it an error: transport failures, timeouts and 5xx
   */
  void request(String location, String region, String operation, long sentNanos, long doneNanos, String outcome,
      boolean failed) {
    Key key = new Key(location, region, operation);
    long micros = (doneNanos - sentNanos) / 1_000;
    totals.computeIfAbsent(key, k -> new Bucket(new Histogram(HIGHEST_MICROS, 3))).add(micros, failed);
    long second = (long) Math.floor(msSinceStart(sentNanos) / 1000);
    perSecond.computeIfAbsent(new SecondKey(second, key), k -> new Bucket(new PackedHistogram(HIGHEST_MICROS, 2)))
        .add(micros, failed);
    answers.merge(operation + " " + outcome, 1L, Long::sum);
    if (failed) {
      failures.add(new Failure(msSinceStart(sentNanos), location, region, operation, outcome));
    }
  }

  List<Failure> failures() {
    List<Failure> all = new ArrayList<>(failures);
    all.sort(Comparator.comparingDouble(Failure::atMs));
    return all;
  }

  Map<String, Long> answers() {
    return new TreeMap<>(answers);
  }

  long requests(Predicate<Key> which) {
    return totals.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(e -> e.getValue().requests).sum();
  }

  /** Requests and failures sent in [fromMs, toMs), from the per-second buckets. */
  long[] requestsAndErrorsBetween(double fromMs, double toMs, Predicate<Key> which) {
    long requests = 0;
    long errors = 0;
    for (Map.Entry<SecondKey, Bucket> e : perSecond.entrySet()) {
      double startMs = e.getKey().second() * 1000.0;
      if (startMs >= fromMs && startMs < toMs && which.test(e.getKey().key())) {
        synchronized (e.getValue()) {
          requests += e.getValue().requests;
          errors += e.getValue().errors;
        }
      }
    }
    return new long[] {requests, errors};
  }

  /** Latency over the whole drill, grouped ({@code Key::location}, ...), as a percentile summary per group. */
  Map<String, Map<String, Object>> latency(Function<Key, String> groupBy) {
    Map<String, Histogram> merged = new TreeMap<>();
    Map<String, long[]> counts = new TreeMap<>();
    totals.forEach((key, bucket) -> {
      String group = groupBy.apply(key);
      synchronized (bucket) {
        merged.computeIfAbsent(group, g -> new Histogram(HIGHEST_MICROS, 3)).add(bucket.latency);
        long[] c = counts.computeIfAbsent(group, g -> new long[2]);
        c[0] += bucket.requests;
        c[1] += bucket.errors;
      }
    });
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    merged.forEach((group, h) -> out.put(group, summary(h, counts.get(group))));
    return out;
  }

  /**
   * One row per second and group: requests, errors, and latency percentiles (ms), for the charts.
   * Seconds with no request in a group are absent from it.
   */
  Map<String, List<Map<String, Object>>> series(Function<Key, String> groupBy) {
    Map<String, TreeMap<Long, Histogram>> merged = new TreeMap<>();
    Map<String, TreeMap<Long, long[]>> counts = new TreeMap<>();
    perSecond.forEach((sk, bucket) -> {
      String group = groupBy.apply(sk.key());
      synchronized (bucket) {
        merged.computeIfAbsent(group, g -> new TreeMap<>())
            .computeIfAbsent(sk.second(), s -> new Histogram(HIGHEST_MICROS, 2)).add(bucket.latency);
        long[] c = counts.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(sk.second(), s -> new long[2]);
        c[0] += bucket.requests;
        c[1] += bucket.errors;
      }
    });
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    merged.forEach((group, bySecond) -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      bySecond.forEach((second, h) -> {
        long[] c = counts.get(group).get(second);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("second", second);
        row.put("requests", c[0]);
        row.put("errors", c[1]);
        row.put("p50Ms", ms(h.getValueAtPercentile(50)));
        row.put("p90Ms", ms(h.getValueAtPercentile(90)));
        row.put("p99Ms", ms(h.getValueAtPercentile(99)));
        row.put("maxMs", ms(h.getMaxValue()));
        rows.add(row);
      });
      out.put(group, rows);
    });
    return out;
  }

  private static Map<String, Object> summary(Histogram h, long[] counts) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("requests", counts[0]);
    s.put("errors", counts[1]);
    s.put("p50Ms", ms(h.getValueAtPercentile(50)));
    s.put("p90Ms", ms(h.getValueAtPercentile(90)));
    s.put("p99Ms", ms(h.getValueAtPercentile(99)));
    s.put("p999Ms", ms(h.getValueAtPercentile(99.9)));
    s.put("maxMs", ms(h.getMaxValue()));
    s.put("meanMs", Math.round(h.getMean() / 10.0) / 100.0);
    return s;
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
