package dev.meridian.bootstrap.health;

import dev.meridian.bootstrap.AwsClients;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * SDK clients for the health function, built once per container. Tighter than the API's
 * ({@link AwsClients#API}): the health check abandons a call after its own check timeout (800 ms by
 * default), and these timeouts make the abandoned call itself end soon after, so hung calls never
 * pile up threads.
 *
 * <p>Timeouts: connect 500 ms, each attempt 700 ms, the whole call 1.5 s. One retry (the standard
 * strategy, backoff with jitter): enough for a dropped connection, and an unreachable endpoint is
 * reported as such within the check timeout instead of as a timeout (DynamoDB's default would retry
 * for over a second).
 */
public final class HealthClients {
  public static final AwsClients.Timeouts TIMEOUTS =
      new AwsClients.Timeouts(Duration.ofMillis(500), Duration.ofMillis(700), Duration.ofMillis(1500), 2);

  private HealthClients() {}

  /** A DynamoDB client builder for {@code region} with the timeouts above. */
  public static DynamoDbClientBuilder dynamoDb(String region) {
    return AwsClients.configure(DynamoDbClient.builder(), region, TIMEOUTS);
  }

  /** An SQS client builder for {@code region}, configured like {@link #dynamoDb}. */
  public static SqsClientBuilder sqs(String region) {
    return AwsClients.configure(SqsClient.builder(), region, TIMEOUTS);
  }
}
