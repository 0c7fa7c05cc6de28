package dev.meridian.function.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.adapter.messaging.sqs.SqsDeadLetters;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.bootstrap.reconciler.ReconcilerWiring;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The reconciler handler class as Lambda invokes it (an SQS event in, a partial batch response
 * out) against the emulator (moto by default): the local replica in us-east-1, events from eu-west-1's replica, the
 * dead-letter queue a real SQS queue.
 */
@ExtendWith(EmulatorExtension.class)
class ReconcilerHandlerIT {
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final CustomerId ALICE = new CustomerId("alice");

  private String table;
  private DynamoDbClient usDb;
  private ApiWiring eu;
  private DynamoDbClient euDb;
  private SqsClient sqs;
  private String deadLetters;
  private ReconcilerHandler handler;

  @BeforeEach
  void stack(Emulator emulator) {
    int run = RUN.incrementAndGet();
    table = "meridian-reconciler-" + run;
    usDb = emulator.dynamoDb(US);
    euDb = emulator.dynamoDb(EU);
    usDb.createTable(TableDesign.createTableRequest(table));
    euDb.createTable(TableDesign.createTableRequest(table));
    sqs = emulator.configure(SqsClient.builder(), US).build();
    deadLetters = sqs.createQueue(b -> b.queueName("reconcile-dlq-" + run)).queueUrl();
    Metrics metrics = MetricsFactory.getMetricsInstance();
    metrics.setNamespace("MeridianTest"); // Lambda gets it from POWERTOOLS_METRICS_NAMESPACE (template Globals)
    handler = new ReconcilerHandler(ReconcilerWiring.of(environment(US, Map.of(MeridianConfig.RECONCILE_DEAD_LETTER_QUEUE_URL,
        deadLetters)), usDb, sqs, metrics, Clock.systemUTC()));
    eu = ApiWiring.of(environment(EU, Map.of()), euDb, Clock.systemUTC());
  }

  private Map<String, String> environment(String region, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put(MeridianConfig.AWS_REGION, region);
    env.put(MeridianConfig.TABLE_NAME, table);
    env.put(MeridianConfig.PEER_REGIONS, US + "," + EU);
    return env;
  }

  /** eu-west-1's change event for an item, as the queue rule delivers it (the whole EventBridge event). */
  private String queuedEvent(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key) {
    var item = euDb.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build()).item();
    StoredChange stored = StoredChanges.of("1", item).orElseThrow();
    ChangeEvent event = ChangeEvent.of(stored.originRegion(), stored.version(),
        stored.change().latestStamp().orElseGet(() -> eu.clock().now()), stored.change());
    ObjectNode wrapper = JSON.createObjectNode();
    wrapper.put("version", "0");
    wrapper.put("id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    wrapper.put("detail-type", ChangeEventJson.detailType(event));
    wrapper.put("source", "meridian");
    wrapper.put("account", "123456789012");
    wrapper.put("time", "2026-11-26T08:00:00Z");
    wrapper.put("region", US);
    wrapper.putArray("resources");
    try {
      wrapper.set("detail", JSON.readTree(ChangeEventJson.detail(event)));
      return JSON.writeValueAsString(wrapper);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode invoke(List<String> bodies) throws Exception {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (int i = 0; i < bodies.size(); i++) {
      ObjectNode record = records.addObject();
      record.put("messageId", "m-" + i);
      record.put("receiptHandle", "r-" + i);
      record.put("body", bodies.get(i));
      record.put("eventSource", "aws:sqs");
      record.put("awsRegion", US);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }

  private OrderId placeInEu(String key) {
    eu.catalog().upsert(new UpsertProduct(ProductId.of("cup"), "Cup", "", Money.of(450, "EUR"), true),
        new CatalogService.IfAbsent());
    eu.catalog().restock(ProductId.of("cup"), 5);
    OrderService.PlaceOutcome placed = eu.orders().place(
        new PlaceOrder(ALICE, new IdempotencyKey(key), List.of(new PlaceOrder.Line("cup", 2))));
    return ((OrderService.Placed) placed).order().id();
  }

  @Test
  void aRemoteOrderIsAppliedAndTheSameEventAgainChangesNothing() throws Exception {
    OrderId id = placeInEu("k-1");
    String body = queuedEvent(Items.orderKey(id));

    JsonNode response = invoke(List.of(body, body));
    assertThat(response.get("batchItemFailures")).isEmpty();
    var stored = usDb.getItem(GetItemRequest.builder().tableName(table).key(Items.orderKey(id)).build()).item();
    assertThat(stored).isNotEmpty();
    assertThat(stored.get("originRegion").s()).as("a copy keeps its origin, so it is not published again").isEqualTo(EU);
    assertThat(Items.order(stored)).as("the order item only: " + EU + "'s hold is an item of its own, with its own event")
        .isEqualTo(eu.orders().get(id, ALICE).orElseThrow().value().itemState());
  }

  @Test
  void malformedEventsAreDeadLetteredWithTheirReasonAndNeverFailTheRestOfTheBatch() throws Exception {
    OrderId id = placeInEu("k-2");
    String good = queuedEvent(Items.orderKey(id));
    ObjectNode futureVersion = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) futureVersion.get("detail")).put("schemaVersion", 2);
    ObjectNode unknownEntity = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) unknownEntity.get("detail")).put("entity", "invoice");
    ObjectNode fromHere = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) fromHere.get("detail")).put("originRegion", US);
    ObjectNode unknownField = (ObjectNode) JSON.readTree(good);
    ((ObjectNode) unknownField.get("detail")).put("addedByANewerPublisher", true);

    JsonNode response = invoke(List.of("not json", JSON.writeValueAsString(futureVersion), good,
        JSON.writeValueAsString(unknownEntity), JSON.writeValueAsString(fromHere), JSON.writeValueAsString(unknownField)));

    assertThat(response.get("batchItemFailures")).as("rejected events are dead-lettered, not retried").isEmpty();
    assertThat(usDb.getItem(GetItemRequest.builder().tableName(table).key(Items.orderKey(id)).build()).item())
        .as("the good event and the one with an unknown field were applied").isNotEmpty();
    List<Message> dead = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(deadLetters)
        .maxNumberOfMessages(10).messageAttributeNames("All").build()).messages();
    assertThat(dead).hasSize(4);
    assertThat(dead).extracting(m -> m.messageAttributes().get(SqsDeadLetters.REASON_ATTRIBUTE).stringValue())
        .anySatisfy(r -> assertThat(r).contains("not JSON"))
        .anySatisfy(r -> assertThat(r).contains("schemaVersion 2 is not supported"))
        .anySatisfy(r -> assertThat(r).contains("entity invoice"))
        .anySatisfy(r -> assertThat(r).contains("originated in this region"));
  }

  /**
   * Forged events: well-formed change events that this deployment's forwarding cannot have
   * produced. One claims a region that is no configured peer, one was put on a bus of another
   * account. Both are dead-lettered with the reason and never merged; a genuine event in the same
   * batch is applied.
   */
  @Test
  void eventsFromAnUnconfiguredRegionOrAnotherAccountAreDeadLetteredAndNeverApplied() throws Exception {
    OrderId forgedFromElsewhere = placeInEu("k-forged-region");
    ObjectNode unknownRegion = (ObjectNode) JSON.readTree(queuedEvent(Items.orderKey(forgedFromElsewhere)));
    ((ObjectNode) unknownRegion.get("detail")).put("originRegion", "ap-northeast-1");
    OrderId forgedFromAnotherAccount = placeInEu("k-forged-account");
    ObjectNode otherAccount = (ObjectNode) JSON.readTree(queuedEvent(Items.orderKey(forgedFromAnotherAccount)));
    otherAccount.put("account", "210987654321");
    OrderId genuine = placeInEu("k-genuine");

    JsonNode response = invoke(List.of(JSON.writeValueAsString(unknownRegion), JSON.writeValueAsString(otherAccount),
        queuedEvent(Items.orderKey(genuine))));

    assertThat(response.get("batchItemFailures")).as("refused events are dead-lettered, not retried").isEmpty();
    for (OrderId forged : List.of(forgedFromElsewhere, forgedFromAnotherAccount)) {
      assertThat(usDb.getItem(GetItemRequest.builder().tableName(table).key(Items.orderKey(forged)).consistentRead(true)
          .build()).item()).as("a forged event is never merged: " + forged).isEmpty();
    }
    assertThat(usDb.getItem(GetItemRequest.builder().tableName(table).key(Items.orderKey(genuine)).consistentRead(true)
        .build()).item()).as("the genuine event of the same batch is applied").isNotEmpty();
    List<Message> dead = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(deadLetters)
        .maxNumberOfMessages(10).messageAttributeNames("All").build()).messages();
    assertThat(dead).extracting(m -> m.messageAttributes().get(SqsDeadLetters.REASON_ATTRIBUTE).stringValue())
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).contains("originRegion ap-northeast-1 is not a configured peer"))
        .anySatisfy(r -> assertThat(r).contains("account 210987654321 is not this deployment's account"));
  }

  @Test
  void theScheduleConfirmsPendingOrdersThatLocalUnitsNowCover() throws Exception {
    placeInEu("k-3"); // creates the product and eu-west-1's 5 units
    ApiWiring us = ApiWiring.of(environment(US, Map.of()), usDb, Clock.systemUTC());
    for (var key : List.of(Items.productKey(ProductId.of("cup")), Items.shardKey(ProductId.of("cup"), EU, StockAllocation.HEAD))) {
      usDb.putItem(b -> b.tableName(table).item(euDb.getItem(g -> g.tableName(table).key(key)).item()));
    }
    OrderService.PlaceOutcome pending = us.orders().place(
        new PlaceOrder(ALICE, new IdempotencyKey("k-pending"), List.of(new PlaceOrder.Line("cup", 2))));
    assertThat(pending).isInstanceOf(OrderService.PendingStock.class);
    ObjectNode schedule = JSON.createObjectNode();
    schedule.put("source", "aws.events");
    schedule.put("detail-type", "Scheduled Event");
    schedule.putObject("detail");

    assertThat(sweep(schedule).get("stillPending").asInt()).isEqualTo(1);
    us.catalog().restock(ProductId.of("cup"), 2);
    JsonNode settled = sweep(schedule);
    assertThat(settled.get("confirmed").asInt()).isEqualTo(1);
    assertThat(us.orders().get(((OrderService.PendingStock) pending).order().id(), ALICE).orElseThrow().value()
        .currentStatus()).isEqualTo(dev.meridian.domain.order.OrderStatus.PLACED);
  }

  private JsonNode sweep(ObjectNode schedule) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(schedule)), out, null);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }
}
