package dev.meridian.adapter.dynamodb;

import dev.meridian.adapter.AwsClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB client of the API and event functions ({@link AwsClients#API} timeouts). */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  public static DynamoDbClient forRegion(String region) {
    return AwsClients.configure(DynamoDbClient.builder(), region, AwsClients.API).build();
  }
}
