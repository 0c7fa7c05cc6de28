package dev.meridian.tools.benchmark;

import dev.meridian.adapter.dynamodb.TableDesign;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * A one-table DynamoDB client without I/O, for the reads a placement makes (Query of a partition, GetItem,
 * BatchGetItem) over the items given to it; it records each TransactWriteItems instead of applying it, so a test can
 * compare what the production adapter would write with what the benchmark seeds.
 */
final class RecordingTable implements DynamoDbClient {
  private final Map<String, Map<String, Map<String, AttributeValue>>> partitions = new TreeMap<>();
  final List<TransactWriteItemsRequest> transactions = new ArrayList<>();

  RecordingTable with(Map<String, AttributeValue> item) {
    partitions.computeIfAbsent(item.get(TableDesign.PK).s(), pk -> new TreeMap<>()).put(item.get(TableDesign.SK).s(), item);
    return this;
  }

  @Override
  public QueryResponse query(QueryRequest request) {
    String pk = request.expressionAttributeValues().get(":pk").s();
    return QueryResponse.builder().items(new ArrayList<>(partitions.getOrDefault(pk, Map.of()).values())).build();
  }

  @Override
  public GetItemResponse getItem(GetItemRequest request) {
    Map<String, AttributeValue> item = find(request.key());
    return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
  }

  @Override
  public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
    Map<String, List<Map<String, AttributeValue>>> found = new TreeMap<>();
    request.requestItems().forEach((table, keys) -> found.put(table,
        keys.keys().stream().map(this::find).filter(item -> item != null).toList()));
    return BatchGetItemResponse.builder().responses(found).build();
  }

  @Override
  public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
    transactions.add(request);
    return TransactWriteItemsResponse.builder().build();
  }

  private Map<String, AttributeValue> find(Map<String, AttributeValue> key) {
    return partitions.getOrDefault(key.get(TableDesign.PK).s(), Map.of()).get(key.get(TableDesign.SK).s());
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {
  }
}
