package dev.meridian.tools.local.sources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.testkit.DynamoDbJson;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The JSON documents Lambda hands to functions, and the on-failure record it sends for stream
 * batches, byte for byte in the shapes AWS produces (field order included).
 */
public final class LambdaEvents {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Lambda's order of the SQS system attributes it always requests; others follow, sorted. */
  private static final List<String> SQS_ATTRIBUTE_ORDER = List.of(
      "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private LambdaEvents() {}

  // --- SQS ---------------------------------------------------------------------------------

  /**
   * The SQS event: {@code {"Records":[{messageId, receiptHandle, body, attributes,
   * messageAttributes, md5OfBody, [md5OfMessageAttributes,] eventSource, eventSourceARN,
   * awsRegion}]}}.
   */
  public static ObjectNode sqsEvent(List<Message> messages, String queueArn, String region) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : messages) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      Map<String, String> raw = new TreeMap<>(m.attributesAsStrings());
      for (String name : SQS_ATTRIBUTE_ORDER) {
        String value = raw.remove(name);
        if (value != null) {
          attributes.put(name, value);
        }
      }
      raw.forEach(attributes::put);
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      m.messageAttributes().forEach((name, value) -> messageAttributes.set(name, messageAttribute(value)));
      r.put("md5OfBody", m.md5OfBody());
      if (m.hasMessageAttributes() && !m.messageAttributes().isEmpty()) {
        r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
      }
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", region);
    }
    return event;
  }

  private static ObjectNode messageAttribute(MessageAttributeValue value) {
    ObjectNode a = JSON.createObjectNode();
    if (value.stringValue() != null) {
      a.put("stringValue", value.stringValue());
    }
    if (value.binaryValue() != null) {
      a.put("binaryValue", DynamoDbJson.base64(value.binaryValue()));
    }
    ArrayNode strings = a.putArray("stringListValues");
    value.stringListValues().forEach(strings::add);
    ArrayNode binaries = a.putArray("binaryListValues");
    value.binaryListValues().forEach(b -> binaries.add(DynamoDbJson.base64(b)));
    a.put("dataType", value.dataType());
    return a;
  }

  // --- DynamoDB Streams ----------------------------------------------------------------------

  /**
   * The DynamoDB Streams event: {@code {"Records":[{eventID, eventName, eventVersion "1.1",
   * eventSource "aws:dynamodb", awsRegion, dynamodb{ApproximateCreationDateTime, Keys, NewImage,
   * OldImage, SequenceNumber, SizeBytes, StreamViewType}, eventSourceARN}]}}. {@code awsRegion} is
   * the stream's region (moto's records always say us-east-1); images absent from the record are
   * absent here too.
   */
  public static ObjectNode dynamoDbEvent(List<Record> records, String streamArn) {
    String region = Arns.region(streamArn);
    ObjectNode event = JSON.createObjectNode();
    ArrayNode out = event.putArray("Records");
    for (Record record : records) {
      ObjectNode r = out.addObject();
      r.put("eventID", record.eventID());
      r.put("eventName", record.eventNameAsString());
      r.put("eventVersion", "1.1");
      r.put("eventSource", "aws:dynamodb");
      r.put("awsRegion", region);
      StreamRecord s = record.dynamodb();
      ObjectNode d = r.putObject("dynamodb");
      if (s.approximateCreationDateTime() != null) {
        // Epoch seconds, rounded down, as a JSON number (what Lambda sends).
        d.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
      }
      if (s.hasKeys()) {
        d.set("Keys", DynamoDbJson.item(s.keys()));
      }
      if (s.hasNewImage()) {
        d.set("NewImage", DynamoDbJson.item(s.newImage()));
      }
      if (s.hasOldImage()) {
        d.set("OldImage", DynamoDbJson.item(s.oldImage()));
      }
      d.put("SequenceNumber", s.sequenceNumber());
      if (s.sizeBytes() != null) {
        d.put("SizeBytes", s.sizeBytes());
      }
      d.put("StreamViewType", s.streamViewTypeAsString());
      if (record.userIdentity() != null) { // TTL deletions
        ObjectNode identity = r.putObject("userIdentity");
        identity.put("type", record.userIdentity().type());
        identity.put("principalId", record.userIdentity().principalId());
      }
      r.put("eventSourceARN", streamArn);
    }
    return event;
  }

  /**
   * The record Lambda sends to a stream mapping's on-failure destination when a batch exhausted
   * its retries: {@code requestContext}, {@code responseContext}, {@code version}, {@code
   * timestamp} and {@code DDBStreamBatchInfo} (which points at the records; it does not contain
   * them).
   *
   * @param functionError whether the last attempt ended in a function error ({@code
   *                      "Unhandled"}); false when it returned a partial batch failure
   */
  public static ObjectNode streamFailureRecord(String requestId, String functionArn, int invokeCount,
      boolean functionError, List<Record> records, String shardId, String streamArn, Instant now) {
    ObjectNode r = JSON.createObjectNode();
    ObjectNode request = r.putObject("requestContext");
    request.put("requestId", requestId);
    request.put("functionArn", functionArn);
    request.put("condition", "RetryAttemptsExhausted");
    request.put("approximateInvokeCount", invokeCount);
    ObjectNode response = r.putObject("responseContext");
    response.put("statusCode", 200);
    response.put("executedVersion", "$LATEST");
    if (functionError) {
      response.put("functionError", "Unhandled");
    } else {
      response.putNull("functionError");
    }
    r.put("version", "1.0");
    r.put("timestamp", MILLIS.format(now));
    ObjectNode info = r.putObject("DDBStreamBatchInfo");
    StreamRecord first = records.get(0).dynamodb();
    StreamRecord last = records.get(records.size() - 1).dynamodb();
    info.put("shardId", shardId);
    info.put("startSequenceNumber", first.sequenceNumber());
    info.put("endSequenceNumber", last.sequenceNumber());
    info.put("approximateArrivalOfFirstRecord", arrival(first));
    info.put("approximateArrivalOfLastRecord", arrival(last));
    info.put("batchSize", records.size());
    info.put("streamArn", streamArn);
    return r;
  }

  private static String arrival(StreamRecord record) {
    Instant created = record.approximateCreationDateTime();
    return created == null ? null : SECONDS.format(created.truncatedTo(ChronoUnit.SECONDS));
  }

  // --- EventBridge schedules -----------------------------------------------------------------

  /**
   * The Scheduled Event: {@code {"version":"0","id","detail-type":"Scheduled Event","source":
   * "aws.events","account","time","region","resources":[ruleArn],"detail":{}}}.
   */
  public static ObjectNode scheduledEvent(String id, Instant time, String region, String account, String ruleArn) {
    ObjectNode e = JSON.createObjectNode();
    e.put("version", "0");
    e.put("id", id);
    e.put("detail-type", "Scheduled Event");
    e.put("source", "aws.events");
    e.put("account", account);
    e.put("time", SECONDS.format(time.truncatedTo(ChronoUnit.SECONDS)));
    e.put("region", region);
    e.putArray("resources").add(ruleArn);
    e.putObject("detail");
    return e;
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Compact UTF-8 JSON. */
  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON text. */
  public static String string(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String functionArn(String region, String account, String functionLogicalId) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + functionLogicalId;
  }

}
