package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.s;

import dev.meridian.application.health.Heartbeat;
import dev.meridian.application.health.HeartbeatRepository;
import dev.meridian.domain.common.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Heartbeat items in this region's replica: pk {@code HEARTBEAT}, sk {@code <region>}, with
 * {@code beatAt} (epoch milliseconds, the writer's clock), {@code beatAtIso} (the same, readable),
 * {@code intervalMs} (the writer's schedule), and the usual {@code entity}, {@code version} and
 * {@code originRegion}. Only the region named in the key writes its item, so replicas never
 * race; {@code version} is {@code beatAt} (monotonic for a single writer, and it needs no read).
 * A write is conditional on {@code beatAt} moving forward, so a delayed invocation cannot
 * make a region look older than it is.
 *
 * <p>Heartbeats carry no TTL: an old heartbeat is the signal that a region stopped beating.
 * Stream consumers (the publisher) should ignore {@code entity = heartbeat}.
 */
public final class DynamoDbHeartbeatRepository implements HeartbeatRepository {
  public static final String HEARTBEAT_PK = "HEARTBEAT";
  public static final String ENTITY_HEARTBEAT = "heartbeat";
  static final String BEAT_AT = "beatAt";
  static final String BEAT_AT_ISO = "beatAtIso";
  static final String INTERVAL_MS = "intervalMs";
  static final String REGION = "region";

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbHeartbeatRepository(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /** The key of {@code region}'s heartbeat item. */
  public static Map<String, AttributeValue> key(String region) {
    return Items.key(HEARTBEAT_PK, region);
  }

  /** The item for {@code heartbeat}. */
  public static Map<String, AttributeValue> item(Heartbeat heartbeat) {
    Map<String, AttributeValue> item = key(heartbeat.region());
    long at = heartbeat.at().toEpochMilli();
    item.put(TableDesign.ENTITY, s(ENTITY_HEARTBEAT));
    item.put(REGION, s(heartbeat.region()));
    item.put(BEAT_AT, n(at));
    item.put(BEAT_AT_ISO, s(Instant.ofEpochMilli(at).toString()));
    item.put(INTERVAL_MS, n(heartbeat.interval().toMillis()));
    item.put(TableDesign.VERSION, n(at));
    item.put(TableDesign.ORIGIN_REGION, s(heartbeat.region()));
    return item;
  }

  @Override
  public boolean save(Heartbeat heartbeat) {
    return GuardedCalls.guard("save the heartbeat", () -> {
      try {
        dynamoDb.putItem(PutItemRequest.builder()
            .tableName(table)
            .item(item(heartbeat))
            .conditionExpression("attribute_not_exists(pk) OR #at < :at")
            .expressionAttributeNames(Map.of("#at", BEAT_AT))
            .expressionAttributeValues(Map.of(":at", n(heartbeat.at().toEpochMilli())))
            .build());
        return true;
      } catch (ConditionalCheckFailedException newerStored) {
        return false;
      }
    });
  }

  @Override
  public List<Heartbeat> findAll() {
    return GuardedCalls.guard("read heartbeats", () -> {
      List<Heartbeat> all = new ArrayList<>();
      Map<String, AttributeValue> startKey = null;
      do {
        QueryRequest.Builder query = QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(HEARTBEAT_PK)));
        if (startKey != null) {
          query.exclusiveStartKey(startKey);
        }
        QueryResponse page = dynamoDb.query(query.build());
        for (Map<String, AttributeValue> item : page.items()) {
          Heartbeat heartbeat = heartbeat(item);
          if (heartbeat != null) {
            all.add(heartbeat);
          }
        }
        startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (startKey != null);
      return all;
    });
  }

  /** The heartbeat in {@code item}, or null when the item is not a well-formed heartbeat (it is then ignored). */
  static Heartbeat heartbeat(Map<String, AttributeValue> item) {
    AttributeValue sk = item.get(TableDesign.SK);
    AttributeValue at = item.get(BEAT_AT);
    AttributeValue interval = item.get(INTERVAL_MS);
    if (sk == null || !Validation.isRegion(sk.s()) || at == null || at.n() == null || interval == null
        || interval.n() == null) {
      return null;
    }
    try {
      long intervalMs = Long.parseLong(interval.n());
      if (intervalMs <= 0) {
        return null;
      }
      return new Heartbeat(sk.s(), Instant.ofEpochMilli(Long.parseLong(at.n())), Duration.ofMillis(intervalMs));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
