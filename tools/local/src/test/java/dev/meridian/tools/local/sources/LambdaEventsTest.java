package dev.meridian.tools.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.DynamoDbJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The event JSON, compared as text: field order and value types matter to handlers' parsers. */
class LambdaEventsTest {

  private static final String STREAM_ARN =
      "arn:aws:dynamodb:eu-west-1:123456789012:table/meridian/stream/2026-01-01T00:00:00.000";

  @Test
  void sqsEventHasLambdasShape() {
    Map<MessageSystemAttributeName, String> attributes = new LinkedHashMap<>();
    attributes.put(MessageSystemAttributeName.SENDER_ID, "AIDAIT2UOQQY3AUEKVGXU");
    attributes.put(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP, "1545082649185");
    attributes.put(MessageSystemAttributeName.SENT_TIMESTAMP, "1545082649183");
    attributes.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
    Message plain = Message.builder().messageId("m-1").receiptHandle("rh-1").body("{\"a\":1}")
        .attributes(attributes).md5OfBody("md5-1").build();
    Message withAttributes = Message.builder().messageId("m-2").receiptHandle("rh-2").body("two")
        .attributes(attributes).md5OfBody("md5-2").md5OfMessageAttributes("md5-attrs")
        .messageAttributes(Map.of(
            "kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build()))
        .build();

    String json = LambdaEvents.string(LambdaEvents.sqsEvent(List.of(plain, withAttributes),
        "arn:aws:sqs:eu-west-1:123456789012:meridian-reconcile", "eu-west-1"));

    assertThat(json).isEqualTo("{\"Records\":["
        + "{\"messageId\":\"m-1\",\"receiptHandle\":\"rh-1\",\"body\":\"{\\\"a\\\":1}\","
        + "\"attributes\":{\"ApproximateReceiveCount\":\"1\",\"SentTimestamp\":\"1545082649183\","
        + "\"SenderId\":\"AIDAIT2UOQQY3AUEKVGXU\",\"ApproximateFirstReceiveTimestamp\":\"1545082649185\"},"
        + "\"messageAttributes\":{},\"md5OfBody\":\"md5-1\",\"eventSource\":\"aws:sqs\","
        + "\"eventSourceARN\":\"arn:aws:sqs:eu-west-1:123456789012:meridian-reconcile\",\"awsRegion\":\"eu-west-1\"},"
        + "{\"messageId\":\"m-2\",\"receiptHandle\":\"rh-2\",\"body\":\"two\","
        + "\"attributes\":{\"ApproximateReceiveCount\":\"1\",\"SentTimestamp\":\"1545082649183\","
        + "\"SenderId\":\"AIDAIT2UOQQY3AUEKVGXU\",\"ApproximateFirstReceiveTimestamp\":\"1545082649185\"},"
        + "\"messageAttributes\":{\"kind\":{\"stringValue\":\"order\",\"stringListValues\":[],"
        + "\"binaryListValues\":[],\"dataType\":\"String\"}},"
        + "\"md5OfBody\":\"md5-2\",\"md5OfMessageAttributes\":\"md5-attrs\",\"eventSource\":\"aws:sqs\","
        + "\"eventSourceARN\":\"arn:aws:sqs:eu-west-1:123456789012:meridian-reconcile\",\"awsRegion\":\"eu-west-1\"}]}");
  }

  @Test
  void dynamoDbEventTakesTheRegionFromTheStreamArn() {
    Record modify = Record.builder()
        .eventID("e-1").eventName(OperationType.MODIFY).eventVersion("1.0").eventSource("aws:dynamodb")
        .awsRegion("us-east-1") // what moto says, whatever the table's region
        .dynamodb(d -> d.approximateCreationDateTime(Instant.ofEpochMilli(1_767_225_600_750L))
            .keys(ordered("pk", AttributeValue.fromS("p-1"), "sk", AttributeValue.fromS("#")))
            .newImage(ordered("pk", AttributeValue.fromS("p-1"), "qty", AttributeValue.fromN("2")))
            .oldImage(ordered("pk", AttributeValue.fromS("p-1"), "qty", AttributeValue.fromN("1")))
            .sequenceNumber("1100000000017454423010").sizeBytes(59L)
            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
        .build();
    Record remove = Record.builder()
        .eventID("e-2").eventName(OperationType.REMOVE).awsRegion("us-east-1")
        .dynamodb(d -> d.approximateCreationDateTime(Instant.ofEpochSecond(1_767_225_601))
            .keys(ordered("pk", AttributeValue.fromS("p-1")))
            .oldImage(ordered("pk", AttributeValue.fromS("p-1")))
            .sequenceNumber("1100000000017454423011").sizeBytes(20L)
            .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES))
        .build();

    String json = LambdaEvents.string(LambdaEvents.dynamoDbEvent(List.of(modify, remove), STREAM_ARN));

    assertThat(json).isEqualTo("{\"Records\":["
        + "{\"eventID\":\"e-1\",\"eventName\":\"MODIFY\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
        + "\"awsRegion\":\"eu-west-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1767225600,"
        + "\"Keys\":{\"pk\":{\"S\":\"p-1\"},\"sk\":{\"S\":\"#\"}},"
        + "\"NewImage\":{\"pk\":{\"S\":\"p-1\"},\"qty\":{\"N\":\"2\"}},"
        + "\"OldImage\":{\"pk\":{\"S\":\"p-1\"},\"qty\":{\"N\":\"1\"}},"
        + "\"SequenceNumber\":\"1100000000017454423010\",\"SizeBytes\":59,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
        + "\"eventSourceARN\":\"" + STREAM_ARN + "\"},"
        + "{\"eventID\":\"e-2\",\"eventName\":\"REMOVE\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\","
        + "\"awsRegion\":\"eu-west-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1767225601,"
        + "\"Keys\":{\"pk\":{\"S\":\"p-1\"}},\"OldImage\":{\"pk\":{\"S\":\"p-1\"}},"
        + "\"SequenceNumber\":\"1100000000017454423011\",\"SizeBytes\":20,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
        + "\"eventSourceARN\":\"" + STREAM_ARN + "\"}]}");
  }

  @Test
  void everyAttributeTypeInDynamoDbJson() {
    Map<String, AttributeValue> item = ordered(
        "s", AttributeValue.fromS("x"),
        "n", AttributeValue.fromN("1.5"),
        "b", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
        "ss", AttributeValue.fromSs(List.of("a", "b")),
        "ns", AttributeValue.fromNs(List.of("1", "2")),
        "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("hi"))),
        "m", AttributeValue.fromM(ordered("inner", AttributeValue.fromBool(false))),
        "l", AttributeValue.fromL(List.of(AttributeValue.fromS("y"), AttributeValue.fromN("2"))),
        "bool", AttributeValue.fromBool(true),
        "null", AttributeValue.fromNul(true));

    // Attributes in name order: the same item always writes the same bytes.
    assertThat(LambdaEvents.string(DynamoDbJson.item(item))).isEqualTo("{"
        + "\"b\":{\"B\":\"aGk=\"},\"bool\":{\"BOOL\":true},\"bs\":{\"BS\":[\"aGk=\"]},"
        + "\"l\":{\"L\":[{\"S\":\"y\"},{\"N\":\"2\"}]},\"m\":{\"M\":{\"inner\":{\"BOOL\":false}}},"
        + "\"n\":{\"N\":\"1.5\"},\"ns\":{\"NS\":[\"1\",\"2\"]},\"null\":{\"NULL\":true},"
        + "\"s\":{\"S\":\"x\"},\"ss\":{\"SS\":[\"a\",\"b\"]}}");
  }

  @Test
  void onFailureRecordPointsAtTheBatch() {
    Record first = Record.builder().dynamodb(d -> d.sequenceNumber("100")
        .approximateCreationDateTime(Instant.parse("2026-01-01T00:00:01.900Z"))).build();
    Record last = Record.builder().dynamodb(d -> d.sequenceNumber("102")
        .approximateCreationDateTime(Instant.parse("2026-01-01T00:00:03Z"))).build();

    String json = LambdaEvents.string(LambdaEvents.streamFailureRecord("req-1",
        "arn:aws:lambda:eu-west-1:123456789012:function:ReconcilerFunction", 2, true, List.of(first, last),
        "shardId-1", STREAM_ARN, Instant.parse("2026-01-01T00:00:05.021Z")));

    assertThat(json).isEqualTo("{\"requestContext\":{\"requestId\":\"req-1\","
        + "\"functionArn\":\"arn:aws:lambda:eu-west-1:123456789012:function:ReconcilerFunction\","
        + "\"condition\":\"RetryAttemptsExhausted\",\"approximateInvokeCount\":2},"
        + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"},"
        + "\"version\":\"1.0\",\"timestamp\":\"2026-01-01T00:00:05.021Z\","
        + "\"DDBStreamBatchInfo\":{\"shardId\":\"shardId-1\",\"startSequenceNumber\":\"100\","
        + "\"endSequenceNumber\":\"102\",\"approximateArrivalOfFirstRecord\":\"2026-01-01T00:00:01Z\","
        + "\"approximateArrivalOfLastRecord\":\"2026-01-01T00:00:03Z\",\"batchSize\":2,"
        + "\"streamArn\":\"" + STREAM_ARN + "\"}}");
  }

  @Test
  void scheduledEvent() {
    String json = LambdaEvents.string(LambdaEvents.scheduledEvent("id-1", Instant.parse("2026-01-01T00:01:00.400Z"),
        "ap-southeast-2", "123456789012", "arn:aws:events:ap-southeast-2:123456789012:rule/HealthFunctionHeartbeat"));

    assertThat(json).isEqualTo("{\"version\":\"0\",\"id\":\"id-1\",\"detail-type\":\"Scheduled Event\","
        + "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\"2026-01-01T00:01:00Z\","
        + "\"region\":\"ap-southeast-2\","
        + "\"resources\":[\"arn:aws:events:ap-southeast-2:123456789012:rule/HealthFunctionHeartbeat\"],\"detail\":{}}");
  }

  private static Map<String, AttributeValue> ordered(Object... pairs) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      item.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
    }
    return item;
  }
}
