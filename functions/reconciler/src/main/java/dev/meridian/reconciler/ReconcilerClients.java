package dev.meridian.reconciler;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The reconciler's SQS client (dead-lettering), built once per container like the DynamoDB client. */
final class ReconcilerClients {
  private ReconcilerClients() {}

  static SqsClient sqs(String region) {
    return SqsClient.builder()
        .region(Region.of(region))
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(1))
            .socketTimeout(Duration.ofSeconds(2))
            .build())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(5))
            .apiCallAttemptTimeout(Duration.ofSeconds(2))
            .build())
        .build();
  }
}
