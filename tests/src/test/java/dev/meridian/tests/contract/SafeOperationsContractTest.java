package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.LocalNames;
import dev.meridian.tools.local.template.StackParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events between regions, concurrency and operations, per region as the project's resolver
 * evaluates each samconfig environment's stack (conditions applied, intrinsics resolved).
 *
 * <ul>
 *   <li>Events: every target of a rule on the region's bus has an explicit RetryPolicy and a
 *       dead-letter queue that EventBridge may write to; forwarding targets are other regions'
 *       buses; each rule has a FailedInvocations alarm and each such dead-letter queue a depth
 *       alarm; the bus policy denies events:PutEvents to everyone but the publisher's role and the
 *       forwarding roles' path; the forwarding role has that path and trusts only its rule of this
 *       account, and may put events on the peers' buses only.</li>
 *   <li>Concurrency: the health function's reservation comes from HealthReservedConcurrency and
 *       is absent at 0 (a deployment cannot fail on it); every SQS event source has a
 *       MaximumConcurrency.</li>
 *   <li>Operations: every alarm notifies a topic (AlarmTopicArn, or the stack's own AlarmTopic);
 *       every function has an Errors and a Throttles alarm, every stream consumer an IteratorAge
 *       alarm, every consumed queue an ApproximateAgeOfOldestMessage alarm; one dashboard shows
 *       health, replication latency, error rates and queue ages.</li>
 * </ul>
 */
class SafeOperationsContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> regions() {
    return Contract.deployment().regions().stream();
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void everyTargetOnTheBusRetriesExplicitlyAndDeadLettersWhatItCannotDeliver(String region) {
    EvaluatedStack stack = Contract.stack(region);
    String bus = busName(stack);
    List<String> rules = rulesOn(stack, bus);
    assertThat(rules).as(region + ": rules on the " + bus + " bus").isNotEmpty();
    Map<String, List<String>> rulesByDeadLetterQueue = new LinkedHashMap<>();
    int forwarding = 0;
    for (String rule : rules) {
      for (Map<String, Object> target : list(stack.property(rule, "Targets"))) {
        String where = region + ": " + rule + " target " + target.get("Id");
        Map<String, Object> retry = map(target.get("RetryPolicy"), where + " RetryPolicy");
        assertThat(retry).as(where + ": RetryPolicy states both limits").containsKeys("MaximumRetryAttempts",
            "MaximumEventAgeInSeconds");
        assertThat(Integer.parseInt(String.valueOf(retry.get("MaximumRetryAttempts")))).as(where).isBetween(0, 185);
        assertThat(Integer.parseInt(String.valueOf(retry.get("MaximumEventAgeInSeconds")))).as(where)
            .isBetween(60, 86_400);
        String dlqArn = String.valueOf(map(target.get("DeadLetterConfig"), where + " DeadLetterConfig").get("Arn"));
        String dlq = queueWithArn(stack, dlqArn).orElseThrow(() -> new AssertionError(where + ": dead-letter queue "
            + dlqArn + " is no queue of this stack (EventBridge needs one in the rule's region)"));
        rulesByDeadLetterQueue.computeIfAbsent(dlq, k -> new ArrayList<>()).add(rule);
        Optional<LocalNames.Arn> arn = LocalNames.parseArn(String.valueOf(target.get("Arn")));
        if (arn.isPresent() && arn.get().service().equals("events")) {
          assertThat(arn.get().region()).as(where + ": a forwarding target is another region's bus").isNotEqualTo(region);
          forwarding++;
        }
      }
    }
    assertThat(forwarding).as(region + ": forwarding targets (one per peer)").isEqualTo(peerCount(stack));
    rulesByDeadLetterQueue.forEach((dlq, users) -> {
      assertThat(alarmsOn(stack, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
          stack.getAtt(dlq, "QueueName"))).as(region + ": a depth alarm on " + dlq).isNotEmpty();
      List<String> allowed = queuePolicySourceArns(stack, dlq);
      for (String rule : users) {
        assertThat(allowed).as(region + ": " + dlq + "'s queue policy lets " + rule + " (events.amazonaws.com) send")
            .contains(String.valueOf(stack.getAtt(rule, "Arn")));
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void everyRuleOnTheBusHasAFailedInvocationsAlarm(String region) {
    EvaluatedStack stack = Contract.stack(region);
    String bus = busName(stack);
    for (String rule : rulesOn(stack, bus)) {
      List<String> alarms = stack.resourceIds("AWS::CloudWatch::Alarm").stream()
          .filter(id -> "AWS/Events".equals(stack.property(id, "Namespace").orElse(null))
              && "FailedInvocations".equals(stack.property(id, "MetricName").orElse(null))
              && dimensions(stack, id).equals(Map.of("EventBusName", bus, "RuleName", stack.physicalName(rule))))
          .toList();
      assertThat(alarms).as(region + ": a FailedInvocations alarm on " + rule + " (dimensions EventBusName and"
          + " RuleName: a rule on a custom bus is measured by both)").isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  @SuppressWarnings("unchecked")
  void theBusDeniesPutEventsToAllButThePublisherAndTheForwardingRoles(String region) {
    EvaluatedStack stack = Contract.stack(region);
    String busArn = String.valueOf(stack.getAtt("MeridianEventBus", "Arn"));
    List<String> policies = stack.resourceIds("AWS::Events::EventBusPolicy");
    assertThat(policies).as(region + ": a bus policy").hasSize(1);
    String policy = policies.get(0);
    Map<String, Object> statement = map(stack.property(policy, "Statement").orElse(null), policy + " Statement");
    assertThat(statement).as(region + ": " + policy).containsEntry("Effect", "Deny").containsEntry("Principal", "*")
        .containsEntry("Action", "events:PutEvents").containsEntry("Resource", busArn);
    assertThat(String.valueOf(stack.property(policy, "EventBusName").orElseThrow())).isEqualTo(busName(stack));
    Map<String, Object> condition = map(statement.get("Condition"), policy + " Condition");
    assertThat(condition.keySet()).as(region + ": the only exception is the principal").containsExactly("ArnNotLike");
    List<String> exempt = strings(map(condition.get("ArnNotLike"), "ArnNotLike").get("aws:PrincipalArn"));
    String publisherRole = String.valueOf(stack.getAtt(roleOf(stack, "PublisherFunction"), "Arn"));
    String path = String.valueOf(stack.property("EventBridgeCrossRegionRole", "Path").orElseThrow(
        () -> new AssertionError(region + ": the forwarding role needs a Path (its name is generated per stack)")));
    String forwarders = "arn:" + LocalNames.PARTITION + ":iam::" + LocalNames.ACCOUNT_ID + ":role" + path + "*";
    assertThat(exempt).as(region + ": aws:PrincipalArn exempt from the Deny").containsExactlyInAnyOrder(publisherRole,
        forwarders);
    assertThat(path).as("the path is the same in every region: the peers' policies name it")
        .isEqualTo(String.valueOf(Contract.stack(Contract.homeRegion()).property("EventBridgeCrossRegionRole", "Path")
            .orElseThrow()));

    Map<String, Object> trust = map(stack.property("EventBridgeCrossRegionRole", "AssumeRolePolicyDocument")
        .orElseThrow(), "trust");
    for (Map<String, Object> s : (List<Map<String, Object>>) trust.get("Statement")) {
      Map<String, Object> c = map(s.get("Condition"), "trust Condition");
      assertThat(map(c.get("ArnEquals"), "ArnEquals").get("aws:SourceArn")).as(region + ": trusted only for its rule")
          .isEqualTo(stack.getAtt("ForwardToPeersRule", "Arn"));
      assertThat(map(c.get("StringEquals"), "StringEquals").get("aws:SourceAccount")).isEqualTo(LocalNames.ACCOUNT_ID);
    }
    List<String> resources = new ArrayList<>();
    for (Map<String, Object> p : list(stack.property("EventBridgeCrossRegionRole", "Policies"))) {
      for (Map<String, Object> s : (List<Map<String, Object>>) map(p.get("PolicyDocument"), "doc").get("Statement")) {
        resources.addAll(strings(s.get("Resource")));
      }
    }
    assertThat(resources).as(region + ": the forwarding role puts events on the peers' buses only")
        .hasSize(peerCount(stack)).doesNotContain(busArn)
        .allSatisfy(r -> assertThat(LocalNames.parseArn(r)).hasValueSatisfying(a -> {
          assertThat(a.service()).isEqualTo("events");
          assertThat(a.region()).isNotEqualTo(region);
        }));
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void theHealthReservationIsAParameterThatCannotFailADeployment(String region) {
    EvaluatedStack stack = Contract.stack(region);
    assertThat(stack.parameterStrings().get("HealthReservedConcurrency")).as(region + ": samconfig leaves the choice"
        + " to deploy.sh").isEqualTo("0");
    assertThat(stack.property("HealthFunction", "ReservedConcurrentExecutions")).as(region + ": at 0 nothing is"
        + " reserved (a reservation of 0 would throttle every call)").isEmpty();
    StackParameters given = Contract.deployment().stack(region);
    Map<String, String> reserving = new java.util.HashMap<>(given.parameters());
    reserving.put("HealthReservedConcurrency", "25");
    EvaluatedStack reserved = Contract.resolver().evaluate(new StackParameters(region, given.stackName(), reserving,
        given.uncheckedParameters()));
    assertThat(reserved.property("HealthFunction", "ReservedConcurrentExecutions")).as(region + ": the value deploy.sh"
        + " chose is the reservation").hasValueSatisfying(v -> assertThat(String.valueOf(v)).isEqualTo("25"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void everyQueueConsumerHasAMaximumConcurrency(String region) {
    EvaluatedStack stack = Contract.stack(region);
    List<String> consumers = new ArrayList<>();
    for (FunctionSpec function : Contract.functions(region)) {
      for (EventSourceSpec event : function.events()) {
        if (event instanceof EventSourceSpec.Sqs sqs) {
          Object max = stack.property(function.logicalId(), "Events", sqs.name(), "Properties", "ScalingConfig",
              "MaximumConcurrency").orElse(null);
          assertThat(max).as(region + ": " + function.logicalId() + "." + sqs.name() + " ScalingConfig.MaximumConcurrency")
              .isNotNull();
          assertThat(Integer.parseInt(String.valueOf(max))).as("Lambda accepts 2 to 1000").isBetween(2, 1000);
          consumers.add(function.logicalId());
        }
      }
    }
    assertThat(consumers).as(region + ": SQS consumers").isNotEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void everyAlarmNotifiesATopic(String region) {
    EvaluatedStack stack = Contract.stack(region);
    String given = stack.parameterStrings().get("AlarmTopicArn");
    Set<String> topics = new TreeSet<>();
    if (given != null && !given.isEmpty()) {
      topics.add(given);
    } else {
      assertThat(stack.resourceIds("AWS::SNS::Topic")).as(region + ": AlarmTopicArn is empty, so the stack creates"
          + " AlarmTopic").contains("AlarmTopic");
      topics.add(String.valueOf(stack.ref("AlarmTopic")));
    }
    List<String> alarms = stack.resourceIds("AWS::CloudWatch::Alarm");
    assertThat(alarms).as(region + ": alarms").isNotEmpty();
    for (String alarm : alarms) {
      List<String> actions = strings(stack.property(alarm, "AlarmActions").orElse(List.of()));
      assertThat(actions).as(region + ": " + alarm + " AlarmActions").isNotEmpty();
      assertThat(topics).as(region + ": " + alarm + " notifies").containsAll(actions);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void theFunctionsAndQueuesThatCanFailQuietlyHaveAlarms(String region) {
    EvaluatedStack stack = Contract.stack(region);
    RegionModel model = Contract.model(region);
    List<String> missing = new ArrayList<>();
    for (FunctionSpec function : model.functions()) {
      Object name = stack.ref(function.logicalId());
      for (String metric : List.of("Errors", "Throttles")) {
        if (alarmsOn(stack, "AWS/Lambda", metric, "FunctionName", name).isEmpty()) {
          missing.add(function.logicalId() + " " + metric);
        }
      }
      for (EventSourceSpec event : function.events()) {
        if (event instanceof EventSourceSpec.DynamoDbStream
            && alarmsOn(stack, "AWS/Lambda", "IteratorAge", "FunctionName", name).isEmpty()) {
          missing.add(function.logicalId() + " IteratorAge (stream consumer)");
        }
        if (event instanceof EventSourceSpec.Sqs sqs && alarmsOn(stack, "AWS/SQS", "ApproximateAgeOfOldestMessage",
            "QueueName", stack.getAtt(sqs.queueLogicalId(), "QueueName")).isEmpty()) {
          missing.add(sqs.queueLogicalId() + " ApproximateAgeOfOldestMessage (consumed by " + function.logicalId() + ")");
        }
      }
    }
    assertThat(missing).as(region + ": alarms missing").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("regions")
  void oneDashboardShowsHealthReplicationErrorsAndQueueAges(String region) throws Exception {
    EvaluatedStack stack = Contract.stack(region);
    List<String> dashboards = stack.resourceIds("AWS::CloudWatch::Dashboard");
    assertThat(dashboards).as(region + ": dashboards").hasSize(1);
    JsonNode body = JSON.readTree(String.valueOf(stack.property(dashboards.get(0), "DashboardBody").orElseThrow()));
    assertThat(body.path("widgets").size()).as(region + ": widgets").isGreaterThanOrEqualTo(4);
    String text = body.toString();
    assertThat(text).as(region + ": the dashboard's metrics")
        .contains("\"" + stack.ref("HealthFunction") + "\"", "ReplicationLatency", "\"Errors\"",
            "ApproximateAgeOfOldestMessage", "IteratorAge", "\"" + stack.getAtt("ReconcileQueue", "QueueName") + "\"")
        .contains("\"region\":\"" + region + "\"");
  }

  // ---------------------------------------------------------------------------------------------

  private static String busName(EvaluatedStack stack) {
    return stack.physicalName("MeridianEventBus");
  }

  private static List<String> rulesOn(EvaluatedStack stack, String bus) {
    return stack.resourceIds("AWS::Events::Rule").stream().filter(id -> stack.ruleBusName(id).equals(bus)).toList();
  }

  private static int peerCount(EvaluatedStack stack) {
    String peers = String.valueOf(stack.evaluate(Map.of("Fn::Join", List.of(",", List.of(
        Map.of("Fn::If", List.of("IsRemoteHomeUnlisted", Map.of("Ref", "TableHomeRegion"), Map.of("Ref", "AWS::NoValue"))),
        Map.of("Fn::If", List.of("IsRemotePeer1", Map.of("Ref", "PeerRegion1"), Map.of("Ref", "AWS::NoValue"))),
        Map.of("Fn::If", List.of("IsRemotePeer2", Map.of("Ref", "PeerRegion2"), Map.of("Ref", "AWS::NoValue"))),
        Map.of("Fn::If", List.of("IsRemotePeer3", Map.of("Ref", "PeerRegion3"), Map.of("Ref", "AWS::NoValue"))),
        Map.of("Fn::If", List.of("IsRemotePeer4", Map.of("Ref", "PeerRegion4"), Map.of("Ref", "AWS::NoValue")))))))
        .orElse(""));
    return peers.isEmpty() ? 0 : peers.split(",").length;
  }

  private static Optional<String> queueWithArn(EvaluatedStack stack, String arn) {
    return stack.resourceIds("AWS::SQS::Queue").stream().filter(q -> arn.equals(stack.getAtt(q, "Arn"))).findFirst();
  }

  /** The logical id of the role a function's {@code Role} names. */
  private static String roleOf(EvaluatedStack stack, String functionId) {
    Object arn = stack.property(functionId, "Role").orElseThrow(() -> new AssertionError(functionId + " has no Role"));
    return stack.resourceIds("AWS::IAM::Role").stream().filter(r -> arn.equals(stack.getAtt(r, "Arn"))).findFirst()
        .orElseThrow(() -> new AssertionError(functionId + ": Role " + arn + " is no role of this stack"));
  }

  /** aws:SourceArn values of the Allow statements for events.amazonaws.com in the queue's policies. */
  @SuppressWarnings("unchecked")
  private static List<String> queuePolicySourceArns(EvaluatedStack stack, String queueId) {
    Object url = stack.ref(queueId);
    List<String> arns = new ArrayList<>();
    for (String policy : stack.resourceIds("AWS::SQS::QueuePolicy")) {
      if (!strings(stack.property(policy, "Queues").orElse(List.of())).contains(String.valueOf(url))) {
        continue;
      }
      Map<String, Object> doc = map(stack.property(policy, "PolicyDocument").orElseThrow(), policy);
      for (Map<String, Object> s : (List<Map<String, Object>>) doc.get("Statement")) {
        if ("Allow".equals(s.get("Effect")) && strings(s.get("Action")).contains("sqs:SendMessage")
            && String.valueOf(s.get("Principal")).contains("events.amazonaws.com")) {
          Map<String, Object> condition = map(s.get("Condition"), policy + " Condition");
          arns.addAll(strings(map(condition.get("ArnEquals"), "ArnEquals").get("aws:SourceArn")));
        }
      }
    }
    return arns;
  }

  private static List<String> alarmsOn(EvaluatedStack stack, String namespace, String metric, String dimension,
      Object value) {
    return stack.resourceIds("AWS::CloudWatch::Alarm").stream()
        .filter(id -> namespace.equals(stack.property(id, "Namespace").orElse(null))
            && metric.equals(stack.property(id, "MetricName").orElse(null))
            && String.valueOf(value).equals(dimensions(stack, id).get(dimension)))
        .toList();
  }

  private static Map<String, String> dimensions(EvaluatedStack stack, String alarmId) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> d : list(stack.property(alarmId, "Dimensions"))) {
      out.put(String.valueOf(d.get("Name")), String.valueOf(d.get("Value")));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Optional<Object> value) {
    return (List<Map<String, Object>>) value.orElse(List.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    assertThat(value).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<String> strings(Object value) {
    return IamContractTest.strings(value);
  }
}
