package dev.meridian.adapter.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.application.replication.ChangeStreamReader;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.application.replication.UnreadableChangeException;
import java.util.Optional;

/**
 * This region's table stream, record by record, as Lambda delivers it (one element of a DynamoDB
 * stream event's {@code Records}): the new image decoded with the repositories' own item codec.
 * A {@code REMOVE} (TTL expiry of refusal records) carries nothing to publish.
 */
public final class DynamoDbChangeStream implements ChangeStreamReader<JsonNode> {
  @Override
  public Optional<StoredChange> read(JsonNode record) {
    if ("REMOVE".equals(record.path("eventName").asText())) {
      return Optional.empty();
    }
    try {
      JsonNode change = record.path("dynamodb");
      return StoredChanges.of(change.path("SequenceNumber").asText(""), StreamImages.read(change.get("NewImage")));
    } catch (CorruptItemException e) {
      throw new UnreadableChangeException(e.getMessage(), e);
    }
  }
}
