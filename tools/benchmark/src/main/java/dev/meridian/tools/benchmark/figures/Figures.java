package dev.meridian.tools.benchmark.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.testkit.Machine;
import dev.meridian.testkit.Polling;
import dev.meridian.tools.local.client.DnsCache;
import dev.meridian.tools.local.client.StackProcess;
import dev.meridian.tools.local.client.TimedHttpClient;
import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import dev.meridian.tools.local.jwt.TokenCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code ./tools/benchmark/run figures}: measures the local stack the way a user meets it and writes the
 * figures the README quotes, as a table on the console and as JSON:
 *
 * <ul>
 *   <li><b>up</b>: wall-clock time from launching {@code up --regions N} to ready (every region's
 *       {@code /health} 200, catalog seeded);
 *   <li><b>memory</b>: resident memory (VmRSS from /proc) of moto, the stack JVM and every function
 *       JVM, summed, after every function of every region has been invoked;
 *   <li><b>init</b>: Lambda's Init Duration per function, median of fresh starts (the warm instance
 *       recycled through the control API, then invoked), read from the REPORT lines;
 *   <li><b>warm</b>: Lambda's Duration per route of openapi.yaml (and {@code GET /health}), median
 *       of N warm invocations, each found through its {@code apigw-requestid} → access log →
 *       integration RequestId → REPORT line;
 *   <li><b>lag</b>: per replication link, an order placed in one region, then the other region
 *       polled (gently) until the order is readable: write acknowledged → first read that sees it;
 *   <li><b>convergence</b>: two regions partitioned, distinct products written on each side, healed;
 *       time until the replication backlog drained and until both regions list identical catalogs;
 *   <li><b>failover</b>: {@code fail} one region at the stack's time factor (1 for a stack this
 *       command starts): time until the global entry's DNS answer moves, and the error window
 *       (first to last failed request) of two clients looping at about 4 requests/s through the
 *       entry, one through its reverse proxy, one caching the DNS answer for its TTL.
 * </ul>
 * Phases run in that order; {@code --phases} picks some. Every write uses ids unique to the run,
 * so the command can run against the same stack again.
 */
public final class Figures {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> ALL_PHASES = List.of("memory", "init", "warm", "lag", "convergence", "failover");
  private static final Duration POLL = Duration.ofMillis(20);

  private final StackProcess stack;
  private final PrintStream out;
  private final TimedHttpClient api = new TimedHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(30));
  private final StackLogIndex log;
  private final String runId = UUID.randomUUID().toString().substring(0, 6);
  private final String customer;
  private final String admin;
  private final String home;
  private final List<String> table = new ArrayList<>();

  private Figures(StackProcess stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
    this.log = new StackLogIndex(stack.stackLog());
    Path jwt = stack.root.resolve(TokenCommand.DEFAULT_DIR);
    this.customer = token(jwt, "figures", false);
    this.admin = token(jwt, "figures-operator", true);
    this.home = stack.endpoints.path("homeRegion").asText(stack.regions().get(0));
  }

  /** The {@code figures} verb. */
  @SuppressWarnings("unchecked")
  public static int run(Path root, List<String> args, PrintStream out) throws Exception {
    int regions = Integer.parseInt(option(args, "--regions").orElse("3"));
    Path outFile = root.resolve(option(args, "--out").orElse("target/figures.json"));
    int samples = Integer.parseInt(option(args, "--samples").orElse("20"));
    int lagSamples = Integer.parseInt(option(args, "--lag-samples").orElse("50"));
    int initStarts = Integer.parseInt(option(args, "--init-starts").orElse("5"));
    int items = Integer.parseInt(option(args, "--items").orElse("1000"));
    List<String> phases = option(args, "--phases").map(p -> Arrays.asList(p.split(","))).orElse(ALL_PHASES);
    if (!ALL_PHASES.containsAll(phases)) {
      out.println("--phases: choose from " + ALL_PHASES);
      return 2;
    }
    boolean useRunning = args.contains("--use-running");

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "./tools/benchmark/run figures " + String.join(" ", args));
    report.put("startedAt", Instant.now().toString());
    Map<String, Object> machine = Machine.current().toMap();
    machine.put("loadAverageAtStart", machine.remove("loadAverage"));
    report.put("machine", machine);
    long t0 = System.nanoTime();
    Optional<StackProcess> running = StackProcess.running(root);
    if (running.isPresent() && !useRunning) {
      out.println("a local stack is running (pid " + running.get().pid + "): stop it with ./tools/local/stack down, "
          + "or measure it with --use-running");
      return 1;
    }
    if (running.isEmpty() && useRunning) {
      out.println("--use-running: no local stack is running");
      return 1;
    }
    StackProcess stack = useRunning ? running.get()
        : StackProcess.start(root, regions, outFile.resolveSibling("figures-stack-console.log"), out);
    try {
      Figures figures = new Figures(stack, out);
      report.put("stack", figures.stackFacts());
      figures.warmUp();
      Map<String, Phase> all = new LinkedHashMap<>();
      all.put("memory", figures::memory);
      all.put("init", () -> figures.initDurations(initStarts));
      all.put("warm", () -> figures.warmDurations(samples));
      all.put("lag", () -> figures.replicationLag(lagSamples));
      all.put("convergence", () -> figures.convergence(items));
      all.put("failover", figures::failover);
      List<String> failed = new ArrayList<>();
      for (Map.Entry<String, Phase> phase : all.entrySet()) {
        if (!phases.contains(phase.getKey())) {
          continue;
        }
        try {
          report.put(phase.getKey(), phase.getValue().measure());
        } catch (Exception e) {
          // Keep what the other phases measure; the report says what failed and why.
          failed.add(phase.getKey());
          report.put(phase.getKey(), Map.of("failed", String.valueOf(e)));
          figures.row(phase.getKey(), "FAILED: " + e);
          out.println("phase " + phase.getKey() + " failed: " + e);
        }
        report.put("totalSeconds", Samples.round((System.nanoTime() - t0) / 1e9));
        ((Map<String, Object>) report.get("machine")).put("loadAverageAtEnd", Machine.loadAverageNow());
        Files.createDirectories(outFile.getParent());
        Files.writeString(outFile, JSON.writeValueAsString(report));
      }
      figures.printTable(report);
      out.println("written: " + outFile);
      return failed.isEmpty() ? 0 : 1;
    } finally {
      stack.close();
    }
  }

  @FunctionalInterface
  private interface Phase {
    Map<String, Object> measure() throws Exception;
  }

  // ------------------------------------------------------------------ phases

  private Map<String, Object> stackFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("regions", stack.regions());
    facts.put("mode", stack.endpoints.path("mode").asText());
    facts.put("timeFactor", stack.endpoints.path("timeFactor").asDouble());
    facts.put("startedByThisCommand", stack.owned());
    facts.put("upWallClockMillis", stack.upMillis);
    facts.put("upReportedByStackMillis", stack.endpoints.path("readyAfterMillis").asLong());
    String up = stack.owned()
        ? String.format(Locale.ROOT, "%.1f s wall clock from launch (the stack's own count: %.1f s)", stack.upMillis / 1e3,
            stack.endpoints.path("readyAfterMillis").asLong() / 1e3)
        : String.format(Locale.ROOT, "%.1f s (as the running stack reported it)", stack.endpoints.path("readyAfterMillis").asLong() / 1e3);
    row("up, " + stack.regions().size() + " regions, to ready (seeded)", up);
    return facts;
  }

  /** Invokes every function of every region until each answers, so later figures see warm instances. */
  private void warmUp() throws Exception {
    out.println("warming up every function of every region ...");
    for (int round = 0; round < 2; round++) {
      for (String region : stack.regions()) {
        URI regionApi = stack.region(region);
        for (String path : List.of("/products?limit=1", "/orders", "/health")) {
          awaitAnswer(() -> api.get(regionApi, path, path.equals("/health") ? null : customer), a -> a.status() == 200,
              Duration.ofMinutes(2), region + " GET " + path);
        }
      }
    }
  }

  private Map<String, Object> memory() throws IOException {
    List<ProcessMemory.Entry> entries = ProcessMemory.tree(stack.pid);
    Map<String, Object> summary = ProcessMemory.summary(entries);
    StringBuilder parts = new StringBuilder();
    for (String kind : List.of("stack JVM", "emulator", "function JVM")) {
      if (summary.get(kind) instanceof Map<?, ?> k) {
        parts.append(parts.length() == 0 ? "" : ", ").append(k.get("processes")).append(" ").append(kind)
            .append(((Integer) k.get("processes")) > 1 ? "s " : " ").append(k.get("mb")).append(" MB");
      }
    }
    row("memory (VmRSS) after warm-up", summary.get("totalMb") + " MB total: " + parts);
    return summary;
  }

  private Map<String, Object> initDurations(int starts) throws Exception {
    String region = home;
    URI regionApi = stack.region(region);
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("CatalogFunction", "/products/latte-mug");
    routes.put("OrdersFunction", "/orders");
    routes.put("HealthFunction", "/health");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("region", region);
    result.put("freshStartsPerFunction", starts);
    result.put("how", "recycle the warm instance (control API), invoke, read Init Duration from the next cold REPORT line");
    Map<String, Object> perFunction = new LinkedHashMap<>();
    List<String> cells = new ArrayList<>();
    for (Map.Entry<String, String> f : routes.entrySet()) {
      Samples init = new Samples();
      Samples firstInvocation = new Samples();
      for (int i = 0; i < starts; i++) {
        out.printf("init: %s %s fresh start %d/%d%n", region, f.getKey(), i + 1, starts);
        log.refresh();
        long mark = log.mark();
        api.control(stack.control(), "/regions/" + region + "/functions/" + f.getKey() + "/recycle");
        String token = f.getKey().equals("HealthFunction") ? null : customer;
        awaitAnswer(() -> api.get(regionApi, f.getValue(), token), a -> a.status() == 200, Duration.ofMinutes(2),
            region + " GET " + f.getValue() + " after recycle");
        StackLogIndex.Report cold = await(() -> {
          log.refresh();
          return log.firstColdReportAfter(mark, region, f.getKey());
        }, Duration.ofSeconds(30), "a cold REPORT of " + f.getKey());
        init.add(cold.initMillis());
        firstInvocation.add(cold.durationMillis());
        Thread.sleep(1_000);
      }
      Map<String, Object> fn = new LinkedHashMap<>();
      fn.put("initDurationMs", init.summary());
      fn.put("firstInvocationDurationMs", firstInvocation.summary());
      perFunction.put(f.getKey(), fn);
      cells.add(String.format(Locale.ROOT, "%s %.0f ms", f.getKey().replace("Function", ""), init.median()));
    }
    result.put("functions", perFunction);
    row("init duration, median of " + starts + " fresh starts (" + region + ")", String.join(", ", cells));
    return result;
  }

  /** Warm Duration per route: every route of openapi.yaml plus GET /health, N invocations each. */
  private Map<String, Object> warmDurations(int samples) throws Exception {
    String region = home;
    URI regionApi = stack.region(region);
    String product = "figures-warm-" + runId;
    AtomicReference<String> etag = new AtomicReference<>(createProduct(regionApi, product, "Figures warm", 990));
    restock(regionApi, product, samples + 10);
    List<String> orders = new ArrayList<>();

    Map<String, Driver> drivers = new LinkedHashMap<>();
    drivers.put("GET /products", i -> api.get(regionApi, "/products?limit=20", customer));
    drivers.put("GET /products/{id}", i -> api.get(regionApi, "/products/" + product, customer));
    drivers.put("PUT /products/{id}", i -> {
      Answer a = api.call(regionApi, "PUT", "/products/" + product, admin, TimedHttpClient.productJson("Figures warm " + i, 990 + i),
          Map.of("If-Match", etag.get()));
      if (a.etag() != null) {
        etag.set(a.etag());
      }
      return a;
    });
    drivers.put("POST /products/{id}/stock", i -> api.call(regionApi, "POST", "/products/" + product + "/stock", admin,
        "{\"units\":1}", Map.of()));
    drivers.put("POST /orders", i -> {
      Answer a = api.call(regionApi, "POST", "/orders", customer, orderJson(product),
          Map.of("Idempotency-Key", "figures-" + runId + "-warm-" + i));
      if (a.status() == 201) {
        orders.add(a.json().path("id").asText());
      }
      return a;
    });
    drivers.put("GET /orders", i -> api.get(regionApi, "/orders", customer));
    drivers.put("GET /orders/{id}", i -> api.get(regionApi, "/orders/" + placedOrder(orders, i), customer));
    drivers.put("POST /orders/{id}/cancel", i -> api.call(regionApi, "POST", "/orders/" + placedOrder(orders, i)
        + "/cancel", customer, "", Map.of()));
    drivers.put("GET /admin/control", i -> api.get(regionApi, "/admin/control", admin));
    drivers.put("PUT /admin/control/kill-switch/{region}", i -> api.call(regionApi, "PUT",
        "/admin/control/kill-switch/" + region, admin, "{\"engaged\":false}", Map.of()));
    drivers.put("POST /admin/control/promote/{region}", i -> api.call(regionApi, "POST",
        "/admin/control/promote/" + region, admin, null, Map.of()));
    drivers.put("GET /health", i -> api.get(regionApi, "/health", null));

    Set<String> documented = documentedRoutes();
    documented.add("GET /health");
    List<String> undriven = documented.stream().filter(r -> !drivers.containsKey(r)).toList();
    if (!undriven.isEmpty()) {
      out.println("WARNING: routes of openapi.yaml this command does not drive (no figure): " + undriven);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("region", region);
    result.put("samplesPerRoute", samples);
    result.put("how", "REPORT Duration of each request's own invocation (apigw-requestid -> access log -> RequestId)");
    result.put("routesWithoutDriver", undriven);
    List<Map<String, Object>> routes = new ArrayList<>();
    row("warm duration per route, median of " + samples + " (" + region + ")", "Lambda REPORT Duration, ms");
    for (Map.Entry<String, Driver> d : drivers.entrySet()) {
      if (!documented.contains(d.getKey())) {
        continue;
      }
      out.printf("warm: %s x %d%n", d.getKey(), samples);
      Samples durations = new Samples();
      Samples latencies = new Samples();
      Map<Integer, Integer> statuses = new LinkedHashMap<>();
      int cold = 0;
      for (int i = 0; i < samples; i++) {
        Answer a = d.getValue().call(i);
        statuses.merge(a.status(), 1, Integer::sum);
        StackLogIndex.Report report = await(() -> {
          log.refresh();
          return log.reportForGatewayRequest(a.gatewayRequestId());
        }, Duration.ofSeconds(10), "the REPORT line of " + d.getKey());
        if (report.cold()) {
          cold++;
        } else {
          durations.add(report.durationMillis());
          latencies.add(a.millis());
        }
        Thread.sleep(50);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("route", d.getKey());
      r.put("statuses", statuses);
      r.put("coldSkipped", cold);
      r.put("durationMs", durations.summary());
      r.put("clientLatencyMs", latencies.summary());
      routes.add(r);
      row("  " + d.getKey(), String.format(Locale.ROOT, "%s ms  (HTTP %s; client round trip median %.1f ms)",
          durations.describe(), statuses.keySet(), latencies.isEmpty() ? 0 : latencies.median()));
    }
    result.put("routes", routes);
    return result;
  }

  /** Per link: order placed in A, then B polled every 20 ms until it reads the order. */
  private Map<String, Object> replicationLag(int samplesPerLink) throws Exception {
    List<String> regions = stack.regions();
    String product = "figures-lag-" + runId;
    URI homeApi = stack.region(home);
    createProduct(homeApi, product, "Figures lag", 100);
    for (String region : regions) {
      URI r = stack.region(region);
      awaitAnswer(() -> api.get(r, "/products/" + product, customer), a -> a.status() == 200, Duration.ofSeconds(30),
          product + " replicated to " + region);
      restock(r, product, samplesPerLink * regions.size() + 10);
    }
    Map<String, Long> delays = new LinkedHashMap<>();
    for (JsonNode link : api.status(stack.control()).path("replication")) {
      delays.put(link.path("from").asText() + "->" + link.path("to").asText(), link.path("delayMillis").asLong());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("samplesPerLink", samplesPerLink);
    result.put("pollMillis", POLL.toMillis());
    result.put("how", "POST /orders in A answered 201 -> first GET /orders/{id} in B answering 200 (B polled every 20 ms)");
    List<Map<String, Object>> links = new ArrayList<>();
    row("replication lag per link, " + samplesPerLink + " orders each", "write acknowledged -> first read that sees it, ms");
    for (String from : regions) {
      for (String to : regions) {
        if (from.equals(to)) {
          continue;
        }
        out.printf("lag: %s -> %s x %d%n", from, to, samplesPerLink);
        URI a = stack.region(from);
        URI b = stack.region(to);
        Samples lag = new Samples();
        int lost = 0;
        for (int i = 0; i < samplesPerLink; i++) {
          String key = "figures-" + runId + "-lag-" + from + "-" + to + "-" + i;
          // A retry with the same key is safe: a placed order answers its original 201.
          Answer placed = expect(retrying(() -> api.call(a, "POST", "/orders", customer, orderJson(product),
              Map.of("Idempotency-Key", key))), 201, "order in " + from);
          String id = placed.json().path("id").asText();
          long deadline = placed.answeredNanos() + Duration.ofSeconds(30).toNanos();
          Answer read;
          do {
            read = api.get(b, "/orders/" + id, customer);
            if (read.status() != 200) {
              Thread.sleep(POLL.toMillis());
            }
          } while (read.status() != 200 && System.nanoTime() < deadline);
          if (read.status() == 200) {
            lag.add((read.answeredNanos() - placed.answeredNanos()) / 1e6);
          } else {
            lost++;
          }
        }
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("from", from);
        l.put("to", to);
        l.put("configuredOneWayDelayMs", delays.get(from + "->" + to));
        l.put("notVisibleWithin30s", lost);
        l.put("lagMs", lag.summary());
        links.add(l);
        row("  " + from + " -> " + to + " (one-way delay " + delays.get(from + "->" + to) + " ms)",
            lag.describe() + (lost > 0 ? ", " + lost + " not visible within 30 s" : ""));
      }
    }
    result.put("links", links);
    return result;
  }

  /** Partition two regions, write distinct products on each side, heal, time the convergence. */
  private Map<String, Object> convergence(int items) throws Exception {
    String a = stack.regions().get(0);
    String b = stack.regions().get(1);
    URI apiA = stack.region(a);
    URI apiB = stack.region(b);
    String prefix = "conv-" + runId + "-";
    api.control(stack.control(), "/links/" + a + "/" + b + "/partition");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("regions", List.of(a, b));
    result.put("itemsPerSide", items);
    result.put("how", "partition A B; PUT distinct products on each side (If-None-Match: *); heal; time until both "
        + "replication links' backlog is 0 and until GET /products (every page) reads identically in A and B");
    try {
      out.printf("convergence: partitioned %s | %s, writing %d products on each side ...%n", a, b, items);
      long w0 = System.nanoTime();
      List<Thread> writers = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (String side : List.of(a, b)) {
        URI sideApi = stack.region(side);
        Thread t = new Thread(() -> {
          try {
            for (int i = 0; i < items; i++) {
              createProduct(sideApi, prefix + side + "-" + i, "Converge " + side + " " + i, 100 + i);
            }
          } catch (Exception | AssertionError e) {
            failures.add(e);
          }
        }, "figures-writer-" + side);
        t.start();
        writers.add(t);
      }
      for (Thread t : writers) {
        t.join();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("writing the divergent items failed: " + failures.get(0), failures.get(0));
      }
      result.put("writeSeconds", Samples.round((System.nanoTime() - w0) / 1e9));
      Thread.sleep(2_000);
      int crossVisible = 0;
      for (int i = 0; i < items; i += Math.max(1, items / 10)) {
        crossVisible += api.get(apiB, "/products/" + prefix + a + "-" + i, customer).status() == 200 ? 1 : 0;
        crossVisible += api.get(apiA, "/products/" + prefix + b + "-" + i, customer).status() == 200 ? 1 : 0;
      }
      long backlogBefore = backlog(a, b);
      result.put("backlogBeforeHeal", backlogBefore);
      result.put("sampledItemsVisibleAcrossThePartition", crossVisible);
      out.printf("convergence: backlog %d across the partition (%d sampled items visible on the other side); healing%n",
          backlogBefore, crossVisible);
    } catch (Exception | Error e) {
      api.control(stack.control(), "/links/" + a + "/" + b + "/heal");
      throw e;
    }
    long healed = System.nanoTime();
    api.control(stack.control(), "/links/" + a + "/" + b + "/heal");
    long drained = -1;
    long deadline = healed + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (backlog(a, b) == 0) {
        drained = System.nanoTime();
        break;
      }
      Thread.sleep(100);
    }
    long identical = -1;
    int comparisons = 0;
    while (System.nanoTime() < deadline) {
      comparisons++;
      List<JsonNode> listA = listAll(apiA);
      List<JsonNode> listB = listAll(apiB);
      if (listA.equals(listB) && containsAll(listA, prefix, a, b, items)) {
        identical = System.nanoTime();
        break;
      }
      Thread.sleep(200);
    }
    result.put("backlogDrainedMs", drained < 0 ? null : Samples.round((drained - healed) / 1e6));
    result.put("identicalReadsMs", identical < 0 ? null : Samples.round((identical - healed) / 1e6));
    result.put("listingComparisons", comparisons);
    row("convergence after heal, " + items + " divergent items per side (" + a + " | " + b + ")",
        String.format(Locale.ROOT, "backlog 0 after %.1f s; both list identical catalogs %.1f s after heal",
            seconds(healed, drained), seconds(healed, identical)));
    if (identical < 0) {
      throw new IllegalStateException("the two regions did not read identically within 10 minutes of the heal");
    }
    return result;
  }

  /** {@code fail} one region; time the DNS switch and two looping clients' error windows; recover. */
  private Map<String, Object> failover() throws Exception {
    String failed = stack.regions().get(1);
    String location = failed;
    JsonNode route53 = api.status(stack.control()).path("route53");
    JsonNode check = route53.path("regions").path(failed).path("healthCheck");
    double factor = stack.endpoints.path("timeFactor").asDouble();
    long intervalMs = check.path("effectiveIntervalMillis").asLong();
    int threshold = check.path("failureThreshold").asInt();
    int ttl = route53.path("ttlSeconds").asInt();
    awaitAnswer(() -> api.get(stack.entry(), "/dns?location=" + location, null),
        a -> a.status() == 200 && a.json().path("region").asText().equals(failed), Duration.ofMinutes(3),
        "DNS answer for " + location + " = " + failed);

    FailoverClient viaProxy = new FailoverClient("through the entry's reverse proxy",
        () -> api.get(stack.entry(), "/products/latte-mug?location=" + location, customer));
    DnsCache dnsCache = new DnsCache(api, stack.entry(), location);
    FailoverClient viaDns = new FailoverClient("DNS answer cached for its TTL",
        () -> api.get(dnsCache.resolve().url(), "/products/latte-mug", customer));
    List<FailoverClient> clients = List.of(viaProxy, viaDns);
    clients.forEach(FailoverClient::start);
    long failedAt = -1;
    long detectedAt = -1;
    long recoverAt = -1;
    String routedTo = null;
    try {
      Thread.sleep(5_000);
      out.printf("failover: fail %s (refuse) at time factor %s; waiting for the DNS answer to move ...%n", failed, factor);
      failedAt = System.nanoTime();
      api.control(stack.control(), "/regions/" + failed + "/fail?mode=refuse");
      long deadline = failedAt + Duration.ofMinutes(10).toNanos();
      while (detectedAt < 0 && System.nanoTime() < deadline) {
        Answer dns = api.get(stack.entry(), "/dns?location=" + location, null);
        if (dns.status() == 200 && !dns.json().path("region").asText().equals(failed)) {
          detectedAt = dns.answeredNanos();
          routedTo = dns.json().path("region").asText();
        } else {
          Thread.sleep(250);
        }
      }
      if (detectedAt < 0) {
        throw new IllegalStateException("the DNS answer for " + location + " did not move within 10 minutes");
      }
      // Until both clients are served again: the caching one only once its cached answer expired.
      long settle = System.nanoTime() + Duration.ofSeconds(ttl + 60L).toNanos();
      long detected = detectedAt;
      while (System.nanoTime() < settle && !clients.stream().allMatch(c -> c.servedAgainAfter(detected))) {
        Thread.sleep(250);
      }
    } finally {
      for (FailoverClient c : clients) {
        c.stop();
      }
      if (failedAt >= 0) {
        recoverAt = System.nanoTime();
        api.control(stack.control(), "/regions/" + failed + "/recover");
      }
    }
    long backAt = -1;
    long deadline = recoverAt + Duration.ofMinutes(10).toNanos();
    while (backAt < 0 && System.nanoTime() < deadline) {
      Answer dns = api.get(stack.entry(), "/dns?location=" + location, null);
      if (dns.status() == 200 && dns.json().path("region").asText().equals(failed)) {
        backAt = dns.answeredNanos();
      } else {
        Thread.sleep(250);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("failedRegion", failed);
    result.put("mode", "refuse");
    result.put("clientLocation", location);
    result.put("routedTo", routedTo);
    result.put("timeFactor", factor);
    result.put("healthCheckIntervalMs", intervalMs);
    result.put("failureThreshold", threshold);
    result.put("boundMs", intervalMs * threshold);
    result.put("ttlSeconds", ttl);
    result.put("detectionMs", Samples.round((detectedAt - failedAt) / 1e6));
    result.put("routedBackAfterRecoverMs", backAt < 0 ? null : Samples.round((backAt - recoverAt) / 1e6));
    List<Map<String, Object>> summaries = new ArrayList<>();
    for (FailoverClient c : clients) {
      summaries.add(c.summary(failedAt));
    }
    result.put("clients", summaries);
    row("fail " + failed + " (refuse), time factor " + factor, String.format(Locale.ROOT,
        "DNS answer moved after %.1f s (interval %.0f s x threshold %d = %.0f s); back %.1f s after recover",
        seconds(failedAt, detectedAt), intervalMs / 1e3, threshold, intervalMs * threshold / 1e3,
        seconds(recoverAt, backAt)));
    for (FailoverClient c : clients) {
      row("  error window, client " + c.name(), c.describe(failedAt));
    }
    return result;
  }

  // ------------------------------------------------------------------ helpers

  @FunctionalInterface
  private interface Driver {
    Answer call(int i) throws Exception;
  }

  private static <T> T await(Polling.Probe<Optional<T>> probe, Duration budget, String what) throws Exception {
    return Polling.await(budget, Duration.ofMillis(100), probe, Optional::isPresent).value()
        .orElseThrow(() -> new IllegalStateException("no " + what + " within " + budget));
  }

  /** An answer {@code ok} accepts; transport errors count as not yet. */
  private static Answer awaitAnswer(Polling.Probe<Answer> probe, java.util.function.Predicate<Answer> ok, Duration budget,
      String what) throws Exception {
    String[] last = {"nothing"};
    Polling.Waited<Optional<Answer>> waited = Polling.await(budget, Duration.ofMillis(500), () -> {
      try {
        Answer a = probe.get();
        last[0] = a.status() + " " + a.body();
        return Optional.of(a);
      } catch (IOException e) {
        last[0] = e.toString();
        return Optional.<Answer>empty();
      }
    }, a -> a.isPresent() && ok.test(a.get()));
    if (!waited.met()) {
      throw new IllegalStateException(what + ": not as expected within " + budget + " (last: " + last[0] + ")");
    }
    return waited.value().orElseThrow();
  }

  /** Seconds from one nanoTime to another; NaN when the second never happened (negative). */
  private static double seconds(long fromNanos, long toNanos) {
    return toNanos < 0 ? Double.NaN : (toNanos - fromNanos) / 1e9;
  }

  /**
   * Creates a product ({@code If-None-Match: *}) and returns its ETag. A store that did not answer
   * in time (5xx) is retried; a 412 on a retry means the earlier attempt did create it.
   */
  private String createProduct(URI region, String id, String name, long amount) throws Exception {
    Answer created = retrying(() -> api.call(region, "PUT", "/products/" + id, admin, TimedHttpClient.productJson(name, amount),
        Map.of("If-None-Match", "*")));
    if (created.status() == 412) {
      return expect(retrying(() -> api.get(region, "/products/" + id, customer)), 200, "read " + id).etag();
    }
    return expect(created, 201, "create " + id).etag();
  }

  private void restock(URI region, String id, long units) throws Exception {
    expect(retrying(() -> api.call(region, "POST", "/products/" + id + "/stock", admin, "{\"units\":" + units + "}",
        Map.of())), 200, "stock " + id + " in " + region);
  }

  /** Repeats a call the store answered 5xx (it did not answer in time on a busy machine), up to 5 times. */
  private static Answer retrying(Polling.Probe<Answer> call) throws Exception {
    Answer answer = call.get();
    for (int attempt = 1; attempt < 5 && answer.status() / 100 == 5; attempt++) {
      Thread.sleep(1_000L * attempt);
      answer = call.get();
    }
    return answer;
  }

  private static Answer expect(Answer answer, int status, String what) {
    if (answer.status() != status) {
      throw new IllegalStateException(what + ": expected " + status + ", got " + answer.status() + " " + answer.body());
    }
    return answer;
  }

  private long backlog(String a, String b) throws IOException, InterruptedException {
    long total = 0;
    for (JsonNode link : api.status(stack.control()).path("replication")) {
      String from = link.path("from").asText();
      String to = link.path("to").asText();
      if ((from.equals(a) && to.equals(b)) || (from.equals(b) && to.equals(a))) {
        total += link.path("backlog").asLong();
      }
    }
    return total;
  }

  /** Every product a region lists, page by page, in id order. */
  private List<JsonNode> listAll(URI region) throws IOException, InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/products?limit=100" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      Answer page = expect(api.get(region, path, customer), 200, "GET " + path);
      page.json().path("items").forEach(all::add);
      JsonNode next = page.json().path("nextCursor");
      cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
    } while (cursor != null);
    return all;
  }

  private static boolean containsAll(List<JsonNode> listing, String prefix, String a, String b, int items) {
    long ours = listing.stream().map(n -> n.path("id").asText()).filter(id -> id.startsWith(prefix)).count();
    return ours == 2L * items;
  }

  private static String placedOrder(List<String> orders, int i) {
    if (orders.isEmpty()) {
      throw new IllegalStateException("no order was placed (every POST /orders failed), so none to read or cancel");
    }
    return orders.get(i % orders.size());
  }

  private static String orderJson(String product) {
    return "{\"lines\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}";
  }

  /** "METHOD /path" of every operation in openapi.yaml. */
  private Set<String> documentedRoutes() throws IOException {
    Map<String, Object> doc = new Yaml().load(Files.readString(stack.root.resolve("openapi.yaml")));
    Set<String> routes = new LinkedHashSet<>();
    Map<?, ?> paths = (Map<?, ?>) doc.get("paths");
    for (Map.Entry<?, ?> path : paths.entrySet()) {
      for (Object method : ((Map<?, ?>) path.getValue()).keySet()) {
        String m = method.toString().toUpperCase(Locale.ROOT);
        if (List.of("GET", "PUT", "POST", "DELETE", "PATCH").contains(m)) {
          routes.add(m + " " + path.getKey());
        }
      }
    }
    return routes;
  }

  private static String token(Path jwtDir, String sub, boolean admin) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("--sub", sub, "--dir", jwtDir.toString(), "--ttl", "12h"));
    if (admin) {
      args.add("--admin");
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = TokenCommand.run(args, new PrintStream(buffer, true), new PrintStream(errors, true));
    if (rc != 0) {
      throw new IllegalStateException("token command failed: " + errors);
    }
    String[] lines = buffer.toString(StandardCharsets.UTF_8).trim().split("\\R");
    return lines[lines.length - 1].trim();
  }

  private void row(String what, String figure) {
    table.add(String.format(Locale.ROOT, "%-62s %s", what, figure));
  }

  @SuppressWarnings("unchecked")
  private void printTable(Map<String, Object> report) {
    Map<String, Object> machine = (Map<String, Object>) report.get("machine");
    out.println();
    out.printf("Meridian local stack figures: %s regions, %s, time factor %s; %s cores, load average %s at start, %s at end%n",
        stack.regions().size(), stack.endpoints.path("mode").asText(), stack.endpoints.path("timeFactor").asText(),
        machine.get("cores"), machine.get("loadAverageAtStart"), machine.get("loadAverageAtEnd"));
    table.forEach(out::println);
    out.printf("(%.0f s in all)%n", ((Number) report.get("totalSeconds")).doubleValue());
  }

  private static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }
}
