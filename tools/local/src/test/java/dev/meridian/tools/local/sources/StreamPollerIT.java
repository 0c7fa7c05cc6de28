package dev.meridian.tools.local.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.testkit.emulator.MotoExtension;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.local.model.EventSourceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** StreamPoller against moto's DynamoDB Streams, with a table outside us-east-1. */
@ExtendWith(MotoExtension.class)
class StreamPollerIT {

  private static final String REGION = "eu-west-1";

  private DynamoDbClient ddb;
  private SqsClient sqs;
  private SourceClients clients;

  @BeforeEach
  void clients(MotoServer moto) {
    ddb = moto.dynamoDb(REGION);
    sqs = moto.configure(SqsClient.builder(), REGION).build();
    clients = new SourceClients(moto.endpoint());
  }

  @AfterEach
  void close() {
    ddb.close();
    sqs.close();
    clients.close();
  }

  @Test
  void insertModifyRemoveArriveInOrderWithTheTablesRegionAndImages() {
    String streamArn = table("orders-stream");
    put("orders-stream", "before-start", 0); // LATEST: not delivered
    FakeInvoker invoker = FakeInvoker.succeeding();
    try (StreamPoller poller = poller(spec("LATEST", 10, -1, false, false, null), streamArn, null, invoker)) {
      poller.start();
      Await.until(Duration.ofSeconds(5), "the first GetRecords", () -> poller.status().awsCalls() >= 3);

      ddb.putItem(r -> r.tableName("orders-stream").item(Map.of(
          "pk", AttributeValue.fromS("o-1"),
          "qty", AttributeValue.fromN("1"),
          "lines", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("p-1")))))
          )));
      ddb.updateItem(r -> r.tableName("orders-stream").key(Map.of("pk", AttributeValue.fromS("o-1")))
          .updateExpression("SET qty = :q, shipped = :t")
          .expressionAttributeValues(Map.of(":q", AttributeValue.fromN("2"), ":t", AttributeValue.fromBool(true))));
      ddb.deleteItem(r -> r.tableName("orders-stream").key(Map.of("pk", AttributeValue.fromS("o-1"))));

      Await.until(Duration.ofSeconds(10), "three records", () -> records(invoker).size() == 3);
      List<JsonNode> records = records(invoker);
      assertThat(records).extracting(r -> r.get("eventName").asText()).containsExactly("INSERT", "MODIFY", "REMOVE");
      assertThat(records).allSatisfy(r -> {
        assertThat(r.get("awsRegion").asText()).isEqualTo(REGION); // moto says us-east-1
        assertThat(r.get("eventVersion").asText()).isEqualTo("1.1");
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:dynamodb");
        assertThat(r.get("eventSourceARN").asText()).isEqualTo(streamArn);
        assertThat(r.get("dynamodb").get("Keys").toString()).isEqualTo("{\"pk\":{\"S\":\"o-1\"}}");
        assertThat(r.get("dynamodb").get("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(r.get("dynamodb").get("ApproximateCreationDateTime").isIntegralNumber()).isTrue();
        assertThat(r.get("dynamodb").get("SizeBytes").isIntegralNumber()).isTrue();
      });
      JsonNode insert = records.get(0).get("dynamodb");
      assertThat(insert.has("OldImage")).isFalse();
      assertThat(insert.get("NewImage").get("lines").toString()).isEqualTo("{\"L\":[{\"M\":{\"sku\":{\"S\":\"p-1\"}}}]}");
      JsonNode modify = records.get(1).get("dynamodb");
      assertThat(modify.get("OldImage").get("qty").toString()).isEqualTo("{\"N\":\"1\"}");
      assertThat(modify.get("NewImage").get("qty").toString()).isEqualTo("{\"N\":\"2\"}");
      assertThat(modify.get("NewImage").get("shipped").toString()).isEqualTo("{\"BOOL\":true}");
      JsonNode remove = records.get(2).get("dynamodb");
      assertThat(remove.has("NewImage")).isFalse();
      assertThat(remove.get("OldImage").get("shipped").toString()).isEqualTo("{\"BOOL\":true}");
      assertThat(sequenceNumbers(records)).isSorted();
      assertThat(poller.checkpoint()).isEqualTo(sequenceNumbers(records).get(2));
      System.out.println("[sources] DynamoDB stream event: " + invoker.calls().get(0).event());
    }
  }

  @Test
  void exhaustedRetriesSendTheOnFailureRecordAndMoveOn() {
    String streamArn = table("failing-stream");
    QueueRef destination = queue("failing-stream-failures");
    put("failing-stream", "a", 1);
    put("failing-stream", "b", 2);
    FakeInvoker invoker = new FakeInvoker(event -> FakeInvoker.error("cannot reconcile"));
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, 1, false, false, destination.logicalId()), streamArn,
        destination, invoker)) {
      poller.start();
      Message failure = receiveOne(destination);
      JsonNode record = json(failure.body());
      System.out.println("[sources] on-failure record: " + failure.body());

      assertThat(invoker.calls()).hasSize(2); // the call and MaximumRetryAttempts 1
      assertThat(invoker.calls()).allSatisfy(c -> assertThat(c.keys()).containsExactly("a", "b"));
      List<String> sequence = sequenceNumbers(records(invoker).subList(0, 2));
      JsonNode info = record.get("DDBStreamBatchInfo");
      assertThat(info.get("batchSize").asInt()).isEqualTo(2);
      assertThat(info.get("startSequenceNumber").asText()).isEqualTo(sequence.get(0));
      assertThat(info.get("endSequenceNumber").asText()).isEqualTo(sequence.get(1));
      assertThat(info.get("streamArn").asText()).isEqualTo(streamArn);
      assertThat(info.get("shardId").asText()).startsWith("shardId-");
      assertThat(info.get("approximateArrivalOfFirstRecord").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
      assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetryAttemptsExhausted");
      assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(2);
      assertThat(record.get("requestContext").get("functionArn").asText())
          .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:Reconciler");
      assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
      assertThat(record.get("version").asText()).isEqualTo("1.0");

      // The poller moved on: the next record is delivered, the failed ones never again.
      invoker.respond(event -> FakeInvoker.ok("null"));
      put("failing-stream", "c", 3);
      Await.until(Duration.ofSeconds(10), "the next record", () -> poller.status().succeeded() == 1);
      assertThat(invoker.calls()).hasSize(3);
      assertThat(invoker.calls().get(2).keys()).containsExactly("c");
      assertThat(poller.status().discarded()).isEqualTo(2);
      assertThat(poller.status().failures()).isEqualTo(2);
    }
  }

  /**
   * Throttles are not function errors: with MaximumRetryAttempts 1, bisection and an on-failure
   * destination configured, five throttles in a row neither split, give up nor skip the batch; it
   * is delivered whole and in order once the function has room again.
   */
  @Test
  void aThrottledBatchStaysAtTheHeadOfItsShardUntilItRuns() {
    String streamArn = table("throttled-stream");
    QueueRef destination = queue("throttled-stream-failures");
    put("throttled-stream", "a", 1);
    put("throttled-stream", "b", 2);
    AtomicInteger throttles = new AtomicInteger(5);
    FakeInvoker invoker = new FakeInvoker(event -> throttles.getAndDecrement() > 0 ? FakeInvoker.throttled()
        : FakeInvoker.ok("null"));
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, 1, true, false, destination.logicalId()), streamArn,
        destination, invoker)) {
      poller.start();
      Await.until(Duration.ofSeconds(20), "the batch delivered", () -> poller.status().succeeded() == 2);
      put("throttled-stream", "c", 3);
      Await.until(Duration.ofSeconds(10), "the next record", () -> poller.status().succeeded() == 3);

      assertThat(invoker.calls()).extracting(FakeInvoker.Call::keys).containsExactly(List.of("a", "b"),
          List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("c"));
      assertThat(poller.status().throttled()).isEqualTo(5);
      assertThat(poller.status().failures()).isZero();
      assertThat(poller.status().discarded()).isZero();
      assertThat(sqs.receiveMessage(r -> r.queueUrl(destination.url()).waitTimeSeconds(1)).messages())
          .as("nothing given up").isEmpty();
    }
  }

  @Test
  void bisectionIsolatesThePoisonRecord() {
    String streamArn = table("bisect-stream");
    QueueRef destination = queue("bisect-stream-failures");
    for (String pk : List.of("r1", "poison", "r3", "r4")) {
      put("bisect-stream", pk, 1);
    }
    FakeInvoker invoker = new FakeInvoker(event -> new FakeInvoker.Call("f", event, 0).keys().contains("poison")
        ? FakeInvoker.error("poison") : FakeInvoker.ok("null"));
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, 0, true, false, destination.logicalId()), streamArn,
        destination, invoker)) {
      poller.start();
      JsonNode info = json(receiveOne(destination).body()).get("DDBStreamBatchInfo");
      Await.until(Duration.ofSeconds(10), "the rest delivered", () -> poller.status().succeeded() == 3);

      assertThat(invoker.calls()).extracting(FakeInvoker.Call::keys).containsExactly(
          List.of("r1", "poison", "r3", "r4"), List.of("r1", "poison"), List.of("r1"), List.of("poison"),
          List.of("r3", "r4"));
      assertThat(info.get("batchSize").asInt()).isEqualTo(1);
      String poisonSequence = invoker.calls().get(3).event().get("Records").get(0).get("dynamodb")
          .get("SequenceNumber").asText();
      assertThat(info.get("startSequenceNumber").asText()).isEqualTo(poisonSequence);
      assertThat(info.get("endSequenceNumber").asText()).isEqualTo(poisonSequence);
      assertThat(poller.status().discarded()).isEqualTo(1);
    }
  }

  @Test
  void reportedItemFailuresCheckpointBeforeTheFirstFailedRecord() {
    String streamArn = table("partial-stream");
    for (String pk : List.of("p1", "p2", "p3", "p4")) {
      put("partial-stream", pk, 1);
    }
    List<Integer> answered = new ArrayList<>();
    FakeInvoker invoker = new FakeInvoker(event -> {
      List<String> sequence = sequenceNumbers(StreamSupport.stream(event.get("Records").spliterator(), false).toList());
      synchronized (answered) {
        answered.add(sequence.size());
        // First: p4 and p3 failed (reported out of order); the lowest one is the checkpoint.
        return answered.size() == 1 ? FakeInvoker.failures(List.of(sequence.get(3), sequence.get(2)))
            : FakeInvoker.ok("{\"batchItemFailures\":[]}");
      }
    });
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, 2, false, true, null), streamArn, null, invoker)) {
      poller.start();
      Await.until(Duration.ofSeconds(10), "all four settled", () -> poller.status().succeeded() == 4);
      Await.sleep(Duration.ofMillis(500)); // nothing is delivered again

      assertThat(invoker.calls()).extracting(FakeInvoker.Call::keys)
          .containsExactly(List.of("p1", "p2", "p3", "p4"), List.of("p3", "p4"));
      assertThat(poller.status().failures()).isEqualTo(1);
    }
  }

  @Test
  void reportedItemFailuresExhaustedSendOnlyTheRemainder() {
    String streamArn = table("partial-exhausted");
    QueueRef destination = queue("partial-exhausted-failures");
    for (String pk : List.of("q1", "q2", "q3")) {
      put("partial-exhausted", pk, 1);
    }
    FakeInvoker invoker = new FakeInvoker(event -> FakeInvoker.failures(List.of(
        StreamSupport.stream(event.get("Records").spliterator(), false)
            .filter(r -> r.get("dynamodb").get("Keys").get("pk").get("S").asText().equals("q2"))
            .map(r -> r.get("dynamodb").get("SequenceNumber").asText()).findFirst().orElseThrow())));
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, 0, false, true, destination.logicalId()), streamArn,
        destination, invoker)) {
      poller.start();
      JsonNode record = json(receiveOne(destination).body());

      assertThat(invoker.calls()).extracting(FakeInvoker.Call::keys).containsExactly(List.of("q1", "q2", "q3"));
      assertThat(record.get("DDBStreamBatchInfo").get("batchSize").asInt()).isEqualTo(2); // q2, q3
      assertThat(record.get("responseContext").get("functionError").isNull()).isTrue();
      // The poller sends the failure record before it counts what it discarded: wait for the counters.
      Await.until(Duration.ofSeconds(10), "the batch accounted for",
          () -> poller.status().succeeded() == 1 && poller.status().discarded() == 2);
      assertThat(poller.status().succeeded()).isEqualTo(1);
      assertThat(poller.status().discarded()).isEqualTo(2);
    }
  }

  @Test
  void pausedPollerDeliversNothingUntilResumed() {
    String streamArn = table("paused-stream");
    FakeInvoker invoker = FakeInvoker.succeeding();
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, -1, false, false, null), streamArn, null, invoker)) {
      poller.start();
      poller.pause();
      put("paused-stream", "x", 1);
      Await.sleep(Duration.ofSeconds(1));
      assertThat(invoker.calls()).isEmpty();
      long callsWhilePaused = poller.status().awsCalls();
      Await.sleep(Duration.ofSeconds(1));
      assertThat(poller.status().awsCalls()).isEqualTo(callsWhilePaused);

      poller.resume();
      Await.until(Duration.ofSeconds(10), "delivery after resume", () -> poller.status().succeeded() == 1);
    }
  }

  /**
   * moto restores a table from a copy when a transaction fails, and the copy has a new stream shard
   * object: an iterator made before keeps reading the orphaned shard (nothing, ever). The poller
   * re-acquires its iterator when a read comes back empty, so later writes still arrive.
   */
  @Test
  void recordsAfterAFailedTransactionStillArrive() {
    String streamArn = table("rollback-stream");
    FakeInvoker invoker = FakeInvoker.succeeding();
    try (StreamPoller poller = poller(spec("TRIM_HORIZON", 10, -1, false, false, null), streamArn, null, invoker)) {
      poller.start();
      put("rollback-stream", "before", 1);
      Await.until(Duration.ofSeconds(10), "the first record", () -> records(invoker).size() == 1);

      assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder()
          .conditionCheck(c -> c.tableName("rollback-stream").key(Map.of("pk", AttributeValue.fromS("absent")))
              .conditionExpression("attribute_exists(pk)")).build())))
          .isInstanceOf(TransactionCanceledException.class);
      put("rollback-stream", "after", 2);

      Await.until(Duration.ofSeconds(10), "the record written after the failed transaction",
          () -> records(invoker).size() == 2);
      assertThat(records(invoker).get(1).path("dynamodb").path("Keys").path("pk").path("S").asText()).isEqualTo("after");
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static EventSourceSpec.DynamoDbStream spec(String position, int batchSize, int maxRetries, boolean bisect,
      boolean reportBatchItemFailures, String onFailure) {
    return new EventSourceSpec.DynamoDbStream("Changes", "ignored", batchSize, position, maxRetries, bisect,
        reportBatchItemFailures, onFailure);
  }

  private StreamPoller poller(EventSourceSpec.DynamoDbStream spec, String streamArn, QueueRef onFailure,
      FakeInvoker invoker) {
    return new StreamPoller("Reconciler", spec, streamArn, onFailure, clients, invoker);
  }

  private String table(String name) {
    ddb.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
    return ddb.describeTable(r -> r.tableName(name)).table().latestStreamArn();
  }

  private void put(String table, String pk, int qty) {
    ddb.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "qty",
        AttributeValue.fromN(Integer.toString(qty)))));
  }

  private QueueRef queue(String name) {
    String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
    String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    return new QueueRef(name + "-id", url, arn);
  }

  private Message receiveOne(QueueRef queue) {
    List<Message> got = new ArrayList<>();
    Await.until(Duration.ofSeconds(15), "a message in " + queue.url(),
        () -> got.addAll(sqs.receiveMessage(r -> r.queueUrl(queue.url()).waitTimeSeconds(1)).messages()));
    assertThat(got).hasSize(1);
    return got.get(0);
  }

  private static List<JsonNode> records(FakeInvoker invoker) {
    return invoker.calls().stream()
        .flatMap(c -> StreamSupport.stream(c.event().get("Records").spliterator(), false)).toList();
  }

  private static List<String> sequenceNumbers(List<JsonNode> records) {
    return records.stream().map(r -> r.get("dynamodb").get("SequenceNumber").asText()).toList();
  }

  private static JsonNode json(String text) {
    try {
      return LambdaEvents.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
