package dev.meridian.adapter.messaging.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.meridian.testkit.SampleEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of {@code events/schemas/}, one per detail type, loaded with a draft 2020-12
 * validator that asserts {@code format} too (2020-12 only annotates it by default).
 */
final class ChangeEventSchemas {
  static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  private static final Map<String, Schema> SCHEMAS = new HashMap<>();

  private ChangeEventSchemas() {}

  static Path directory() {
    return SampleEvent.directory().resolve("schemas");
  }

  /** {@code OrderChanged} → {@code order-changed.schema.json}. */
  static Path file(ChangeEventJson.DetailType type) {
    return directory().resolve(type.entity + "-changed.schema.json");
  }

  static JsonNode tree(ChangeEventJson.DetailType type) {
    try {
      return SampleChangeEvents.JSON.readTree(Files.readString(file(type)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized Schema schema(ChangeEventJson.DetailType type) {
    return SCHEMAS.computeIfAbsent(type.label, label -> REGISTRY.getSchema(tree(type)));
  }

  /** The violations of {@code event} against {@code type}'s schema, one readable line each. */
  static List<String> violations(ChangeEventJson.DetailType type, JsonNode event) {
    return schema(type).validate(event).stream().map(ChangeEventSchemas::describe).toList();
  }

  /** The violations of a schema document against the draft 2020-12 meta-schema. */
  static List<String> metaSchemaViolations(JsonNode schemaDocument) {
    return REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA)).validate(schemaDocument).stream()
        .map(ChangeEventSchemas::describe).toList();
  }

  /** The detail type an event names, if it is one of Meridian's. */
  static ChangeEventJson.DetailType detailTypeOf(JsonNode event) {
    String label = event.path("detail-type").asText();
    for (ChangeEventJson.DetailType type : ChangeEventJson.DetailType.values()) {
      if (type.label.equals(label)) {
        return type;
      }
    }
    throw new IllegalArgumentException("not a Meridian detail type: " + label);
  }

  private static String describe(Error error) {
    return error.getInstanceLocation() + ": " + error.getMessage();
  }
}
