package dev.meridian.adapter.dynamodb;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Meridian's single-table design. One global table holds every entity so that one DynamoDB
 * stream per region carries every change to the publisher, and one replication setting covers
 * everything. Keys:
 *
 * <table>
 *   <tr><th>item</th><th>pk</th><th>sk</th><th>gsi1pk / gsi1sk</th></tr>
 *   <tr><td>product</td><td>{@code PRODUCT#<id>}</td><td>{@code PRODUCT}</td><td>{@code PRODUCTS} / id</td></tr>
 *   <tr><td>stock shard</td><td>{@code STOCK#<id>#<region>#<n>}</td><td>{@code STOCK}</td><td>-</td></tr>
 *   <tr><td>order</td><td>{@code ORDER#<id>}</td><td>{@code ORDER}</td><td>{@code CUSTOMER#<sub>} / placedAt#id</td></tr>
 *   <tr><td>hold</td><td>{@code ORDER#<id>}</td><td>{@code HOLD#<region>}</td><td>-</td></tr>
 *   <tr><td>pending demand</td><td>{@code ORDER#<id>}</td><td>{@code DEMAND#<region>}</td><td>{@code DEMANDS#<region>#<0..7>} / placedAt#id</td></tr>
 *   <tr><td>refused placement</td><td>{@code ORDER#<id>}</td><td>{@code REFUSAL}</td><td>- (TTL {@code expiresAt})</td></tr>
 *   <tr><td>control</td><td>{@code CONTROL}</td><td>{@code CONTROL}</td><td>-</td></tr>
 *   <tr><td>heartbeat</td><td>{@code HEARTBEAT}</td><td>{@code <region>}</td><td>-</td></tr>
 *   <tr><td>conflict record</td><td>{@code CONFLICTS}</td><td>{@code <detectedAfter>#<id>}</td><td>-</td></tr>
 * </table>
 *
 * Each stock shard has a partition of its own, so a hot product's writes spread over its shards;
 * an order, its holds and its demands share the order's partition, so an order reads as one query.
 * Allocations of the shape before shards ({@code PRODUCT#<id>} / {@code ALLOCATION#<region>}) are
 * migrated on their region's next write (docs/data-and-events.md). The template declares the same
 * table; {@link #createTableRequest} is what tests and the local
 * stack use where the template's provisioning is not in play.
 */
public final class TableDesign {
  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String GSI1 = "gsi1";
  public static final String GSI1_PK = "gsi1pk";
  public static final String GSI1_SK = "gsi1sk";
  public static final String TTL_ATTRIBUTE = "expiresAt";
  public static final String VERSION = "version";
  public static final String ORIGIN_REGION = "originRegion";
  public static final String ENTITY = "entity";

  private TableDesign() {}

  public static CreateTableRequest createTableRequest(String tableName) {
    return CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attribute(PK), attribute(SK), attribute(GSI1_PK), attribute(GSI1_SK))
        .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(GSI1)
            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
            .build())
        .streamSpecification(StreamSpecification.builder()
            .streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build())
        .build();
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  static List<String> keyAttributes() {
    return List.of(PK, SK);
  }
}
