package dev.meridian.bootstrap.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.dynamodb.DynamoDbChangeStream;
import dev.meridian.adapter.messaging.eventbridge.EventBridgeChangePublisher;
import dev.meridian.application.replication.ChangePublisher;
import dev.meridian.application.replication.ChangeStreamReader;
import dev.meridian.application.replication.PublishService;
import dev.meridian.bootstrap.AwsClients;
import dev.meridian.bootstrap.MeridianConfig;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The publisher function's composition: the table's stream records read with the DynamoDB
 * adapter's item codec, published to this region's bus by {@link PublishService}.
 */
public final class PublisherWiring {
  private final MeridianConfig config;
  private final ChangeStreamReader<JsonNode> stream = new DynamoDbChangeStream();
  private final PublishService publish;
  private final Metrics metrics;

  private PublisherWiring(MeridianConfig config, ChangePublisher publisher, Metrics metrics) {
    this.config = config;
    this.publish = new PublishService(config.hybridClock(Clock.systemUTC()), publisher);
    this.metrics = metrics;
  }

  /** Lambda's: configuration from the process environment, the bus from {@link AwsClients}. */
  public static PublisherWiring fromEnvironment() {
    MeridianConfig config = MeridianConfig.fromEnvironment();
    return new PublisherWiring(config, new EventBridgeChangePublisher(
        AwsClients.forApi(EventBridgeClient.builder(), config.region()), config.eventBusName()),
        MetricsFactory.getMetricsInstance());
  }

  /** The same composition on a given environment, bus and metrics (tests). */
  public static PublisherWiring of(Map<String, String> environment, ChangePublisher publisher, Metrics metrics) {
    return new PublisherWiring(MeridianConfig.from(environment), publisher, metrics);
  }

  public MeridianConfig config() {
    return config;
  }

  public ChangeStreamReader<JsonNode> stream() {
    return stream;
  }

  public PublishService publish() {
    return publish;
  }

  public Metrics metrics() {
    return metrics;
  }
}
