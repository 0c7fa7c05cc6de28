package dev.meridian.adapter.messaging.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.DynamoDbHeartbeatRepository;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.application.health.Heartbeat;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.DynamoDbJson;
import dev.meridian.testkit.SampleEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The change-event sample files of {@code events/}, built from domain objects with the
 * production codecs ({@link ChangeEventJson}, {@link Items}), so each file is exactly what the
 * code emits. {@link ChangeEventSamplesTest} compares the files with {@link #files()} and
 * rewrites them when run with {@code -Dmeridian.events.regenerate=true}.
 *
 * <p>The story (times from 2025-11-26T12:00:00Z): {@value #ORIGIN} creates and reprices the
 * {@code cup}, whose 100 units there are split over two shards (a hot product); {@code alice}
 * places an order there, its hold taking the cups from shard 1, and, during a failover, retries
 * the same Idempotency-Key in {@value #RECEIVER}, so both regions hold units; {@value #ORIGIN}
 * merges {@value #RECEIVER}'s order and hold (a recorded {@code earliest-reservation-stands}
 * conflict on the order); {@value #RECEIVER} releases its own hold; {@value #ORIGIN} gives 20 cups
 * from its head shard to {@value #RECEIVER}. The reconciler samples are {@value #ORIGIN}'s changes
 * as {@value #RECEIVER}'s reconcile queue delivers them; the publisher sample is part of
 * {@value #ORIGIN}'s table stream.
 */
public final class SampleChangeEvents {
  public static final String ORIGIN = "us-east-1";
  public static final String RECEIVER = "eu-west-1";
  public static final String ACCOUNT = "123456789012";
  public static final String TABLE = "meridian";
  static final String RECONCILE_QUEUE = "meridian-ReconcileQueue-7Q2X9K4M1B3N";
  static final String STREAM_LABEL = "2025-11-26T00:00:00.000";
  /** 2025-11-26T12:00:00Z. */
  static final long START_MILLIS = 1_764_158_400_000L;
  static final ProductId CUP = ProductId.of("cup");
  static final ProductId MUG = ProductId.of("mug");
  /** The cup shard the origin's placement takes from: not the head, so the samples show both kinds. */
  static final int PLACEMENT_SHARD = 1;

  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * The states of the story, in the order they were written.
   *
   * @param mergedInOrigin     the order as {@value #ORIGIN} sees it after the merge, both regions' holds included
   * @param releasedInReceiver the order as {@value #RECEIVER} sees it once it released its hold
   * @param cupGiven           {@value #ORIGIN}'s cup stock after the gift
   */
  public record Story(Product productCreated, Product productRepriced, OrderPlacement.Reserved placedInOrigin,
      OrderPlacement.Reserved placedInReceiver, Order mergedInOrigin, Order releasedInReceiver, RegionStock cupGiven,
      HlcStamp allocationPublishedAt, Heartbeat originHeartbeat) {

    public OrderId orderId() {
      return placedInOrigin.order().id();
    }

    /** {@value #ORIGIN}'s hold of the order: the one that stands. */
    public Reservation originHold() {
      return placedInOrigin.order().reservations().get(ORIGIN);
    }

    /** {@value #RECEIVER}'s hold of the order, released. */
    public Reservation receiverHoldReleased() {
      return releasedInReceiver.reservations().get(RECEIVER);
    }

    /** {@value #ORIGIN}'s cup stock as the placement read it. */
    public RegionStock cupBeforePlacement() {
      return placedInOrigin.before().get(CUP);
    }

    /** {@value #ORIGIN}'s cup stock with the order's units held. */
    public RegionStock cupHeld() {
      return placedInOrigin.after().get(CUP);
    }
  }

  private SampleChangeEvents() {}

  public static Story story() {
    AtomicLong wall = new AtomicLong(START_MILLIS);
    HybridLogicalClock origin = new HybridLogicalClock(ORIGIN, wall::get, HybridLogicalClock.DEFAULT_MAX_SKEW);
    HybridLogicalClock receiver = new HybridLogicalClock(RECEIVER, wall::get, HybridLogicalClock.DEFAULT_MAX_SKEW);

    Product created = Product.create(new UpsertProduct(CUP, "Cup", "Porcelain cup, 200 ml", Money.of(400, "EUR"), true),
        origin.now());
    wall.addAndGet(Duration.ofMinutes(5).toMillis());
    Product repriced = created.apply(new UpsertProduct(CUP, "Cup", "Porcelain cup, 200 ml", Money.of(450, "EUR"), true),
        origin.after(created.latestStamp()));
    Product mugProduct = Product.create(new UpsertProduct(MUG, "Mug", "Stoneware mug, 350 ml", Money.of(800, "EUR"), true),
        origin.now());
    Map<ProductId, Product> catalog = Map.of(CUP, repriced, MUG, mugProduct);

    // Restocked, then resharded: the head moves half of its units to shard 1 (movedOut, movedIn).
    RegionStock cupStock = RegionStock.empty(CUP, ORIGIN).restock(100).reshard(2);
    PlaceOrder place = new PlaceOrder(new CustomerId("alice"), new IdempotencyKey("3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"),
        List.of(new PlaceOrder.Line("cup", 2), new PlaceOrder.Line("mug", 1)));
    wall.addAndGet(Duration.ofMinutes(5).toMillis());
    OrderPlacement.Reserved inOrigin = (OrderPlacement.Reserved) OrderPlacement.decide(place, catalog,
        Map.of(CUP, cupStock, MUG, RegionStock.empty(MUG, ORIGIN).restock(50)), Map.of(), ORIGIN, origin.now(),
        () -> PLACEMENT_SHARD);
    wall.addAndGet(2_000);
    OrderPlacement.Reserved inReceiver = (OrderPlacement.Reserved) OrderPlacement.decide(place, catalog,
        Map.of(CUP, RegionStock.empty(CUP, RECEIVER).restock(10), MUG, RegionStock.empty(MUG, RECEIVER).restock(10)),
        Map.of(), RECEIVER, receiver.now(), () -> 0);
    wall.addAndGet(1_500);
    // The origin has the receiver's order item and hold: two holds for one body, the earlier stands.
    Order merged = inOrigin.order().reconcile(inReceiver.order());
    // The receiver applies the merge: its hold lost, so it releases its own units.
    Order released = inReceiver.order().reconcile(merged).releaseReservation(RECEIVER);

    wall.addAndGet(Duration.ofMinutes(1).toMillis());
    RegionStock given = inOrigin.after().get(CUP).give(RECEIVER, 20);
    HlcStamp publishedAt = origin.now();
    Heartbeat heartbeat = new Heartbeat(ORIGIN, Instant.ofEpochMilli(wall.get()), Duration.ofMinutes(1));
    return new Story(created, repriced, inOrigin, inReceiver, merged, released, given, publishedAt, heartbeat);
  }

  /**
   * What {@value #ORIGIN} publishes for the story: product v2, the merged order item v2, its own
   * hold v1, and the cup's head shard after the gift.
   */
  public static List<ChangeEvent> originEvents(Story s) {
    Order orderItem = s.mergedInOrigin().itemState();
    StockAllocation head = s.cupGiven().head();
    return List.of(
        ChangeEvent.of(ORIGIN, 2, s.productRepriced().latestStamp(), new Change.ProductChange(s.productRepriced())),
        ChangeEvent.of(ORIGIN, 2, orderItem.latestStamp(), new Change.OrderChange(orderItem)),
        ChangeEvent.of(ORIGIN, 1, s.originHold().reservedAt(), new Change.HoldChange(s.orderId(), s.originHold())),
        ChangeEvent.of(ORIGIN, head.revision(), s.allocationPublishedAt(), new Change.AllocationChange(head)));
  }

  /** The story's event of {@code type}. */
  static ChangeEvent originEvent(Story s, ChangeEventJson.DetailType type) {
    return originEvents(s).stream().filter(e -> e.entity().equals(type.entity)).findFirst().orElseThrow();
  }

  /** Every generated file of {@code events/}, by name (without {@code .json}). */
  public static Map<String, ObjectNode> files() {
    Story s = story();
    List<ChangeEvent> events = originEvents(s);
    Map<String, ObjectNode> files = new TreeMap<>();
    for (ChangeEvent event : events) {
      files.put("reconciler-" + event.entity() + "-changed",
          sqsEvent(List.of(eventBridgeEvent(event).toString()), sentAfter(event)));
    }
    ChangeEvent order = originEvent(s, ChangeEventJson.DetailType.ORDER);
    files.put("reconciler-malformed", sqsEvent(malformedBodies(order), sentAfter(order)));
    files.put("reconciler-forged", sqsEvent(forgedBodies(order), sentAfter(order)));
    files.put("publisher-stream", publisherStream(s));
    return files;
  }

  // ------------------------------------------------------------------ EventBridge and SQS

  /** The EventBridge event that PutEvents of {@code event} produces, as the queue rule delivers it. */
  public static ObjectNode eventBridgeEvent(ChangeEvent event) {
    ObjectNode e = NODES.objectNode();
    e.put("version", "0");
    e.put("id", uuid("event/" + event.eventId()).toString());
    e.put("detail-type", ChangeEventJson.detailType(event));
    e.put("source", ChangeEventJson.SOURCE);
    e.put("account", ACCOUNT);
    e.put("time", Instant.ofEpochMilli(event.clock().physicalMillis()).truncatedTo(ChronoUnit.SECONDS).toString());
    e.put("region", event.originRegion());
    e.putArray("resources");
    e.set("detail", parse(ChangeEventJson.detail(event)));
    return e;
  }

  /** Bodies the reconciler must dead-letter: not JSON, an unknown schema version, an unknown entity. */
  static List<String> malformedBodies(ChangeEvent valid) {
    ObjectNode futureVersion = eventBridgeEvent(valid);
    futureVersion.put("id", uuid("malformed/schemaVersion").toString());
    ((ObjectNode) futureVersion.get("detail")).put("schemaVersion", 2);
    ObjectNode unknownEntity = eventBridgeEvent(valid);
    unknownEntity.put("id", uuid("malformed/entity").toString());
    unknownEntity.put("detail-type", "InvoiceChanged");
    ObjectNode detail = (ObjectNode) unknownEntity.get("detail");
    detail.put("entity", "invoice");
    detail.put("eventId", ORIGIN + "/invoice/inv-2025-0042/1");
    detail.put("key", "inv-2025-0042");
    detail.put("version", 1);
    detail.set("state", NODES.objectNode().put("invoiceId", "inv-2025-0042"));
    ObjectNode cutShort = eventBridgeEvent(valid);
    cutShort.put("id", uuid("malformed/json").toString());
    return List.of(cutShort.toString().substring(0, 120), futureVersion.toString(), unknownEntity.toString());
  }

  /** A region of no deployment in the story: no peer of {@value #RECEIVER}. */
  static final String UNCONFIGURED_REGION = "ap-northeast-1";
  /** An account other than the deployment's {@value #ACCOUNT}. */
  static final String OTHER_ACCOUNT = "210987654321";

  /**
   * Well-formed bodies the reconciler must refuse as forged: the order event claiming to come from
   * {@value #UNCONFIGURED_REGION}, and the same event put on a bus of {@value #OTHER_ACCOUNT}.
   */
  static List<String> forgedBodies(ChangeEvent valid) {
    ObjectNode unknownRegion = eventBridgeEvent(valid);
    unknownRegion.put("id", uuid("forged/originRegion").toString());
    unknownRegion.put("region", UNCONFIGURED_REGION);
    ObjectNode detail = (ObjectNode) unknownRegion.get("detail");
    detail.put("originRegion", UNCONFIGURED_REGION);
    detail.put("eventId", detail.get("eventId").asText().replaceFirst("^[^/]+/", UNCONFIGURED_REGION + "/"));
    ObjectNode otherAccount = eventBridgeEvent(valid);
    otherAccount.put("id", uuid("forged/account").toString());
    otherAccount.put("account", OTHER_ACCOUNT);
    return List.of(unknownRegion.toString(), otherAccount.toString());
  }

  /** When the queue rule sent the event to the queue: shortly after the write (cross-region forwarding, then the rule). */
  private static long sentAfter(ChangeEvent event) {
    return event.clock().physicalMillis() + 412;
  }

  /** An SQS event as Lambda delivers {@value #RECEIVER}'s reconcile queue: one record per body. */
  static ObjectNode sqsEvent(List<String> bodies, long sent) {
    ObjectNode event = NODES.objectNode();
    ArrayNode records = event.putArray("Records");
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      ObjectNode r = records.addObject();
      r.put("messageId", uuid("message/" + body).toString());
      r.put("receiptHandle", "AQEB" + hex(sha256("receipt/" + body)).substring(0, 48) + "==");
      r.put("body", body);
      ObjectNode attributes = r.putObject("attributes");
      attributes.put("ApproximateReceiveCount", "1");
      attributes.put("SentTimestamp", Long.toString(sent + i * 7L));
      attributes.put("SenderId", "AIDAJQR6QDGQ7PATMSYEY");
      attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(sent + i * 7L + 35));
      r.putObject("messageAttributes");
      r.put("md5OfBody", md5(body));
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", "arn:aws:sqs:" + RECEIVER + ":" + ACCOUNT + ":" + RECONCILE_QUEUE);
      r.put("awsRegion", RECEIVER);
    }
    return event;
  }

  // ------------------------------------------------------------------ DynamoDB stream

  /**
   * Part of {@value #ORIGIN}'s table stream, in write order: the product repriced; the placement's
   * transaction (the order item, its hold and the cup shard the hold took from: INSERT, INSERT,
   * MODIFY; the mug's shard is left out); the order as {@value #RECEIVER} wrote it (replicated
   * here by the global table; {@value #RECEIVER} publishes it, so it is skipped here); the head
   * shard's gift; and the region's heartbeat (not a change event).
   */
  static ObjectNode publisherStream(Story s) {
    ObjectNode event = NODES.objectNode();
    ArrayNode records = event.putArray("Records");
    long start = START_MILLIS / 1000;
    streamRecord(records, "MODIFY", start + 300, 1, Items.product(s.productCreated(), 1, ORIGIN),
        Items.product(s.productRepriced(), 2, ORIGIN));
    streamRecord(records, "INSERT", start + 600, 2, null, Items.order(s.placedInOrigin().order().itemState(), 1, ORIGIN));
    streamRecord(records, "INSERT", start + 600, 3, null, Items.hold(s.orderId(), s.originHold(), 1, ORIGIN));
    streamRecord(records, "MODIFY", start + 600, 4, Items.shard(s.cupBeforePlacement().shard(PLACEMENT_SHARD), ORIGIN),
        Items.shard(s.cupHeld().shard(PLACEMENT_SHARD), ORIGIN));
    streamRecord(records, "MODIFY", start + 605, 5, Items.order(s.mergedInOrigin().itemState(), 2, ORIGIN),
        Items.order(s.releasedInReceiver().itemState(), 3, RECEIVER));
    streamRecord(records, "MODIFY", start + 663, 6, Items.shard(s.cupHeld().head(), ORIGIN),
        Items.shard(s.cupGiven().head(), ORIGIN));
    streamRecord(records, "MODIFY", start + 663, 7,
        DynamoDbHeartbeatRepository.item(new Heartbeat(ORIGIN, s.originHeartbeat().at().minus(Duration.ofMinutes(1)),
            Duration.ofMinutes(1))),
        DynamoDbHeartbeatRepository.item(s.originHeartbeat()));
    return event;
  }

  private static void streamRecord(ArrayNode records, String eventName, long createdSecond, int n,
      Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    String sequenceNumber = "44215845000000000" + String.format("%011d", 1_745_043_909L + n * 1_000L);
    ObjectNode r = records.addObject();
    r.put("eventID", hex(sha256("stream/" + sequenceNumber)).substring(0, 32));
    r.put("eventName", eventName);
    r.put("eventVersion", "1.1");
    r.put("eventSource", "aws:dynamodb");
    r.put("awsRegion", ORIGIN);
    ObjectNode d = r.putObject("dynamodb");
    d.put("ApproximateCreationDateTime", createdSecond);
    Map<String, AttributeValue> keys = new LinkedHashMap<>();
    keys.put("pk", newImage.get("pk"));
    keys.put("sk", newImage.get("sk"));
    d.set("Keys", typed(keys));
    d.set("NewImage", typed(newImage));
    if (oldImage != null) {
      d.set("OldImage", typed(oldImage));
    }
    d.put("SequenceNumber", sequenceNumber);
    d.put("SizeBytes", itemSize(newImage) + (oldImage == null ? 0 : itemSize(oldImage)));
    d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
    r.put("eventSourceARN", "arn:aws:dynamodb:" + ORIGIN + ":" + ACCOUNT + ":table/" + TABLE + "/stream/" + STREAM_LABEL);
  }

  /** DynamoDB's typed JSON, as stream records carry images ({@code StreamImages} reads it back). */
  public static ObjectNode typed(Map<String, AttributeValue> item) {
    return DynamoDbJson.item(item);
  }

  /** DynamoDB's item size rule of thumb: attribute names plus values in UTF-8 bytes (numbers ~ digits / 2 + 1). */
  private static int itemSize(Map<String, AttributeValue> item) {
    int size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + valueSize(e.getValue());
    }
    return size;
  }

  private static int valueSize(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    }
    if (v.n() != null) {
      return v.n().length() / 2 + 1;
    }
    if (v.hasM()) {
      return 3 + itemSize(v.m()) + v.m().size();
    }
    if (v.hasL()) {
      return 3 + v.l().stream().mapToInt(e -> 1 + valueSize(e)).sum();
    }
    return 1;
  }

  // ------------------------------------------------------------------ files

  static Path file(String name) {
    return SampleEvent.directory().resolve(name + ".json");
  }

  /**
   * The file's text: two-space indentation, one field a line, except that an object of one
   * scalar field stays on its line ({@code "pk": {"S": "ORDER#o-1"}}: DynamoDB's typed JSON
   * would otherwise take three lines per attribute), and a final newline.
   */
  static String render(JsonNode node) {
    StringBuilder out = new StringBuilder();
    render(node, "", out);
    return out.append('\n').toString();
  }

  private static void render(JsonNode node, String indent, StringBuilder out) {
    if (node.isValueNode()) {
      out.append(node);
    } else if (node.isEmpty()) {
      out.append(node.isObject() ? "{}" : "[]");
    } else if (node.isObject() && node.size() == 1 && node.elements().next().isValueNode()) {
      String field = node.fieldNames().next();
      out.append('{').append(NODES.textNode(field)).append(": ").append(node.get(field)).append('}');
    } else {
      String inner = indent + "  ";
      out.append(node.isObject() ? "{\n" : "[\n");
      var fields = node.fields();
      var elements = node.elements();
      boolean first = true;
      while (node.isObject() ? fields.hasNext() : elements.hasNext()) {
        out.append(first ? "" : ",\n").append(inner);
        first = false;
        if (node.isObject()) {
          Map.Entry<String, JsonNode> field = fields.next();
          out.append(NODES.textNode(field.getKey())).append(": ");
          render(field.getValue(), inner, out);
        } else {
          render(elements.next(), inner, out);
        }
      }
      out.append('\n').append(indent).append(node.isObject() ? '}' : ']');
    }
  }

  static void write(Map<String, ObjectNode> files) {
    files.forEach((name, node) -> {
      try {
        Files.writeString(file(name), render(node), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The bodies of an SQS sample's records. */
  static List<String> bodies(JsonNode sqsEvent) {
    List<String> bodies = new ArrayList<>();
    sqsEvent.path("Records").forEach(r -> bodies.add(r.path("body").asText()));
    return bodies;
  }

  private static UUID uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  static String md5(String body) {
    return hex(digest("MD5", body));
  }

  private static byte[] sha256(String s) {
    return digest("SHA-256", s);
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
