package dev.meridian.function.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.adapter.messaging.eventbridge.EventBridgeChangePublisher;
import dev.meridian.adapter.messaging.events.ChangeEventJson;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.bootstrap.publisher.PublisherWiring;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.DynamoDbJson;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The publisher handler class as Lambda invokes it (a DynamoDB stream batch in, a partial batch
 * response out) against the emulator (moto by default)'s EventBridge: a rule on the bus copies what was published to a
 * queue the test reads, so the events asserted are the events the bus accepted.
 */
@ExtendWith(EmulatorExtension.class)
class PublisherHandlerIT {
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String US = "us-east-1";

  private DynamoDbClient dynamoDb;
  private String table;
  private String bus;
  private SqsClient sqs;
  private String published;
  private PublisherHandler handler;
  private ApiWiring us;

  @BeforeEach
  void stack(Emulator emulator) {
    int run = RUN.incrementAndGet();
    table = "meridian-publisher-" + run;
    bus = "meridian-bus-" + run;
    dynamoDb = emulator.dynamoDb(US);
    dynamoDb.createTable(TableDesign.createTableRequest(table));
    EventBridgeClient eventBridge = emulator.configure(EventBridgeClient.builder(), US).build();
    eventBridge.createEventBus(b -> b.name(bus));
    sqs = emulator.configure(SqsClient.builder(), US).build();
    published = sqs.createQueue(b -> b.queueName("published-" + run)).queueUrl();
    String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(published).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    eventBridge.putRule(b -> b.name("all-meridian").eventBusName(bus).eventPattern("{\"source\":[\"meridian\"]}"));
    eventBridge.putTargets(b -> b.rule("all-meridian").eventBusName(bus).targets(Target.builder().id("q").arn(queueArn).build()));
    Map<String, String> env = new HashMap<>();
    env.put(MeridianConfig.AWS_REGION, US);
    env.put(MeridianConfig.TABLE_NAME, table);
    env.put(MeridianConfig.EVENT_BUS_NAME, bus);
    env.put(MeridianConfig.PEER_REGIONS, "eu-west-1");
    Metrics metrics = MetricsFactory.getMetricsInstance();
    metrics.setNamespace("MeridianTest"); // Lambda gets it from POWERTOOLS_METRICS_NAMESPACE (template Globals)
    handler = new PublisherHandler(PublisherWiring.of(env, new EventBridgeChangePublisher(eventBridge, bus), metrics));
    us = ApiWiring.of(env, dynamoDb, Clock.systemUTC());
  }

  private Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    return dynamoDb.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build()).item();
  }

  private static ObjectNode record(String sequence, String eventName, Map<String, AttributeValue> item) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventID", "e-" + sequence);
    record.put("eventName", eventName);
    record.put("eventSource", "aws:dynamodb");
    record.put("awsRegion", US);
    ObjectNode dynamodb = record.putObject("dynamodb");
    dynamodb.put("SequenceNumber", sequence);
    dynamodb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    if (item != null) {
      dynamodb.set("NewImage", DynamoDbJson.item(item));
    }
    return record;
  }

  private JsonNode invoke(List<ObjectNode> records) throws Exception {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode array = event.putArray("Records");
    records.forEach(array::add);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8));
  }

  private List<JsonNode> publishedEvents() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(published).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
      for (Message m : batch) {
        events.add(JSON.readTree(m.body()));
      }
      if (batch.isEmpty() && !events.isEmpty()) {
        break;
      }
    }
    return events;
  }

  @Test
  void publishesThisRegionsWritesOnceEachAndSkipsReplicatedAndUnpublishedItems() throws Exception {
    ProductId cup = ProductId.of("cup");
    us.catalog().upsert(new UpsertProduct(cup, "Cup", "", Money.of(450, "EUR"), true), new CatalogService.IfAbsent());
    us.catalog().restock(cup, 7);
    Map<String, AttributeValue> product = item(Items.productKey(cup));
    Map<String, AttributeValue> allocation = item(Items.shardKey(cup, US, StockAllocation.HEAD));
    Map<String, AttributeValue> replicated = new HashMap<>(product);
    replicated.put(TableDesign.ORIGIN_REGION, AttributeValue.fromS("eu-west-1"));
    Map<String, AttributeValue> heartbeat = Map.of("pk", AttributeValue.fromS("HEARTBEAT"), "sk", AttributeValue.fromS(US),
        "entity", AttributeValue.fromS("heartbeat"), "originRegion", AttributeValue.fromS(US));

    JsonNode response = invoke(List.of(record("100", "INSERT", product), record("101", "MODIFY", allocation),
        record("102", "MODIFY", replicated), record("103", "INSERT", heartbeat), record("104", "REMOVE", null)));

    assertThat(response.get("batchItemFailures")).isEmpty();
    List<JsonNode> events = publishedEvents();
    assertThat(events).extracting(e -> e.get("detail-type").asText())
        .containsExactlyInAnyOrder("ProductChanged", "AllocationChanged");
    JsonNode productEvent = events.stream().filter(e -> e.get("detail-type").asText().equals("ProductChanged")).findFirst().orElseThrow();
    assertThat(productEvent.get("source").asText()).isEqualTo("meridian");
    assertThat(productEvent.at("/detail/originRegion").asText()).isEqualTo(US);
    assertThat(productEvent.at("/detail/eventId").asText()).isEqualTo("us-east-1/product/cup/1");
    ChangeEvent decoded = ChangeEventJson.fromEventBridgeEvent(JSON.writeValueAsString(productEvent));
    assertThat(((Change.ProductChange) decoded.change()).product()).isEqualTo(Items.product(product));
  }

  @Test
  void aRecordWhoseImageDoesNotDecodeIsFailedForLambdaToRetryAndTheRestIsPublished() throws Exception {
    ProductId cup = ProductId.of("cup");
    us.catalog().upsert(new UpsertProduct(cup, "Cup", "", Money.of(450, "EUR"), true), new CatalogService.IfAbsent());
    Map<String, AttributeValue> product = item(Items.productKey(cup));
    Map<String, AttributeValue> corrupt = new HashMap<>(product);
    corrupt.remove("price");

    JsonNode response = invoke(List.of(record("200", "MODIFY", product), record("201", "MODIFY", corrupt)));

    assertThat(response.get("batchItemFailures")).extracting(f -> f.get("itemIdentifier").asText()).containsExactly("201");
    assertThat(publishedEvents()).extracting(e -> e.at("/detail/key").asText()).containsExactly("cup");
  }
}
