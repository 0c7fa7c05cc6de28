package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.Page;
import dev.meridian.application.replication.ConflictRepository;
import dev.meridian.domain.common.Conflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** {@link ConflictRepository} on the single table: one partition, sort key = detection stamp + id. */
public final class DynamoDbConflictRepository implements ConflictRepository {
  private static final String CURSOR_KIND = "conflicts";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbConflictRepository(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  @Override
  public Page<Conflict> list(String cursor, int limit) {
    return GuardedCalls.guard("list conflicts", () -> {
      QueryRequest.Builder query = QueryRequest.builder()
          .tableName(table)
          .keyConditionExpression("pk = :pk")
          .expressionAttributeValues(Map.of(":pk", s(Items.CONFLICTS_PK)))
          .scanIndexForward(false)
          .limit(limit);
      if (cursor != null) {
        String position = Cursors.decode(cursor, CURSOR_KIND);
        if (position.isEmpty() || position.length() > 200) {
          throw Cursors.invalid();
        }
        query.exclusiveStartKey(Items.key(Items.CONFLICTS_PK, position));
      }
      QueryResponse response = dynamoDb.query(query.build());
      List<Conflict> conflicts = new ArrayList<>();
      for (Map<String, AttributeValue> item : response.items()) {
        conflicts.add(Items.conflictRecord(item));
      }
      Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() && !conflicts.isEmpty()
          ? Optional.of(Cursors.encode(CURSOR_KIND, Items.conflictPosition(conflicts.get(conflicts.size() - 1))))
          : Optional.empty();
      return new Page<>(conflicts, next);
    });
  }
}
