package dev.meridian.tools.local.provision;

import dev.meridian.tools.local.model.BusSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.QueueSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.model.RuleSpec;
import dev.meridian.tools.local.model.TableSpec;
import dev.meridian.tools.local.template.LocalNames;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates one region's resources in moto with the real AWS SDK v2 clients (dummy credentials,
 * endpoint override): the table replica (keys, GSIs, stream, TTL), event buses, queues (dead-letter
 * queues first, redrive policy with the DLQ's ARN), and rules with their resolved event patterns
 * and their SAME-REGION QUEUE targets only.
 *
 * <p>Rule targets that are event buses (the cross-region forwarding) are NOT given to moto: moto
 * would deliver them inside PutEvents, ignoring any partition the local stack simulates. They are
 * returned as {@link ProvisionedRegion.ForwardingTarget}s for the local stack's own links. Other
 * target kinds (none in Meridian's template) are skipped.
 *
 * <p>Idempotent: running it again against the same moto converges to the model (existing tables,
 * buses and queues are kept and their settings updated, rule targets not in the model removed).
 * Queue policies are not created (moto does not enforce them).
 */
public final class Provisioner implements AutoCloseable {

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private final URI endpoint;
  private final SdkHttpClient httpClient;
  private final boolean ownsHttpClient;

  /** Provisions into the moto (or other AWS emulator) at {@code endpoint}. */
  public Provisioner(URI endpoint) {
    this(endpoint, Apache5HttpClient.builder().maxConnections(16).build(), true);
  }

  /** As {@link #Provisioner(URI)} with a caller-owned HTTP client, which {@link #close()} leaves open. */
  public Provisioner(URI endpoint, SdkHttpClient httpClient) {
    this(endpoint, httpClient, false);
  }

  private Provisioner(URI endpoint, SdkHttpClient httpClient, boolean ownsHttpClient) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    this.ownsHttpClient = ownsHttpClient;
  }

  /** Provisions every model, in order (home region first is customary but not required). */
  public List<ProvisionedRegion> provisionAll(List<RegionModel> models) {
    return models.stream().map(this::provision).toList();
  }

  /** Creates (or updates) {@code model}'s resources in its region. */
  public ProvisionedRegion provision(RegionModel model) {
    String region = model.region();
    try (DynamoDbClient ddb = client(DynamoDbClient.builder(), region);
        SqsClient sqs = client(SqsClient.builder(), region);
        EventBridgeClient events = client(EventBridgeClient.builder(), region)) {
      Map<String, String> streamArns = new LinkedHashMap<>();
      for (TableSpec table : model.tables()) {
        streamArns.put(table.tableName(), provisionTable(ddb, table, region));
      }
      Map<String, String> busArns = new LinkedHashMap<>();
      for (BusSpec bus : model.buses()) {
        busArns.put(bus.logicalId(), provisionBus(events, bus));
      }
      Map<String, String> queueUrls = new LinkedHashMap<>();
      Map<String, String> queueArns = new LinkedHashMap<>();
      for (QueueSpec queue : dlqsFirst(model.queues())) {
        String url = provisionQueue(sqs, queue, queueArns, region);
        queueUrls.put(queue.logicalId(), url);
        queueArns.put(queue.logicalId(), sqs.getQueueAttributes(r -> r.queueUrl(url)
            .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
      }
      List<ProvisionedRegion.ForwardingTarget> forwarding = new ArrayList<>();
      for (RuleSpec rule : model.rules()) {
        provisionRule(events, rule, queueArns, region, forwarding);
      }
      Map<String, String> replacements = new LinkedHashMap<>();
      for (QueueSpec queue : model.queues()) {
        replacements.put(LocalNames.queueUrl(region, queue.name()), queueUrls.get(queue.logicalId()));
      }
      streamArns.forEach((table, arn) -> {
        if (arn != null) {
          replacements.put(LocalNames.streamArn(region, table), arn);
        }
      });
      Map<String, Map<String, String>> environments = new LinkedHashMap<>();
      for (FunctionSpec function : model.functions()) {
        Map<String, String> environment = new LinkedHashMap<>();
        function.environment().forEach((k, v) -> environment.put(k, substitute(v, replacements)));
        environments.put(function.logicalId(), environment);
      }
      String tableName = model.tables().isEmpty() ? null : model.tables().get(0).tableName();
      return new ProvisionedRegion(region, tableName, tableName == null ? null : streamArns.get(tableName),
          streamArns, queueUrls, queueArns, busArns, forwarding, environments);
    }
  }

  @Override
  public void close() {
    if (ownsHttpClient) {
      httpClient.close();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static String provisionTable(DynamoDbClient ddb, TableSpec table, String region) {
    String name = table.tableName();
    TableDescription existing;
    try {
      ddb.createTable(r -> {
        r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attributeDefinitions(table))
            .keySchema(keySchema(table.hashKey(), table.rangeKey()));
        if (!table.globalSecondaryIndexes().isEmpty()) {
          r.globalSecondaryIndexes(table.globalSecondaryIndexes().stream()
              .map(index -> GlobalSecondaryIndex.builder().indexName(index.indexName())
                  .keySchema(keySchema(index.hashKey(), index.rangeKey()))
                  .projection(Projection.builder().projectionType(index.projectionType()).build()).build())
              .toList());
        }
        if (table.streamViewType() != null) {
          r.streamSpecification(StreamSpecification.builder().streamEnabled(true)
              .streamViewType(table.streamViewType()).build());
        }
      });
    } catch (ResourceInUseException alreadyExists) {
      // provisioned before: check it is the same table, then converge stream and TTL below
    }
    existing = ddb.describeTable(r -> r.tableName(name)).table();
    checkSameSchema(table, existing, region);
    boolean streamOn = existing.streamSpecification() != null && Boolean.TRUE.equals(
        existing.streamSpecification().streamEnabled());
    if (table.streamViewType() != null && !streamOn) {
      ddb.updateTable(r -> r.tableName(name).streamSpecification(StreamSpecification.builder().streamEnabled(true)
          .streamViewType(table.streamViewType()).build()));
      existing = ddb.describeTable(r -> r.tableName(name)).table();
    }
    if (table.ttlAttribute() != null) {
      TimeToLiveDescription ttl = ddb.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();
      boolean enabled = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
          || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
      if (!enabled || !table.ttlAttribute().equals(ttl.attributeName())) {
        ddb.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(
            s -> s.attributeName(table.ttlAttribute()).enabled(true)));
      }
    }
    return table.streamViewType() == null ? null : existing.latestStreamArn();
  }

  private static void checkSameSchema(TableSpec table, TableDescription existing, String region) {
    List<KeySchemaElement> expectedKey = keySchema(table.hashKey(), table.rangeKey());
    Set<String> expectedIndexes = new HashSet<>();
    table.globalSecondaryIndexes().forEach(i -> expectedIndexes.add(i.indexName()));
    Set<String> actualIndexes = new HashSet<>();
    if (existing.globalSecondaryIndexes() != null) {
      existing.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName)
          .forEach(actualIndexes::add);
    }
    if (!new HashSet<>(existing.keySchema()).equals(new HashSet<>(expectedKey)) || !actualIndexes.equals(
        expectedIndexes)) {
      throw new IllegalStateException("table " + table.tableName() + " already exists in " + region
          + " with another key schema or other indexes (" + existing.keySchema() + ", " + actualIndexes
          + "); reset the emulator");
    }
  }

  private static List<AttributeDefinition> attributeDefinitions(TableSpec table) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(table.hashKey());
    if (table.rangeKey() != null) {
      keys.add(table.rangeKey());
    }
    table.globalSecondaryIndexes().forEach(index -> {
      keys.add(index.hashKey());
      if (index.rangeKey() != null) {
        keys.add(index.rangeKey());
      }
    });
    return keys.stream().map(k -> AttributeDefinition.builder().attributeName(k)
        .attributeType(table.attributeType(k)).build()).toList();
  }

  private static List<KeySchemaElement> keySchema(String hashKey, String rangeKey) {
    List<KeySchemaElement> key = new ArrayList<>();
    key.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
    if (rangeKey != null) {
      key.add(KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build());
    }
    return key;
  }

  private static String provisionBus(EventBridgeClient events, BusSpec bus) {
    if (!bus.name().equals("default")) {
      try {
        return events.createEventBus(r -> r.name(bus.name())).eventBusArn();
      } catch (ResourceAlreadyExistsException alreadyExists) {
        // provisioned before
      }
    }
    return events.describeEventBus(r -> r.name(bus.name())).arn();
  }

  private static String provisionQueue(SqsClient sqs, QueueSpec queue, Map<String, String> queueArns, String region) {
    Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(queue.visibilityTimeoutSeconds()));
    attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(queue.messageRetentionSeconds()));
    if (queue.deadLetterQueueLogicalId() != null) {
      String dlqArn = queueArns.get(queue.deadLetterQueueLogicalId());
      if (dlqArn == null) {
        throw new IllegalStateException("queue " + queue.logicalId() + " in " + region + " redrives to "
            + queue.deadLetterQueueLogicalId() + ", which the model does not declare");
      }
      attributes.put(QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + queue.maxReceiveCount() + "}");
    }
    try {
      return sqs.createQueue(r -> r.queueName(queue.name()).attributes(attributes)).queueUrl();
    } catch (QueueNameExistsException existsWithOtherAttributes) {
      String url = sqs.getQueueUrl(r -> r.queueName(queue.name())).queueUrl();
      sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
      return url;
    }
  }

  private static void provisionRule(EventBridgeClient events, RuleSpec rule, Map<String, String> queueArns,
      String region, List<ProvisionedRegion.ForwardingTarget> forwarding) {
    if (rule.eventPatternJson() == null) {
      return; // schedule rules are run by the local scheduler, not by the emulator
    }
    String name = rule.name() != null ? rule.name() : rule.logicalId();
    events.putRule(r -> r.name(name).eventBusName(rule.busName()).eventPattern(rule.eventPatternJson())
        .state(rule.enabled() ? RuleState.ENABLED : RuleState.DISABLED));
    List<Target> targets = new ArrayList<>();
    for (RuleSpec.Target target : rule.targets()) {
      if (target.queueLogicalId() != null) {
        String arn = queueArns.get(target.queueLogicalId());
        if (arn == null) {
          throw new IllegalStateException("rule " + rule.logicalId() + " in " + region + " targets queue "
              + target.queueLogicalId() + ", which the model does not declare");
        }
        targets.add(Target.builder().id(target.id()).arn(arn).build());
      } else if (target.busName() != null && rule.enabled()) {
        forwarding.add(new ProvisionedRegion.ForwardingTarget(region, rule.busName(), rule.logicalId(), name,
            target.id(), target.busRegion() == null ? region : target.busRegion(), target.busName(),
            rule.eventPatternJson()));
      }
    }
    Set<String> wanted = new HashSet<>();
    targets.forEach(t -> wanted.add(t.id()));
    List<String> stale = events.listTargetsByRule(r -> r.rule(name).eventBusName(rule.busName())).targets().stream()
        .map(Target::id).filter(id -> !wanted.contains(id)).toList();
    if (!stale.isEmpty()) {
      events.removeTargets(r -> r.rule(name).eventBusName(rule.busName()).ids(stale));
    }
    if (!targets.isEmpty()) {
      int failed = events.putTargets(r -> r.rule(name).eventBusName(rule.busName()).targets(targets))
          .failedEntryCount();
      if (failed > 0) {
        throw new IllegalStateException("PutTargets failed for " + failed + " targets of rule " + name + " in "
            + region);
      }
    }
  }

  private static List<QueueSpec> dlqsFirst(List<QueueSpec> queues) {
    Map<String, QueueSpec> byId = new LinkedHashMap<>();
    queues.forEach(q -> byId.put(q.logicalId(), q));
    List<QueueSpec> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (QueueSpec queue : queues) {
      addAfterDlq(queue, byId, ordered, done, new HashSet<>());
    }
    return ordered;
  }

  private static void addAfterDlq(QueueSpec queue, Map<String, QueueSpec> byId, List<QueueSpec> ordered,
      Set<String> done, Set<String> visiting) {
    if (done.contains(queue.logicalId())) {
      return;
    }
    if (!visiting.add(queue.logicalId())) {
      throw new IllegalStateException("queues redrive to each other in a cycle: " + visiting);
    }
    QueueSpec dlq = queue.deadLetterQueueLogicalId() == null ? null : byId.get(queue.deadLetterQueueLogicalId());
    if (dlq != null) {
      addAfterDlq(dlq, byId, ordered, done, visiting);
    }
    done.add(queue.logicalId());
    ordered.add(queue);
  }

  /**
   * Replaces each predicted value with the real one where it occurs as a whole token (not followed
   * by a character that could continue a queue name or stream label), longest first.
   */
  static String substitute(String value, Map<String, String> replacements) {
    if (value == null) {
      return null;
    }
    String out = value;
    List<Map.Entry<String, String>> entries = new ArrayList<>(replacements.entrySet());
    entries.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    for (Map.Entry<String, String> e : entries) {
      if (e.getValue() == null || !out.contains(e.getKey())) {
        continue;
      }
      out = Pattern.compile(Pattern.quote(e.getKey()) + "(?![A-Za-z0-9_.:-])").matcher(out)
          .replaceAll(Matcher.quoteReplacement(e.getValue()));
    }
    return out;
  }

  private <B extends AwsClientBuilder<B, C>, C> C client(B builder, String region) {
    if (builder instanceof SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClient(httpClient);
    }
    return builder.endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(CREDENTIALS).build();
  }

  @Override
  public String toString() {
    return "Provisioner[" + endpoint + "]";
  }
}
