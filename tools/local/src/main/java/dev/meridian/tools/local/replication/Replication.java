package dev.meridian.tools.local.replication;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item version travelling to a peer replica.
 *
 * @param image the new item, or null for a delete
 */
record Replication(Map<String, AttributeValue> key, Map<String, AttributeValue> image, Stamp stamp) {
  boolean isDelete() {
    return image == null;
  }
}
