package dev.meridian.adapter.dynamodb;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client once per container. The region comes from {@code AWS_REGION} and
 * the endpoint from {@code AWS_ENDPOINT_URL} when set, both honoured by the SDK itself; the
 * credentials from the default chain (the function's role in AWS, dummy keys locally).
 */
public final class DynamoDbClients {
  /** Request timeouts well under API Gateway's 30 s, so a slow replica fails fast with a 503. */
  public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

  private DynamoDbClients() {}

  public static DynamoDbClient forRegion(String region) {
    return DynamoDbClient.builder()
        .region(Region.of(region))
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(1))
            .socketTimeout(API_CALL_ATTEMPT_TIMEOUT)
            .build())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(API_CALL_TIMEOUT)
            .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT)
            .build())
        .build();
  }
}
