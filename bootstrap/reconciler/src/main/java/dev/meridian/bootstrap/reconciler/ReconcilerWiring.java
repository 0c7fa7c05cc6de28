package dev.meridian.bootstrap.reconciler;

import dev.meridian.adapter.dynamodb.Backoff;
import dev.meridian.adapter.dynamodb.DynamoDbCatalogRepository;
import dev.meridian.adapter.dynamodb.DynamoDbControlRepository;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.DynamoDbReplicaStore;
import dev.meridian.adapter.lambda.SnapStartHooks;
import dev.meridian.adapter.messaging.events.EventBridgeChangeEvents;
import dev.meridian.adapter.messaging.sqs.SqsDeadLetters;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.replication.ChangeEventReader;
import dev.meridian.application.replication.DeadLetters;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.bootstrap.AwsClients;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.ShardStarts;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The reconciler function's composition: remote change events read from the reconcile queue's
 * messages, merged into this region's replica by {@link ReconcileService}, and the unreadable ones
 * sent to the dead-letter queue. The dead-letter queue is required: without it a malformed event
 * could only be retried forever or dropped. Events are accepted only from the configured peers and
 * from this deployment's account, which is the dead-letter queue's owner (an SQS queue URL names
 * it), so no further setting can disagree with the queues the stack created.
 */
public final class ReconcilerWiring {
  private final MeridianConfig config;
  private final ChangeEventReader events;
  private final ReconcileService reconcile;
  private final DeadLetters deadLetters;
  private final Metrics metrics;
  private final Clock wallClock;
  private final Backoff transactionBackoff = Backoff.transactions(new SecureRandom().nextLong());

  private ReconcilerWiring(MeridianConfig config, DynamoDbClient dynamoDb, SqsClient sqs, Metrics metrics, Clock wallClock) {
    String deadLetterQueue = config.reconcileDeadLetterQueueUrl().orElseThrow(() -> new IllegalStateException(
        MeridianConfig.RECONCILE_DEAD_LETTER_QUEUE_URL + " must name the dead-letter queue: malformed events go there"));
    this.config = config;
    this.events = new EventBridgeChangeEvents(config.region(), config.peerRegions(), SqsDeadLetters.ownerAccount(deadLetterQueue));
    DynamoDbCatalogRepository catalog = new DynamoDbCatalogRepository(dynamoDb, config.tableName(), config.region(),
        config.allRegions());
    this.reconcile = new ReconcileService(config.hybridClock(wallClock), config.stockPolicy(),
        new DynamoDbOrderRepository(dynamoDb, config.tableName(), config.region(), config.allRegions(), wallClock,
            transactionBackoff), catalog,
        new DynamoDbReplicaStore(dynamoDb, config.tableName(), config.region()), new ShardStarts(),
        new ControlService(new DynamoDbControlRepository(dynamoDb, config.tableName(), config.region()),
            config.deployment())::stockRoles);
    this.deadLetters = new SqsDeadLetters(sqs, deadLetterQueue);
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  /** Lambda's: configuration from the process environment, clients from {@link AwsClients}. */
  public static ReconcilerWiring fromEnvironment() {
    MeridianConfig config = MeridianConfig.fromEnvironment();
    ReconcilerWiring wiring = new ReconcilerWiring(config, AwsClients.forApi(DynamoDbClient.builder(), config.region()),
        AwsClients.forApi(SqsClient.builder(), config.region()), MetricsFactory.getMetricsInstance(), Clock.systemUTC());
    // No SnapStart on this function today; registered all the same, so enabling it needs no code.
    SnapStartHooks.global().register("transaction back-off jitter", wiring.transactionBackoff::afterRestore);
    return wiring;
  }

  /** The same composition on a given environment and clients (tests). */
  public static ReconcilerWiring of(Map<String, String> environment, DynamoDbClient dynamoDb, SqsClient sqs, Metrics metrics,
      Clock wallClock) {
    return new ReconcilerWiring(MeridianConfig.from(environment), dynamoDb, sqs, metrics, wallClock);
  }

  public MeridianConfig config() {
    return config;
  }

  public ChangeEventReader events() {
    return events;
  }

  public ReconcileService reconcile() {
    return reconcile;
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }

  public Metrics metrics() {
    return metrics;
  }

  public Clock wallClock() {
    return wallClock;
  }
}
