package dev.meridian.tools.local.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB table replica: key schema, GSIs, TTL attribute and stream view, as the template's
 * {@code AWS::DynamoDB::GlobalTable} declares them.
 *
 * @param ttlAttribute   the TTL attribute, or null when TTL is off
 * @param streamViewType e.g. {@code NEW_AND_OLD_IMAGES}, or null when the table has no stream
 * @param replicaRegions every region the global table replicates to
 * @param attributeTypes the declared key attributes' types ({@code S}, {@code N} or {@code B}) by
 *                       name; the short constructor declares every key attribute {@code S}
 */
public record TableSpec(String logicalId, String tableName, String hashKey, String rangeKey,
    List<IndexSpec> globalSecondaryIndexes, String ttlAttribute, String streamViewType, List<String> replicaRegions,
    Map<String, String> attributeTypes) {

  /** A global secondary index (string keys, projection ALL in Meridian's template). */
  public record IndexSpec(String indexName, String hashKey, String rangeKey, String projectionType) {}

  public TableSpec {
    globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    replicaRegions = List.copyOf(replicaRegions);
    attributeTypes = Map.copyOf(attributeTypes);
  }

  /** The original shape: every key attribute is a string. */
  public TableSpec(String logicalId, String tableName, String hashKey, String rangeKey,
      List<IndexSpec> globalSecondaryIndexes, String ttlAttribute, String streamViewType,
      List<String> replicaRegions) {
    this(logicalId, tableName, hashKey, rangeKey, globalSecondaryIndexes, ttlAttribute, streamViewType,
        replicaRegions, stringKeys(hashKey, rangeKey, globalSecondaryIndexes));
  }

  /** The type of a key attribute ({@code S} unless declared otherwise). */
  public String attributeType(String attribute) {
    return attributeTypes.getOrDefault(attribute, "S");
  }

  private static Map<String, String> stringKeys(String hashKey, String rangeKey, List<IndexSpec> indexes) {
    Map<String, String> types = new HashMap<>();
    types.put(hashKey, "S");
    if (rangeKey != null) {
      types.put(rangeKey, "S");
    }
    for (IndexSpec index : indexes) {
      types.put(index.hashKey(), "S");
      if (index.rangeKey() != null) {
        types.put(index.rangeKey(), "S");
      }
    }
    return types;
  }
}
