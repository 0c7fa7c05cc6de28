package dev.meridian.tools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.local.control.ControlApi;
import dev.meridian.tools.local.control.FisExperiments;
import dev.meridian.tools.local.control.StackControl;
import dev.meridian.tools.local.dns.Route53StandIn;
import dev.meridian.tools.local.dns.RoutingMode;
import dev.meridian.tools.local.events.EventLinks;
import dev.meridian.tools.local.gateway.HttpApiGateway;
import dev.meridian.tools.local.jwt.DevIssuer;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import dev.meridian.tools.local.lambda.EnvironmentBudget;
import dev.meridian.tools.local.lambda.LambdaRuntime;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.provision.ProvisionedRegion;
import dev.meridian.tools.local.provision.Provisioner;
import dev.meridian.tools.local.proxy.StallableProxy;
import dev.meridian.tools.local.replication.RegionLatency;
import dev.meridian.tools.local.replication.ReplicationHub;
import dev.meridian.tools.local.sources.EventSources;
import dev.meridian.tools.local.sources.QueueRef;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.TemplateResolver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The local multi-region stack: moto holding every region, the template's resources provisioned
 * per region, each function in its own JVM behind the Lambda Runtime API, an HTTP API per region,
 * event sources and schedules, global-table replication, cross-region event links, a Route 53
 * stand-in as the global entry point, and a control API. Everything listens on loopback.
 */
public final class MultiRegionStack implements StackControl, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * How to start the stack.
   *
   * @param maxEnvironments            execution environments alive at once across the stack
   *                                   ({@code --max-environments})
   * @param maxEnvironmentsPerFunction environments of one function without reserved concurrency
   *                                   ({@code --max-environments-per-function})
   * @param idleTimeout                how long an environment may stay idle before it is stopped
   *                                   ({@code --idle-timeout})
   * @param parameters                 template parameters overridden in every region, validated like
   *                                   samconfig's (e.g. {@code StandbyReservePercent} from
   *                                   {@code --standby-reserve-percent})
   */
  public record Options(Path root, int regionCount, String mode, double timeFactor, URI endpoint, int entryPort,
      int controlPort, boolean seed, PrintStream out, int maxEnvironments, int maxEnvironmentsPerFunction,
      Duration idleTimeout, Map<String, String> parameters) {

    public Options {
      parameters = Map.copyOf(parameters);
    }

    /** With samconfig's template parameters. */
    public Options(Path root, int regionCount, String mode, double timeFactor, URI endpoint, int entryPort,
        int controlPort, boolean seed, PrintStream out, int maxEnvironments, int maxEnvironmentsPerFunction,
        Duration idleTimeout) {
      this(root, regionCount, mode, timeFactor, endpoint, entryPort, controlPort, seed, out, maxEnvironments,
          maxEnvironmentsPerFunction, idleTimeout, Map.of());
    }

    /** With the default scaling: 16 environments, 3 per function, 300 s idle timeout. */
    public Options(Path root, int regionCount, String mode, double timeFactor, URI endpoint, int entryPort,
        int controlPort, boolean seed, PrintStream out) {
      this(root, regionCount, mode, timeFactor, endpoint, entryPort, controlPort, seed, out, EnvironmentBudget.DEFAULT_MAX,
          LambdaRuntime.Scaling.DEFAULT_MAX_PER_FUNCTION, LambdaRuntime.Scaling.DEFAULT_IDLE_TIMEOUT);
    }
  }

  /** One running region. */
  private record Region(String name, RegionModel model, ProvisionedRegion provisioned, StallableProxy dynamoDb,
      LambdaRuntime runtime, HttpApiGateway gateway, EventSources sources) {}

  /** How long a function verb waits for an invocation in flight before giving up. */
  private static final Duration FUNCTION_IDLE_WAIT = Duration.ofSeconds(60);

  private final Options options;
  private final Path stateDir;
  private final StackLog stackLog;
  /** Lines for the console and the stack log. */
  private final Consumer<String> log;
  /** Per-request and per-invocation lines (REPORT, access log): the stack log only. */
  private final Consumer<String> detail;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, Region> regions = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** One budget for every region's functions: they all run on this machine. */
  private final LambdaRuntime.Scaling scaling;
  private MotoServer moto;
  private URI endpoint;
  private DevIssuer issuer;
  private ReplicationHub replication;
  /** The table's name (the same in every region), in endpoints.json for tools that read the replicas, such as the drill's audit. */
  private String table;
  private EventLinks eventLinks;
  private Route53StandIn route53;
  private ControlApi controlApi;
  private Instant startedAt;
  private Duration readyAfter;

  private MultiRegionStack(Options options) {
    this.options = options;
    this.stateDir = options.root().resolve(".local-stack");
    this.stackLog = new StackLog(stateDir.resolve("logs").resolve("stack.log"), options.out());
    this.log = stackLog::important;
    this.detail = stackLog::detail;
    this.scaling = new LambdaRuntime.Scaling(new EnvironmentBudget(options.maxEnvironments()),
        options.maxEnvironmentsPerFunction(), options.idleTimeout());
  }

  /** Starts everything and returns once every region's /health answered 200. */
  public static MultiRegionStack up(Options options) throws Exception {
    MultiRegionStack stack = new MultiRegionStack(options);
    try {
      stack.start();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  private void start() throws Exception {
    startedAt = Instant.now();
    Files.createDirectories(stateDir.resolve("logs"));
    requireArtifacts();
    if (options.endpoint() == null) {
      moto = MotoServer.start();
      started.add(moto);
      endpoint = moto.endpoint();
      log.accept("emulator: moto (DynamoDB serialized) at " + endpoint);
    } else {
      endpoint = options.endpoint();
      log.accept("emulator: " + endpoint + " (given)");
    }

    Samconfig samconfig = Samconfig.load(options.root().resolve("samconfig.toml"));
    issuer = DevIssuer.start(stateDir.resolve("jwt"), 0, DevIssuer.Clients.LOCAL);
    started.add(issuer);
    LocalDeployment.Builder chosen = LocalDeployment.builder(samconfig)
        .regionCount(options.regionCount())
        .deploymentMode(options.mode())
        .jwtIssuer(issuer.issuer())
        .jwtClients(issuer.clients().customer(), issuer.clients().admin(), issuer.clients().operations());
    options.parameters().forEach(chosen::parameter);
    LocalDeployment deployment = chosen.build();
    TemplateResolver resolver = TemplateResolver.load(options.root().resolve("template.yaml"));
    List<RegionModel> models = deployment.models(resolver);
    List<ProvisionedRegion> provisioned;
    try (Provisioner provisioner = new Provisioner(endpoint)) {
      provisioned = provisioner.provisionAll(models);
    }
    log.accept("provisioned from template.yaml: " + deployment.regions() + " (" + options.mode() + ", home "
        + deployment.homeRegion() + ")");

    RegionLatency latency = RegionLatency.defaults();
    table = provisioned.get(0).tableName();
    replication = new ReplicationHub(endpoint, table, deployment.regions(), latency, Duration.ofMillis(10), log);
    started.add(replication);
    replication.start();
    List<EventLinks.ForwardingTarget> targets = new ArrayList<>();
    for (ProvisionedRegion p : provisioned) {
      for (ProvisionedRegion.ForwardingTarget t : p.forwardingTargets()) {
        if (!t.targetRegion().equals(t.fromRegion())) {
          targets.add(new EventLinks.ForwardingTarget(t.fromRegion(), t.ruleName(), t.sourceBusName(), t.targetId(),
              t.targetRegion(), t.targetBusName()));
        }
      }
    }
    eventLinks = new EventLinks(endpoint, targets, latency, Duration.ofMillis(10), log);
    started.add(eventLinks);
    eventLinks.start();

    Map<String, URI> baseUrls = new LinkedHashMap<>();
    Map<String, DnsSpec> dns = new LinkedHashMap<>();
    for (int i = 0; i < models.size(); i++) {
      RegionModel model = models.get(i);
      ProvisionedRegion p = provisioned.get(i);
      Region region = startRegion(model, p);
      regions.put(region.name(), region);
      baseUrls.put(region.name(), region.gateway().baseUri());
      resolver.resolveDnsAssumingCustomDomain(deployment.stack(region.name())).ifPresent(d -> dns.put(region.name(), d));
    }
    route53 = new Route53StandIn(RoutingMode.parse(options.mode()), dns, baseUrls, latency, options.timeFactor(),
        Route53StandIn.Options.defaults().withPort(options.entryPort()), log);
    started.add(route53);
    route53.start();
    controlApi = new ControlApi(options.controlPort(), this);
    started.add(controlApi);
    controlApi.start();

    // A deployment publishes its SnapStart versions before it takes traffic: so does this stack (a training run
    // per function the first time, while the checkers already probe health), so none runs under a caller's load.
    for (Region region : regions.values()) {
      if (!region.runtime().awaitPublished(Duration.ofMinutes(5))) {
        log.accept("publishing " + region.name() + "'s SnapStart functions takes over 5 minutes; going on");
      }
    }
    awaitHealthy(Duration.ofMinutes(3));
    if (options.seed()) {
      new Seeder(http, issuer, baseUrls, deployment.homeRegion(), log).seed();
    }
    readyAfter = Duration.between(startedAt, Instant.now());
    writeEndpoints(deployment);
    printReady();
  }

  private Region startRegion(RegionModel model, ProvisionedRegion p) throws IOException {
    List<FunctionSpec> functions = new ArrayList<>();
    for (FunctionSpec f : model.functions()) {
      Map<String, String> env = new HashMap<>(p.functionEnvironment(f.logicalId()));
      // The heartbeat schedule runs time-factor faster, so the health check must expect beats that often.
      if (env.containsKey("HEARTBEAT_INTERVAL_MS")) {
        long scaled = Math.max(100, Math.round(Long.parseLong(env.get("HEARTBEAT_INTERVAL_MS")) * options.timeFactor()));
        env.put("HEARTBEAT_INTERVAL_MS", Long.toString(scaled));
      }
      // So is the reconciler's pending-stock sweep: a 202 order is settled time-factor sooner too.
      if (env.containsKey("PENDING_STOCK_TIMEOUT_SECONDS")) {
        long scaled = Math.max(1, Math.round(Long.parseLong(env.get("PENDING_STOCK_TIMEOUT_SECONDS")) * options.timeFactor()));
        env.put("PENDING_STOCK_TIMEOUT_SECONDS", Long.toString(scaled));
      }
      functions.add(f.withEnvironment(env));
    }
    // Functions reach DynamoDB through the region's own proxy (AWS_ENDPOINT_URL_DYNAMODB wins over
    // AWS_ENDPOINT_URL in the SDK), so stall-dynamodb can make it hang for this region alone.
    StallableProxy dynamoDb = new StallableProxy("dynamodb-" + model.region(), endpoint);
    started.add(dynamoDb);
    Map<String, String> extra = Map.of("AWS_ENDPOINT_URL", endpoint.toString(),
        "AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.url().toString());
    LambdaRuntime runtime = new LambdaRuntime(model.region(), functions, new LambdaRuntime.Options(options.root(),
        stateDir.resolve("work"), stateDir.resolve("logs"), extra, detail, "123456789012", "meridian",
        Duration.ofSeconds(60), Duration.ofSeconds(3), true), scaling);
    started.add(runtime);
    HttpApiGateway gateway = HttpApiGateway.builder(model.region(), model.api(), functions, runtime)
        .authorizers(authorizers(model.api()))
        .accessLog(line -> detail.accept("[" + model.region() + "] " + line))
        .start();
    started.add(gateway);
    Map<String, QueueRef> queues = new HashMap<>();
    p.queueUrls().forEach((logicalId, url) -> queues.put(logicalId, new QueueRef(logicalId, url, p.queueArns().get(logicalId))));
    EventSources sources = EventSources.start(new EventSources.Config(model.region(), endpoint, functions, queues,
        p.tableStreamArns(), runtime, options.timeFactor()));
    started.add(sources);
    log.accept("region " + model.region() + ": HTTP API " + gateway.baseUri() + ", " + functions.size() + " functions");
    return new Region(model.region(), model, p, dynamoDb, runtime, gateway, sources);
  }

  private void requireArtifacts() {
    List<String> missing = new ArrayList<>();
    for (String zip : List.of("functions/catalog/target/catalog-lambda.zip", "functions/orders/target/orders-lambda.zip",
        "functions/health/target/health-lambda.zip", "functions/publisher/target/publisher-lambda.zip",
        "functions/reconciler/target/reconciler-lambda.zip")) {
      if (!Files.isRegularFile(options.root().resolve(zip))) {
        missing.add(zip);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("missing function artifacts " + missing + ": run ./mvnw -q package -DskipTests first");
    }
  }

  private void awaitHealthy(Duration budget) throws InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    for (Region region : regions.values()) {
      URI health = region.gateway().baseUri().resolve("/health");
      while (true) {
        try {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("region " + region.name() + " did not answer /health 200 within " + budget);
        }
        Thread.sleep(500);
      }
    }
  }

  private void writeEndpoints(LocalDeployment deployment) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pid", ProcessHandle.current().pid());
    out.put("mode", options.mode());
    out.put("timeFactor", options.timeFactor());
    out.put("emulator", endpoint.toString());
    out.put("table", table);
    out.put("entry", route53.url().toString());
    out.put("control", "http://127.0.0.1:" + controlApi.port());
    out.put("issuer", issuer.issuer());
    out.put("clients", Map.of("customer", issuer.clients().customer(), "admin", issuer.clients().admin(),
        "operations", issuer.clients().operations()));
    out.put("homeRegion", deployment.homeRegion());
    Map<String, Object> regionUrls = new LinkedHashMap<>();
    regions.values().forEach(r -> regionUrls.put(r.name(), Map.of("url", r.gateway().baseUri().toString(),
        "health", r.gateway().baseUri().resolve("/health").toString())));
    out.put("regions", regionUrls);
    out.put("logs", stateDir.resolve("logs").toString());
    out.put("readyAfterMillis", readyAfter.toMillis());
    Files.writeString(stateDir.resolve("endpoints.json"), JSON.writeValueAsString(out));
  }

  private void printReady() {
    log.accept("");
    log.accept("Meridian local stack ready in " + readyAfter.toMillis() + " ms (" + regions.size() + " regions, "
        + options.mode() + ", time factor " + options.timeFactor() + ")");
    regions.values().forEach(r -> log.accept("  " + r.name() + "  " + r.gateway().baseUri()));
    log.accept("  global entry (Route 53 stand-in)  " + route53.url() + "   DNS answers: " + route53.url().resolve("/dns?location=dublin"));
    log.accept("  control API  http://127.0.0.1:" + controlApi.port() + "/status");
    log.accept("  logs         " + stateDir.resolve("logs") + "  (stack.log: REPORT lines, access log; <region>/<function>.log)");
    log.accept("  endpoints    " + stateDir.resolve("endpoints.json"));
    log.accept("  tokens       ./tools/local/stack token --sub alice   (add --admin for catalog writes and control)");
  }

  // ------------------------------------------------------------------ StackControl

  @Override
  public void fail(String region, FailMode mode) {
    Region r = region(region);
    try {
      r.gateway().setMode(mode == FailMode.REFUSE ? HttpApiGateway.Mode.REFUSE : HttpApiGateway.Mode.BLACKHOLE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot fail " + region + ": " + e.getMessage(), e);
    }
    r.sources().pauseAll();
    replication.fail(region);
    eventLinks.fail(region);
    log.accept("control: failed " + region + " (" + mode + ")");
  }

  @Override
  public void recover(String region) {
    Region r = region(region);
    try {
      r.gateway().setMode(HttpApiGateway.Mode.OPEN);
    } catch (IOException e) {
      throw new IllegalStateException("cannot recover " + region + ": " + e.getMessage(), e);
    }
    r.sources().resumeAll();
    replication.recover(region);
    eventLinks.recover(region);
    log.accept("control: recovered " + region);
  }

  @Override
  public void partition(String a, String b, Links links) {
    cut(a, b, links, true);
    log.accept("control: partitioned " + a + " | " + b + " (" + links + ")");
  }

  @Override
  public void heal(String a, String b, Links links) {
    cut(a, b, links, false);
    log.accept("control: healed " + a + " - " + b + " (" + links + ")");
  }

  /** Cuts ({@code partitioned}) or restores the chosen links between two regions, both ways. */
  private void cut(String a, String b, Links links, boolean partitioned) {
    region(a);
    region(b);
    if (links != Links.EVENTS) {
      if (partitioned) {
        replication.partition(a, b);
      } else {
        replication.heal(a, b);
      }
    }
    if (links != Links.REPLICATION) {
      if (partitioned) {
        eventLinks.partition(a, b);
      } else {
        eventLinks.heal(a, b);
      }
    }
  }

  @Override
  public void delay(String a, String b, Duration oneWay) {
    region(a);
    region(b);
    replication.delay(a, b, oneWay);
    eventLinks.delay(a, b, oneWay);
    log.accept("control: delay " + a + " <-> " + b + " = " + oneWay.toMillis() + " ms one way");
  }

  @Override
  public void stallDynamoDb(String region, boolean stalled) {
    region(region).dynamoDb().setStalled(stalled);
    log.accept("control: DynamoDB of " + region + (stalled ? " stalled (its functions' calls hang)" : " answering again"));
  }

  @Override
  public Map<String, Object> recycleFunction(String region, String function) {
    Region r = region(region);
    String logicalId = functionId(r, function);
    boolean wasRunning = r.runtime().recycle(logicalId, FUNCTION_IDLE_WAIT);
    log.accept("control: recycled " + logicalId + " in " + region + (wasRunning ? "" : " (it was not running)"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("region", region);
    out.put("function", logicalId);
    out.put("stopped", wasRunning);
    return out;
  }

  @Override
  public Map<String, Object> setFunctionTimeout(String region, String function, Integer seconds) {
    Region r = region(region);
    String logicalId = functionId(r, function);
    int effective = r.runtime().setTimeout(logicalId, seconds, FUNCTION_IDLE_WAIT);
    log.accept("control: " + logicalId + " in " + region + " now times out after " + effective + " s"
        + (seconds == null ? " (the template's value)" : ""));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("region", region);
    out.put("function", logicalId);
    out.put("timeoutSeconds", effective);
    return out;
  }

  /** A function by logical id ({@code CatalogFunction}) or short name ({@code catalog}), any case. */
  private static String functionId(Region r, String name) {
    for (String id : r.runtime().functionLogicalIds()) {
      if (id.equalsIgnoreCase(name) || id.equalsIgnoreCase(name + "Function")) {
        return id;
      }
    }
    throw new IllegalArgumentException("unknown function " + name + "; " + r.name() + " runs "
        + r.runtime().functionLogicalIds());
  }

  @Override
  public Map<String, Object> killSwitch(String region, boolean engaged) {
    region(region);
    return admin(anyHealthyRegionFor(region), "PUT", "/admin/control/kill-switch/" + region, "{\"engaged\":" + engaged + "}");
  }

  @Override
  public Map<String, Object> startExperiment(String region, String experiment) {
    Map<String, Object> answer = experiments().start(this, experiment, region, List.copyOf(regions.keySet()));
    log.accept("control: " + answer.get("did"));
    return answer;
  }

  @Override
  public Map<String, Object> stopExperiment(String region, String experiment) {
    Map<String, Object> answer = experiments().stop(this, experiment, region, List.copyOf(regions.keySet()));
    log.accept("control: " + answer.get("did"));
    return answer;
  }

  /** Read at each call, so an edited template takes effect without restarting the stack. */
  private FisExperiments experiments() {
    return FisExperiments.load(options.root().resolve(FisExperiments.TEMPLATE));
  }

  @Override
  public Map<String, Object> promote(String region) {
    return admin(region(region), "POST", "/admin/control/promote/" + region, "");
  }

  /** Each of the API's JWT authorizers as API Gateway runs it: the dev issuer's keys, the authorizer's own audience. */
  private Map<String, JwtAuthorizer> authorizers(HttpApiSpec api) {
    Map<String, JwtAuthorizer> byName = new LinkedHashMap<>();
    api.jwtAuthorizers().forEach(spec -> byName.put(spec.name(), issuer.authorizer(spec.audience())));
    return byName;
  }

  /** The kill switch is settable from any region: use another region when the target is failed. */
  private Region anyHealthyRegionFor(String region) {
    Region target = region(region);
    if (target.gateway().mode() == HttpApiGateway.Mode.OPEN) {
      return target;
    }
    return regions.values().stream().filter(r -> r.gateway().mode() == HttpApiGateway.Mode.OPEN).findFirst().orElse(target);
  }

  private Map<String, Object> admin(Region via, String method, String path, String body) {
    String token = issuer.operationsToken(Duration.ofMinutes(5));
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(via.gateway().baseUri().resolve(path))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("via", via.name());
      out.put("status", response.statusCode());
      out.put("body", response.body().isEmpty() ? null : JSON.readTree(response.body()));
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("admin call through " + via.name() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", options.mode());
    out.put("timeFactor", options.timeFactor());
    out.put("environments", Map.of("alive", scaling.budget().used(), "max", scaling.budget().max(),
        "peak", scaling.budget().peak(), "maxPerFunction", scaling.maxPerFunction(),
        "idleTimeoutSeconds", scaling.idleTimeout().toSeconds()));
    out.put("route53", route53 == null ? null : route53.statusJson());
    Map<String, Object> perRegion = new LinkedHashMap<>();
    for (Region r : regions.values()) {
      Map<String, Object> region = new LinkedHashMap<>();
      region.put("api", r.gateway().baseUri().toString());
      region.put("apiMode", r.gateway().mode().name());
      region.put("dynamoDb", r.dynamoDb().status());
      region.put("functions", r.runtime().status());
      region.put("eventSources", r.sources().status());
      region.put("queues", r.sources().queueStatus());
      perRegion.put(r.name(), region);
    }
    out.put("regions", perRegion);
    out.put("replication", replication.status());
    out.put("eventLinks", eventLinks.status());
    // Item writes priced as DynamoDB on-demand prices them, per region: what the drill's cost model uses.
    out.put("writeUnits", MotoServer.meteredWriteUnits(endpoint).<Object>map(units -> units).orElse(Map.of("metered", false)));
    return out;
  }


  private Region region(String name) {
    Region r = regions.get(name);
    if (r == null) {
      throw new IllegalArgumentException("unknown region " + name + "; the stack runs " + regions.keySet());
    }
    return r;
  }

  public int controlPort() {
    return controlApi.port();
  }

  @Override
  public void close() {
    List<AutoCloseable> reverse = new ArrayList<>(started);
    java.util.Collections.reverse(reverse);
    for (AutoCloseable c : reverse) {
      try {
        c.close();
      } catch (Exception e) {
        log.accept("stopping " + c + ": " + e.getMessage());
      }
    }
    started.clear();
    stackLog.close();
  }
}
