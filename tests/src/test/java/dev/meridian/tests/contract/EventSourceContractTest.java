package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.QueueSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.LocalNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event sources, per region, as the project's resolver evaluates the template: what Lambda needs of
 * each mapping, and that no change can fail silently.
 *
 * <ul>
 *   <li>SQS: the queue's VisibilityTimeout is at least 6 x the consumer's Timeout (AWS's guidance:
 *       otherwise a batch still being processed is delivered again); partial batch responses on.
 *   <li>DynamoDB streams: the stream of this region's own replica of a table of the deployment
 *       (Lambda maps only same-region streams); TRIM_HORIZON (a change made before the mapping was
 *       ready must still be published); bisect, partial batch responses and an on-failure queue.
 *   <li>Every queue where undelivered work ends (a redrive dead-letter queue, a stream's on-failure
 *       destination) has a CloudWatch alarm on its ApproximateNumberOfMessagesVisible.
 *   <li>A function given {@code RECONCILE_DEAD_LETTER_QUEUE_URL} (it dead-letters rejected events
 *       itself) points it at the dead-letter queue of the queue it consumes: one place, one alarm.
 * </ul>
 */
class EventSourceContractTest {

  static Stream<String> regions() {
    return Contract.deployment().regions().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void queueConsumersOutliveNoVisibilityTimeout(String region) {
    RegionModel model = Contract.model(region);
    List<String> consumers = new ArrayList<>();
    for (FunctionSpec function : model.functions()) {
      for (EventSourceSpec event : function.events()) {
        if (!(event instanceof EventSourceSpec.Sqs sqs)) {
          continue;
        }
        String where = function.logicalId() + "." + sqs.name() + " in " + region;
        QueueSpec queue = queue(model, sqs.queueLogicalId());
        assertThat(queue.visibilityTimeoutSeconds()).as(where + ": VisibilityTimeout of " + queue.logicalId()
            + " vs 6 x the function's Timeout " + function.timeoutSeconds() + " s")
            .isGreaterThanOrEqualTo(6 * function.timeoutSeconds());
        assertThat(sqs.reportBatchItemFailures()).as(where + ": FunctionResponseTypes [ReportBatchItemFailures]"
            + " (without it Lambda ignores batchItemFailures and redelivers the whole batch)").isTrue();
        consumers.add(where);
      }
    }
    assertThat(consumers).as("SQS consumers in " + region).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void streamConsumersReadThisRegionsReplicaFromTheStart(String region) {
    RegionModel model = Contract.model(region);
    EvaluatedStack stack = Contract.stack(region);
    List<String> consumers = new ArrayList<>();
    for (FunctionSpec function : model.functions()) {
      for (EventSourceSpec event : function.events()) {
        if (!(event instanceof EventSourceSpec.DynamoDbStream stream)) {
          continue;
        }
        String where = function.logicalId() + "." + stream.name() + " in " + region;
        assertThat(model.tables()).as(where + ": reads the stream of a table this region holds a replica of")
            .anySatisfy(t -> assertThat(t.tableName()).isEqualTo(stream.tableName()));
        Object arn = stack.property(function.logicalId(), "Events", stream.name(), "Properties", "Stream").orElseThrow();
        assertThat(LocalNames.parseArn(String.valueOf(arn))).as(where + ": Stream " + arn)
            .hasValueSatisfying(a -> assertThat(a.region()).as(where + ": the stream's region").isEqualTo(region));
        assertThat(stream.startingPosition()).as(where + ": StartingPosition").isEqualTo("TRIM_HORIZON");
        assertThat(stream.bisectBatchOnFunctionError()).as(where + ": BisectBatchOnFunctionError").isTrue();
        assertThat(stream.reportBatchItemFailures()).as(where + ": ReportBatchItemFailures").isTrue();
        assertThat(stream.maximumRetryAttempts()).as(where + ": MaximumRetryAttempts (-1 = a poison record blocks"
            + " the shard for the stream's 24 h)").isBetween(0, 10_000);
        assertThat(stream.onFailureQueueLogicalId()).as(where + ": an OnFailure destination").isNotNull();
        consumers.add(where);
      }
    }
    assertThat(consumers).as("stream consumers in " + region).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void everyQueueWhereUndeliveredWorkEndsHasAnAlarm(String region) {
    RegionModel model = Contract.model(region);
    Map<String, String> endpoints = new LinkedHashMap<>();
    model.queues().stream().filter(q -> q.deadLetterQueueLogicalId() != null)
        .forEach(q -> endpoints.put(q.deadLetterQueueLogicalId(), "dead-letter queue of " + q.logicalId()));
    model.functions().forEach(f -> f.events().stream().filter(EventSourceSpec.DynamoDbStream.class::isInstance)
        .map(EventSourceSpec.DynamoDbStream.class::cast).filter(s -> s.onFailureQueueLogicalId() != null)
        .forEach(s -> endpoints.put(s.onFailureQueueLogicalId(), "on-failure destination of " + f.logicalId())));
    assertThat(endpoints).as("queues where undelivered work ends in " + region).isNotEmpty();

    EvaluatedStack stack = Contract.stack(region);
    endpoints.forEach((queueId, role) -> {
      String name = queue(model, queueId).name();
      List<String> alarms = stack.resourceIds("AWS::CloudWatch::Alarm").stream()
          .filter(id -> "AWS/SQS".equals(stack.property(id, "Namespace").orElse(null))
              && "ApproximateNumberOfMessagesVisible".equals(stack.property(id, "MetricName").orElse(null))
              && dimension(stack, id, "QueueName").filter(name::equals).isPresent())
          .toList();
      assertThat(alarms).as(queueId + " (" + role + ") in " + region + ": an alarm on its visible messages").isNotEmpty();
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void aFunctionThatDeadLettersItselfUsesItsQueuesDeadLetterQueue(String region) {
    RegionModel model = Contract.model(region);
    List<String> checked = new ArrayList<>();
    for (FunctionSpec function : model.functions()) {
      String url = function.environment().get("RECONCILE_DEAD_LETTER_QUEUE_URL");
      if (url == null) {
        continue;
      }
      List<EventSourceSpec.Sqs> consumed = function.events().stream().filter(EventSourceSpec.Sqs.class::isInstance)
          .map(EventSourceSpec.Sqs.class::cast).toList();
      assertThat(consumed).as(function.logicalId() + " in " + region + " dead-letters events itself, so it consumes"
          + " a queue").hasSize(1);
      QueueSpec source = queue(model, consumed.get(0).queueLogicalId());
      assertThat(source.deadLetterQueueLogicalId()).as(source.logicalId() + " has a redrive policy").isNotNull();
      assertThat(url).as(function.logicalId() + " in " + region + ": RECONCILE_DEAD_LETTER_QUEUE_URL")
          .isEqualTo(LocalNames.queueUrl(region, queue(model, source.deadLetterQueueLogicalId()).name()));
      checked.add(function.logicalId());
    }
    assertThat(checked).as("functions with RECONCILE_DEAD_LETTER_QUEUE_URL in " + region).isNotEmpty();
  }

  private static QueueSpec queue(RegionModel model, String logicalId) {
    return model.queues().stream().filter(q -> q.logicalId().equals(logicalId)).findFirst()
        .orElseThrow(() -> new AssertionError("no queue " + logicalId + " in " + model.region()));
  }

  @SuppressWarnings("unchecked")
  private static Optional<String> dimension(EvaluatedStack stack, String alarmId, String name) {
    Object dimensions = stack.property(alarmId, "Dimensions").orElse(List.of());
    for (Object d : (List<Object>) dimensions) {
      Map<String, Object> m = (Map<String, Object>) d;
      if (name.equals(m.get("Name"))) {
        return Optional.of(String.valueOf(m.get("Value")));
      }
    }
    return Optional.empty();
  }
}
