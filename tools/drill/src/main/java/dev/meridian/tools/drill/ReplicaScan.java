package dev.meridian.tools.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads one whole replica with a parallel scan: {@code segments} workers, each scanning its own
 * segment ({@code Segment}/{@code TotalSegments}) page by page. Strongly consistent reads, so an
 * item the replica has written is seen, whatever is still replicating to other regions.
 */
final class ReplicaScan {
  private ReplicaScan() {}

  static List<Map<String, AttributeValue>> all(DynamoDbClient dynamoDb, String table, int segments) throws Exception {
    if (segments < 1 || segments > 1_000_000) {
      throw new IllegalArgumentException("--segments must be between 1 and 1000000 (DynamoDB's TotalSegments)");
    }
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Map<String, AttributeValue>>>> parts = new ArrayList<>();
      for (int segment = 0; segment < segments; segment++) {
        int mine = segment;
        parts.add(workers.submit(() -> segment(dynamoDb, table, mine, segments)));
      }
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      for (Future<List<Map<String, AttributeValue>>> part : parts) {
        try {
          items.addAll(part.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
      return items;
    }
  }

  private static List<Map<String, AttributeValue>> segment(DynamoDbClient dynamoDb, String table, int segment, int total) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder request = ScanRequest.builder().tableName(table).segment(segment).totalSegments(total)
          .consistentRead(true);
      if (start != null) {
        request.exclusiveStartKey(start);
      }
      ScanResponse page = dynamoDb.scan(request.build());
      items.addAll(page.items());
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }
}
