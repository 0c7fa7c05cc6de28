package dev.meridian.testing;

import java.net.URI;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The AWS emulator an {@code *IT} test runs against, whichever {@link EmulatorExtension} chose:
 * moto (the default) or LocalStack ({@code -Plocalstack}). State is per region like AWS.
 */
public interface Emulator {
  /** Who answers, for messages: {@code moto} or the LocalStack image. */
  String name();

  /** Base URI to use as SDK endpoint override (and as {@code AWS_ENDPOINT_URL} for a child process). */
  URI endpoint();

  /**
   * Points an SDK v2 client builder at the emulator: endpoint override, the given region and dummy
   * static credentials. SDK defaults (retries, timeouts) are left as in production.
   */
  <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region);

  /** A new DynamoDB client for {@code region}; the caller closes it. */
  default DynamoDbClient dynamoDb(String region) {
    return configure(DynamoDbClient.builder(), region).build();
  }

  /** Deletes every table, queue and item in every region. */
  void resetAll();
}
