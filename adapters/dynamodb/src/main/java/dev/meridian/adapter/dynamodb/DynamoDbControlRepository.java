package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;

import dev.meridian.application.Versioned;
import dev.meridian.application.control.ControlRepository;
import dev.meridian.application.control.ControlState;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The control item ({@code CONTROL/CONTROL}) in this region's replica. */
public final class DynamoDbControlRepository implements ControlRepository {
  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String region;

  public DynamoDbControlRepository(DynamoDbClient dynamoDb, String table, String region) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.region = region;
  }

  @Override
  public Optional<Versioned<ControlState>> find() {
    return GuardedCalls.guard("find", () -> {
      Map<String, AttributeValue> item = dynamoDb.getItem(GetItemRequest.builder()
          .tableName(table).key(Items.controlKey()).consistentRead(true).build()).item();
      if (item == null || item.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Versioned<>(Items.control(item), Attr.num(item, TableDesign.VERSION)));
    });
  }

  @Override
  public OptionalLong save(ControlState state, long expectedVersion) {
    return GuardedCalls.guard("save", () -> {
      PutItemRequest.Builder put = PutItemRequest.builder()
          .tableName(table)
          .item(Items.control(state, expectedVersion + 1, region));
      if (expectedVersion == 0) {
        put.conditionExpression("attribute_not_exists(pk)");
      } else {
        put.conditionExpression("version = :expected").expressionAttributeValues(Map.of(":expected", n(expectedVersion)));
      }
      try {
        dynamoDb.putItem(put.build());
        return OptionalLong.of(expectedVersion + 1);
      } catch (ConditionalCheckFailedException lost) {
        return OptionalLong.empty();
      }
    });
  }
}
