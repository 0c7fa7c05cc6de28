package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.testkit.Machine;
import dev.meridian.tools.local.client.TimedHttpClient;
import dev.meridian.tools.local.dns.Router;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One drill: set up the catalog, run the scenario's phases with the virtual customers looping,
 * inject the faults at their offsets, stop the load, wait for convergence, verify, and assemble
 * the result (the JSON of {@code result.schema.json}).
 */
final class Drill {
  /** How the drill runs. */
  record Settings(Scenario scenario, Workload workload, long seed, String command) {}

  private final Target target;
  private final Settings settings;
  private final PrintStream out;
  private final TimedHttpClient api;
  private final Map<String, String> roles = new LinkedHashMap<>();
  private final List<Map<String, Object>> markers = new ArrayList<>();
  /** The FIS experiment templates this drill started, in the result when there is one. */
  private final List<Map<String, Object>> experiments = new ArrayList<>();
  private final List<Map<String, Object>> phases = new ArrayList<>();
  private Recorder recorder;
  private OrderLedger ledger;
  private Map<String, Object> rpo;

  Drill(Target target, Settings settings, PrintStream out) {
    this.target = target;
    this.settings = settings;
    this.out = out;
    this.api = new TimedHttpClient(Duration.ofSeconds(2), settings.workload().requestTimeout());
  }

  /** Default client locations: the city nearest each region (virginia, dublin, singapore). */
  static List<String> defaultLocations(List<String> regions) {
    List<String> locations = new ArrayList<>();
    for (String region : regions) {
      locations.add(Router.CITIES.entrySet().stream().filter(e -> e.getValue().equals(region)).map(Map.Entry::getKey)
          .findFirst().orElse(region));
    }
    return locations;
  }

  Map<String, Object> run() throws Exception {
    Scenario scenario = settings.scenario();
    String mode = target.mode();
    if (!scenario.modes().contains(mode)) {
      throw new IllegalArgumentException("scenario " + scenario.name() + " runs in " + scenario.modes() + ", the target is "
          + mode);
    }
    Optional<String> refusal = Runnability.whyNot(scenario, target.kind());
    if (refusal.isPresent()) {
      throw new IllegalArgumentException("scenario " + scenario.name() + " cannot run on " + target.describe() + ": "
          + refusal.get());
    }
    TimedHttpClient slow = new TimedHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(60));
    resolveRoles(slow);
    warmUp(slow);
    List<String> writable = writableRegions(slow);
    double tf = target.timeFactor();
    double loadSeconds = 0;
    for (String name : List.of("warm-up", "steady", "fault", "recovery")) {
      loadSeconds += scenario.phase(name).millis(tf) / 1000.0;
    }
    long expectedOrders = Math.round(settings.workload().rate() * loadSeconds);
    long ample = Math.max(20, (long) Math.ceil(expectedOrders * 0.3 * 1.2 * 2 / writable.size()));
    String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    DrillProducts catalog = DrillProducts.setUp(target, slow, runId, roles.get("first"), writable, ample, scenario.sale(),
        out);
    Optional<JsonNode> statusBefore = target.status();

    long t0 = System.nanoTime();
    Instant startedAt = Instant.now();
    recorder = new Recorder(t0);
    ledger = new OrderLedger();
    long drainEnd = t0;
    for (String name : List.of("warm-up", "steady", "fault", "recovery", "drain")) {
      drainEnd += scenario.phase(name).millis(tf) * 1_000_000L;
    }
    AtomicBoolean starting = new AtomicBoolean(true);
    VirtualCustomer.Counters counters = new VirtualCustomer.Counters();
    VirtualCustomer.Context ctx = new VirtualCustomer.Context(target, api, recorder, ledger, settings.workload(), catalog,
        starting, drainEnd, counters);
    List<VirtualCustomer> customers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int n = 0;
    for (String location : settings.workload().locations()) {
      for (int i = 1; i <= settings.workload().customersPerLocation(); i++) {
        VirtualCustomer c = new VirtualCustomer(ctx, location, "drill-" + runId + "-" + location + "-" + i,
            settings.seed() + n++);
        customers.add(c);
        Thread t = new Thread(c, "customer-" + location + "-" + i);
        t.setDaemon(true);
        threads.add(t);
      }
    }
    out.printf("drill %s: %s, %s, time factor %s; %d customers in %s at %.1f iterations/s%n", runId, scenario.name(), mode,
        tf, customers.size(), settings.workload().locations(), settings.workload().rate());
    threads.forEach(Thread::start);
    double faultStartMs = -1;
    double recoveryStartMs = -1;
    double recoveryEndMs = -1;
    try {
      for (String name : List.of("warm-up", "steady", "fault", "recovery")) {
        Scenario.Phase phase = scenario.phase(name);
        double startMs = recorder.msSinceStart(System.nanoTime());
        long phaseStart = System.nanoTime();
        out.printf("[%6.1f s] phase %s (%.0f s)%n", startMs / 1000, name, phase.millis(tf) / 1000.0);
        List<Scenario.Action> actions = phase.actions().stream().filter(a -> a.runsIn(mode))
            .sorted(Comparator.comparingDouble(Scenario.Action::at)).toList();
        for (Scenario.Action action : actions) {
          sleepUntil(phaseStart + action.offsetMillis(phase, tf) * 1_000_000L);
          double atMs = recorder.msSinceStart(System.nanoTime());
          if (name.equals("fault") && faultStartMs < 0) {
            faultStartMs = atMs;
          }
          if (name.equals("recovery") && recoveryStartMs < 0) {
            recoveryStartMs = atMs;
          }
          perform(action, name, atMs, slow);
          if (name.equals("fault") && rpo == null) {
            rpo = rpoAtFault(action, atMs, slow);
          }
        }
        sleepUntil(phaseStart + phase.millis(tf) * 1_000_000L);
        double endMs = recorder.msSinceStart(System.nanoTime());
        if (name.equals("fault") && faultStartMs < 0) {
          faultStartMs = startMs;
        }
        if (name.equals("recovery")) {
          recoveryStartMs = recoveryStartMs < 0 ? startMs : recoveryStartMs;
          recoveryEndMs = endMs;
        }
        phases.add(phase(name, startMs, endMs));
      }
    } finally {
      starting.set(false);
    }
    double drainStart = recorder.msSinceStart(System.nanoTime());
    out.printf("[%6.1f s] phase drain: no new iterations; waiting for those in flight%n", drainStart / 1000);
    long joinDeadline = Math.max(drainEnd, System.nanoTime()) + settings.workload().requestTimeout().toNanos() * 2;
    for (Thread t : threads) {
      t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
    }
    long stillRunning = threads.stream().filter(Thread::isAlive).count();
    threads.forEach(Thread::interrupt);
    phases.add(phase("drain", drainStart, recorder.msSinceStart(System.nanoTime())));

    double convergenceStart = recorder.msSinceStart(System.nanoTime());
    Scenario.Phase wait = scenario.phase("convergence-wait");
    out.printf("[%6.1f s] phase convergence-wait (at most %.0f s)%n", convergenceStart / 1000, wait.millis(tf) / 1000.0);
    Verifier verifier = new Verifier(target, slow, ledger, catalog, customers.stream().map(VirtualCustomer::customer).toList(),
        () -> recorder.msSinceStart(System.nanoTime()));
    Verifier.Snapshot snapshot = verifier.awaitConvergence(System.nanoTime() + wait.millis(tf) * 1_000_000L);
    boolean converged = verifier.converged(snapshot);
    phases.add(phase("convergence-wait", convergenceStart, recorder.msSinceStart(System.nanoTime())));
    out.printf("[%6.1f s] %s; verifying%n", recorder.msSinceStart(System.nanoTime()) / 1000,
        converged ? "converged at " + String.format("%.1f s", snapshot.atMs() / 1000) : "NOT converged");
    Verifier.Outcome outcome = verifier.verify(snapshot, converged, startedAt);
    Optional<JsonNode> statusAfter = target.status();

    List<Verifier.Check> checks = new ArrayList<>(outcome.checks());
    Map<String, Object> audit = audit(startedAt, checks);
    long failedActions = markers.stream().filter(m -> !Boolean.TRUE.equals(m.get("ok"))).count();
    checks.add(new Verifier.Check("every scenario action succeeded", failedActions == 0,
        failedActions + " of " + markers.size() + " actions failed"));
    checks.add(new Verifier.Check("load stopped by itself", stillRunning == 0,
        stillRunning + " customers were still running at the end of the drain (interrupted)"));
    long unexpected = counters.unexpected.get();
    checks.add(new Verifier.Check("no unexpected answer", unexpected == 0 && counters.replayIdMismatch.get() == 0,
        unexpected + " answers outside the API's contract for these requests; " + counters.replayIdMismatch.get()
            + " replays answered another order id"));

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("schema", "meridian-drill-result/1");
    result.put("passed", checks.stream().allMatch(Verifier.Check::passed));
    result.put("scenario", scenario.name());
    result.put("mode", mode);
    result.put("regions", target.regions());
    result.putAll(outcome.figures());
    double convergedAfterRecovery = converged && recoveryStartMs >= 0 ? snapshot.atMs() - recoveryStartMs : -1;
    result.put("convergenceAfterRecoveryMs", converged ? round(convergedAfterRecovery) : null);
    result.put("rpo", rpo == null ? Map.of("note", "no fault action ran") : rpo);
    Map<String, Object> windows = errorWindows(faultStartMs, drainStart);
    result.put("errorWindows", windows);
    result.put("failoverMs", windows.values().stream()
        .mapToDouble(w -> ((Number) ((Map<?, ?>) w).get("failoverMs")).doubleValue()).max().orElse(0));
    result.put("availability", availability(faultStartMs, recoveryEndMs));
    Map<String, Object> client = new LinkedHashMap<>();
    // What the customers managed: below --rate when iterations take longer than their pacing interval.
    client.put("placementsPerSecond", Math.round(ledger.all().size() / (drainStart / 1000) * 100) / 100.0);
    client.put("ownOrderNotFoundRightAfterPlacing", counters.ownOrderNotFound.get());
    client.put("outOfStockAnswers", counters.outOfStock.get());
    client.put("placementsGivenUp", counters.placementsGivenUp.get());
    client.put("pendingStockAnswers", ledger.acknowledged().stream().filter(p -> "PENDING_STOCK".equals(p.ackedStatus)).count());
    client.put("answers", recorder.answers());
    result.put("client", client);
    result.put("acknowledged", ledger.acknowledged().stream().map(p -> Map.of("orderId", p.orderId, "region", p.ackedRegion,
        "status", p.toldStatus(), "atMs", round(p.ackedAtMs))).toList());
    result.put("audit", audit);
    result.put("checks", checks.stream().map(c -> Map.of("name", c.name(), "passed", c.passed(), "detail", c.detail())).toList());
    result.put("startedAt", startedAt.toString());
    result.put("command", settings.command());
    result.put("target", target.facts());
    result.put("workload", VirtualCustomer.describe(settings.workload()));
    result.put("sale", Map.of("shards", scenario.sale().shards(), "unitsPerRegion", scenario.sale().unitsPerRegion(),
        "share", scenario.sale().share()));
    result.put("roles", roles);
    result.put("phases", phases);
    result.put("markers", markers);
    if (!experiments.isEmpty()) {
      result.put("experiments", experiments);
    }
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("byLocation", recorder.latency(Recorder.Key::location));
    latency.put("byRegion", recorder.latency(Recorder.Key::region));
    latency.put("byOperation", recorder.latency(Recorder.Key::operation));
    latency.put("byLocationRegionOperation", recorder.latency(k -> k.location() + " " + k.region() + " " + k.operation()));
    result.put("latency", latency);
    Map<String, Object> series = new LinkedHashMap<>();
    series.put("byRegion", recorder.series(Recorder.Key::region));
    series.put("byLocation", recorder.series(Recorder.Key::location));
    result.put("series", series);
    result.put("usage", Usage.between(statusBefore, statusAfter, ledger.acknowledged().size(),
        recorder.requests(k -> true)));
    result.put("machine", Machine.current().toMap());
    return result;
  }

  // ------------------------------------------------------------------ set-up

  private void resolveRoles(TimedHttpClient slow) throws Exception {
    List<String> regions = target.regions();
    String[] ordinals = {"first", "second", "third"};
    for (int i = 0; i < regions.size() && i < ordinals.length; i++) {
      roles.put(ordinals[i], regions.get(i));
    }
    String admin = target.token("drill-operator", true);
    TimedHttpClient.Answer control = Retry.call(() -> slow.get(target.regionUrl(regions.get(0)), "/admin/control", admin));
    if (control.status() != 200) {
      throw new IllegalStateException("GET /admin/control answered " + control.status() + ": " + control.body());
    }
    String primary = control.json().path("primaryRegion").asText(regions.get(0));
    if (target.mode().equals("active-passive")) {
      roles.put("primary", primary);
      regions.stream().filter(r -> !r.equals(primary)).findFirst().ifPresent(r -> roles.put("standby", r));
    }
  }

  private String region(String ref) {
    if (target.regions().contains(ref)) {
      return ref;
    }
    String region = roles.get(ref);
    if (region == null) {
      throw new IllegalArgumentException("region '" + ref + "' means nothing here; known: " + roles);
    }
    return region;
  }

  /** Every function of every region answers once before the clock starts, so no cold start counts as the fault. */
  private void warmUp(TimedHttpClient slow) throws Exception {
    out.println("warming up every function of every region ...");
    String token = target.token("drill-warm-up", false);
    for (String region : target.regions()) {
      URI url = target.regionUrl(region);
      for (String path : List.of("/products?limit=1", "/orders", "/health")) {
        Retry.until(Duration.ofMinutes(3), () -> slow.get(url, path, path.equals("/health") ? null : token).status() == 200,
            region + " GET " + path + " answers 200");
      }
    }
  }

  private List<String> writableRegions(TimedHttpClient slow) throws Exception {
    String admin = target.token("drill-operator", true);
    List<String> writable = new ArrayList<>();
    for (String region : target.regions()) {
      TimedHttpClient.Answer control = Retry.call(() -> slow.get(target.regionUrl(region), "/admin/control", admin));
      if (control.status() == 200 && control.json().path("writable").asBoolean()) {
        writable.add(region);
      }
    }
    if (writable.isEmpty()) {
      throw new IllegalStateException("no region takes writes (GET /admin/control: writable false everywhere)");
    }
    return writable;
  }

  // ------------------------------------------------------------------ faults

  private void perform(Scenario.Action action, String phase, double atMs, TimedHttpClient slow) {
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("atMs", round(atMs));
    marker.put("phase", phase);
    marker.put("action", action.describe());
    String detail;
    boolean ok;
    try {
      String region = region(action.region());
      detail = switch (action.verb()) {
        case "fail" -> target.control("/regions/" + region + "/fail?mode=" + action.failMode()).toString();
        case "recover" -> target.control("/regions/" + region + "/recover").toString();
        case "partition", "heal" -> target.control("/links/" + region + "/" + region(action.peer()) + "/" + action.verb()
            + "?links=" + action.links()).toString();
        case "start-experiment", "stop-experiment" -> experiment(action, region, atMs);
        case "kill-switch" -> killSwitch(region, action.engaged(), slow);
        case "promote" -> promote(region, slow);
        default -> throw new IllegalStateException(action.verb());
      };
      ok = true;
    } catch (Exception e) {
      detail = String.valueOf(e);
      ok = false;
    }
    marker.put("ok", ok);
    marker.put("detail", detail.length() > 300 ? detail.substring(0, 300) : detail);
    markers.add(marker);
    out.printf("[%6.1f s]   %s: %s%n", atMs / 1000, action.describe(), ok ? "done" : "FAILED " + detail);
  }

  /** One entry per experiment run: started by one action, stopped by a later one naming the same template and region. */
  private String experiment(Scenario.Action action, String region, double atMs) throws Exception {
    boolean start = action.verb().equals("start-experiment");
    Map<String, Object> facts = target.experiment(action.experiment(), region, start);
    Map<String, Object> run;
    if (start) {
      run = new LinkedHashMap<>();
      run.put("experiment", action.experiment());
      run.put("region", region);
      run.put("startedAtMs", round(atMs));
      experiments.add(run);
    } else {
      run = experiments.stream().filter(e -> e.get("experiment").equals(action.experiment()) && e.get("region").equals(region)
          && !e.containsKey("stoppedAtMs")).reduce((first, second) -> second)
          .orElseThrow(() -> new IllegalStateException("experiment " + action.experiment() + " was not started on " + region));
      run.put("stoppedAtMs", round(atMs));
    }
    run.putAll(facts);
    return String.valueOf(facts);
  }

  /** Through another region's admin route: the switch is settable from any region (the drained one may be impaired). */
  private String killSwitch(String region, boolean engaged, TimedHttpClient slow) throws Exception {
    String admin = target.token("drill-operator", true);
    List<String> via = new ArrayList<>(target.regions().stream().filter(r -> !r.equals(region)).toList());
    via.add(region);
    String last = "no region answered";
    for (String through : via) {
      try {
        TimedHttpClient.Answer a = Retry.call(() -> slow.call(target.regionUrl(through), "PUT", "/admin/control/kill-switch/" + region,
            admin, "{\"engaged\":" + engaged + "}", Map.of()));
        if (a.status() == 200) {
          return "through " + through;
        }
        last = through + " answered " + a.status() + " " + a.body();
      } catch (Exception e) {
        last = through + ": " + e;
      }
    }
    throw new IllegalStateException(last);
  }

  /** Through the promoted region's own admin route (the old primary may be down). */
  private String promote(String region, TimedHttpClient slow) throws Exception {
    String admin = target.token("drill-operator", true);
    TimedHttpClient.Answer a = Retry.call(() -> slow.call(target.regionUrl(region), "POST", "/admin/control/promote/" + region, admin,
        null, Map.of()));
    if (a.status() != 200) {
      throw new IllegalStateException("promote " + region + " answered " + a.status() + " " + a.body());
    }
    return "epoch " + a.json().path("epoch").asText();
  }

  /**
   * Writes acknowledged but not replicated when the fault began: the local stack's replication
   * backlog out of the affected region right after the fault, and, through the API, orders that
   * region acknowledged in the 5 s before the fault which the other regions cannot read 1 s after it.
   */
  private Map<String, Object> rpoAtFault(Scenario.Action action, double faultMs, TimedHttpClient slow) throws Exception {
    String affected = region(action.region());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("affectedRegion", affected);
    Optional<JsonNode> status = target.status();
    if (status.isPresent()) {
      long backlog = 0;
      for (JsonNode link : status.get().path("replication")) {
        if (link.path("from").asText().equals(affected)) {
          backlog += link.path("backlog").asLong();
        }
      }
      r.put("replicationBacklogAtFault", backlog);
    }
    List<OrderLedger.Placement> recent = ledger.acknowledged().stream()
        .filter(p -> affected.equals(p.ackedRegion) && p.ackedAtMs >= faultMs - 5_000 && p.ackedAtMs <= faultMs).toList();
    Thread.sleep(1_000);
    int unreadable = 0;
    for (OrderLedger.Placement p : recent) {
      String token = target.token(p.customer, false);
      for (String peer : target.regions()) {
        if (peer.equals(affected)) {
          continue;
        }
        try {
          if (slow.get(target.regionUrl(peer), "/orders/" + p.orderId, token).status() == 404) {
            unreadable++;
            break;
          }
        } catch (Exception e) {
          // an unreachable peer says nothing about replication
        }
      }
    }
    r.put("acknowledgedInTheLast5sBeforeFault", recent.size());
    r.put("notReadableInPeersAfterFault", unreadable);
    return r;
  }

  // ------------------------------------------------------------------ the audit

  /** How long the drill waits before it reads the replicas again to confirm a difference: far above a replication delay. */
  static final Duration AUDIT_CONFIRMATION_DELAY = Duration.ofSeconds(5);

  /**
   * Reads every replica directly, after the API said they converged: the API shows what customers
   * see, the audit what the table holds (a same-version item with other stamps is invisible to the API).
   * Writes go on after convergence (a giver settles transfers once it sees them received), so a
   * difference counts only when a second reading, {@link #AUDIT_CONFIRMATION_DELAY} later, shows it
   * too; the first reading's count stays in the result.
   */
  private Map<String, Object> audit(Instant startedAt, List<Verifier.Check> checks) {
    String name = "the replicas agree item by item (incident audit)";
    List<ReplicaAudit.Acknowledged> acknowledged = ledger.acknowledged().stream()
        .map(p -> new ReplicaAudit.Acknowledged(p.orderId, p.ackedRegion, p.toldStatus())).toList();
    Audit.Replicas replicas = target.replicas();
    try {
      long started = System.nanoTime();
      ReplicaAudit.Report report = Audit.run(replicas, Optional.of(acknowledged), new ReplicaAudit.Window(startedAt, Instant.now()),
          Audit.DEFAULT_SEGMENTS);
      int firstReading = report.divergences().size() + report.missingOrders().size();
      if (!report.clean()) {
        out.printf("  audit: %d differences on the first reading; reading again in %d s to confirm%n", firstReading,
            AUDIT_CONFIRMATION_DELAY.toSeconds());
        Thread.sleep(AUDIT_CONFIRMATION_DELAY.toMillis());
        started = System.nanoTime();
        report = Audit.run(replicas, Optional.of(acknowledged), new ReplicaAudit.Window(startedAt, Instant.now()),
            Audit.DEFAULT_SEGMENTS);
      }
      Audit.print(report, replicas, out);
      checks.add(new Verifier.Check(name, report.clean(), report.divergences().size() + " items differ, "
          + report.missingOrders().size() + " of " + report.expectedOrders() + " acknowledged orders missing from a region, "
          + report.conflicts().size() + " conflicts recorded in the drill's window"
          + (firstReading > 0 ? " (the first reading, " + AUDIT_CONFIRMATION_DELAY.toSeconds() + " s earlier, saw " + firstReading
          + " differences)" : "")));
      Map<String, Object> json = Audit.toJson(report, replicas, Audit.DEFAULT_SEGMENTS, Duration.ofNanos(System.nanoTime() - started));
      json.put("differencesOnFirstReading", firstReading);
      return json;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      checks.add(new Verifier.Check(name, false, "the audit could not read the replicas of " + replicas.table() + ": " + e));
      Map<String, Object> failed = new LinkedHashMap<>();
      failed.put("schema", Audit.SCHEMA);
      failed.put("clean", false);
      failed.put("error", String.valueOf(e));
      return failed;
    }
  }

  // ------------------------------------------------------------------ figures

  /** Per location: first to last failed request from the fault on, failures before it counted apart. */
  private Map<String, Object> errorWindows(double faultMs, double untilMs) {
    Map<String, Object> out = new LinkedHashMap<>();
    List<Recorder.Failure> failures = recorder.failures();
    for (String location : settings.workload().locations()) {
      List<Recorder.Failure> mine = failures.stream().filter(f -> f.location().equals(location)).toList();
      List<Recorder.Failure> around = mine.stream().filter(f -> faultMs >= 0 && f.atMs() >= faultMs && f.atMs() <= untilMs)
          .toList();
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("failedRequests", around.size());
      w.put("failedBeforeFault", mine.stream().filter(f -> f.atMs() < faultMs).count());
      if (around.isEmpty()) {
        w.put("errorWindowMs", 0);
        w.put("failoverMs", 0);
      } else {
        double first = around.get(0).atMs();
        double last = around.get(around.size() - 1).atMs();
        w.put("errorWindowMs", round(last - first));
        w.put("firstFailureAfterFaultMs", round(first - faultMs));
        w.put("failoverMs", round(last - faultMs));
        Map<String, Long> kinds = new LinkedHashMap<>();
        around.forEach(f -> kinds.merge(f.operation() + " " + f.what() + " @" + f.region(), 1L, Long::sum));
        w.put("failures", kinds);
      }
      out.put(location, w);
    }
    return out;
  }

  /** Successful requests over all requests sent during the fault and recovery phases, per location and overall. */
  private Map<String, Object> availability(double fromMs, double toMs) {
    Map<String, Object> out = new LinkedHashMap<>();
    long[] all = recorder.requestsAndErrorsBetween(Math.floor(fromMs / 1000) * 1000, toMs, k -> true);
    out.put("duringFaultAndRecovery", ratio(all));
    Map<String, Object> perLocation = new LinkedHashMap<>();
    for (String location : settings.workload().locations()) {
      perLocation.put(location, ratio(recorder.requestsAndErrorsBetween(Math.floor(fromMs / 1000) * 1000, toMs,
          k -> k.location().equals(location))));
    }
    out.put("byLocation", perLocation);
    out.put("wholeDrill", ratio(recorder.requestsAndErrorsBetween(0, Double.MAX_VALUE, k -> true)));
    return out;
  }

  private static Map<String, Object> ratio(long[] requestsAndErrors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", requestsAndErrors[0]);
    m.put("failed", requestsAndErrors[1]);
    m.put("availability", requestsAndErrors[0] == 0 ? null
        : Math.round((1 - (double) requestsAndErrors[1] / requestsAndErrors[0]) * 100_000) / 100_000.0);
    return m;
  }

  private static Map<String, Object> phase(String name, double startMs, double endMs) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("startMs", round(startMs));
    p.put("endMs", round(endMs));
    return p;
  }

  static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
