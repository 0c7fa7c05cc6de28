package dev.meridian.adapter.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Strongly consistent reads of any number of items by key, in as few BatchGetItem calls as DynamoDB allows. */
final class BatchReads {
  private static final int MAX_BATCH_KEYS = 100;

  private BatchReads() {}

  /** The items that exist among {@code keys}, in no particular order; keys DynamoDB left unprocessed are asked again. */
  static List<Map<String, AttributeValue>> get(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += MAX_BATCH_KEYS) {
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
          .keys(keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_KEYS))).consistentRead(true).build());
      while (request != null && !request.isEmpty()) {
        BatchGetItemResponse response = dynamoDb.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
        found.addAll(response.responses().getOrDefault(table, List.of()));
        request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty() ? response.unprocessedKeys() : null;
      }
    }
    return found;
  }
}
