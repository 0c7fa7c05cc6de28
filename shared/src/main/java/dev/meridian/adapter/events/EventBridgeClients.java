package dev.meridian.adapter.events;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Builds the EventBridge client once per container, the same way as the DynamoDB client: region
 * from {@code AWS_REGION}, endpoint from {@code AWS_ENDPOINT_URL} when set (the SDK honours it).
 */
public final class EventBridgeClients {
  public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

  private EventBridgeClients() {}

  public static EventBridgeClient forRegion(String region) {
    return EventBridgeClient.builder()
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
