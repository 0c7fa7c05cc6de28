package dev.meridian.tools.local.template;

import static dev.meridian.tools.local.template.EvaluatedStack.asList;
import static dev.meridian.tools.local.template.EvaluatedStack.asMap;
import static dev.meridian.tools.local.template.EvaluatedStack.bool;
import static dev.meridian.tools.local.template.EvaluatedStack.doubleValue;
import static dev.meridian.tools.local.template.EvaluatedStack.intValue;
import static dev.meridian.tools.local.template.EvaluatedStack.scalarString;
import static dev.meridian.tools.local.template.EvaluatedStack.toJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.model.BusSpec;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import dev.meridian.tools.local.model.QueueSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.model.RuleSpec;
import dev.meridian.tools.local.model.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a SAM {@code template.yaml} into the {@link RegionModel} of one regional stack.
 *
 * <p>Parsing: SnakeYAML with every CloudFormation short-form tag ({@link CfnYaml}). Evaluation
 * (parameters, Rules, Conditions, Globals, intrinsics): {@link EvaluatedStack}. This class maps
 * the evaluated resources to the model records:
 *
 * <ul>
 *   <li>{@code AWS::DynamoDB::GlobalTable} - only the home-region stack declares it (its
 *       {@code Condition} is false elsewhere), but every replica region needs the table. So the
 *       model of region R contains a TableSpec for each global table declared by ANY stack of the
 *       deployment (R's own, or another region's evaluated with that region's parameters) whose
 *       {@code Replicas} include R; key schema, GSIs, TTL, stream and the replica list come from
 *       the declaring stack. {@code AWS::DynamoDB::Table} gives a single-region TableSpec.
 *   <li>{@code AWS::SQS::Queue}, {@code AWS::Events::EventBus}, {@code AWS::Events::Rule} (queue
 *       targets by logical id, bus targets by region and name), {@code AWS::Serverless::HttpApi},
 *       {@code AWS::Serverless::Function} (HttpApi, Schedule, ScheduleV2, SQS and DynamoDB events).
 *   <li>{@code AWS::Route53::HealthCheck} and {@code AWS::Route53::RecordSet} when the conditions
 *       create them; {@link #resolveDnsAssumingCustomDomain} forces the custom-domain condition.
 *   <li>Everything else (IAM, logs, alarms, queue policies, API Gateway domain resources) is
 *       tolerated and ignored; its properties are never evaluated.
 * </ul>
 *
 * <p>Anything the local stack could not run faithfully (an unsupported event type, FIFO queues,
 * a non-JWT authorizer, target input transformations, cron schedules) fails with a {@link
 * TemplateException} naming the resource, rather than being silently dropped.
 */
public final class TemplateResolver {

  /** The template's condition that gates every custom-domain (Route 53) resource. */
  public static final String CUSTOM_DOMAIN_CONDITION = "HasCustomDomain";
  /** The parameter naming the region whose stack declares the global table (Meridian's template). */
  public static final String TABLE_HOME_REGION_PARAMETER = "TableHomeRegion";

  /** API Gateway's account-level defaults, used when the stage sets no throttling. */
  static final double DEFAULT_RATE_LIMIT = 10_000;
  static final int DEFAULT_BURST_LIMIT = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RATE =
      Pattern.compile("^rate\\(\\s*(\\d+)\\s+(second|seconds|minute|minutes|hour|hours|day|days)\\s*\\)$");
  private static final Pattern STREAM_ARN =
      Pattern.compile("^arn:[^:]+:dynamodb:([^:]*):[^:]*:table/([^/]+)/stream/.+$");

  private final Map<String, Object> template;
  private final Path templateDirectory;
  private final String source;

  private TemplateResolver(Map<String, Object> template, Path templateDirectory, String source) {
    this.template = template;
    this.templateDirectory = templateDirectory;
    this.source = source;
  }

  /** Reads {@code templateFile}; CodeUri paths are relative to its directory. */
  public static TemplateResolver load(Path templateFile) {
    String text;
    try {
      text = Files.readString(templateFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + templateFile, e);
    }
    Path absolute = templateFile.toAbsolutePath().normalize();
    return new TemplateResolver(CfnYaml.parse(text, absolute.toString()), absolute.getParent(), absolute.toString());
  }

  /** Parses template text (tests, tools); CodeUri paths are relative to {@code templateDirectory}. */
  public static TemplateResolver parse(String yaml, Path templateDirectory) {
    return new TemplateResolver(CfnYaml.parse(yaml, "template"), templateDirectory, "template");
  }

  /** The directory the template's relative {@code CodeUri} paths start from. */
  public Path templateDirectory() {
    return templateDirectory;
  }

  /** Evaluates the template for one stack (parameters validated, Rules asserted). */
  public EvaluatedStack evaluate(StackParameters stack) {
    return evaluate(stack, Map.of());
  }

  /**
   * Evaluates the template with some conditions forced to a value (the conditions that depend on
   * them follow).
   */
  public EvaluatedStack evaluate(StackParameters stack, Map<String, Boolean> forcedConditions) {
    return new EvaluatedStack(template, stack, forcedConditions);
  }

  /**
   * The model of one stack. Global tables come from this stack and, if it has a {@value
   * #TABLE_HOME_REGION_PARAMETER} parameter naming another region, from the same parameters
   * evaluated in that region (see {@link #resolve(StackParameters, Collection)}).
   */
  public RegionModel resolve(StackParameters stack) {
    List<StackParameters> deployment = new ArrayList<>(List.of(stack));
    String home = stack.parameters().get(TABLE_HOME_REGION_PARAMETER);
    if (home != null && !home.isEmpty() && !home.equals(stack.region())) {
      deployment.add(stack.inRegion(home));
    }
    return resolve(stack, deployment);
  }

  /**
   * The model of {@code stack} within a deployment of several regional stacks. The deployment's
   * other stacks are evaluated only to find the global tables they declare with a replica in
   * {@code stack}'s region.
   */
  public RegionModel resolve(StackParameters stack, Collection<StackParameters> deployment) {
    EvaluatedStack s = evaluate(stack);
    String region = stack.region();
    Map<String, TableSpec> tables = new LinkedHashMap<>();
    globalTables(s, region, tables);
    for (StackParameters other : deployment) {
      if (!other.region().equals(region)) {
        globalTables(evaluate(other), region, tables);
      }
    }
    for (String id : s.resourceIds("AWS::DynamoDB::Table")) {
      TableSpec table = tableSpec(s, id, List.of(region));
      tables.putIfAbsent(table.tableName(), table);
    }
    List<QueueSpec> queues = queues(s);
    Map<String, String> queueIdsByArn = new HashMap<>();
    queues.forEach(q -> queueIdsByArn.put(LocalNames.queueArn(region, q.name()), q.logicalId()));
    List<BusSpec> buses = s.resourceIds("AWS::Events::EventBus").stream()
        .map(id -> new BusSpec(id, s.physicalName(id))).toList();
    Api api = httpApi(s);
    List<RuleSpec> rules = s.resourceIds("AWS::Events::Rule").stream()
        .map(id -> rule(s, id, queueIdsByArn)).toList();
    if (!s.resourceIds("AWS::Lambda::Function").isEmpty()) {
      throw new TemplateException("AWS::Lambda::Function " + s.resourceIds("AWS::Lambda::Function")
          + " is not supported by the local stack (declare functions as AWS::Serverless::Function)");
    }
    List<FunctionSpec> functions = new ArrayList<>();
    for (String id : s.resourceIds("AWS::Serverless::Function")) {
      functions.add(function(s, id, api, queueIdsByArn));
    }
    return new RegionModel(region, s.parameterStrings(), List.copyOf(tables.values()), buses, queues, rules,
        functions, api == null ? null : api.spec(), stack.stackName(), dns(s).orElse(null));
  }

  /**
   * The Route 53 health check and record this stack WOULD create with a custom domain.
   *
   * <p>Why: the template creates them only when DomainName, HostedZoneId and CertificateArn are
   * set ({@value #CUSTOM_DOMAIN_CONDITION}); locally there is no hosted zone, so they are empty
   * and the resources are conditioned out. The local Route 53 stand-in still needs exactly what a
   * real deployment would probe (path, search string, interval, threshold) and how the region's
   * record routes (latency, or failover PRIMARY/SECONDARY by DeploymentMode), so this evaluates
   * the template with that one condition forced true and the others computed as usual. Empty when
   * even then the region gets no health check (a third region in active-passive mode).
   */
  public Optional<DnsSpec> resolveDnsAssumingCustomDomain(StackParameters stack) {
    return dns(evaluate(stack, Map.of(CUSTOM_DOMAIN_CONDITION, true)));
  }

  // ---------------------------------------------------------------------------------------------
  // Tables

  private void globalTables(EvaluatedStack s, String region, Map<String, TableSpec> into) {
    for (String id : s.resourceIds("AWS::DynamoDB::GlobalTable")) {
      List<String> replicas = new ArrayList<>();
      for (Object replica : asList(s.property(id, "Replicas").orElse(List.of()), id + " Replicas")) {
        String replicaRegion = scalarString(asMap(replica, id + " replica").get("Region"));
        if (!replicas.contains(replicaRegion)) {
          replicas.add(replicaRegion);
        }
      }
      if (replicas.contains(region)) {
        TableSpec table = tableSpec(s, id, replicas);
        into.putIfAbsent(table.tableName(), table);
      }
    }
  }

  private static TableSpec tableSpec(EvaluatedStack s, String id, List<String> replicas) {
    if (s.property(id, "LocalSecondaryIndexes").isPresent()) {
      throw new TemplateException("table " + id + ": LocalSecondaryIndexes are not supported by the local stack");
    }
    Map<String, String> types = new LinkedHashMap<>();
    for (Object definition : asList(s.property(id, "AttributeDefinitions").orElse(List.of()), id + " attributes")) {
      Map<String, Object> d = asMap(definition, id + " attribute definition");
      types.put(scalarString(d.get("AttributeName")), scalarString(d.get("AttributeType")));
    }
    String[] key = keySchema(s.property(id, "KeySchema").orElse(null), "table " + id);
    List<TableSpec.IndexSpec> indexes = new ArrayList<>();
    for (Object raw : asList(s.property(id, "GlobalSecondaryIndexes").orElse(List.of()), id + " GSIs")) {
      Map<String, Object> index = asMap(raw, id + " GSI");
      String name = scalarString(index.get("IndexName"));
      String[] indexKey = keySchema(index.get("KeySchema"), "index " + name + " of " + id);
      Object projection = index.get("Projection") == null ? null : asMap(index.get("Projection"), name).get(
          "ProjectionType");
      String projectionType = projection == null ? "KEYS_ONLY" : scalarString(projection);
      if (projectionType.equals("INCLUDE")) {
        throw new TemplateException("index " + name + " of " + id + ": INCLUDE projections are not supported locally");
      }
      indexes.add(new TableSpec.IndexSpec(name, indexKey[0], indexKey[1], projectionType));
    }
    String ttl = s.property(id, "TimeToLiveSpecification").map(v -> asMap(v, id + " TTL"))
        .filter(t -> t.get("Enabled") != null && bool(t.get("Enabled")))
        .map(t -> scalarString(t.get("AttributeName"))).orElse(null);
    String stream = s.property(id, "StreamSpecification", "StreamViewType").map(EvaluatedStack::scalarString)
        .orElse(null);
    for (String attribute : keyAttributes(key, indexes)) {
      if (!types.containsKey(attribute)) {
        throw new TemplateException("table " + id + ": key attribute " + attribute + " has no AttributeDefinition");
      }
    }
    return new TableSpec(id, s.physicalName(id), key[0], key[1], indexes, ttl, stream, replicas, types);
  }

  private static String[] keySchema(Object raw, String what) {
    String hash = null;
    String range = null;
    for (Object element : asList(raw, what + " KeySchema")) {
      Map<String, Object> k = asMap(element, what + " key");
      String type = scalarString(k.get("KeyType"));
      if (type.equals("HASH")) {
        hash = scalarString(k.get("AttributeName"));
      } else if (type.equals("RANGE")) {
        range = scalarString(k.get("AttributeName"));
      }
    }
    if (hash == null) {
      throw new TemplateException(what + " has no HASH key");
    }
    return new String[] {hash, range};
  }

  private static Set<String> keyAttributes(String[] key, List<TableSpec.IndexSpec> indexes) {
    Set<String> out = new LinkedHashSet<>();
    out.add(key[0]);
    if (key[1] != null) {
      out.add(key[1]);
    }
    for (TableSpec.IndexSpec index : indexes) {
      out.add(index.hashKey());
      if (index.rangeKey() != null) {
        out.add(index.rangeKey());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Queues

  private static List<QueueSpec> queues(EvaluatedStack s) {
    String region = s.region();
    List<String> ids = s.resourceIds("AWS::SQS::Queue");
    Map<String, String> idsByArn = new HashMap<>();
    for (String id : ids) {
      if (s.property(id, "FifoQueue").map(EvaluatedStack::bool).orElse(false)) {
        throw new TemplateException("queue " + id + ": FIFO queues are not supported by the local stack");
      }
      idsByArn.put(LocalNames.queueArn(region, s.physicalName(id)), id);
    }
    Map<String, QueueSpec> specs = new LinkedHashMap<>();
    for (String id : ids) {
      String dlq = null;
      int maxReceiveCount = 0;
      Optional<Object> redrive = s.property(id, "RedrivePolicy");
      if (redrive.isPresent()) {
        Map<String, Object> policy = redrive.get() instanceof String json ? parseJsonMap(json, id + " RedrivePolicy")
            : asMap(redrive.get(), id + " RedrivePolicy");
        String target = scalarString(policy.get("deadLetterTargetArn"));
        dlq = idsByArn.get(target);
        if (dlq == null) {
          throw new TemplateException("queue " + id + ": dead-letter target " + target
              + " is not a queue of this stack in " + region);
        }
        maxReceiveCount = intValue(policy.get("maxReceiveCount"));
      }
      specs.put(id, new QueueSpec(id, s.physicalName(id),
          s.property(id, "VisibilityTimeout").map(EvaluatedStack::intValue).orElse(30),
          s.property(id, "MessageRetentionPeriod").map(EvaluatedStack::intValue).orElse(345_600), dlq,
          maxReceiveCount));
    }
    List<QueueSpec> ordered = new ArrayList<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (String id : specs.keySet()) {
      dlqFirst(id, specs, ordered, visiting);
    }
    return ordered;
  }

  private static void dlqFirst(String id, Map<String, QueueSpec> specs, List<QueueSpec> ordered, Set<String> visiting) {
    QueueSpec spec = specs.get(id);
    if (ordered.contains(spec)) {
      return;
    }
    if (!visiting.add(id)) {
      throw new TemplateException("queues redrive to each other in a cycle: " + visiting);
    }
    if (spec.deadLetterQueueLogicalId() != null) {
      dlqFirst(spec.deadLetterQueueLogicalId(), specs, ordered, visiting);
    }
    visiting.remove(id);
    ordered.add(spec);
  }

  // ---------------------------------------------------------------------------------------------
  // Rules

  private static RuleSpec rule(EvaluatedStack s, String id, Map<String, String> queueIdsByArn) {
    String region = s.region();
    String pattern = s.property(id, "EventPattern")
        .map(p -> p instanceof String json ? toJson(parseJsonMap(json, id + " EventPattern")) : toJson(p))
        .orElse(null);
    String state = s.property(id, "State").map(EvaluatedStack::scalarString).orElse("ENABLED");
    List<RuleSpec.Target> targets = new ArrayList<>();
    for (Object raw : asList(s.property(id, "Targets").orElse(List.of()), id + " Targets")) {
      Map<String, Object> target = asMap(raw, id + " target");
      for (String unsupported : List.of("Input", "InputPath", "InputTransformer")) {
        if (target.containsKey(unsupported)) {
          throw new TemplateException("rule " + id + ": target " + unsupported + " is not supported by the local stack");
        }
      }
      String targetId = scalarString(target.get("Id"));
      String arn = scalarString(target.get("Arn"));
      String queueId = queueIdsByArn.get(arn);
      Optional<LocalNames.Arn> parsed = LocalNames.parseArn(arn);
      if (queueId != null) {
        targets.add(new RuleSpec.Target(targetId, arn, queueId, null, null));
      } else if (parsed.isPresent() && parsed.get().service().equals("events")
          && parsed.get().resource().startsWith("event-bus/")) {
        String busRegion = parsed.get().region().equals(region) ? null : parsed.get().region();
        targets.add(new RuleSpec.Target(targetId, arn, null, busRegion,
            parsed.get().resource().substring("event-bus/".length())));
      } else {
        targets.add(new RuleSpec.Target(targetId, arn, null, null, null));
      }
    }
    return new RuleSpec(id, s.ruleBusName(id), pattern, targets, s.physicalName(id), !state.equals("DISABLED"));
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP API

  /** The API spec plus each authorizer's default scopes (SAM's authorizer AuthorizationScopes). */
  private record Api(HttpApiSpec spec, String apiId, Map<String, List<String>> authorizerScopes) {}

  private static Api httpApi(EvaluatedStack s) {
    List<String> ids = s.resourceIds("AWS::Serverless::HttpApi");
    if (ids.isEmpty()) {
      return null;
    }
    if (ids.size() > 1) {
      throw new TemplateException("the local stack supports one AWS::Serverless::HttpApi, found " + ids);
    }
    String id = ids.get(0);
    Map<String, Object> auth = s.property(id, "Auth").map(a -> asMap(a, id + " Auth")).orElse(Map.of());
    Map<String, Object> authorizers = auth.get("Authorizers") == null ? Map.of()
        : asMap(auth.get("Authorizers"), id + " Authorizers");
    List<HttpApiSpec.JwtAuthorizerSpec> jwtAuthorizers = new ArrayList<>();
    Map<String, List<String>> scopes = new HashMap<>();
    for (Map.Entry<String, Object> entry : authorizers.entrySet()) {
      Map<String, Object> authorizer = asMap(entry.getValue(), "authorizer " + entry.getKey());
      Object jwtConfiguration = authorizer.get("JwtConfiguration");
      if (jwtConfiguration == null) {
        throw new TemplateException("authorizer " + entry.getKey() + " of " + id
            + ": only JWT authorizers are supported by the local stack");
      }
      String jwtName = entry.getKey();
      Map<String, Object> jwt = asMap(jwtConfiguration, "JwtConfiguration of " + jwtName);
      Object issuerValue = jwt.containsKey("issuer") ? jwt.get("issuer") : jwt.get("Issuer");
      Object audienceValue = jwt.containsKey("audience") ? jwt.get("audience") : jwt.get("Audience");
      String identitySource = authorizer.get("IdentitySource") == null ? HttpApiSpec.DEFAULT_IDENTITY_SOURCE
          : scalarString(authorizer.get("IdentitySource"));
      jwtAuthorizers.add(new HttpApiSpec.JwtAuthorizerSpec(jwtName, issuerValue == null ? null : scalarString(issuerValue),
          strings(audienceValue), identitySource));
      if (authorizer.get("AuthorizationScopes") != null) {
        scopes.put(jwtName, strings(authorizer.get("AuthorizationScopes")));
      }
    }
    String defaultAuthorizer = auth.get("DefaultAuthorizer") == null ? null
        : scalarString(auth.get("DefaultAuthorizer"));
    if (defaultAuthorizer != null && !authorizers.containsKey(defaultAuthorizer)) {
      throw new TemplateException(id + ": DefaultAuthorizer " + defaultAuthorizer + " is not one of its Authorizers");
    }
    if (jwtAuthorizers.stream().map(HttpApiSpec.JwtAuthorizerSpec::identitySource).distinct().count() > 1) {
      throw new TemplateException(id + ": the local stack needs one identity source for all JWT authorizers");
    }
    // The default authorizer (else the first) describes the API; every authorizer is kept.
    String chosenName = defaultAuthorizer;
    HttpApiSpec.JwtAuthorizerSpec chosen = jwtAuthorizers.stream().filter(a -> a.name().equals(chosenName)).findFirst()
        .orElse(jwtAuthorizers.isEmpty() ? null : jwtAuthorizers.get(0));
    if (chosen != null) {
      jwtAuthorizers.remove(chosen);
      jwtAuthorizers.add(0, chosen);
    }
    Map<String, Object> routeSettings = s.property(id, "DefaultRouteSettings")
        .map(r -> asMap(r, id + " DefaultRouteSettings")).orElse(Map.of());
    double rate = routeSettings.get("ThrottlingRateLimit") == null ? DEFAULT_RATE_LIMIT
        : doubleValue(routeSettings.get("ThrottlingRateLimit"));
    int burst = routeSettings.get("ThrottlingBurstLimit") == null ? DEFAULT_BURST_LIMIT
        : intValue(routeSettings.get("ThrottlingBurstLimit"));
    Map<String, HttpApiSpec.Throttle> routeThrottles = new LinkedHashMap<>();
    s.property(id, "RouteSettings").map(r -> asMap(r, id + " RouteSettings")).orElse(Map.of())
        .forEach((routeKey, settings) -> routeThrottles.put(routeKey,
            throttle(asMap(settings, id + " RouteSettings " + routeKey), rate, burst)));
    String apiRef = scalarString(s.ref(id));
    Map<String, HttpApiSpec.Throttle> stages = new LinkedHashMap<>();
    for (String stageId : s.resourceIds("AWS::ApiGatewayV2::Stage")) {
      if (!s.property(stageId, "ApiId").map(EvaluatedStack::scalarString).orElse("").equals(apiRef)) {
        continue;
      }
      String stageName = scalarString(s.ref(stageId));
      Map<String, Object> stageDefaults = s.property(stageId, "DefaultRouteSettings")
          .map(r -> asMap(r, stageId + " DefaultRouteSettings")).orElse(Map.of());
      stages.put(stageName, throttle(stageDefaults, DEFAULT_RATE_LIMIT, DEFAULT_BURST_LIMIT));
    }
    HttpApiSpec spec = new HttpApiSpec(id, chosen == null ? null : chosen.name(), chosen == null ? null : chosen.issuer(),
        chosen == null ? List.of() : chosen.audience(), defaultAuthorizer, rate, burst,
        chosen == null ? HttpApiSpec.DEFAULT_IDENTITY_SOURCE : chosen.identitySource(), jwtAuthorizers, routeThrottles, stages);
    return new Api(spec, apiRef, scopes);
  }

  /** A stage's or route's throttle; a limit it leaves out is the given one. */
  private static HttpApiSpec.Throttle throttle(Map<String, Object> settings, double rate, int burst) {
    return new HttpApiSpec.Throttle(
        settings.get("ThrottlingRateLimit") == null ? rate : doubleValue(settings.get("ThrottlingRateLimit")),
        settings.get("ThrottlingBurstLimit") == null ? burst : intValue(settings.get("ThrottlingBurstLimit")));
  }

  // ---------------------------------------------------------------------------------------------
  // Functions

  private FunctionSpec function(EvaluatedStack s, String id, Api api, Map<String, String> queueIdsByArn) {
    String handler = s.property(id, "Handler").map(EvaluatedStack::scalarString)
        .orElseThrow(() -> new TemplateException("function " + id + " has no Handler (image functions are not "
            + "supported locally)"));
    String runtime = s.property(id, "Runtime").map(EvaluatedStack::scalarString)
        .orElseThrow(() -> new TemplateException("function " + id + " has no Runtime"));
    Object codeUri = s.property(id, "CodeUri").orElseThrow(
        () -> new TemplateException("function " + id + " has no CodeUri"));
    if (!(codeUri instanceof String path) || path.startsWith("s3://")) {
      throw new TemplateException("function " + id + ": CodeUri must be a local path (relative to the template), "
          + "found " + codeUri);
    }
    int memory = s.property(id, "MemorySize").map(EvaluatedStack::intValue).orElse(128);
    int timeout = s.property(id, "Timeout").map(EvaluatedStack::intValue).orElse(3);
    Map<String, String> environment = new LinkedHashMap<>();
    s.property(id, "Environment", "Variables").ifPresent(
        vars -> asMap(vars, id + " Environment.Variables").forEach((k, v) -> environment.put(k, scalarString(v))));
    List<EventSourceSpec> events = new ArrayList<>();
    Map<String, Object> declared = s.property(id, "Events").map(e -> asMap(e, id + " Events")).orElse(Map.of());
    for (Map.Entry<String, Object> entry : declared.entrySet()) {
      String name = entry.getKey();
      Map<String, Object> event = asMap(entry.getValue(), "event " + name + " of " + id);
      String type = scalarString(event.get("Type"));
      Map<String, Object> properties = event.get("Properties") == null ? Map.of()
          : asMap(event.get("Properties"), "event " + name + " of " + id);
      String where = "function " + id + " event " + name + " (" + type + ")";
      try {
        events.add(switch (type) {
          case "HttpApi" -> httpRoute(name, properties, api);
          case "Schedule" -> schedule(name, properties, "Schedule");
          case "ScheduleV2" -> schedule(name, properties, "ScheduleExpression");
          case "SQS" -> sqs(name, properties, queueIdsByArn);
          case "DynamoDB" -> dynamoDb(name, properties, queueIdsByArn, s.region());
          default -> throw new TemplateException("event type " + type + " is not supported by the local stack");
        });
      } catch (TemplateException e) {
        throw new TemplateException(where + " in region " + s.region() + ": " + e.getMessage(), e);
      }
    }
    // Absent when the template leaves it out or its !If chose AWS::NoValue (HasHealthReservation).
    Integer reserved = s.property(id, "ReservedConcurrentExecutions").map(EvaluatedStack::intValue).orElse(null);
    boolean snapStart = s.property(id, "SnapStart", "ApplyOn").map(EvaluatedStack::scalarString)
        .map("PublishedVersions"::equals).orElse(false);
    return new FunctionSpec(id, handler, runtime, Path.of(path), memory, timeout, environment, events, reserved,
        snapStart);
  }

  private static EventSourceSpec.HttpRoute httpRoute(String name, Map<String, Object> p, Api api) {
    if (api == null) {
      throw new TemplateException("the template has no AWS::Serverless::HttpApi");
    }
    if (p.get("ApiId") == null) {
      throw new TemplateException("an HttpApi event without ApiId (SAM's implicit API) is not supported locally");
    }
    if (!scalarString(p.get("ApiId")).equals(api.apiId())) {
      throw new TemplateException("ApiId does not refer to " + api.spec().logicalId());
    }
    String method = p.get("Method") == null ? "ANY" : scalarString(p.get("Method")).toUpperCase(Locale.ROOT);
    String path = p.get("Path") == null ? "$default" : scalarString(p.get("Path"));
    Map<String, Object> auth = p.get("Auth") == null ? Map.of() : asMap(p.get("Auth"), "Auth");
    String authorizer = auth.get("Authorizer") == null ? api.spec().defaultAuthorizer()
        : scalarString(auth.get("Authorizer"));
    if ("NONE".equals(authorizer)) {
      return new EventSourceSpec.HttpRoute(name, method, path, null, List.of());
    }
    if (authorizer != null && api.spec().jwtAuthorizer(authorizer).isEmpty()) {
      throw new TemplateException("authorizer " + authorizer + " is not declared by " + api.spec().logicalId());
    }
    List<String> scopes = auth.get("AuthorizationScopes") != null ? strings(auth.get("AuthorizationScopes"))
        : authorizer == null ? List.of() : api.authorizerScopes().getOrDefault(authorizer, List.of());
    return new EventSourceSpec.HttpRoute(name, method, path, authorizer, scopes);
  }

  private static EventSourceSpec.Schedule schedule(String name, Map<String, Object> p, String expressionKey) {
    String expression = scalarString(p.get(expressionKey)).trim();
    Matcher m = RATE.matcher(expression);
    if (!m.matches()) {
      throw new TemplateException("schedule '" + expression + "': only rate(N unit) schedules are supported locally");
    }
    long n = Long.parseLong(m.group(1));
    if (n <= 0) {
      throw new TemplateException("schedule '" + expression + "': the rate must be positive");
    }
    String unit = m.group(2);
    long seconds = n * (unit.startsWith("second") ? 1 : unit.startsWith("minute") ? 60 : unit.startsWith("hour")
        ? 3_600 : 86_400);
    String input = p.get("Input") == null ? null
        : p.get("Input") instanceof String json ? json : toJson(p.get("Input"));
    boolean enabled = true;
    if (p.get("Enabled") != null) {
      enabled = bool(p.get("Enabled"));
    }
    if (p.get("State") != null) {
      enabled = !scalarString(p.get("State")).equals("DISABLED");
    }
    return new EventSourceSpec.Schedule(name, seconds, input, enabled);
  }

  private static EventSourceSpec.Sqs sqs(String name, Map<String, Object> p, Map<String, String> queueIdsByArn) {
    String arn = scalarString(p.get("Queue"));
    String queueId = queueIdsByArn.get(arn);
    if (queueId == null) {
      throw new TemplateException("queue " + arn + " is not a queue of this stack");
    }
    int batchSize = p.get("BatchSize") == null ? 10 : intValue(p.get("BatchSize"));
    return new EventSourceSpec.Sqs(name, queueId, batchSize, reportsBatchItemFailures(p));
  }

  private static EventSourceSpec.DynamoDbStream dynamoDb(String name, Map<String, Object> p,
      Map<String, String> queueIdsByArn, String region) {
    String streamArn = scalarString(p.get("Stream"));
    Matcher m = STREAM_ARN.matcher(streamArn);
    if (!m.matches()) {
      throw new TemplateException("Stream " + streamArn + " is not a DynamoDB stream ARN");
    }
    if (!m.group(1).equals(region)) {
      // Lambda maps only streams of the function's own region; another region's stream here (e.g.
      // the home replica's ARN passed to every stack) would fail the real deployment.
      throw new TemplateException("Stream " + streamArn + " is in " + m.group(1) + ", not in this stack's region");
    }
    if (p.get("StartingPosition") == null) {
      throw new TemplateException("StartingPosition is required");
    }
    String onFailure = null;
    if (p.get("DestinationConfig") != null) {
      Object failure = asMap(p.get("DestinationConfig"), "DestinationConfig").get("OnFailure");
      if (failure != null) {
        String destination = scalarString(asMap(failure, "OnFailure").get("Destination"));
        onFailure = queueIdsByArn.get(destination);
        if (onFailure == null) {
          throw new TemplateException("OnFailure destination " + destination
              + " is not a queue of this stack (only SQS destinations are supported locally)");
        }
      }
    }
    return new EventSourceSpec.DynamoDbStream(name, m.group(2),
        p.get("BatchSize") == null ? 100 : intValue(p.get("BatchSize")),
        scalarString(p.get("StartingPosition")),
        p.get("MaximumRetryAttempts") == null ? -1 : intValue(p.get("MaximumRetryAttempts")),
        p.get("BisectBatchOnFunctionError") != null && bool(p.get("BisectBatchOnFunctionError")),
        reportsBatchItemFailures(p), onFailure);
  }

  private static boolean reportsBatchItemFailures(Map<String, Object> p) {
    return p.get("FunctionResponseTypes") != null
        && strings(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
  }

  // ---------------------------------------------------------------------------------------------
  // Route 53

  private static Optional<DnsSpec> dns(EvaluatedStack s) {
    List<String> checks = s.resourceIds("AWS::Route53::HealthCheck");
    if (checks.isEmpty()) {
      return Optional.empty();
    }
    String checkId = checks.get(0);
    Map<String, Object> config = s.property(checkId, "HealthCheckConfig")
        .map(c -> asMap(c, checkId + " HealthCheckConfig")).orElseThrow(
            () -> new TemplateException(checkId + " has no HealthCheckConfig"));
    String type = scalarString(config.get("Type"));
    int defaultPort = type.startsWith("HTTPS") ? 443 : 80;
    DnsSpec.HealthCheck check = new DnsSpec.HealthCheck(checkId, type,
        config.get("FullyQualifiedDomainName") == null ? null : scalarString(config.get("FullyQualifiedDomainName")),
        config.get("Port") == null ? defaultPort : intValue(config.get("Port")),
        config.get("ResourcePath") == null ? "/" : scalarString(config.get("ResourcePath")),
        config.get("SearchString") == null ? null : scalarString(config.get("SearchString")),
        config.get("RequestInterval") == null ? 30 : intValue(config.get("RequestInterval")),
        config.get("FailureThreshold") == null ? 3 : intValue(config.get("FailureThreshold")));
    String checkRef = scalarString(s.ref(checkId));
    DnsSpec.RecordSet record = null;
    for (String id : s.resourceIds("AWS::Route53::RecordSet")) {
      if (!s.property(id, "HealthCheckId").map(EvaluatedStack::scalarString).orElse("").equals(checkRef)) {
        continue;
      }
      Optional<String> failover = s.property(id, "Failover").map(EvaluatedStack::scalarString);
      Optional<String> latency = s.property(id, "Region").map(EvaluatedStack::scalarString);
      DnsSpec.RoutingKind kind = failover.isPresent() ? DnsSpec.RoutingKind.FAILOVER
          : latency.isPresent() ? DnsSpec.RoutingKind.LATENCY
          : s.property(id, "Weight").isPresent() ? DnsSpec.RoutingKind.WEIGHTED : DnsSpec.RoutingKind.SIMPLE;
      record = new DnsSpec.RecordSet(id, kind, s.property(id, "Name").map(EvaluatedStack::scalarString).orElse(""),
          s.property(id, "SetIdentifier").map(EvaluatedStack::scalarString).orElse(null), failover.orElse(null),
          latency.orElse(null), checkId);
      break;
    }
    return Optional.of(new DnsSpec(check, record));
  }

  // ---------------------------------------------------------------------------------------------

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(EvaluatedStack::scalarString).toList();
    }
    return List.of(scalarString(value));
  }

  private static Map<String, Object> parseJsonMap(String json, String what) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new TemplateException(what + " is not a JSON object: " + json);
      }
      return asMap(JSON.convertValue(node, Map.class), what);
    } catch (JsonProcessingException e) {
      throw new TemplateException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TemplateResolver[" + source + "]";
  }
}
