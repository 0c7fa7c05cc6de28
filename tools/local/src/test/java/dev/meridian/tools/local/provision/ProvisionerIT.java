package dev.meridian.tools.local.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.emulator.MotoExtension;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.model.RuleSpec;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.LocalNames;
import dev.meridian.tools.local.template.RepoFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The real template, two regions, provisioned into moto and checked with the SDK. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionerIT {

  @RegisterExtension
  static final MotoExtension MOTO = new MotoExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

  private static List<RegionModel> models;
  private static List<ProvisionedRegion> provisioned;
  private static Provisioner provisioner;

  @BeforeAll
  static void provision() {
    if (!MotoServer.isAvailable()) {
      return; // MotoExtension skips (or, when moto is required, fails) every test with the reason
    }
    LocalDeployment deployment = LocalDeployment.builder(RepoFiles.config()).regionCount(2)
        .jwtIssuer("http://127.0.0.1:1").build();
    models = deployment.models(RepoFiles.resolver());
    provisioner = new Provisioner(MOTO.server().endpoint());
    provisioned = provisioner.provisionAll(models);
  }

  @AfterAll
  static void close() {
    if (provisioner != null) {
      provisioner.close();
    }
  }

  private static MotoServer moto() {
    return MOTO.server();
  }

  private static String queueName(RegionModel model, String logicalId) {
    return model.queues().stream().filter(q -> q.logicalId().equals(logicalId)).findFirst().orElseThrow().name();
  }

  @Test
  @Order(1)
  void everyRegionHasItsTableReplicaWithIndexStreamAndTtl() {
    for (int i = 0; i < REGIONS.size(); i++) {
      String region = REGIONS.get(i);
      try (DynamoDbClient ddb = moto().dynamoDb(region)) {
        TableDescription table = ddb.describeTable(r -> r.tableName("meridian")).table();
        assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:" + region + ":123456789012:table/meridian");
        assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
            .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(gsi -> {
          assertThat(gsi.indexName()).isEqualTo("gsi1");
          assertThat(gsi.keySchema()).extracting(k -> k.attributeName()).containsExactly("gsi1pk", "gsi1sk");
          assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        });
        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.latestStreamArn()).startsWith(table.tableArn() + "/stream/");
        assertThat(provisioned.get(i).tableName()).isEqualTo("meridian");
        assertThat(provisioned.get(i).tableStreamArn()).isEqualTo(table.latestStreamArn());
        var ttl = ddb.describeTimeToLive(r -> r.tableName("meridian")).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
      }
    }
  }

  @Test
  @Order(2)
  void queuesRedriveToTheirDeadLetterQueue() throws Exception {
    for (int i = 0; i < REGIONS.size(); i++) {
      ProvisionedRegion p = provisioned.get(i);
      try (SqsClient sqs = moto().configure(SqsClient.builder(), REGIONS.get(i)).build()) {
        Map<QueueAttributeName, String> reconcile = sqs.getQueueAttributes(r -> r.queueUrl(p.queueUrl("ReconcileQueue"))
            .attributeNames(QueueAttributeName.ALL)).attributes();
        JsonNode redrive = JSON.readTree(reconcile.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(p.queueArns().get("ReconcileDeadLetterQueue"));
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
        assertThat(reconcile.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("120");
        assertThat(reconcile.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).isEqualTo("345600");
        assertThat(p.queueArns().get("ReconcileQueue")).isEqualTo(
            "arn:aws:sqs:" + REGIONS.get(i) + ":123456789012:" + queueName(models.get(i), "ReconcileQueue"));
        Map<QueueAttributeName, String> dlq = sqs.getQueueAttributes(r -> r.queueUrl(
            p.queueUrl("ReconcileDeadLetterQueue")).attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(dlq.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD)).isEqualTo("1209600");
        assertThat(dlq).doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
      }
    }
  }

  @Test
  @Order(3)
  void rulesHaveTheTemplatesPatternsAndOnlyQueueTargetsInMoto() throws Exception {
    for (int i = 0; i < REGIONS.size(); i++) {
      String region = REGIONS.get(i);
      String other = REGIONS.get(1 - i);
      ProvisionedRegion p = provisioned.get(i);
      try (EventBridgeClient events = moto().configure(EventBridgeClient.builder(), region).build()) {
        assertThat(p.busArns()).containsEntry("MeridianEventBus",
            "arn:aws:events:" + region + ":123456789012:event-bus/meridian");
        List<Rule> rules = events.listRules(r -> r.eventBusName("meridian")).rules();
        assertThat(rules).extracting(Rule::name).containsExactlyInAnyOrderElementsOf(
            models.get(i).rules().stream().map(RuleSpec::name).toList());
        for (RuleSpec spec : models.get(i).rules()) {
          Rule rule = rules.stream().filter(r -> r.name().equals(spec.name())).findFirst().orElseThrow();
          assertThat(JSON.readTree(rule.eventPattern())).isEqualTo(JSON.readTree(spec.eventPatternJson()));
        }
        String forward = ruleName(i, "ForwardToPeersRule");
        String queueRemote = ruleName(i, "QueueRemoteChangesRule");
        assertThat(JSON.readTree(events.describeRule(r -> r.name(queueRemote).eventBusName("meridian")).eventPattern())
            .at("/detail/originRegion/0/anything-but").asText()).isEqualTo(region);
        assertThat(events.listTargetsByRule(r -> r.rule(queueRemote).eventBusName("meridian")).targets())
            .singleElement().satisfies(t -> {
              assertThat(t.id()).isEqualTo("reconcile-queue");
              assertThat(t.arn()).isEqualTo(p.queueArns().get("ReconcileQueue"));
            });
        assertThat(events.listTargetsByRule(r -> r.rule(forward).eventBusName("meridian")).targets()).isEmpty();
        assertThat(p.forwardingTargets()).containsExactly(new ProvisionedRegion.ForwardingTarget(region, "meridian",
            "ForwardToPeersRule", forward, i == 0 ? "peer-2" : "peer-1", other, "meridian",
            "{\"source\":[\"meridian\"],\"detail\":{\"originRegion\":[\"" + region + "\"]}}"));
      }
    }
  }

  @Test
  @Order(4)
  void functionEnvironmentsCarryTheRealQueueUrl() {
    for (int i = 0; i < REGIONS.size(); i++) {
      ProvisionedRegion p = provisioned.get(i);
      assertThat(p.queueUrl("ReconcileQueue")).startsWith(moto().endpoint().toString());
      assertThat(p.functionEnvironment("HealthFunction")).containsEntry("RECONCILE_QUEUE_URL",
          p.queueUrl("ReconcileQueue"));
      assertThat(p.functionEnvironment("OrdersFunction")).containsEntry("PEER_REGIONS", REGIONS.get(1 - i))
          .containsEntry("TABLE_NAME", "meridian");
      assertThat(p.functionEnvironment("ReconcilerFunction")).containsEntry("RECONCILE_DEAD_LETTER_QUEUE_URL",
          p.queueUrl("ReconcileDeadLetterQueue"));
      assertThat(p.queueUrl("PublisherFailureQueue")).startsWith(moto().endpoint().toString());
      assertThat(p.functionEnvironments()).containsOnlyKeys("CatalogFunction", "OrdersFunction", "HealthFunction",
          "PublisherFunction", "ReconcilerFunction");
      // every region's replica has its own stream, with moto's real label (the publisher's event source)
      assertThat(p.tableStreamArn()).startsWith("arn:aws:dynamodb:" + REGIONS.get(i) + ":123456789012:table/meridian/stream/")
          .doesNotEndWith(LocalNames.PLACEHOLDER_STREAM_LABEL);
    }
  }

  @Test
  @Order(5)
  void onlyForeignEventsLandInTheReconcileQueueAndMotoDoesNotForward() {
    ProvisionedRegion us = provisioned.get(0);
    ProvisionedRegion eu = provisioned.get(1);
    try (EventBridgeClient events = moto().configure(EventBridgeClient.builder(), "us-east-1").build();
        SqsClient usSqs = moto().configure(SqsClient.builder(), "us-east-1").build();
        SqsClient euSqs = moto().configure(SqsClient.builder(), "eu-west-1").build()) {
      var response = events.putEvents(r -> r.entries(
          entry("{\"originRegion\":\"eu-west-1\",\"kind\":\"order\",\"id\":\"foreign\"}"),
          entry("{\"originRegion\":\"us-east-1\",\"kind\":\"order\",\"id\":\"local\"}")));
      assertThat(response.failedEntryCount()).isZero();

      List<Message> received = usSqs.receiveMessage(r -> r.queueUrl(us.queueUrl("ReconcileQueue"))
          .maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
      assertThat(received).singleElement().satisfies(m -> {
        JsonNode event = JSON.readTree(m.body());
        assertThat(event.at("/source").asText()).isEqualTo("meridian");
        assertThat(event.at("/detail/originRegion").asText()).isEqualTo("eu-west-1");
        assertThat(event.at("/detail/id").asText()).isEqualTo("foreign");
      });
      usSqs.deleteMessage(r -> r.queueUrl(us.queueUrl("ReconcileQueue"))
          .receiptHandle(received.get(0).receiptHandle()));
      assertThat(usSqs.receiveMessage(r -> r.queueUrl(us.queueUrl("ReconcileQueue")).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages()).isEmpty();
      // the us-east-1 event matched the forwarding rule, which has no target in moto: nothing reached eu-west-1
      assertThat(euSqs.receiveMessage(r -> r.queueUrl(eu.queueUrl("ReconcileQueue")).maxNumberOfMessages(10)
          .waitTimeSeconds(1)).messages()).isEmpty();
    }
  }

  @Test
  @Order(6)
  void provisioningAgainIsANoOp() {
    List<ProvisionedRegion> again = provisioner.provisionAll(models);

    assertThat(again).isEqualTo(provisioned);
    try (EventBridgeClient events = moto().configure(EventBridgeClient.builder(), "us-east-1").build();
        SqsClient sqs = moto().configure(SqsClient.builder(), "us-east-1").build()) {
      assertThat(events.listTargetsByRule(r -> r.rule(ruleName(0, "QueueRemoteChangesRule"))
          .eventBusName("meridian")).targets()).hasSize(1);
      // one queue per template queue, none created twice
      assertThat(sqs.listQueues().queueUrls()).hasSize(models.get(0).queues().size());
    }
  }

  private static String ruleName(int region, String logicalId) {
    return models.get(region).rules().stream().filter(r -> r.logicalId().equals(logicalId)).findFirst().orElseThrow()
        .name();
  }

  private static PutEventsRequestEntry entry(String detail) {
    return PutEventsRequestEntry.builder().eventBusName("meridian").source("meridian").detailType("meridian.change")
        .detail(detail).build();
  }
}
