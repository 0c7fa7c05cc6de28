package dev.meridian.tools.local.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.testkit.emulator.MotoExtension;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** One region's sources started from function specs: status, idle cost, pause, close. */
@ExtendWith(MotoExtension.class)
class EventSourcesIT {

  private static final String REGION = "ap-southeast-2";
  private static final String TABLE = "meridian";

  @Test
  void runsARegionsSourcesCheaplyWhenIdleAndStopsEveryThread(MotoServer moto) {
    try (DynamoDbClient ddb = moto.dynamoDb(REGION);
        SqsClient sqs = moto.configure(SqsClient.builder(), REGION).build()) {
      String streamArn = table(ddb);
      QueueRef reconcile = queue(sqs, "ReconcileQueue", "meridian-reconcile");
      QueueRef failures = queue(sqs, "StreamFailures", "meridian-stream-failures");
      FakeInvoker invoker = FakeInvoker.succeeding();
      List<FunctionSpec> functions = List.of(
          function("ReconcilerFunction",
              new EventSourceSpec.HttpRoute("Ignored", "GET", "/x", null, List.of()),
              new EventSourceSpec.Sqs("RemoteChanges", "ReconcileQueue", 10, true),
              new EventSourceSpec.DynamoDbStream("LocalChanges", TABLE, 100, "LATEST", 3, true, true, "StreamFailures")),
          function("HealthFunction", new EventSourceSpec.Schedule("Heartbeat", 60, null, true)));

      long startedAt = System.nanoTime();
      EventSources sources = EventSources.start(new EventSources.Config(REGION, moto.endpoint(), functions,
          Map.of("ReconcileQueue", reconcile, "StreamFailures", failures), Map.of(TABLE, streamArn), invoker, 0.01));
      try {
        assertThat(sources.status()).extracting(SourceStatus::id, SourceStatus::kind).containsExactly(
            org.assertj.core.groups.Tuple.tuple("ReconcilerFunction.RemoteChanges", SourceStatus.Kind.SQS),
            org.assertj.core.groups.Tuple.tuple("ReconcilerFunction.LocalChanges", SourceStatus.Kind.DYNAMODB_STREAM),
            org.assertj.core.groups.Tuple.tuple("HealthFunction.Heartbeat", SourceStatus.Kind.SCHEDULE));

        // Idle: count every request the pollers send to moto over 5 s, from the start (ramp included).
        Await.sleep(Duration.ofMillis(5_000) .minusNanos(System.nanoTime() - startedAt));
        long first5s = awsCalls(sources);
        Await.sleep(Duration.ofSeconds(5));
        long next5s = awsCalls(sources) - first5s;
        System.out.printf("[sources] idle region (1 SQS poller, 1 stream poller): %d moto calls in the first 5 s"
            + " (back-off ramp included), %d in the next 5 s (%.1f/s)%n", first5s, next5s, next5s / 5.0);
        assertThat(first5s).isLessThan(30);
        assertThat(next5s).isLessThan(10);
        // the schedule (60 s × 0.01 = 0.6 s) kept firing meanwhile
        assertThat(sources.source("HealthFunction.Heartbeat").orElseThrow().status().invocations()).isBetween(8L, 18L);

        // Traffic reaches the functions.
        sqs.sendMessage(r -> r.queueUrl(reconcile.url()).messageBody("remote-change"));
        ddb.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("p-1"))));
        Await.until(Duration.ofSeconds(10), "SQS and stream deliveries", () ->
            status(sources, "ReconcilerFunction.RemoteChanges").succeeded() == 1
                && status(sources, "ReconcilerFunction.LocalChanges").succeeded() == 1);
        assertThat(sources.queueStatus()).extracting(QueueStatus::logicalId, QueueStatus::visible, QueueStatus::inFlight)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("ReconcileQueue", 0L, 0L),
                org.assertj.core.groups.Tuple.tuple("StreamFailures", 0L, 0L));

        // A failed region: nothing is delivered while paused; everything after resume.
        sources.pauseAll();
        assertThat(sources.status()).allMatch(SourceStatus::paused);
        long heartbeats = status(sources, "HealthFunction.Heartbeat").invocations();
        ddb.putItem(r -> r.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("p-2"))));
        sqs.sendMessage(r -> r.queueUrl(reconcile.url()).messageBody("while-down"));
        Await.sleep(Duration.ofMillis(1_500));
        assertThat(status(sources, "ReconcilerFunction.LocalChanges").succeeded()).isEqualTo(1);
        assertThat(status(sources, "ReconcilerFunction.RemoteChanges").succeeded()).isEqualTo(1);
        assertThat(status(sources, "HealthFunction.Heartbeat").invocations()).isLessThanOrEqualTo(heartbeats + 1);
        System.out.println("[sources] queues while paused: " + sources.queueStatus());
        sources.resumeAll();
        Await.until(Duration.ofSeconds(10), "deliveries after resume", () ->
            status(sources, "ReconcilerFunction.RemoteChanges").succeeded() == 2
                && status(sources, "ReconcilerFunction.LocalChanges").succeeded() == 2);
        sources.status().forEach(s -> System.out.println("[sources] " + s));
      } finally {
        long closing = System.nanoTime();
        sources.close();
        System.out.printf("[sources] EventSources.close() took %d ms%n", (System.nanoTime() - closing) / 1_000_000);
      }
      assertThat(sources.status()).noneMatch(SourceStatus::running);
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().startsWith("event-source-") && t.isAlive()).isEmpty();
    }
  }

  @Test
  void refusesEventsNamingMissingOrForeignResources(MotoServer moto) {
    FakeInvoker invoker = FakeInvoker.succeeding();
    List<FunctionSpec> missingQueue = List.of(function("F", new EventSourceSpec.Sqs("Q", "NoSuchQueue", 10, false)));
    assertThatThrownBy(() -> EventSources.start(new EventSources.Config(REGION, moto.endpoint(), missingQueue,
        Map.of(), Map.of(), invoker, 1.0))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchQueue");

    List<FunctionSpec> foreignStream = List.of(function("F",
        new EventSourceSpec.DynamoDbStream("S", TABLE, 10, "LATEST", 0, false, false, null)));
    assertThatThrownBy(() -> EventSources.start(new EventSources.Config(REGION, moto.endpoint(), foreignStream,
        Map.of(), Map.of(TABLE, "arn:aws:dynamodb:us-east-1:123456789012:table/meridian/stream/x"), invoker, 1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in " + REGION);
  }

  private static long awsCalls(EventSources sources) {
    return sources.status().stream().mapToLong(SourceStatus::awsCalls).sum();
  }

  private static SourceStatus status(EventSources sources, String id) {
    return sources.source(id).orElseThrow().status();
  }

  private static FunctionSpec function(String logicalId, EventSourceSpec... events) {
    return new FunctionSpec(logicalId, "h::handle", "java17", Path.of("x.zip"), 512, 10, Map.of(), List.of(events));
  }

  private static String table(DynamoDbClient ddb) {
    ddb.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
    return ddb.describeTable(r -> r.tableName(TABLE)).table().latestStreamArn();
  }

  private static QueueRef queue(SqsClient sqs, String logicalId, String name) {
    String url = sqs.createQueue(r -> r.queueName(name)).queueUrl();
    String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    return new QueueRef(logicalId, url, arn);
  }
}
