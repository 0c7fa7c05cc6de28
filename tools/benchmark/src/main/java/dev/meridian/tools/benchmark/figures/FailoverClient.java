package dev.meridian.tools.benchmark.figures;

import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client sending one request every 250 ms during a failover drill and remembering each outcome,
 * so its error window (first to last failed request after the failure) can be reported.
 */
final class FailoverClient {
  private static final Duration PERIOD = Duration.ofMillis(250);

  @FunctionalInterface
  interface Request {
    Answer send() throws Exception;
  }

  private record Outcome(long sentNanos, boolean ok, String what) {}

  private final String name;
  private final Request request;
  private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  FailoverClient(String name, Request request) {
    this.name = name;
    this.request = request;
    this.thread = new Thread(this::loop, "figures-client");
    thread.setDaemon(true);
  }

  String name() {
    return name;
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }

  private void loop() {
    while (running) {
      long sent = System.nanoTime();
      try {
        Answer a = request.send();
        outcomes.add(new Outcome(sent, a.status() == 200, "HTTP " + a.status()));
      } catch (Exception e) {
        outcomes.add(new Outcome(sent, false, e.getClass().getSimpleName()));
      }
      long wait = sent + PERIOD.toNanos() - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Five successes in a row, the last five requests, all sent after {@code nanos}. */
  boolean servedAgainAfter(long nanos) {
    List<Outcome> after = outcomes.stream().filter(o -> o.sentNanos > nanos).toList();
    return after.size() >= 5 && after.subList(after.size() - 5, after.size()).stream().allMatch(Outcome::ok);
  }

  /**
   * Requests, failures and the error window: from the first to the last failed request sent after
   * {@code failedAt}. Failures before it (a busy machine) are counted apart.
   */
  Map<String, Object> summary(long failedAt) {
    List<Outcome> failures = outcomes.stream().filter(o -> !o.ok && o.sentNanos >= failedAt).toList();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("client", name);
    s.put("requests", outcomes.size());
    s.put("failedBeforeTheFailure", outcomes.stream().filter(o -> !o.ok && o.sentNanos < failedAt).count());
    s.put("failed", failures.size());
    if (failures.isEmpty()) {
      s.put("errorWindowMs", 0);
      return s;
    }
    long first = failures.get(0).sentNanos;
    long last = failures.get(failures.size() - 1).sentNanos;
    s.put("firstFailureAfterFailMs", Samples.round((first - failedAt) / 1e6));
    s.put("errorWindowMs", Samples.round((last - first) / 1e6));
    s.put("failureKinds", failures.stream().map(Outcome::what).distinct().toList());
    return s;
  }

  String describe(long failedAt) {
    Map<String, Object> s = summary(failedAt);
    if (((Integer) s.get("failed")) == 0) {
      return "no failed request (" + s.get("requests") + " requests)";
    }
    return String.format(Locale.ROOT, "%.1f s (%s of %s requests failed, %s; the first %.1f s after fail)",
        ((Number) s.get("errorWindowMs")).doubleValue() / 1e3, s.get("failed"), s.get("requests"), s.get("failureKinds"),
        ((Number) s.get("firstFailureAfterFailMs")).doubleValue() / 1e3);
  }
}
