package dev.meridian.local.model;

import java.util.List;

/**
 * A DynamoDB table replica: key schema, GSIs, TTL attribute and stream view, as the template's
 * {@code AWS::DynamoDB::GlobalTable} declares them.
 *
 * @param replicaRegions every region the global table replicates to
 */
public record TableSpec(String logicalId, String tableName, String hashKey, String rangeKey,
    List<IndexSpec> globalSecondaryIndexes, String ttlAttribute, String streamViewType, List<String> replicaRegions) {

  /** A global secondary index (string keys, projection ALL in Meridian's template). */
  public record IndexSpec(String indexName, String hashKey, String rangeKey, String projectionType) {}

  public TableSpec {
    globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    replicaRegions = List.copyOf(replicaRegions);
  }
}
