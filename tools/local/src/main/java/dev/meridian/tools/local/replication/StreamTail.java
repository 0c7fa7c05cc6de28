package dev.meridian.tools.local.replication;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Follows one replica's DynamoDB stream from its beginning, in order, handing each change to a
 * consumer. Backs off when idle (50 ms doubling to 1 s) so an idle stack costs moto a few calls
 * a second. moto's streams have one shard per table; every shard is followed anyway.
 */
final class StreamTail implements AutoCloseable {
  /** One change of an item: its key, new image (null when deleted) and when the replica made it (epoch ms). */
  record Change(Map<String, AttributeValue> key, Map<String, AttributeValue> newImage, long createdAtMillis) {}

  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 1_000;

  private final String region;
  private final DynamoDbClient dynamoDb;
  private final DynamoDbStreamsClient streams;
  private final String tableName;
  private final Consumer<Change> consumer;
  private final Consumer<String> log;
  private final Thread thread;
  private volatile boolean running = true;
  private String lastSequenceNumber;
  private String streamArn;
  private String shardId;

  StreamTail(String region, DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, String tableName,
      Consumer<Change> consumer, Consumer<String> log) {
    this.region = region;
    this.dynamoDb = dynamoDb;
    this.streams = streams;
    this.tableName = tableName;
    this.consumer = consumer;
    this.log = log;
    this.thread = new Thread(this::run, "replication-tail-" + region);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long backoff = MIN_BACKOFF_MS;
    String iterator = null;
    while (running) {
      try {
        if (iterator == null) {
          iterator = firstIterator();
        }
        GetRecordsResponse response = streams.getRecords(GetRecordsRequest.builder().shardIterator(iterator).limit(100).build());
        iterator = response.nextShardIterator();
        List<Record> records = response.records();
        for (Record record : records) {
          Map<String, AttributeValue> newImage = record.eventName() == OperationType.REMOVE ? null : record.dynamodb().newImage();
          java.time.Instant created = record.dynamodb().approximateCreationDateTime();
          consumer.accept(new Change(record.dynamodb().keys(), newImage,
              created == null ? System.currentTimeMillis() : created.toEpochMilli()));
          lastSequenceNumber = record.dynamodb().sequenceNumber();
        }
        backoff = records.isEmpty() ? Math.min(backoff * 2, MAX_BACKOFF_MS) : MIN_BACKOFF_MS;
        if (records.isEmpty()) {
          // moto pins an iterator to the stream shard object it was made from, and a transaction that
          // fails restores the table from a copy with a new shard: the old iterator then reads nothing,
          // ever. A fresh iterator after the last record handed on always finds the live shard.
          iterator = null;
          sleep(backoff);
        }
      } catch (SdkException e) {
        if (running) {
          log.accept("replication: reading the " + region + " stream failed (" + e.getMessage() + "); retrying");
          iterator = null;
          streamArn = null;
          sleep(MAX_BACKOFF_MS);
        }
      } catch (RuntimeException e) {
        log.accept("replication: " + region + " stream consumer failed: " + e);
        sleep(MAX_BACKOFF_MS);
      }
    }
  }

  private String firstIterator() {
    if (streamArn == null) {
      streamArn = dynamoDb.describeTable(DescribeTableRequest.builder().tableName(tableName).build())
          .table().latestStreamArn();
      List<Shard> shards = streams.describeStream(DescribeStreamRequest.builder().streamArn(streamArn).build())
          .streamDescription().shards();
      shardId = shards.get(shards.size() - 1).shardId();
    }
    GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamArn(streamArn).shardId(shardId);
    // After an error, resume after the last change handed on: replaying would restamp old writes as new.
    if (lastSequenceNumber == null) {
      request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
    } else {
      request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(lastSequenceNumber);
    }
    return streams.getShardIterator(request.build()).shardIterator();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
