package dev.meridian.health;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * SDK clients for the health function, built once per container. Tighter than the API's
 * {@code DynamoDbClients}: the health check abandons a call after its own check timeout (800 ms by
 * default), and these timeouts make the abandoned call itself end soon after, so hung calls never
 * pile up threads. The endpoint comes from {@code AWS_ENDPOINT_URL} when set (the SDK honours it),
 * credentials from the default chain.
 *
 * <p>Timeouts: connect 500 ms, each attempt 700 ms, the whole call (with its one retry) 1.5 s.
 */
public final class HealthClients {
  public static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(700);
  public static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);
  /**
   * One retry (the standard strategy, backoff with jitter): enough for a dropped connection, and
   * an unreachable endpoint is reported as such within the check timeout instead of as a timeout
   * (DynamoDB's default would retry for over a second).
   */
  public static final int MAX_ATTEMPTS = 2;

  private HealthClients() {}

  /** A DynamoDB client builder for {@code region}, with the URL connection client and the timeouts above. */
  public static DynamoDbClientBuilder dynamoDb(String region) {
    return DynamoDbClient.builder()
        .region(Region.of(region))
        .httpClient(httpClient())
        .overrideConfiguration(overrides());
  }

  /** An SQS client builder for {@code region}, configured like {@link #dynamoDb}. */
  public static SqsClientBuilder sqs(String region) {
    return SqsClient.builder()
        .region(Region.of(region))
        .httpClient(httpClient())
        .overrideConfiguration(overrides());
  }

  private static software.amazon.awssdk.http.SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECTION_TIMEOUT)
        .socketTimeout(ATTEMPT_TIMEOUT)
        .build();
  }

  private static ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .apiCallTimeout(CALL_TIMEOUT)
        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
        .build();
  }
}
