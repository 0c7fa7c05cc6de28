package dev.meridian.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Checks the launcher against the real SDK: DynamoDB's single-item atomicity under concurrent
 * clients (what plain moto gets wrong), region isolation, and streams.
 */
@ExtendWith(MotoExtension.class)
class SerializedMotoIT {

  private static final String REGION = "us-east-1";
  private static final int CLIENTS = 20;
  private static final int ROUNDS = 5;

  @Test
  void conditionalCreateHasExactlyOneWinner(MotoServer moto) throws Exception {
    try (DynamoDbClient ddb = withoutRetries(moto, REGION)) {
      createTable(ddb, "create-race");
      for (int round = 0; round < ROUNDS; round++) {
        Map<String, AttributeValue> key = key("order-" + round);

        // Bulky items widen moto's check-to-write window (it builds the Item in between):
        // with small items unserialized moto double-creates too rarely for this test to see.
        Race race = race(client -> ddb.putItem(r -> r.tableName("create-race")
            .item(bulky(with(key, "owner", n(client))))
            .conditionExpression("attribute_not_exists(pk)")));

        assertThat(race.winners()).as("round %d winners", round).hasSize(1);
        assertThat(race.failures()).hasSize(CLIENTS - 1)
            .allMatch(ConditionalCheckFailedException.class::isInstance);
        // The stored item is the winner's, i.e. no loser overwrote it after the check.
        assertThat(get(ddb, "create-race", key).get("owner").n())
            .isEqualTo(String.valueOf(race.winners().get(0)));
      }
    }
  }

  @Test
  void guardedDecrementNeverOversells(MotoServer moto) throws Exception {
    int stock = 5;
    try (DynamoDbClient ddb = withoutRetries(moto, REGION)) {
      createTable(ddb, "stock-race");
      for (int round = 0; round < ROUNDS; round++) {
        Map<String, AttributeValue> key = key("sku-" + round);
        ddb.putItem(r -> r.tableName("stock-race").item(with(key, "stock", n(stock))));
        Collection<String> stockAfter = new ConcurrentLinkedQueue<>();

        Race race = race(client -> stockAfter.add(ddb.updateItem(r -> r.tableName("stock-race")
                .key(key)
                .updateExpression("SET stock = stock - :one")
                .conditionExpression("stock >= :one")
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW))
            .attributes().get("stock").n()));

        assertThat(race.winners()).as("round %d winners", round).hasSize(stock);
        assertThat(race.failures()).hasSize(CLIENTS - stock)
            .allMatch(ConditionalCheckFailedException.class::isInstance);
        // Each winner saw a different stock level: the decrements did not interleave.
        assertThat(stockAfter).containsExactlyInAnyOrder("4", "3", "2", "1", "0");
        assertThat(get(ddb, "stock-race", key).get("stock").n()).isEqualTo("0");
      }
    }
  }

  @Test
  void sameTableNameInTwoRegionsIsTwoTables(MotoServer moto) {
    try (DynamoDbClient east = moto.dynamoDb("us-east-1");
        DynamoDbClient west = moto.dynamoDb("eu-west-1");
        DynamoDbClient sydney = moto.dynamoDb("ap-southeast-2")) {
      createTable(east, "replica");
      createTable(west, "replica"); // ResourceInUseException if regions shared tables

      Map<String, AttributeValue> key = key("cart-1");
      east.putItem(r -> r.tableName("replica").item(with(key, "writer", s("east"))));
      assertThat(west.getItem(r -> r.tableName("replica").key(key).consistentRead(true)).hasItem())
          .isFalse();
      west.putItem(r -> r.tableName("replica").item(with(key, "writer", s("west"))));

      assertThat(get(east, "replica", key).get("writer").s()).isEqualTo("east");
      assertThat(get(west, "replica", key).get("writer").s()).isEqualTo("west");
      assertThat(east.describeTable(r -> r.tableName("replica")).table().tableArn())
          .contains(":us-east-1:");
      assertThat(west.describeTable(r -> r.tableName("replica")).table().tableArn())
          .contains(":eu-west-1:");
      assertThat(sydney.listTables().tableNames()).doesNotContain("replica");
    }
  }

  @Test
  void streamOfNewAndOldImagesIsReadableThroughStreamsClient(MotoServer moto) {
    String region = "eu-west-1";
    try (DynamoDbClient ddb = moto.dynamoDb(region);
        DynamoDbStreamsClient streams = moto.dynamoDbStreams(region)) {
      String streamArn = createTableWithStream(ddb, "stream-source");
      assertThat(streamArn).contains(":eu-west-1:");

      Map<String, AttributeValue> key = key("order-9");
      ddb.putItem(r -> r.tableName("stream-source").item(with(key, "qty", n(1))));
      ddb.updateItem(r -> r.tableName("stream-source").key(key)
          .updateExpression("SET qty = :two").expressionAttributeValues(Map.of(":two", n(2))));
      ddb.deleteItem(r -> r.tableName("stream-source").key(key));

      String iterator = shardIterator(streams, streamArn, ShardIteratorType.TRIM_HORIZON, null);
      List<Record> records = streams.getRecords(r -> r.shardIterator(iterator)).records();

      assertThat(records).extracting(Record::eventNameAsString)
          .containsExactly("INSERT", "MODIFY", "REMOVE");
      Record modify = records.get(1);
      assertThat(modify.dynamodb().oldImage().get("qty").n()).isEqualTo("1");
      assertThat(modify.dynamodb().newImage().get("qty").n()).isEqualTo("2");
      assertThat(records.get(2).dynamodb().oldImage().get("qty").n()).isEqualTo("2");
      assertThat(records.get(2).dynamodb().hasNewImage()).isFalse();
      // moto 5.2.1 hard-codes this; consumers must take the region from the stream ARN instead.
      // If this fails, moto fixed it: update README-moto.md.
      assertThat(records).extracting(Record::awsRegion).containsOnly("us-east-1");
    }
  }

  /**
   * A cancelled transaction must leave no trace: no item, no stream record, and a stream that the
   * iterators already handed out keep reading. Plain moto 5.2.1 fails all but the first: its
   * rollback swaps in deep copies of the tables, so a consumer's iterator saw an INSERT of the
   * rolled-back order and then nothing ever again (the launcher backs up items instead).
   */
  @Test
  void cancelledTransactionLeavesNoStreamRecordAndTheStreamKeepsFlowing(MotoServer moto) {
    String region = "ap-southeast-1";
    try (DynamoDbClient ddb = moto.dynamoDb(region);
        DynamoDbStreamsClient streams = moto.dynamoDbStreams(region)) {
      String streamArn = createTableWithStream(ddb, "tx-stream");
      Map<String, AttributeValue> stock = key("stock");
      ddb.putItem(r -> r.tableName("tx-stream").item(with(stock, "units", n(1))));
      String iterator = shardIterator(streams, streamArn, ShardIteratorType.LATEST, null);

      // An order for 2 units: the order's put passes, the stock condition fails, both are cancelled.
      assertThatThrownBy(() -> ddb.transactWriteItems(r -> r.transactItems(
          t -> t.put(p -> p.tableName("tx-stream").item(with(key("order-1"), "units", n(2)))
              .conditionExpression("attribute_not_exists(pk)")),
          t -> t.update(u -> u.tableName("tx-stream").key(stock).updateExpression("SET units = units - :two")
              .conditionExpression("units >= :two").expressionAttributeValues(Map.of(":two", n(2)))))))
          .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
      ddb.putItem(r -> r.tableName("tx-stream").item(with(key("after"), "units", n(0))));

      List<Record> records = streams.getRecords(r -> r.shardIterator(iterator)).records();
      assertThat(get(ddb, "tx-stream", key("order-1"))).as("the cancelled order").isEmpty();
      assertThat(get(ddb, "tx-stream", stock).get("units").n()).as("stock after the cancelled order").isEqualTo("1");
      assertThat(records).extracting(rec -> rec.eventNameAsString() + " " + rec.dynamodb().keys().get("pk").s())
          .as("what a consumer holding an iterator from before the transaction reads")
          .containsExactly("INSERT after");
    }
  }

  /**
   * DynamoDB streams one INSERT with the whole new item for an UpdateItem that creates it; plain
   * moto 5.2.1 streams a key-only INSERT first, which a replica briefly applied as a bare key.
   * Sequence numbers stay consecutive, so a consumer resuming after a record misses nothing.
   */
  @Test
  void updateThatCreatesAnItemStreamsOneInsertOfTheWholeItem(MotoServer moto) {
    String region = "ap-southeast-1";
    try (DynamoDbClient ddb = moto.dynamoDb(region);
        DynamoDbStreamsClient streams = moto.dynamoDbStreams(region)) {
      String streamArn = createTableWithStream(ddb, "created-by-update");
      ddb.updateItem(r -> r.tableName("created-by-update").key(key("allocation"))
          .updateExpression("SET available = if_not_exists(available, :zero) + :five, productId = :id")
          .expressionAttributeValues(Map.of(":zero", n(0), ":five", n(5), ":id", s("mug"))));
      ddb.putItem(r -> r.tableName("created-by-update").item(with(key("next"), "units", n(1))));

      List<Record> records = streams.getRecords(r -> r.shardIterator(
          shardIterator(streams, streamArn, ShardIteratorType.TRIM_HORIZON, null))).records();
      assertThat(records).extracting(rec -> rec.eventNameAsString() + " " + rec.dynamodb().keys().get("pk").s())
          .containsExactly("INSERT allocation", "INSERT next");
      assertThat(records.get(0).dynamodb().newImage()).containsKeys("available", "productId");
      String first = records.get(0).dynamodb().sequenceNumber();
      List<Record> after = streams.getRecords(r -> r.shardIterator(
          shardIterator(streams, streamArn, ShardIteratorType.AFTER_SEQUENCE_NUMBER, first))).records();
      assertThat(after).extracting(rec -> rec.dynamodb().keys().get("pk").s()).as("resuming after the first record")
          .containsExactly("next");
    }
  }

  /**
   * A client that stops halfway through sending a DynamoDB request must not hold the DynamoDB
   * lock: everyone else's calls go on. (Without buffering the body first, the GetItem below waited
   * until the stalled socket closed; in a stack run, 425 s.)
   */
  @Test
  void aClientStalledMidRequestDoesNotStallOtherCallers(MotoServer moto) throws Exception {
    try (DynamoDbClient ddb = moto.configure(DynamoDbClient.builder(), REGION)
            .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(10))
                .retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
        Socket stalled = new Socket("127.0.0.1", moto.port())) {
      createTable(ddb, "stalled-client");
      String body = "{\"TableName\":\"stalled-client\",\"Key\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"S\":\"#\"}}}";
      String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + moto.port() + "\r\n"
          + "X-Amz-Target: DynamoDB_20120810.GetItem\r\nContent-Type: application/x-amz-json-1.0\r\n"
          + "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/" + REGION + "/dynamodb/aws4_request, "
          + "SignedHeaders=host, Signature=0\r\nContent-Length: " + body.length() + "\r\n\r\n";
      stalled.getOutputStream().write((head + body.substring(0, body.length() / 2)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      stalled.getOutputStream().flush();
      Thread.sleep(500); // the stalled request is being handled now

      ddb.putItem(r -> r.tableName("stalled-client").item(with(key("b"), "units", n(1))));
      assertThat(get(ddb, "stalled-client", key("b"))).as("a read while another client stalls mid-request").isNotEmpty();
    }
  }

  @Test
  void theWriteMeterPricesEachItemWriteAsOnDemandDynamoDbDoes(MotoServer moto) {
    String region = "ca-central-1";
    try (DynamoDbClient ddb = moto.dynamoDb(region)) {
      createTable(ddb, "metered");
      JsonNode before = MotoServer.meteredWriteUnits(moto.endpoint()).orElseThrow().path(region);
      ddb.putItem(r -> r.tableName("metered").item(key("small")));
      Map<String, AttributeValue> big = with(key("big"), "body", AttributeValue.fromS("x".repeat(2_500)));
      ddb.putItem(r -> r.tableName("metered").item(big));
      // Shrinking a 2.5 KB item costs what the larger of before and after costs.
      ddb.updateItem(r -> r.tableName("metered").key(key("big")).updateExpression("SET body = :small")
          .expressionAttributeValues(Map.of(":small", AttributeValue.fromS("x"))));
      // A write its condition refuses is still billed.
      assertThatThrownBy(() -> ddb.putItem(r -> r.tableName("metered").item(key("small"))
          .conditionExpression("attribute_not_exists(pk)"))).isInstanceOf(ConditionalCheckFailedException.class);
      ddb.transactWriteItems(r -> r.transactItems(
          t -> t.put(p -> p.tableName("metered").item(key("in-transaction-1"))),
          t -> t.put(p -> p.tableName("metered").item(key("in-transaction-2")))));
      ddb.putItem(r -> r.tableName("metered").item(key("from-a-peer"))
          .overrideConfiguration(c -> c.putHeader(MotoServer.REPLICATED_WRITE_HEADER, "true")));

      JsonNode after = MotoServer.meteredWriteUnits(moto.endpoint()).orElseThrow().path(region);
      assertThat(delta(before, after, "singleItemWrites")).isEqualTo(4);
      assertThat(delta(before, after, "singleWriteUnits")).as("1 + 3 + 3 + 1").isEqualTo(8);
      assertThat(delta(before, after, "transactionalItemWrites")).isEqualTo(2);
      assertThat(delta(before, after, "transactionalWriteUnits")).as("2 per KB in a transaction").isEqualTo(4);
      assertThat(delta(before, after, "replicatedItemWrites")).isEqualTo(1);
      assertThat(delta(before, after, "replicatedWriteUnits")).isEqualTo(1);
      assertThat(delta(before.path("byKind").path("small"), after.path("byKind").path("small"), "singleWriteUnits"))
          .as("by kind of item: the partition key up to its first #").isEqualTo(2);
    }
  }

  private static long delta(JsonNode before, JsonNode after, String field) {
    return after.path(field).asLong() - before.path(field).asLong();
  }

  @Test
  void sequentialPutItemThroughput(MotoServer moto) {
    int warmUp = 20;
    int measured = 500;
    try (DynamoDbClient ddb = moto.dynamoDb(REGION)) {
      createTable(ddb, "throughput");
      long start = 0;
      for (int i = 0; i < warmUp + measured; i++) {
        if (i == warmUp) {
          start = System.nanoTime();
        }
        Map<String, AttributeValue> key = key("item-" + i);
        ddb.putItem(r -> r.tableName("throughput").item(with(key, "payload", s("x".repeat(200)))));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("[moto] sequential PutItem: %d in %.2f s = %.0f/s%n",
          measured, seconds, measured / seconds);

      assertThat(ddb.scan(r -> r.tableName("throughput").select("COUNT")).count())
          .isEqualTo(warmUp + measured);
    }
  }

  /**
   * The launcher makes a Query on the table's key read only that partition (plain moto sorts the
   * whole table for every Query); what the Query answers must not change: key conditions, order,
   * pages, filters, and queries on an index, which still span every partition.
   */
  @Test
  void aQueryAnswersFromItsPartitionAsBeforeAndIndexesStillSpanTheTable(MotoServer moto) {
    try (DynamoDbClient ddb = moto.dynamoDb("eu-west-1")) {
      ddb.createTable(r -> r.tableName("partitions").billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(attribute("pk"), attribute("sk"), attribute("owner"))
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
              KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
          .globalSecondaryIndexes(g -> g.indexName("by-owner").projection(pr -> pr.projectionType("ALL"))
              .keySchema(KeySchemaElement.builder().attributeName("owner").keyType(KeyType.HASH).build(),
                  KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())));
      for (int p = 0; p < 40; p++) {
        for (int i = 0; i < 6; i++) {
          Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(String.format("p%02d", p)), "sk", s("s" + i),
              "n", n(i), "owner", s("o" + (p % 3))));
          ddb.putItem(r -> r.tableName("partitions").item(item));
        }
      }

      List<String> newestFirst = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      int pages = 0;
      do {
        Map<String, AttributeValue> from = start;
        var page = ddb.query(r -> r.tableName("partitions").keyConditionExpression("pk = :p AND begins_with(sk, :s)")
            .expressionAttributeValues(Map.of(":p", s("p17"), ":s", s("s"))).scanIndexForward(false).limit(2)
            .exclusiveStartKey(from));
        page.items().forEach(item -> newestFirst.add(item.get("pk").s() + "/" + item.get("sk").s()));
        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        pages++;
      } while (start != null);
      assertThat(newestFirst).containsExactly("p17/s5", "p17/s4", "p17/s3", "p17/s2", "p17/s1", "p17/s0");
      assertThat(pages).as("pages of 2").isBetween(3, 4);

      var filtered = ddb.query(r -> r.tableName("partitions").keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
          .filterExpression("n >= :three").expressionAttributeValues(Map.of(":p", s("p03"), ":a", s("s1"), ":b", s("s4"),
              ":three", n(3))));
      assertThat(filtered.items()).extracting(item -> item.get("sk").s()).containsExactly("s3", "s4");
      assertThat(filtered.scannedCount()).as("items the key condition read").isEqualTo(4);

      assertThat(ddb.query(r -> r.tableName("partitions").keyConditionExpression("pk = :p")
          .expressionAttributeValues(Map.of(":p", s("absent")))).items()).isEmpty();

      int byOwner = 0;
      Map<String, AttributeValue> next = null;
      do {
        Map<String, AttributeValue> from = next;
        var page = ddb.query(r -> r.tableName("partitions").indexName("by-owner").keyConditionExpression("#o = :o")
            .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":o", s("o1")))
            .limit(50).exclusiveStartKey(from));
        assertThat(page.items()).allSatisfy(item -> assertThat(item.get("owner").s()).isEqualTo("o1"));
        byOwner += page.count();
        next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (next != null);
      assertThat(byOwner).as("items of o1 across every partition (13 partitions of 6)").isEqualTo(78);
      assertThat(ddb.scan(r -> r.tableName("partitions")).count()).as("a scan still sees the whole table").isEqualTo(240);
    }
  }

  @Test
  void ownServerStartsOnAFreePortAndStopsCleanly() throws IOException {
    long t0 = System.nanoTime();
    MotoServer own = MotoServer.start();
    long started = System.nanoTime();
    long answered;
    int port = own.port();
    try (own) {
      assertThat(own.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
      try (DynamoDbClient ddb = own.dynamoDb(REGION)) {
        assertThat(ddb.listTables().tableNames()).isEmpty(); // not the shared server's state
      }
      answered = System.nanoTime();
    }
    long stopped = System.nanoTime();
    System.out.printf("[moto] start to ready line %d ms, first DynamoDB call %d ms, close %d ms%n",
        (started - t0) / 1_000_000, (answered - started) / 1_000_000,
        (stopped - answered) / 1_000_000);

    // 0, not 143 (killed by SIGTERM) or 134 (Python aborted at shutdown): it stopped itself.
    assertThat(own.exitCode()).hasValue(0);
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Winners are client numbers whose call returned; failures are what the others threw. */
  private record Race(List<Integer> winners, List<RuntimeException> failures) {}

  /** Runs {@code call} for clients 0..CLIENTS-1 on as many threads, released at once. */
  private static Race race(IntConsumer call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      CountDownLatch ready = new CountDownLatch(CLIENTS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RuntimeException>> outcomes = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        outcomes.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          try {
            call.accept(client);
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      ready.await();
      go.countDown();
      List<Integer> winners = new ArrayList<>();
      List<RuntimeException> failures = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        RuntimeException failure = outcomes.get(i).get(60, TimeUnit.SECONDS);
        if (failure == null) {
          winners.add(i);
        } else {
          failures.add(failure);
        }
      }
      return new Race(winners, failures);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A retry could turn a request's own success into ConditionalCheckFailed: count raw answers. */
  private static DynamoDbClient withoutRetries(MotoServer moto, String region) {
    return moto.configure(DynamoDbClient.builder(), region)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static void createTable(DynamoDbClient ddb, String name) {
    ddb.createTable(r -> r.tableName(name)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attribute("pk"), attribute("sk"))
        .keySchema(
            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
  }

  /** A table as {@link #createTable} makes it, streaming new and old images; returns the stream's ARN. */
  private static String createTableWithStream(DynamoDbClient ddb, String name) {
    createTable(ddb, name);
    return ddb.updateTable(r -> r.tableName(name)
            .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
        .tableDescription().latestStreamArn();
  }

  /** An iterator of the stream's shard (moto streams have one), after {@code sequenceNumber} when given. */
  private static String shardIterator(DynamoDbStreamsClient streams, String streamArn, ShardIteratorType type,
      String sequenceNumber) {
    String shardId = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
    return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId).shardIteratorType(type)
        .sequenceNumber(sequenceNumber)).shardIterator();
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static Map<String, AttributeValue> get(
      DynamoDbClient ddb, String table, Map<String, AttributeValue> key) {
    return ddb.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
  }

  private static Map<String, AttributeValue> key(String pk) {
    return Map.of("pk", s(pk), "sk", s("#"));
  }

  private static Map<String, AttributeValue> with(
      Map<String, AttributeValue> key, String name, AttributeValue value) {
    Map<String, AttributeValue> item = new HashMap<>(key);
    item.put(name, value);
    return item;
  }

  /** {@code item} plus 200 small number attributes. */
  private static Map<String, AttributeValue> bulky(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> out = new HashMap<>(item);
    for (int i = 0; i < 200; i++) {
      out.put("a" + i, n(i));
    }
    return out;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
