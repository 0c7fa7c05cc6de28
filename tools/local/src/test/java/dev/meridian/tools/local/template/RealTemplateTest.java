package dev.meridian.tools.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import dev.meridian.tools.local.model.QueueSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.model.RuleSpec;
import dev.meridian.tools.local.model.TableSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's template.yaml resolved with its samconfig.toml, as a user of the local stack sees it
 * (the parameters deploy/deploy.sh computes - TableStreamArn outside the home region - computed as
 * {@link LocalDeployment} does).
 */
class RealTemplateTest {

  private static final List<String> ALL = List.of("us-east-1", "eu-west-1", "ap-southeast-1");
  private static final TemplateResolver RESOLVER = RepoFiles.resolver();
  private static final Samconfig CONFIG = RepoFiles.config();

  /** method path -> "authorizer scopes" as the template declares them. */
  private static final Map<String, String> ROUTES = Map.ofEntries(
      Map.entry("GET /products", "CustomerJwt [meridian/customer]"),
      Map.entry("GET /products/{id}", "CustomerJwt [meridian/customer]"),
      Map.entry("PUT /products/{id}", "AdminJwt [meridian/admin]"),
      Map.entry("POST /products/{id}/stock", "AdminJwt [meridian/admin]"),
      Map.entry("PUT /products/{id}/shards", "AdminJwt [meridian/admin]"),
      Map.entry("POST /orders", "CustomerJwt [meridian/customer]"),
      Map.entry("GET /orders", "CustomerJwt [meridian/customer]"),
      Map.entry("GET /orders/{id}", "CustomerJwt [meridian/customer]"),
      Map.entry("POST /orders/{id}/cancel", "CustomerJwt [meridian/customer]"),
      Map.entry("GET /admin/conflicts", "AdminJwt [meridian/admin]"),
      Map.entry("GET /admin/control", "AdminJwt [meridian/admin]"),
      Map.entry("PUT /admin/control/kill-switch/{region}", "AdminJwt [meridian/admin]"),
      Map.entry("POST /admin/control/promote/{region}", "AdminJwt [meridian/admin]"),
      Map.entry("GET /health", "public []"));

  /** All three samconfig regions: the parameters are samconfig's plus the computed ones. */
  private static final LocalDeployment DEPLOYED = LocalDeployment.of(CONFIG);

  private static RegionModel samconfigModel(String region) {
    return RESOLVER.resolve(DEPLOYED.stack(region));
  }

  /** samconfig.toml's values as they are, plus the health-check path deploy.sh always passes. */
  private static StackParameters withHealthCheckPath(String region) {
    Map<String, String> p = new HashMap<>(CONFIG.environment(region).orElseThrow().stackParameters().parameters());
    p.put(LocalDeployment.HEALTH_CHECK_PATH, DEPLOYED.parameters(region).get(LocalDeployment.HEALTH_CHECK_PATH));
    return new StackParameters(region, "meridian", p);
  }

  @Test
  void aStackWithoutTheHealthCheckPathIsRejected() {
    assertThatThrownBy(() -> RESOLVER.resolve(CONFIG.environment("us-east-1").orElseThrow().stackParameters()))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("HealthCheckPathIsSet");
  }

  private static FunctionSpec function(RegionModel model, String logicalId) {
    return model.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
  }

  private static RuleSpec rule(RegionModel model, String logicalId) {
    return model.rules().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst().orElseThrow();
  }

  private static QueueSpec queue(RegionModel model, String logicalId) {
    return model.queues().stream().filter(q -> q.logicalId().equals(logicalId)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void everyFunctionHasHandlerZipMemoryTimeoutAndEnvironment(String region) {
    RegionModel model = samconfigModel(region);

    assertThat(model.region()).isEqualTo(region);
    assertThat(model.stackName()).isEqualTo("meridian");
    assertThat(model.functions()).extracting(FunctionSpec::logicalId)
        .containsExactly("CatalogFunction", "OrdersFunction", "HealthFunction", "PublisherFunction", "ReconcilerFunction");
    assertThat(model.functions()).extracting(FunctionSpec::handler).containsExactly(
        "dev.meridian.function.catalog.CatalogHandler::handleRequest", "dev.meridian.function.orders.OrdersHandler::handleRequest",
        "dev.meridian.function.health.HealthHandler::handleRequest", "dev.meridian.function.publisher.PublisherHandler::handleRequest",
        "dev.meridian.function.reconciler.ReconcilerHandler::handleRequest");
    assertThat(model.functions()).extracting(FunctionSpec::codeUri).containsExactly(
        Path.of("functions/catalog/target/catalog-lambda.zip"), Path.of("functions/orders/target/orders-lambda.zip"),
        Path.of("functions/health/target/health-lambda.zip"), Path.of("functions/publisher/target/publisher-lambda.zip"),
        Path.of("functions/reconciler/target/reconciler-lambda.zip"));
    assertThat(RESOLVER.templateDirectory().resolve(model.functions().get(0).codeUri()))
        .isEqualTo(RepositoryRoot.path().resolve("functions/catalog/target/catalog-lambda.zip"));
    assertThat(model.functions()).extracting(FunctionSpec::runtime).containsOnly("java25");
    assertThat(model.functions()).extracting(FunctionSpec::memoryMb).containsExactly(1024, 1024, 512, 1024, 1024);
    assertThat(model.functions()).extracting(FunctionSpec::timeoutSeconds).containsExactly(20, 20, 10, 60, 20);

    String peers = ALL.stream().filter(r -> !r.equals(region)).collect(Collectors.joining(","));
    for (FunctionSpec f : model.functions()) {
      // Globals merged into every function, the function's own variables added
      assertThat(f.environment()).contains(entry("TABLE_NAME", "meridian"), entry("EVENT_BUS_NAME", "meridian"),
          entry("DEPLOYMENT_MODE", "active-active"), entry("INITIAL_PRIMARY_REGION", "us-east-1"),
          entry("STANDBY_REGION", "eu-west-1"), entry("PEER_REGIONS", peers), entry("POWERTOOLS_LOG_LEVEL", "INFO"),
          entry("POWERTOOLS_METRICS_NAMESPACE", "Meridian"),
          entry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));
    }
    for (FunctionSpec f : model.functions()) {
      assertThat(f.environment()).contains(entry("STOCK_LOW_WATER_MARK", "5"), entry("PENDING_STOCK_TIMEOUT_SECONDS", "300"),
          entry("STANDBY_RESERVE_PERCENT", "20"));
    }
    assertThat(function(model, "CatalogFunction").environment()).containsEntry("POWERTOOLS_SERVICE_NAME", "catalog")
        .hasSize(18);
    assertThat(function(model, "OrdersFunction").environment()).containsEntry("POWERTOOLS_SERVICE_NAME", "orders")
        .contains(entry("JWT_CUSTOMER_CLIENT_IDS", "REPLACE-ME-customer-client-id"),
            entry("JWT_ADMIN_CLIENT_IDS", "REPLACE-ME-admin-client-id"),
            entry("JWT_OPERATIONS_CLIENT_IDS", "REPLACE-ME-operations-client-id"),
            entry("JWT_GROUPS_CLAIM", "cognito:groups"), entry("ADMIN_GROUP", "meridian-admins"));
    assertThat(function(model, "HealthFunction").environment()).contains(entry("POWERTOOLS_SERVICE_NAME", "health"),
        entry("HEARTBEAT_INTERVAL_MS", "60000"),
        entry("RECONCILE_QUEUE_URL", LocalNames.queueUrl(region, queue(model, "ReconcileQueue").name())));
    assertThat(function(model, "PublisherFunction").environment()).containsEntry("POWERTOOLS_SERVICE_NAME", "publisher")
        .hasSize(13);
    assertThat(function(model, "ReconcilerFunction").environment()).contains(
        entry("POWERTOOLS_SERVICE_NAME", "reconciler"), entry("RECONCILE_DEAD_LETTER_QUEUE_URL",
            LocalNames.queueUrl(region, queue(model, "ReconcileDeadLetterQueue").name()))).hasSize(14);
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void thePublisherReadsThisRegionsStreamAndTheReconcilerTheReconcileQueue(String region) {
    RegionModel model = samconfigModel(region);

    assertThat(function(model, "PublisherFunction").events()).containsExactly(new EventSourceSpec.DynamoDbStream(
        "TableChanges", "meridian", 100, "TRIM_HORIZON", 10, true, true, "PublisherFailureQueue"));
    assertThat(function(model, "ReconcilerFunction").events()).containsExactly(
        new EventSourceSpec.Sqs("RemoteChanges", "ReconcileQueue", 10, true),
        new EventSourceSpec.Schedule("PendingStockSweep", 60, null, true));
    assertThat(queue(model, "PublisherFailureQueue").messageRetentionSeconds()).isEqualTo(1_209_600);
    // the queue outlives a batch that times out: 6 x the reconciler's timeout
    assertThat(queue(model, "ReconcileQueue").visibilityTimeoutSeconds())
        .isEqualTo(6 * function(model, "ReconcilerFunction").timeoutSeconds());
  }

  @Test
  void aReplicaStackNeedsItsOwnRegionsStreamArn() {
    // samconfig.toml as it is: TableStreamArn "" (deploy.sh computes it); fine in the home region only
    assertThat(RESOLVER.resolve(withHealthCheckPath("us-east-1")).functions())
        .hasSize(5);
    assertThatThrownBy(() -> RESOLVER.resolve(withHealthCheckPath("eu-west-1")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Rules reject the parameters for region eu-west-1")
        .hasMessageContaining("ReplicaStackKnowsItsStream: Outside TableHomeRegion, TableStreamArn must be");
    // another region's stream (e.g. the home replica's passed to every stack) cannot be mapped
    Map<String, String> p = new HashMap<>(DEPLOYED.parameters("eu-west-1"));
    p.put("TableStreamArn", LocalNames.streamArn("us-east-1", "meridian"));
    assertThatThrownBy(() -> RESOLVER.resolve(new StackParameters("eu-west-1", "meridian", p)))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("PublisherFunction event TableChanges")
        .hasMessageContaining("is in us-east-1, not in this stack's region");
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void httpRoutesAreTheTemplatesWithTheirAuthorization(String region) {
    RegionModel model = samconfigModel(region);

    Map<String, String> routes = model.functions().stream().flatMap(f -> f.events().stream())
        .filter(EventSourceSpec.HttpRoute.class::isInstance).map(EventSourceSpec.HttpRoute.class::cast)
        .collect(Collectors.toMap(r -> r.method() + " " + r.path(),
            r -> (r.authorizer() == null ? "public" : r.authorizer()) + " " + r.scopes()));
    assertThat(routes).isEqualTo(ROUTES);
    assertThat(model.api().logicalId()).isEqualTo("MeridianHttpApi");
    assertThat(model.api().jwtAuthorizerName()).isEqualTo("CustomerJwt");
    assertThat(model.api().defaultAuthorizer()).isEqualTo("CustomerJwt");
    assertThat(model.api().issuer()).isEqualTo("https://REPLACE-ME.invalid/oidc-issuer");
    assertThat(model.api().audience()).containsExactly("REPLACE-ME-customer-client-id");
    assertThat(model.api().jwtAuthorizer("AdminJwt")).hasValueSatisfying(admin -> {
      assertThat(admin.issuer()).isEqualTo("https://REPLACE-ME.invalid/oidc-issuer");
      assertThat(admin.audience()).containsExactly("REPLACE-ME-admin-client-id", "REPLACE-ME-operations-client-id");
    });
    assertThat(model.api().identitySource()).isEqualTo("$request.header.Authorization");
    assertThat(model.api().throttlingRateLimit()).isEqualTo(100.0);
    assertThat(model.api().throttlingBurstLimit()).isEqualTo(200);
  }

  /**
   * The local runtime scales a function out up to its reserved concurrency when it has one: the
   * health function's comes from HealthReservedConcurrency, and samconfig's 0 means none
   * (HasHealthReservation chooses AWS::NoValue), as do the other functions.
   */
  @Test
  void reservedConcurrencyIsTheHealthParameterOrNone() {
    assertThat(samconfigModel("eu-west-1").functions()).as("samconfig.toml: HealthReservedConcurrency=0")
        .allSatisfy(f -> assertThat(f.reservedConcurrency()).as(f.logicalId()).isNull());

    StackParameters deployed = DEPLOYED.stack("eu-west-1");
    Map<String, String> p = new HashMap<>(deployed.parameters());
    p.put("HealthReservedConcurrency", "5");
    RegionModel reserved = RESOLVER.resolve(new StackParameters("eu-west-1", deployed.stackName(), p,
        deployed.uncheckedParameters()));
    assertThat(function(reserved, "HealthFunction").reservedConcurrency()).isEqualTo(5);
    assertThat(reserved.functions()).filteredOn(f -> !f.logicalId().equals("HealthFunction"))
        .allSatisfy(f -> assertThat(f.reservedConcurrency()).as(f.logicalId()).isNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void healthIsPublicAndBeatsEveryMinute(String region) {
    FunctionSpec health = function(samconfigModel(region), "HealthFunction");

    assertThat(health.events()).containsExactly(
        new EventSourceSpec.HttpRoute("Health", "GET", "/health", null, List.of()),
        new EventSourceSpec.Schedule("Heartbeat", 60, null, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void forwardingGoesToEveryOtherRegionsBusAndOnlyForeignEventsAreQueued(String region) {
    RegionModel model = samconfigModel(region);

    assertThat(model.buses()).singleElement().satisfies(b -> assertThat(b.name()).isEqualTo("meridian"));
    RuleSpec forward = rule(model, "ForwardToPeersRule");
    assertThat(forward.busName()).isEqualTo("meridian");
    assertThat(forward.enabled()).isTrue();
    assertThat(forward.name()).as("named, so the forwarding role's trust can name its ARN")
        .isEqualTo("meridian-forward-to-peers");
    assertThat(forward.eventPatternJson())
        .isEqualTo("{\"source\":[\"meridian\"],\"detail\":{\"originRegion\":[\"" + region + "\"]}}");
    assertThat(forward.targets()).allSatisfy(t -> {
      assertThat(t.isCrossRegionBus()).isTrue();
      assertThat(t.busName()).isEqualTo("meridian");
      assertThat(t.arn()).isEqualTo(LocalNames.eventBusArn(t.busRegion(), "meridian"));
    });
    assertThat(forward.targets()).extracting(RuleSpec.Target::busRegion)
        .containsExactlyElementsOf(ALL.stream().filter(r -> !r.equals(region)).toList());

    RuleSpec queueRemote = rule(model, "QueueRemoteChangesRule");
    assertThat(queueRemote.eventPatternJson()).isEqualTo(
        "{\"source\":[\"meridian\"],\"detail\":{\"originRegion\":[{\"anything-but\":\"" + region + "\"}]}}");
    assertThat(queueRemote.targets()).containsExactly(new RuleSpec.Target("reconcile-queue",
        LocalNames.queueArn(region, queue(model, "ReconcileQueue").name()), "ReconcileQueue", null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void reconcileQueueRedrivesToItsDeadLetterQueueWhichComesFirst(String region) {
    RegionModel model = samconfigModel(region);

    assertThat(model.queues()).extracting(QueueSpec::logicalId)
        .containsExactly("EventDeliveryDeadLetterQueue", "ReconcileDeadLetterQueue", "ReconcileQueue",
            "PublisherFailureQueue");
    QueueSpec reconcile = queue(model, "ReconcileQueue");
    assertThat(reconcile.name()).matches("meridian-ReconcileQueue-[A-Z0-9]{12}");
    assertThat(reconcile.visibilityTimeoutSeconds()).isEqualTo(120);
    assertThat(reconcile.messageRetentionSeconds()).isEqualTo(345_600);
    assertThat(reconcile.deadLetterQueueLogicalId()).isEqualTo("ReconcileDeadLetterQueue");
    assertThat(reconcile.maxReceiveCount()).isEqualTo(5);
    QueueSpec dlq = queue(model, "ReconcileDeadLetterQueue");
    assertThat(dlq.messageRetentionSeconds()).isEqualTo(1_209_600);
    assertThat(dlq.deadLetterQueueLogicalId()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "eu-west-1", "ap-southeast-1"})
  void everyRegionHasTheGlobalTableReplica(String region) {
    RegionModel model = samconfigModel(region);

    assertThat(model.tables()).singleElement().satisfies(t -> {
      assertThat(t.logicalId()).isEqualTo("MeridianTable");
      assertThat(t.tableName()).isEqualTo("meridian");
      assertThat(t.hashKey()).isEqualTo("pk");
      assertThat(t.rangeKey()).isEqualTo("sk");
      assertThat(t.globalSecondaryIndexes()).containsExactly(
          new TableSpec.IndexSpec("gsi1", "gsi1pk", "gsi1sk", "ALL"));
      assertThat(t.ttlAttribute()).isEqualTo("expiresAt");
      assertThat(t.streamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
      assertThat(t.replicaRegions()).containsExactlyElementsOf(ALL);
      assertThat(t.attributeTypes()).containsOnly(entry("pk", "S"), entry("sk", "S"), entry("gsi1pk", "S"),
          entry("gsi1sk", "S"));
    });
    // only the home stack declares it; the others get it from the home stack's evaluation
    assertThat(RESOLVER.evaluate(DEPLOYED.stack(region)).hasResource("MeridianTable"))
        .isEqualTo(region.equals("us-east-1"));
  }

  @Test
  void conditionsPerRegionMatchTheTemplatesIntent() {
    EvaluatedStack home = RESOLVER.evaluate(withHealthCheckPath("us-east-1"));
    EvaluatedStack eu = RESOLVER.evaluate(DEPLOYED.stack("eu-west-1"));

    assertThat(home.conditions()).contains(entry("IsHomeRegion", true), entry("IsReplica1", false),
        entry("IsReplica2", true), entry("IsReplica3", true), entry("IsReplica4", false),
        entry("IsRemotePeer1", false), entry("IsRemotePeer2", true), entry("IsRemoteHomeUnlisted", false),
        entry("HasRemotePeers", true), entry("HasCustomDomain", false), entry("CreateDnsRecord", false),
        entry("HasAlarmTopic", false), entry("HasDeployFingerprint", false));
    assertThat(eu.conditions()).contains(entry("IsHomeRegion", false), entry("IsRemotePeer1", true),
        entry("IsRemotePeer2", false), entry("IsActivePassiveStandby", true));
    // tolerated but ignored resource types are there, the conditioned-out ones are not
    assertThat(home.resourceIds()).contains("EventBridgeCrossRegionRole", "HttpApiAccessLogGroup",
        "ReconcileQueuePolicy", "ReconcileDeadLetterQueueAlarm", "ReplicationLatencyAlarmPeer2")
        .doesNotContain("ApiDomainName", "RegionalHealthCheck", "ApiLatencyRecord", "ReplicationLatencyAlarmPeer1",
            "ReplicationLatencyAlarmHome");
    assertThat(home.outputs()).contains(entry("TableName", "meridian"), entry("PeerRegions",
        "eu-west-1,ap-southeast-1"), entry("EventBusArn", "arn:aws:events:us-east-1:123456789012:event-bus/meridian"))
        .doesNotContainKeys("CustomDomainUrl", "DeployFingerprint");
    assertThat(home.outputs().get("HealthUrl")).matches("https://[a-z0-9]{10}\\.execute-api\\.us-east-1\\."
        + "amazonaws\\.com/health");
  }

  @Test
  void thePublicHealthRouteAndTheHealthCheckStageHaveThrottlesOfTheirOwn() {
    LocalDeployment d = LocalDeployment.builder(CONFIG).regionCount(2).jwtIssuer("http://127.0.0.1:9000").build();
    for (RegionModel m : d.models(RESOLVER)) {
      String secret = d.parameters(m.region()).get(LocalDeployment.HEALTH_CHECK_PATH);
      assertThat(m.api().routeThrottles()).containsExactly(entry("GET /health", new HttpApiSpec.Throttle(10, 20)));
      assertThat(m.api().stages()).containsExactly(entry(secret, new HttpApiSpec.Throttle(20, 40)));
      assertThat(m.api().throttlingRateLimit()).isEqualTo(100);
      assertThat(m.api().throttlingBurstLimit()).isEqualTo(200);
    }
    assertThat(d.parameters("us-east-1").get(LocalDeployment.HEALTH_CHECK_PATH))
        .isNotEqualTo(d.parameters("eu-west-1").get(LocalDeployment.HEALTH_CHECK_PATH));
  }

  @Test
  void theStandbyReserveOfAStackUpOptionReachesEveryFunctionAndIsValidatedLikeSamconfigs() {
    LocalDeployment d = LocalDeployment.builder(CONFIG).regionCount(2).deploymentMode("active-passive")
        .parameter("StandbyReservePercent", "35").jwtIssuer("http://127.0.0.1:9000").build();
    for (RegionModel m : d.models(RESOLVER)) {
      assertThat(m.functions()).allSatisfy(f -> assertThat(f.environment())
          .contains(entry("DEPLOYMENT_MODE", "active-passive"), entry("STANDBY_RESERVE_PERCENT", "35")));
    }
    LocalDeployment tooMuch = LocalDeployment.builder(CONFIG).regionCount(2).parameter("StandbyReservePercent", "95")
        .jwtIssuer("http://127.0.0.1:9000").build();
    assertThatThrownBy(() -> tooMuch.models(RESOLVER)).hasMessageContaining("StandbyReservePercent");
  }

  @Test
  void twoRegionLocalDeploymentHasTwoReplicasAndOnePeerEach() {
    LocalDeployment d = LocalDeployment.builder(CONFIG).regionCount(2).jwtIssuer("http://127.0.0.1:9000").build();
    List<RegionModel> models = d.models(RESOLVER);

    assertThat(models).extracting(RegionModel::region).containsExactly("us-east-1", "eu-west-1");
    RegionModel us = models.get(0);
    RegionModel eu = models.get(1);
    for (RegionModel m : models) {
      assertThat(m.tables()).singleElement().satisfies(t -> assertThat(t.replicaRegions())
          .containsExactly("us-east-1", "eu-west-1"));
      assertThat(m.api().issuer()).isEqualTo("http://127.0.0.1:9000");
    }
    assertThat(rule(us, "ForwardToPeersRule").targets()).extracting(RuleSpec.Target::busRegion, RuleSpec.Target::busName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("eu-west-1", "meridian"));
    assertThat(rule(eu, "ForwardToPeersRule").targets()).extracting(RuleSpec.Target::busRegion)
        .containsExactly("us-east-1");
    assertThat(function(us, "OrdersFunction").environment()).containsEntry("PEER_REGIONS", "eu-west-1");
    assertThat(function(eu, "OrdersFunction").environment()).containsEntry("PEER_REGIONS", "us-east-1");
    assertThat(rule(eu, "QueueRemoteChangesRule").eventPatternJson()).contains("{\"anything-but\":\"eu-west-1\"}");
  }

  @Test
  void route53IsOutByDefaultButItsDefinitionCanBeResolved() {
    LocalDeployment activeActive = LocalDeployment.of(CONFIG);
    assertThat(activeActive.models(RESOLVER)).extracting(RegionModel::dns).containsOnlyNulls();

    for (String region : ALL) {
      DnsSpec dns = RESOLVER.resolveDnsAssumingCustomDomain(activeActive.stack(region)).orElseThrow();
      String secret = activeActive.parameters(region).get(LocalDeployment.HEALTH_CHECK_PATH);
      assertThat(secret).as("a fresh secret path per region").matches("[0-9a-f]{32}");
      assertThat(dns.healthCheck()).satisfies(h -> {
        assertThat(h.type()).isEqualTo("HTTPS_STR_MATCH");
        // Route 53 calls the secret stage, never the public /health.
        assertThat(h.resourcePath()).isEqualTo("/" + secret + "/health");
        assertThat(h.searchString()).isEqualTo("\"status\":\"healthy\"");
        assertThat(h.requestIntervalSeconds()).isEqualTo(10);
        assertThat(h.failureThreshold()).isEqualTo(3);
        assertThat(h.port()).isEqualTo(443);
        assertThat(h.fullyQualifiedDomainName()).endsWith(".execute-api." + region + ".amazonaws.com");
      });
      assertThat(dns.record().kind()).isEqualTo(DnsSpec.RoutingKind.LATENCY);
      assertThat(dns.record().latencyRegion()).isEqualTo(region);
      assertThat(dns.record().setIdentifier()).isEqualTo(region);
    }

    LocalDeployment activePassive = LocalDeployment.builder(CONFIG).deploymentMode("active-passive").build();
    assertThat(RESOLVER.resolveDnsAssumingCustomDomain(activePassive.stack("us-east-1")).orElseThrow().record())
        .satisfies(r -> {
          assertThat(r.kind()).isEqualTo(DnsSpec.RoutingKind.FAILOVER);
          assertThat(r.failover()).isEqualTo("PRIMARY");
        });
    assertThat(RESOLVER.resolveDnsAssumingCustomDomain(activePassive.stack("eu-west-1")).orElseThrow().record()
        .failover()).isEqualTo("SECONDARY");
    // a third region in active-passive has no record, hence no health check
    assertThat(RESOLVER.resolveDnsAssumingCustomDomain(activePassive.stack("ap-southeast-1"))).isEmpty();
  }

  @Test
  void aRealCustomDomainPutsRoute53IntoTheModel() {
    Map<String, String> p = new HashMap<>(LocalDeployment.of(CONFIG).parameters("eu-west-1"));
    p.put("DomainName", "api.example.com");
    p.put("HostedZoneId", "Z123EXAMPLE");
    p.put("CertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/abc");
    RegionModel model = RESOLVER.resolve(new StackParameters("eu-west-1", "meridian", p));

    assertThat(model.dns().record().name()).isEqualTo("api.example.com");
    assertThat(model.dns().record().kind()).isEqualTo(DnsSpec.RoutingKind.LATENCY);
  }

  @Test
  void templateRulesRejectDuplicatePeersAndHalfADomain() {
    Map<String, String> p = new HashMap<>(LocalDeployment.of(CONFIG).parameters("us-east-1"));
    p.put("PeerRegion3", "eu-west-1");
    p.put("DomainName", "api.example.com");

    assertThatThrownBy(() -> RESOLVER.resolve(new StackParameters("us-east-1", "meridian", p)))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("Rules reject the parameters for region us-east-1")
        .hasMessageContaining("PeerRegionsAreDistinct: PeerRegion1..PeerRegion4 must not repeat a region")
        .hasMessageContaining("CustomDomainIsAllOrNothing: DomainName, HostedZoneId and CertificateArn must be set");
  }

  @Test
  void unknownAndMissingParametersAreReported() {
    Map<String, String> p = new HashMap<>(LocalDeployment.of(CONFIG).parameters("us-east-1"));
    p.remove("JwtIssuer");
    p.put("TabelName", "typo");

    assertThatThrownBy(() -> RESOLVER.resolve(new StackParameters("us-east-1", "meridian", p)))
        .isInstanceOfSatisfying(ParameterValidationException.class, e -> assertThat(e.violations()).containsExactly(
            "TabelName is not a parameter of the template", "JwtIssuer has no value (no override and no Default)"));
  }
}
