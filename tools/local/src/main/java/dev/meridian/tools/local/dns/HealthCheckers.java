package dev.meridian.tools.local.dns;

import dev.meridian.tools.local.model.DnsSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Route 53 health checkers for every region's HTTP API.
 *
 * <p>Each region's {@link DnsSpec.HealthCheck} is probed at {@code <base URL><ResourcePath>}
 * (the host and port of the region's local API; the check's own domain name and port belong to
 * AWS) by {@code checkersPerRegion} simulated checker locations. Each checker probes every
 * {@code RequestInterval × timeFactor}; the checkers are staggered evenly across the interval,
 * so together they probe {@code checkersPerRegion} times per interval, as Route 53's many
 * locations do. A probe has {@link #PROBE_TIMEOUT} (not scaled: Route 53 gives the endpoint that
 * budget whatever the interval) and passes per {@link HealthProbe}'s rules (2xx/3xx, search string
 * within the first 5,120 bytes).
 *
 * <p>Each checker starts healthy and flips after {@code FailureThreshold} consecutive results of
 * the other kind. A region is healthy while MORE than 18% of its checkers see it healthy
 * ({@link #regionHealthy(int, int)}); with 3 checkers it turns unhealthy only once all three
 * flipped, and healthy again as soon as one flips back. So after an endpoint starts failing,
 * Route 53 (and this stand-in) notices within about {@code RequestInterval × FailureThreshold}
 * ({@link #detectionBound(String)}), plus one probe timeout when the endpoint hangs.
 *
 * <p>Every change of a checker's view and of a region's health is a {@link Transition} with its
 * timestamp; {@link #status()} gives each region's and each checker's current view.
 */
public final class HealthCheckers implements AutoCloseable {
  public static final int DEFAULT_CHECKERS = 3;
  /** Route 53's budget for connecting and answering; never scaled. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  public static final int SEARCH_WINDOW_BYTES = HealthProbe.SEARCH_WINDOW_BYTES;
  /** A region is healthy when more than this percentage of checkers see it healthy. */
  public static final int HEALTHY_PERCENT = 18;
  private static final int MAX_TRANSITIONS = 2000;
  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  /**
   * One checker's view.
   *
   * @param lastResult      {@code success}, {@code failure}, or {@code none} before the first probe
   * @param lastStatusCode  -1 when none
   * @param lastLatencyMillis -1 before the first probe
   */
  public record CheckerStatus(int checker, boolean healthy, String lastResult, int lastStatusCode,
      long lastLatencyMillis, int consecutiveSuccesses, int consecutiveFailures, String lastError,
      Instant lastCheckedAt, long probes) {}

  /**
   * One region's health as the checkers see it.
   *
   * @param since          when the region last changed health (its start, before any change)
   * @param target         the URL probed
   * @param interval       the effective (scaled) request interval
   * @param detectionBound the effective {@code interval × FailureThreshold}
   */
  public record RegionHealth(String region, boolean healthy, int healthyCheckers, int checkers, Instant since,
      URI target, DnsSpec.HealthCheck check, Duration interval, Duration detectionBound,
      List<CheckerStatus> checkerStatus) {

    /** Share of checkers that see the region healthy, in percent. */
    public double healthyPercent() {
      return checkers == 0 ? 0 : 100.0 * healthyCheckers / checkers;
    }
  }

  /**
   * A change of view.
   *
   * @param checker the checker whose view changed, or null when the region's health changed
   */
  public record Transition(Instant at, String region, Integer checker, boolean healthy, String reason) {}

  private static final class Region {
    final String name;
    final DnsSpec.HealthCheck check;
    final URI target;
    final Duration interval;
    final CheckerState[] checkers;
    boolean healthy = true;
    Instant since;

    Region(String name, DnsSpec.HealthCheck check, URI target, Duration interval, int count, Instant since) {
      this.name = name;
      this.check = check;
      this.target = target;
      this.interval = interval;
      this.since = since;
      this.checkers = new CheckerState[count];
      for (int i = 0; i < count; i++) {
        checkers[i] = new CheckerState(i, check.failureThreshold());
      }
    }
  }

  private final Map<String, Region> regions = new TreeMap<>();
  private final double timeFactor;
  private final int checkersPerRegion;
  private final Consumer<String> log;
  private final Clock clock;
  private final Deque<Transition> transitions = new ArrayDeque<>();
  private final List<Consumer<Transition>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService scheduler;
  private ExecutorService probeExecutor;
  private HealthProbe probe;
  private volatile boolean started;
  private volatile boolean closed;

  /** As below, with the system clock. */
  public HealthCheckers(Map<String, DnsSpec.HealthCheck> checks, Map<String, URI> baseUrls, double timeFactor,
      int checkersPerRegion, Consumer<String> log) {
    this(checks, baseUrls, timeFactor, checkersPerRegion, log, Clock.systemUTC());
  }

  /**
   * @param checks            region → its health check
   * @param baseUrls          region → its HTTP API's base URL (e.g. {@code http://127.0.0.1:4571})
   * @param timeFactor        scales every timer (the interval); 0.1 turns 10 s into 1 s
   * @param checkersPerRegion simulated checker locations per region (≥ 1; Route 53 uses many)
   * @param log               receives one line per region transition
   * @param clock             transition and probe timestamps
   */
  public HealthCheckers(Map<String, DnsSpec.HealthCheck> checks, Map<String, URI> baseUrls, double timeFactor,
      int checkersPerRegion, Consumer<String> log, Clock clock) {
    if (!(timeFactor > 0) || Double.isInfinite(timeFactor)) {
      throw new IllegalArgumentException("timeFactor must be positive, was " + timeFactor);
    }
    if (checkersPerRegion < 1) {
      throw new IllegalArgumentException("at least one checker per region, was " + checkersPerRegion);
    }
    this.timeFactor = timeFactor;
    this.checkersPerRegion = checkersPerRegion;
    this.log = log == null ? line -> { } : log;
    this.clock = Objects.requireNonNull(clock, "clock");
    Instant now = clock.instant();
    for (Map.Entry<String, DnsSpec.HealthCheck> e : checks.entrySet()) {
      DnsSpec.HealthCheck check = Objects.requireNonNull(e.getValue(), "health check of " + e.getKey());
      HealthProbe.kind(check);
      if (check.requestIntervalSeconds() < 1) {
        throw new IllegalArgumentException(check.logicalId() + ": RequestInterval must be positive");
      }
      URI base = baseUrls.get(e.getKey());
      if (base == null) {
        throw new IllegalArgumentException("no base URL for region " + e.getKey());
      }
      regions.put(e.getKey(), new Region(e.getKey(), check, target(base, check.resourcePath()),
          scale(Duration.ofSeconds(check.requestIntervalSeconds()), timeFactor), checkersPerRegion, now));
    }
  }

  /** {@code base} (without a trailing slash) followed by the resource path. */
  static URI target(URI base, String resourcePath) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    String path = resourcePath == null || resourcePath.isEmpty() ? "/" : resourcePath;
    return URI.create(b + (path.startsWith("/") ? path : "/" + path));
  }

  /** A declared duration × the time factor, at least 10 ms. */
  public static Duration scale(Duration declared, double timeFactor) {
    long nanos = Math.round(declared.toNanos() * timeFactor);
    return nanos < MIN_INTERVAL.toNanos() ? MIN_INTERVAL : Duration.ofNanos(nanos);
  }

  /** Route 53's rule: healthy when MORE than 18% of the checkers see the endpoint healthy. */
  public static boolean regionHealthy(int healthyCheckers, int checkers) {
    return healthyCheckers * 100L > (long) HEALTHY_PERCENT * checkers;
  }

  /** Starts probing (each checker's first probe comes at its stagger offset). Idempotent. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("route53-checker-timer"));
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler = s;
    probeExecutor = Executors.newCachedThreadPool(daemon("route53-probe"));
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(PROBE_TIMEOUT)
        .executor(probeExecutor)
        .build();
    probe = new HealthProbe(client, scheduler, probeExecutor, PROBE_TIMEOUT, clock);
    for (Region region : regions.values()) {
      long interval = region.interval.toNanos();
      for (CheckerState checker : region.checkers) {
        long offset = interval * checker.index / region.checkers.length;
        scheduler.scheduleAtFixedRate(() -> fire(region, checker), offset, interval, TimeUnit.NANOSECONDS);
      }
    }
  }

  private void fire(Region region, CheckerState checker) {
    if (closed) {
      return;
    }
    try {
      var result = probe.probe(region.check, region.target, checker.index);
      checker.tail = checker.tail.thenCombine(result, (ignored, r) -> {
        record(region.name, checker.index, r);
        return (Void) null;
      }).exceptionally(e -> {
        log.accept("route53: checker " + checker.index + " of " + region.name + " failed: " + e);
        return null;
      });
    } catch (RuntimeException e) {
      if (!closed) {
        log.accept("route53: probe of " + region.name + " not sent: " + e);
      }
    }
  }

  /** Applies one probe result as the given checker's (also the test seam for the flipping rules). */
  void record(String regionName, int checkerIndex, ProbeResult result) {
    if (closed) {
      return;
    }
    Region region = region(regionName);
    List<Transition> changes = new ArrayList<>(2);
    synchronized (region) {
      CheckerState checker = region.checkers[checkerIndex];
      if (checker.record(result)) {
        String why = checker.threshold + " consecutive " + (checker.healthy ? "successes" : "failures")
            + (result.error() == null ? "" : ", last: " + result.error());
        changes.add(new Transition(result.at(), regionName, checkerIndex, checker.healthy, why));
        int healthy = healthyCheckers(region);
        boolean now = regionHealthy(healthy, region.checkers.length);
        if (now != region.healthy) {
          region.healthy = now;
          region.since = result.at();
          String rule = healthy + " of " + region.checkers.length + " checkers see it healthy ("
              + (now ? "more than " : "not more than ") + HEALTHY_PERCENT + "%)";
          changes.add(new Transition(result.at(), regionName, null, now,
              rule + (result.error() == null ? "" : "; last error: " + result.error())));
        }
      }
    }
    for (Transition t : changes) {
      synchronized (transitions) {
        transitions.addLast(t);
        while (transitions.size() > MAX_TRANSITIONS) {
          transitions.removeFirst();
        }
      }
      if (t.checker() == null) {
        log.accept("route53: " + regionName + " is now " + (t.healthy() ? "HEALTHY" : "UNHEALTHY") + " at " + t.at()
            + ": " + t.reason());
      }
      for (Consumer<Transition> l : listeners) {
        try {
          l.accept(t);
        } catch (RuntimeException e) {
          log.accept("route53: transition listener failed: " + e);
        }
      }
    }
  }

  private static int healthyCheckers(Region region) {
    int n = 0;
    for (CheckerState c : region.checkers) {
      n += c.healthy ? 1 : 0;
    }
    return n;
  }

  private Region region(String name) {
    Region r = regions.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no health check for region " + name + " (have " + regions.keySet() + ")");
    }
    return r;
  }

  /** Whether the region is healthy as the checkers see it now. */
  public boolean isHealthy(String region) {
    Region r = region(region);
    synchronized (r) {
      return r.healthy;
    }
  }

  /** The regions with a health check, sorted. */
  public List<String> regions() {
    return List.copyOf(regions.keySet());
  }

  public RegionHealth health(String region) {
    Region r = region(region);
    synchronized (r) {
      List<CheckerStatus> views = new ArrayList<>(r.checkers.length);
      for (CheckerState c : r.checkers) {
        ProbeResult last = c.last;
        views.add(new CheckerStatus(c.index, c.healthy,
            last == null ? "none" : last.success() ? "success" : "failure",
            last == null ? -1 : last.statusCode(), last == null ? -1 : last.latencyMillis(),
            c.consecutiveSuccesses, c.consecutiveFailures, last == null ? null : last.error(),
            last == null ? null : last.at(), c.probes));
      }
      return new RegionHealth(r.name, r.healthy, healthyCheckers(r), r.checkers.length, r.since, r.target, r.check,
          r.interval, detectionBound(r), List.copyOf(views));
    }
  }

  /** Every region's health, by region. */
  public Map<String, RegionHealth> status() {
    Map<String, RegionHealth> all = new LinkedHashMap<>();
    for (String name : regions.keySet()) {
      all.put(name, health(name));
    }
    return Collections.unmodifiableMap(all);
  }

  /** Checker and region transitions, oldest first (the most recent 2,000). */
  public List<Transition> transitions() {
    synchronized (transitions) {
      return List.copyOf(transitions);
    }
  }

  /** Region transitions only, oldest first. */
  public List<Transition> regionTransitions() {
    return transitions().stream().filter(t -> t.checker() == null).toList();
  }

  /** Called (on a checker thread) with every transition, checker and region alike. */
  public void addListener(Consumer<Transition> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The region's effective request interval ({@code RequestInterval × timeFactor}). */
  public Duration interval(String region) {
    return region(region).interval;
  }

  /** The region's effective detection bound ({@code RequestInterval × FailureThreshold × timeFactor}). */
  public Duration detectionBound(String region) {
    return detectionBound(region(region));
  }

  private static Duration detectionBound(Region r) {
    return r.interval.multipliedBy(r.check.failureThreshold());
  }

  public double timeFactor() {
    return timeFactor;
  }

  public int checkersPerRegion() {
    return checkersPerRegion;
  }

  /** Stops every checker; probes in flight are abandoned. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      probeExecutor.shutdownNow();
      try {
        scheduler.awaitTermination(2, TimeUnit.SECONDS);
        probeExecutor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
