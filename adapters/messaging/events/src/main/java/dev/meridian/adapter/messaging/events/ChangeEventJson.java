package dev.meridian.adapter.messaging.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.adapter.dynamodb.StoredChanges;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Validation;
import java.util.Optional;

/**
 * The wire form of change events: EventBridge {@code source} {@value #SOURCE}, a detail type per
 * entity, and the envelope as {@code detail} (schemas in {@code events/schemas/}). Decoding is
 * strict about what it needs and ignores fields it does not know, so a newer publisher can add
 * fields during a rolling deploy.
 */
public final class ChangeEventJson {
  public static final String SOURCE = "meridian";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The EventBridge detail type of each entity's change. */
  public enum DetailType {
    ORDER("OrderChanged", "order"),
    HOLD("HoldChanged", Change.HoldChange.ENTITY),
    PRODUCT("ProductChanged", "product"),
    ALLOCATION("AllocationChanged", Change.AllocationChange.ENTITY);

    public final String label;
    public final String entity;

    DetailType(String label, String entity) {
      this.label = label;
      this.entity = entity;
    }

    public static DetailType ofEntity(String entity) {
      for (DetailType t : values()) {
        if (t.entity.equals(entity)) {
          return t;
        }
      }
      throw new IllegalArgumentException("no detail type for entity " + entity);
    }
  }

  private ChangeEventJson() {}

  public static String detailType(ChangeEvent event) {
    return DetailType.ofEntity(event.entity()).label;
  }

  /** The envelope, as the {@code Detail} of a PutEvents entry. */
  public static String detail(ChangeEvent event) {
    ObjectNode detail = JSON.createObjectNode();
    detail.put("schemaVersion", event.schemaVersion());
    detail.put("eventId", event.eventId());
    detail.put("originRegion", event.originRegion());
    detail.put("entity", event.entity());
    detail.put("key", event.key());
    detail.put("version", event.version());
    detail.put("clock", event.clock().encode());
    detail.set("state", ItemJson.toJson(StoredChanges.stateOf(event.change(), event.version(), event.originRegion())));
    try {
      return JSON.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** A change event and the EventBridge account it was put in ("" when the event names none). */
  public record Envelope(String account, ChangeEvent event) {}

  /**
   * Reads a whole EventBridge event (what the rule puts on the reconcile queue).
   *
   * @throws MalformedEventException naming what is wrong
   */
  public static ChangeEvent fromEventBridgeEvent(String body) {
    return envelopeOf(body).event();
  }

  /**
   * Reads a whole EventBridge event with its {@code account}, which the reconciler checks.
   *
   * @throws MalformedEventException naming what is wrong
   */
  public static Envelope envelopeOf(String body) {
    JsonNode event = parse(body);
    String source = text(event, "source");
    if (!SOURCE.equals(source)) {
      throw new MalformedEventException("source " + source + " is not " + SOURCE);
    }
    // Only the reconciler needs the account (it refuses another one); decoding does not.
    String account = event.path("account").asText("");
    ChangeEvent decoded = fromDetail(event.get("detail"));
    String detailType = text(event, "detail-type");
    if (!DetailType.ofEntity(decoded.entity()).label.equals(detailType)) {
      throw new MalformedEventException("detail-type " + detailType + " does not match entity " + decoded.entity());
    }
    return new Envelope(account, decoded);
  }

  /** Reads an envelope ({@code detail}). */
  public static ChangeEvent fromDetail(JsonNode detail) {
    if (detail == null || !detail.isObject()) {
      throw new MalformedEventException("detail is missing or not an object");
    }
    JsonNode schemaVersion = detail.get("schemaVersion");
    if (schemaVersion == null || !schemaVersion.canConvertToExactIntegral()) {
      throw new MalformedEventException("schemaVersion is missing or not an integer");
    }
    if (schemaVersion.asInt() != ChangeEvent.SCHEMA_VERSION) {
      throw new MalformedEventException("schemaVersion " + schemaVersion.asText() + " is not supported (this reconciler reads "
          + ChangeEvent.SCHEMA_VERSION + ")");
    }
    String entity = text(detail, "entity");
    if (!StoredChanges.isPublished(entity)) {
      throw new MalformedEventException("entity " + entity + " is not a change event type");
    }
    String eventId = text(detail, "eventId");
    String origin = text(detail, "originRegion");
    if (!Validation.start().region(origin, "originRegion")) {
      throw new MalformedEventException("originRegion " + origin + " is not a region name");
    }
    JsonNode versionNode = detail.get("version");
    if (versionNode == null || !versionNode.canConvertToExactIntegral() || versionNode.asLong() < 1) {
      throw new MalformedEventException("version is missing or not a positive integer");
    }
    long version = versionNode.asLong();
    String encodedClock = text(detail, "clock");
    HlcStamp clock;
    try {
      clock = HlcStamp.decode(encodedClock);
    } catch (RuntimeException e) {
      throw new MalformedEventException("clock " + encodedClock + " is not an encoded clock stamp", e);
    }
    Change change;
    try {
      change = StoredChanges.fromState(entity, ItemJson.fromJson(detail.get("state")), version);
    } catch (RuntimeException e) {
      throw new MalformedEventException("state does not decode: " + e.getMessage(), e);
    }
    String key = text(detail, "key");
    if (!change.key().equals(key)) {
      throw new MalformedEventException("key " + key + " does not match the state's " + change.key());
    }
    if (change instanceof Change.AllocationChange a && !a.allocation().region().equals(origin)) {
      throw new MalformedEventException("an allocation changes only in its own region, not in " + origin);
    }
    if (change instanceof Change.HoldChange h && !h.hold().region().equals(origin)) {
      throw new MalformedEventException("a hold changes only in its own region, not in " + origin);
    }
    return new ChangeEvent(ChangeEvent.SCHEMA_VERSION, eventId, origin, version, clock, change);
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new MalformedEventException("not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new MalformedEventException(field + " is missing or not a string");
    }
    return value.textValue();
  }

  /** For logging: the event id of a body, if it has one. */
  public static Optional<String> eventIdOf(String body) {
    try {
      JsonNode id = JSON.readTree(body).path("detail").path("eventId");
      return id.isTextual() ? Optional.of(id.textValue()) : Optional.empty();
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
