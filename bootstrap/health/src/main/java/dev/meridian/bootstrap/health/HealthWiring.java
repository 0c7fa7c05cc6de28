package dev.meridian.bootstrap.health;

import dev.meridian.adapter.dynamodb.DynamoDbControlRepository;
import dev.meridian.adapter.dynamodb.DynamoDbHeartbeatRepository;
import dev.meridian.adapter.messaging.sqs.SqsBacklogProbe;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.health.BacklogProbe;
import dev.meridian.application.health.HealthPolicy;
import dev.meridian.application.health.HealthService;
import dev.meridian.application.health.HeartbeatRepository;
import dev.meridian.bootstrap.HealthSettings;
import dev.meridian.bootstrap.MeridianConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The health function's composition: {@link HealthService} on the control item, the peers'
 * heartbeats and the reconcile queue's backlog, with {@link HealthClients}' tight timeouts. Built
 * once per container; the checks run on its own executor.
 */
public final class HealthWiring {
  private final MeridianConfig config;
  private final ControlService control;
  private final HeartbeatRepository heartbeats;
  private final Optional<BacklogProbe> backlog;
  private final ExecutorService executor;
  private final HealthService health;

  private HealthWiring(MeridianConfig config, HealthPolicy policy, DynamoDbClient dynamoDb, Optional<SqsClient> sqs,
      Clock clock) {
    this.config = config;
    this.control = new ControlService(new DynamoDbControlRepository(dynamoDb, config.tableName(), config.region()),
        config.deployment());
    this.heartbeats = new DynamoDbHeartbeatRepository(dynamoDb, config.tableName());
    this.backlog = config.reconcileQueueUrl().flatMap(url -> sqs.map(client -> new SqsBacklogProbe(client, url)));
    this.executor = HealthService.newCheckExecutor();
    this.health = new HealthService(control, heartbeats, backlog, policy, clock, executor);
  }

  /** Lambda's: configuration and policy from the process environment, clients from {@link HealthClients}. */
  public static HealthWiring fromEnvironment() {
    Map<String, String> env = System.getenv();
    MeridianConfig config = MeridianConfig.from(env);
    return new HealthWiring(config, HealthSettings.from(env), HealthClients.dynamoDb(config.region()).build(),
        config.reconcileQueueUrl().map(url -> HealthClients.sqs(config.region()).build()), Clock.systemUTC());
  }

  /** The same composition on given settings and clients (tests). */
  public static HealthWiring of(MeridianConfig config, HealthPolicy policy, DynamoDbClient dynamoDb, Optional<SqsClient> sqs,
      Clock clock) {
    return new HealthWiring(config, policy, dynamoDb, sqs, clock);
  }

  public MeridianConfig config() {
    return config;
  }

  public HealthService health() {
    return health;
  }

  public ControlService control() {
    return control;
  }

  public HeartbeatRepository heartbeats() {
    return heartbeats;
  }

  public Optional<BacklogProbe> backlog() {
    return backlog;
  }

  /** Where the checks run: also where the init phase's priming calls run, under the same bounds. */
  public ExecutorService executor() {
    return executor;
  }
}
