package dev.meridian.tools.local.replication;

import dev.meridian.testkit.emulator.MotoServer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** What the hub knows of one replica: the stamp of each item's current version, and echoes it expects. */
final class ReplicaState {
  private record Version(Stamp stamp, Map<String, AttributeValue> image) {}

  private record Echo(String fingerprint, Stamp stamp) {}

  private final String region;
  private final DynamoDbClient client;
  private final String tableName;
  private final Map<String, Version> current = new HashMap<>();
  private final Map<String, Deque<Echo>> expectedEchoes = new HashMap<>();

  ReplicaState(String region, DynamoDbClient client, String tableName) {
    this.region = region;
    this.client = client;
    this.tableName = tableName;
  }

  String region() {
    return region;
  }

  /**
   * Classifies a change read from this replica's stream.
   *
   * @return the replication to send to peers for a local write, or null for an echo of a write this hub made
   */
  synchronized Replication observe(StreamTail.Change change, Supplier<Stamp> newStamp) {
    String key = canonical(change.key());
    String fingerprint = fingerprint(change.newImage());
    Deque<Echo> echoes = expectedEchoes.get(key);
    if (echoes != null) {
      for (Iterator<Echo> it = echoes.iterator(); it.hasNext(); ) {
        Echo echo = it.next();
        if (echo.fingerprint().equals(fingerprint)) {
          it.remove();
          if (echoes.isEmpty()) {
            expectedEchoes.remove(key);
          }
          repairIfOverwritten(change, key, echo);
          return null;
        }
      }
    }
    Stamp stamp = newStamp.get();
    current.put(key, new Version(stamp, change.newImage()));
    return new Replication(change.key(), change.newImage(), stamp);
  }

  /** An older replicated write landed over a newer local one: write the newer one back. */
  private void repairIfOverwritten(StreamTail.Change change, String key, Echo echo) {
    Version newest = current.get(key);
    if (newest != null && newest.stamp().compareTo(echo.stamp()) > 0) {
      write(change.key(), newest.image(), newest.stamp(), key, null);
    }
  }

  /**
   * Applies a peer's write if it is newer than this replica's version (last writer wins). The write
   * is conditional on the replica still holding the version the hub last saw: a local write the
   * stream has not shown yet is newer than anything in flight (global tables order by write time),
   * so the peer's write is dropped and that local write, once seen, replicates over it. A blind put
   * here once overwrote a reconciler's copy made a moment earlier, and the hub later wrote the copy
   * back, after the reconciler had judged the order by the overwritten state (a cancel was lost).
   */
  synchronized boolean apply(Replication replication) {
    String key = canonical(replication.key());
    Version mine = current.get(key);
    if (mine != null && mine.stamp().compareTo(replication.stamp()) >= 0) {
      return false;
    }
    try {
      write(replication.key(), replication.image(), replication.stamp(), key,
          unchangedSince(mine == null ? null : mine.image(), replication.key()));
    } catch (ConditionalCheckFailedException localWriteNotYetSeen) {
      return false;
    }
    current.put(key, new Version(replication.stamp(), replication.image()));
    return true;
  }

  /** A write's condition: the expression with its names and values. */
  private record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

  /**
   * The condition that the replica still holds {@code seen} (absent when null): on its {@code version}
   * attribute when it has one; none (null) for items without one.
   */
  private static Condition unchangedSince(Map<String, AttributeValue> seen, Map<String, AttributeValue> itemKey) {
    if (seen == null) {
      return new Condition("attribute_not_exists(#key)", Map.of("#key", itemKey.keySet().iterator().next()), Map.of());
    }
    AttributeValue version = seen.get("version");
    if (version == null || version.n() == null) {
      return null;
    }
    return new Condition("#version = :seenVersion", Map.of("#version", "version"), Map.of(":seenVersion", version));
  }

  /** Marks the stand-in's writes so the emulator's write meter counts them as replicated units (rWRU). */
  private static final AwsRequestOverrideConfiguration REPLICATED_WRITE = AwsRequestOverrideConfiguration.builder()
      .putHeader(MotoServer.REPLICATED_WRITE_HEADER, "true").build();

  /**
   * Puts {@code image} (deletes the item when null), under {@code condition} when one is given, and
   * expects its echo on the stream; a write that fails expects no echo.
   */
  private void write(Map<String, AttributeValue> itemKey, Map<String, AttributeValue> image, Stamp stamp, String key,
      Condition condition) {
    Echo echo = new Echo(fingerprint(image), stamp);
    expectedEchoes.computeIfAbsent(key, k -> new ArrayDeque<>()).add(echo);
    try {
      if (image == null) {
        DeleteItemRequest.Builder delete = DeleteItemRequest.builder().tableName(tableName).key(itemKey)
            .overrideConfiguration(REPLICATED_WRITE);
        if (condition != null) {
          delete.conditionExpression(condition.expression()).expressionAttributeNames(condition.names())
              .expressionAttributeValues(condition.values().isEmpty() ? null : condition.values());
        }
        client.deleteItem(delete.build());
      } else {
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(tableName).item(image)
            .overrideConfiguration(REPLICATED_WRITE);
        if (condition != null) {
          put.conditionExpression(condition.expression()).expressionAttributeNames(condition.names())
              .expressionAttributeValues(condition.values().isEmpty() ? null : condition.values());
        }
        client.putItem(put.build());
      }
    } catch (RuntimeException e) {
      Deque<Echo> echoes = expectedEchoes.get(key);
      echoes.remove(echo);
      if (echoes.isEmpty()) {
        expectedEchoes.remove(key);
      }
      throw e;
    }
  }

  static String fingerprint(Map<String, AttributeValue> image) {
    return image == null ? "<deleted>" : canonical(image);
  }

  /** A deterministic rendering of an item (map order does not matter). */
  static String canonical(Map<String, AttributeValue> item) {
    StringBuilder out = new StringBuilder("{");
    new TreeMap<>(item).forEach((name, value) -> out.append(name).append('=').append(canonical(value)).append(';'));
    return out.append('}').toString();
  }

  private static String canonical(AttributeValue v) {
    if (v.s() != null) {
      return "S:" + v.s();
    }
    if (v.n() != null) {
      return "N:" + new java.math.BigDecimal(v.n()).stripTrailingZeros().toPlainString();
    }
    if (v.bool() != null) {
      return "BOOL:" + v.bool();
    }
    if (Boolean.TRUE.equals(v.nul())) {
      return "NULL";
    }
    if (v.hasM()) {
      return "M:" + canonical(v.m());
    }
    if (v.hasL()) {
      StringBuilder out = new StringBuilder("L:[");
      v.l().forEach(e -> out.append(canonical(e)).append(','));
      return out.append(']').toString();
    }
    if (v.hasSs()) {
      return "SS:" + new java.util.TreeSet<>(v.ss());
    }
    if (v.hasNs()) {
      return "NS:" + new java.util.TreeSet<>(v.ns());
    }
    if (v.b() != null) {
      return "B:" + java.util.Base64.getEncoder().encodeToString(v.b().asByteArray());
    }
    return v.toString();
  }
}
