package dev.meridian.testkit.emulator;

import java.net.URI;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

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

  /**
   * A new DynamoDB client for {@code region} in which {@code table} exists: created unless it
   * already is (several tests of one class may share it); the caller closes the client.
   */
  default DynamoDbClient dynamoDb(String region, CreateTableRequest table) {
    DynamoDbClient client = dynamoDb(region);
    try {
      client.createTable(table);
    } catch (ResourceInUseException exists) {
      // created earlier: the same table is meant
    }
    return client;
  }

  /** Deletes every table, queue and item in every region. */
  void resetAll();
}
