package dev.meridian.tools.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiResponse;
import dev.meridian.testkit.Machine;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.SampleEvent;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.benchmark.BenchmarkReport.ColdSample;
import dev.meridian.tools.benchmark.BenchmarkReport.Measured;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.lambda.LambdaRuntime;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.provision.ProvisionedRegion;
import dev.meridian.tools.local.provision.Provisioner;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.TemplateResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The cold/warm start benchmark (issue #3; a benchmark, not a test): each Meridian function, and a minimal Spring
 * Boot hello-world on aws-serverless-java-container as the baseline, run from its packaged zip the way the local
 * stack runs it, which is the way Lambda does: a fresh {@code java} process under the real runtime interface
 * client, Lambda's JVM flags and a heap from the template's MemorySize, fed through a local Runtime API
 * ({@link LambdaRuntime}), against moto provisioned from template.yaml.
 *
 * <ul>
 *   <li><b>Cold</b>: the caller's wall time of an invocation that finds no execution environment: Runtime API
 *       server and {@code java} process start, the init phase (the handler's constructor: Spring, SDK clients),
 *       then the first event until its response is back. Reported with the REPORT line's Init Duration (process
 *       start to the runtime's first {@code /next}). The cold starts are interleaved across the functions, one
 *       function process alive at a time, so a change in the machine's load spreads over all of them. Every
 *       function is started once, unmeasured, before (the package is extracted, the route checked).
 *   <li><b>Warm</b>: after one cold start per function and a warm-up, invocations of the warm environments in
 *       rounds (one per function per round, the starting function rotating), each as the caller waited for it
 *       through the Runtime API; one sequential client, nothing concurrent. Each round also times one DynamoDB
 *       GetItem from this JVM straight to moto: the emulator's share of a warm figure.
 * </ul>
 *
 * Every response is checked (status, and for the baseline the body): a figure of an error path would mean
 * nothing. Run: {@code ./mvnw -B -Pbenchmark -pl tools/benchmark -am verify} (see {@link BenchmarkSettings} for the counts).
 */
public final class ColdWarmBenchmark {

  /** One measured function and the request it is measured with. */
  record Subject(String name, String logicalId, String route, int expectedStatus, Supplier<byte[]> event,
      boolean baseline) {}

  static final String BASELINE_LOGICAL_ID = "HelloWorldFunction";
  static final String BASELINE_HANDLER = "dev.meridian.tools.helloworld.HelloWorldHandler::handleRequest";
  static final Path BASELINE_ZIP = Path.of("tools/benchmark/hello-world/target/hello-world-lambda.zip");
  private static final List<String> FUNCTION_ZIPS = List.of("functions/catalog/target/catalog-lambda.zip",
      "functions/orders/target/orders-lambda.zip", "functions/health/target/health-lambda.zip", BASELINE_ZIP.toString());
  /** What the measured placements order, one unit each; catalog reads {@code cup} (events/catalog-get-product.json). */
  static final String PLACED_PRODUCT = "mug";
  /** The sample basket the prepared order uses (events/orders-post-orders.json) holds two of {@code cup}. */
  private static final int MOST_UNITS_OF_ONE_PRODUCT_PER_PLACEMENT = 2;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchmarkSettings settings;
  private final LambdaRuntime runtime;
  /** The same functions, the SnapStart ones started from the AOT cache of their published version. */
  private final LambdaRuntime published;
  private final DynamoDbClient dynamoDb;
  private final GetItemRequest emulatorProbe;
  private final List<Long> emulatorNanos = new ArrayList<>();

  private ColdWarmBenchmark(BenchmarkSettings settings, LambdaRuntime runtime, LambdaRuntime published,
      DynamoDbClient dynamoDb, String table) {
    this.settings = settings;
    this.runtime = runtime;
    this.published = published;
    this.dynamoDb = dynamoDb;
    this.emulatorProbe = GetItemRequest.builder().tableName(table).key(Map.of(
        TableDesign.PK, AttributeValue.fromS(Items.PRODUCT_PREFIX + "cup"),
        TableDesign.SK, AttributeValue.fromS(Items.PRODUCT_SK))).build();
  }

  public static void main(String[] args) {
    int status;
    try {
      run(BenchmarkSettings.from(System.getProperties()), RepositoryRoot.path());
      status = 0;
    } catch (Exception | Error e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    // moto's and the HTTP clients' threads must not keep the JVM alive once everything is closed.
    System.exit(status);
  }

  static void run(BenchmarkSettings settings, Path root) throws Exception {
    requireArtifacts(root);
    Machine machine = Machine.current();
    System.out.printf("Cold/warm benchmark: %d cold starts and %,d warm invocations (after %d warm-up) per function%n",
        settings.coldStarts(), settings.warmInvocations(), settings.warmUp());
    System.out.println("machine: " + machine.describe());
    System.out.println("load average at start: " + machine.loadAverage());

    Path work = settings.output().toAbsolutePath().getParent().resolve("cold-warm-benchmark");
    try (MotoServer moto = MotoServer.start()) {
      Samconfig samconfig = Samconfig.load(root.resolve("samconfig.toml"));
      // The sample events in events/ carry these app clients' tokens (as API Gateway passes their claims).
      LocalDeployment deployment = LocalDeployment.builder(samconfig).jwtClients(FunctionEnvironment.CUSTOMER_CLIENT,
          FunctionEnvironment.ADMIN_CLIENT, FunctionEnvironment.OPERATIONS_CLIENT).build();
      List<RegionModel> models = deployment.models(TemplateResolver.load(root.resolve("template.yaml")));
      List<ProvisionedRegion> provisioned;
      try (Provisioner provisioner = new Provisioner(moto.endpoint())) {
        provisioned = provisioner.provisionAll(models);
      }
      RegionModel home = models.get(0);
      List<FunctionSpec> functions = functionsOf(home, provisioned.get(0));
      System.out.println("moto " + moto.endpoint() + ", provisioned from template.yaml: " + deployment.regions()
          + "; functions run in " + home.region() + "; logs in " + work.resolve("logs"));
      PlatformFigures figures = new PlatformFigures();
      LambdaRuntime.Options withoutCache = new LambdaRuntime.Options(root, work.resolve("work"), work.resolve("logs"),
          Map.of("AWS_ENDPOINT_URL", moto.endpoint().toString()), figures::accept, "123456789012", "meridian",
          Duration.ofSeconds(60), Duration.ofSeconds(2), false);
      try (LambdaRuntime runtime = new LambdaRuntime(home.region(), functions, withoutCache);
          LambdaRuntime published = new LambdaRuntime(home.region(), functions,
              withoutCache.withAotCache(true).withLogDir(work.resolve("logs-published")));
          DynamoDbClient dynamoDb = moto.dynamoDb(home.region())) {
        // The training runs first, alone: none may slow the cold starts or the preparation.
        if (!published.awaitPublished(Duration.ofMinutes(10))) {
          throw new IllegalStateException("the SnapStart functions' versions were not published within 10 minutes");
        }
        ColdWarmBenchmark benchmark = new ColdWarmBenchmark(settings, runtime, published, dynamoDb,
            provisioned.get(0).tableName());
        List<Measured> measured = benchmark.measure(functions, figures);
        BenchmarkReport report = new BenchmarkReport(settings, machine, Machine.loadAverageNow(), measured,
            benchmark.emulatorNanos);
        System.out.println();
        System.out.print(figures.publishReports());
        System.out.println();
        System.out.print(report.table());
        System.out.println(report.emulatorFloor());
        System.out.println();
        System.out.print(report.coldSamples());
        System.out.println();
        System.out.println("Where each cold start goes (medians, ms; the phases are the function's own InitPhases line):");
        System.out.print(report.breakdown());
        System.out.println("load average at start: " + machine.loadAverage() + "; at end: " + Machine.loadAverageNow());
        Map<String, AttributeValue> head = dynamoDb.getItem(b -> b.tableName(provisioned.get(0).tableName())
            .key(Items.shardKey(ProductId.of(PLACED_PRODUCT), home.region(), StockAllocation.HEAD)).consistentRead(true)).item();
        long itemBytes = ItemSize.of(head);
        System.out.printf("%s's head stock shard in %s after the run: %,d bytes as DynamoDB sizes an item (limit 409,600;"
            + " it keeps counters only, however many orders hold its units)%n", PLACED_PRODUCT, home.region(), itemBytes);
        ObjectNode json = report.json();
        json.putObject("placedStock").put("product", PLACED_PRODUCT).put("headShardBytes", itemBytes);
        writeJson(settings.output(), json);
        System.out.println("results: " + settings.output().toAbsolutePath());
      }
    }
  }

  /** The home region's functions as the template declares them (environment resolved by provisioning), plus the baseline. */
  private static List<FunctionSpec> functionsOf(RegionModel home, ProvisionedRegion provisioned) {
    List<FunctionSpec> functions = new ArrayList<>();
    for (FunctionSpec f : home.functions()) {
      functions.add(new FunctionSpec(f.logicalId(), f.handler(), f.runtime(), f.codeUri(), f.memoryMb(),
          f.timeoutSeconds(), provisioned.functionEnvironment(f.logicalId()), f.events(), null, f.snapStart()));
    }
    FunctionSpec catalog = spec(functions, "CatalogFunction");
    // Same runtime, memory (so heap), timeout and SnapStart (so JVM flags) as the Spring functions; no environment
    // of its own. Its published version's training run is its init alone: it has no priming.
    functions.add(new FunctionSpec(BASELINE_LOGICAL_ID, BASELINE_HANDLER, catalog.runtime(), BASELINE_ZIP,
        catalog.memoryMb(), catalog.timeoutSeconds(), Map.of(), List.of(), null, true));
    return functions;
  }

  private List<Measured> measure(List<FunctionSpec> functions, PlatformFigures figures) {
    String orderId = prepare();
    List<Subject> subjects = subjects(orderId);
    for (Subject subject : subjects) {
      invoke(runtime, subject, subject.event().get());
      if (snapStart(functions, subject)) {
        // Waits for the published version's training run: none runs while cold starts are measured.
        invoke(published, subject, subject.event().get());
      }
    }
    subjects.forEach(s -> runtime.recycle(s.logicalId(), java.time.Duration.ofSeconds(60)));
    subjects.forEach(s -> published.recycle(s.logicalId(), java.time.Duration.ofSeconds(60)));
    System.out.println("checked: every measured request answers as expected, without and with the AOT cache");

    Map<String, List<ColdSample>> cold = new LinkedHashMap<>();
    Map<String, List<ColdSample>> cachedCold = new LinkedHashMap<>();
    subjects.forEach(s -> {
      cold.put(s.name(), new ArrayList<>());
      cachedCold.put(s.name(), new ArrayList<>());
    });
    for (int round = 0; round < settings.coldStarts(); round++) {
      for (Subject subject : rotated(subjects, round)) {
        cold.get(subject.name()).add(printed(round, subject, "", coldStart(runtime, subject)));
        if (snapStart(functions, subject)) {
          cachedCold.get(subject.name()).add(printed(round, subject, " (AOT cache)", coldStart(published, subject)));
        }
      }
    }

    java.util.Set<String> started = new java.util.HashSet<>();
    for (Subject subject : subjects) {
      if (invoke(runtime, subject, subject.event().get()).coldStart() != started.add(subject.logicalId())) {
        throw new IllegalStateException(subject.name() + ": one cold start per function was expected before the "
            + "warm series, and no more");
      }
    }
    for (int i = 0; i < settings.warmUp(); i++) {
      for (Subject subject : rotated(subjects, i)) {
        warmInvocation(subject);
      }
      emulatorRoundTrip();
    }
    System.out.printf("warm-up done (%d per function); measuring %,d warm invocations per function%n",
        settings.warmUp(), settings.warmInvocations());
    Map<String, List<Long>> warm = new LinkedHashMap<>();
    Map<String, List<Long>> durations = new LinkedHashMap<>();
    subjects.forEach(s -> {
      warm.put(s.name(), new ArrayList<>(settings.warmInvocations()));
      durations.put(s.name(), new ArrayList<>(settings.warmInvocations()));
    });
    for (int i = 0; i < settings.warmInvocations(); i++) {
      for (Subject subject : rotated(subjects, i)) {
        long[] timed = warmInvocation(subject);
        warm.get(subject.name()).add(timed[0]);
        durations.get(subject.name()).add(timed[1]);
      }
      emulatorNanos.add(emulatorRoundTrip());
      if ((i + 1) % 250 == 0) {
        System.out.printf("warm %,d/%,d%n", i + 1, settings.warmInvocations());
      }
    }
    subjects.forEach(s -> runtime.recycle(s.logicalId(), java.time.Duration.ofSeconds(60)));

    List<Measured> measured = new ArrayList<>();
    for (Subject subject : subjects) {
      FunctionSpec spec = spec(functions, subject.logicalId());
      measured.add(new Measured(subject.name(), spec.handler(), subject.route(), spec.memoryMb(), subject.baseline(),
          cold.get(subject.name()), cachedCold.get(subject.name()), warm.get(subject.name()),
          durations.get(subject.name()), figures.maxMemoryUsedMb(subject.logicalId())));
    }
    return measured;
  }

  /**
   * The measured requests, from the sample events in {@code events/}: catalog reads the product {@code cup}; orders
   * reads the order placed in preparation, and places new ones (one unit of {@link #PLACED_PRODUCT} under a fresh
   * Idempotency-Key each time, so every one is a real placement: one TransactWriteItems of the order item, its hold
   * and the stock shard's decrement; a product catalog does not read, so that its reads stay comparable with runs
   * made when placements grew the product's allocation item); health answers a Route 53 checker; the baseline gets
   * the health sample's public,
   * authorizer-less event re-pointed at {@code GET /hello}.
   */
  private static List<Subject> subjects(String orderId) {
    byte[] getProduct = bytes(SampleEvent.load("catalog-get-product").toJson());
    byte[] getOrder = bytes(SampleEvent.load("orders-get-order").pathParameter("id", orderId).toJson());
    SampleEvent placement = SampleEvent.load("orders-post-orders")
        .body("{\"lines\":[{\"productId\":\"" + PLACED_PRODUCT + "\",\"quantity\":1}]}");
    Supplier<byte[]> placeOrder = () -> bytes(placement.header("idempotency-key", "bench-" + UUID.randomUUID()).toJson());
    byte[] getHealth = bytes(SampleEvent.load("health-get-health").toJson());
    SampleEvent hello = SampleEvent.load("health-get-health");
    hello.tree().put("routeKey", "GET /hello").put("rawPath", "/hello");
    ((ObjectNode) hello.tree().get("requestContext")).put("routeKey", "GET /hello");
    ((ObjectNode) hello.tree().at("/requestContext/http")).put("path", "/hello");
    byte[] getHello = bytes(hello.toJson());
    return List.of(
        new Subject("catalog", "CatalogFunction", "GET /products/{id}", 200, () -> getProduct, false),
        new Subject("orders", "OrdersFunction", "GET /orders/{id}", 200, () -> getOrder, false),
        new Subject("orders, place", "OrdersFunction", "POST /orders", 201, placeOrder, false),
        new Subject("health", "HealthFunction", "GET /health", 200, () -> getHealth, false),
        new Subject("hello-world", BASELINE_LOGICAL_ID, "GET /hello", 200, () -> getHello, true));
  }

  /**
   * Seeds what the measured requests need, through the functions themselves: the sample's products with stock for
   * every order the run places, this region's heartbeat, and one order to read. Returns that order's id. Every
   * function has then started once, unmeasured (its package extracted); each is stopped again.
   */
  private String prepare() {
    int placements = 3 + settings.coldStarts() + settings.warmUp() + settings.warmInvocations();
    int units = MOST_UNITS_OF_ONE_PRODUCT_PER_PLACEMENT * placements;
    for (String product : List.of("cup", "mug")) {
      SampleEvent create = SampleEvent.load("catalog-put-product").pathParameter("id", product)
          .body("{\"name\":\"" + product + "\",\"description\":\"benchmark product\","
              + "\"price\":{\"amount\":450,\"currency\":\"EUR\"},\"active\":true}")
          .header("if-none-match", "*");
      ((ObjectNode) create.tree().get("headers")).remove("if-match");
      invokeExpecting("CatalogFunction", bytes(create.toJson()), 201);
      SampleEvent restock = SampleEvent.load("catalog-post-stock").pathParameter("id", product)
          .body("{\"units\":" + units + "}");
      invokeExpecting("CatalogFunction", bytes(restock.toJson()), 200);
    }
    InvokeResult beat = runtime.invoke("HealthFunction", bytes(SampleEvent.load("health-heartbeat-schedule").toJson()));
    if (!beat.succeeded()) {
      throw new IllegalStateException("the heartbeat schedule failed: " + text(beat.payload()));
    }
    byte[] order = bytes(SampleEvent.load("orders-post-orders").header("idempotency-key", "benchmark-" + UUID.randomUUID())
        .toJson());
    String orderId = invokeExpecting("OrdersFunction", order, 201).json().path("id").asText();
    if (orderId.isEmpty()) {
      throw new IllegalStateException("POST /orders answered no order id");
    }
    System.out.println("prepared: products cup and mug stocked with " + units + " units each, heartbeat written, "
        + "order " + orderId + " placed");
    return orderId;
  }

  private static boolean snapStart(List<FunctionSpec> functions, Subject subject) {
    return spec(functions, subject.logicalId()).snapStart();
  }

  private ColdSample printed(int round, Subject subject, String variant, ColdSample sample) {
    System.out.printf("cold %d/%d %-14s %,6d ms (Init Duration %,d ms, first invocation %,d ms)%s%n", round + 1,
        settings.coldStarts(), subject.name(), sample.totalNanos() / 1_000_000, sample.initNanos() / 1_000_000,
        sample.firstInvocationNanos() / 1_000_000, variant);
    return sample;
  }

  private static ColdSample coldStart(LambdaRuntime runtime, Subject subject) {
    runtime.recycle(subject.logicalId(), java.time.Duration.ofSeconds(60));
    byte[] event = subject.event().get();
    long started = System.nanoTime();
    InvokeResult result = runtime.invoke(subject.logicalId(), event);
    long total = System.nanoTime() - started;
    check(runtime, subject, result);
    if (!result.coldStart()) {
      throw new IllegalStateException(subject.name() + ": expected a cold start");
    }
    Duration init = runtime.status(subject.logicalId()).lastInitDuration();
    Map<String, Long> phases = lastInitPhases(runtime.status(subject.logicalId()).logFile());
    runtime.recycle(subject.logicalId(), java.time.Duration.ofSeconds(60));
    return new ColdSample(total, init.toNanos(), result.duration().toNanos(), phases);
  }

  private static final java.util.regex.Pattern INIT_PHASES = java.util.regex.Pattern.compile(
      java.util.regex.Pattern.quote(dev.meridian.bootstrap.InitPhases.MESSAGE) + "((?: [a-z_]+=[0-9]+)+)");

  /** The init phases the function's last init logged ({@code InitPhases}), in order; empty when it logs none. */
  static Map<String, Long> lastInitPhases(Path functionLog) {
    List<String> lines;
    try {
      lines = Files.readAllLines(functionLog, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Map.of();
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      Map<String, Long> phases = initPhases(lines.get(i));
      if (!phases.isEmpty()) {
        return phases;
      }
    }
    return Map.of();
  }

  /** The phases of one log line, if it is an {@code InitPhases} line (JSON or text); else empty. */
  static Map<String, Long> initPhases(String logLine) {
    java.util.regex.Matcher found = INIT_PHASES.matcher(logLine);
    if (!found.find()) {
      return Map.of();
    }
    Map<String, Long> phases = new LinkedHashMap<>();
    for (String pair : found.group(1).trim().split(" ")) {
      phases.put(pair.substring(0, pair.indexOf('=')), Long.parseLong(pair.substring(pair.indexOf('=') + 1)));
    }
    return phases;
  }

  /** {caller's wall time, REPORT Duration} in nanoseconds. */
  private long[] warmInvocation(Subject subject) {
    byte[] event = subject.event().get();
    long started = System.nanoTime();
    InvokeResult result = runtime.invoke(subject.logicalId(), event);
    long elapsed = System.nanoTime() - started;
    check(runtime, subject, result);
    if (result.coldStart()) {
      throw new IllegalStateException(subject.name() + ": its execution environment was replaced during the warm "
          + "series (see " + runtime.status(subject.logicalId()).logFile() + ")");
    }
    return new long[] {elapsed, result.duration().toNanos()};
  }

  /**
   * One GetItem of a product straight from this JVM: what a single DynamoDB call to moto costs at this moment,
   * without any function in between. Each function's request makes at least one such call.
   */
  private long emulatorRoundTrip() {
    long started = System.nanoTime();
    boolean found = dynamoDb.getItem(emulatorProbe).hasItem();
    long elapsed = System.nanoTime() - started;
    if (!found) {
      throw new IllegalStateException("moto lost the product item " + emulatorProbe.key());
    }
    return elapsed;
  }

  private static InvokeResult invoke(LambdaRuntime runtime, Subject subject, byte[] event) {
    InvokeResult result = runtime.invoke(subject.logicalId(), event);
    check(runtime, subject, result);
    return result;
  }

  private HttpApiResponse invokeExpecting(String logicalId, byte[] event, int status) {
    InvokeResult result = runtime.invoke(logicalId, event);
    HttpApiResponse response = result.succeeded() ? HttpApiResponse.parse(result.payload()) : null;
    if (response == null || response.status() != status) {
      throw new IllegalStateException(logicalId + " answered " + result.status() + "/"
          + (response == null ? "-" : response.status()) + " instead of " + status + ": " + text(result.payload()));
    }
    return response;
  }

  private static void check(LambdaRuntime runtime, Subject subject, InvokeResult result) {
    if (!result.succeeded()) {
      throw new IllegalStateException(subject.name() + ": " + result.status() + " " + text(result.payload())
          + " (log: " + runtime.status(subject.logicalId()).logFile() + ")");
    }
    HttpApiResponse response = HttpApiResponse.parse(result.payload());
    if (response.status() != subject.expectedStatus()) {
      throw new IllegalStateException(subject.name() + " answered " + response.status() + " instead of "
          + subject.expectedStatus() + ": " + response.body());
    }
    if (subject.baseline() && !"Hello, world!".equals(response.body())) {
      throw new IllegalStateException("the baseline answered " + response.body());
    }
  }

  private static <T> List<T> rotated(List<T> items, int by) {
    List<T> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(items.get((i + by) % items.size()));
    }
    return out;
  }

  private static FunctionSpec spec(List<FunctionSpec> functions, String logicalId) {
    return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
        .orElseThrow(() -> new IllegalStateException("template.yaml has no function " + logicalId));
  }

  private static void requireArtifacts(Path root) {
    List<String> missing = FUNCTION_ZIPS.stream().filter(zip -> !Files.isRegularFile(root.resolve(zip))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("missing " + missing + " under " + root
          + ": build them first (./mvnw -B -Pbenchmark -pl tools/benchmark -am verify builds and runs)");
    }
  }

  private static void writeJson(Path file, ObjectNode json) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Files.writeString(absolute, JSON.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] payload) {
    String s = new String(payload, StandardCharsets.UTF_8);
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }
}
