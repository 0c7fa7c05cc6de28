package dev.meridian.tests.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an HTTP answer against {@code openapi.yaml}: the operation (method and path template),
 * the documented status, the media type of the body and the body against that media type's schema.
 * The schema check is networknt's JSON Schema validator with its OpenAPI 3.1 dialect (draft 2020-12
 * plus the OpenAPI vocabulary), run on the schema objects of the document itself, so {@code $ref}s
 * resolve inside it as any 3.1 tool resolves them; this class only finds which schema applies.
 *
 * <p>A path or method that is no operation is answered by API Gateway itself (404, no route), as
 * the document's {@value #UNMATCHED_ROUTE} says; such an answer is checked against that response.
 */
public final class OpenApiResponses {
  /** Root extension of openapi.yaml: the status and Response object of a request that matches no route. */
  public static final String UNMATCHED_ROUTE = "x-meridian-unmatched-route";
  /** Where the document is registered for the validator; never fetched, only a name for {@code $ref} resolution. */
  private static final String DOCUMENT_IRI = "https://meridian.invalid/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiResponses(JsonNode document) {
    this.document = document;
    String json;
    try {
      json = JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // format is asserted too (2020-12 only annotates it by default): date-time, uri, int32 and int64 are promises.
    this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
        .schemas(Map.of(DOCUMENT_IRI, json)));
  }

  public static OpenApiResponses load(Path openapi) throws IOException {
    return new OpenApiResponses(new YAMLMapper().readTree(Files.readString(openapi)));
  }

  /**
   * What is wrong with this answer, one line each; empty when openapi.yaml describes it.
   *
   * @param target      the request target as sent: path, optionally {@code ?query}, percent-encoded
   * @param contentType the {@code Content-Type} header, or null
   */
  public List<String> violations(String method, String target, int status, String contentType, String body) {
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    Optional<String> template = template(path);
    JsonNode operation = template.map(t -> document.path("paths").path(t).path(method.toLowerCase(Locale.ROOT)))
        .filter(JsonNode::isObject).orElse(null);
    if (operation == null) {
      return unmatchedRoute(method, path, status, contentType, body);
    }
    String operationPointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT);
    JsonNode responses = operation.path("responses");
    String code = Integer.toString(status);
    String range = code.charAt(0) + "XX";
    String key = responses.has(code) ? code : responses.has(range) ? range : responses.has("default") ? "default" : null;
    if (key == null) {
      return List.of("status " + status + " is not documented for " + method + " " + template.get() + " (documented: "
          + fieldNames(responses) + ")");
    }
    return response(operationPointer + "/responses/" + escape(key), contentType, body);
  }

  private List<String> unmatchedRoute(String method, String path, int status, String contentType, String body) {
    JsonNode unmatched = document.path(UNMATCHED_ROUTE);
    String what = method + " " + path + " matches no operation of openapi.yaml";
    if (!unmatched.has("status")) {
      return List.of(what + ", and the document does not say what such a request is answered (" + UNMATCHED_ROUTE + ")");
    }
    if (unmatched.path("status").asInt() != status) {
      return List.of(what + "; such a request is answered " + unmatched.path("status").asInt() + ", not " + status);
    }
    return response("/" + UNMATCHED_ROUTE + "/response", contentType, body);
  }

  /** The answer against the Response object at {@code pointer} (following a {@code $ref} to components). */
  private List<String> response(String pointer, String contentType, String body) {
    JsonNode response = document.at(pointer);
    if (response.has("$ref")) {
      String ref = response.path("$ref").asText();
      if (!ref.startsWith("#/")) {
        return List.of(pointer + ": only local $refs are supported, not " + ref);
      }
      pointer = ref.substring(1);
      response = document.at(pointer);
      if (response.isMissingNode()) {
        return List.of("openapi.yaml: " + ref + " does not resolve");
      }
    }
    JsonNode content = response.path("content");
    boolean hasBody = body != null && !body.isEmpty();
    if (content.isEmpty()) {
      return hasBody ? List.of("a body where " + pointer + " documents none: " + abbreviate(body)) : List.of();
    }
    if (contentType == null) {
      return List.of("no Content-Type; " + pointer + " documents " + fieldNames(content));
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!content.has(mediaType)) {
      return List.of("Content-Type " + contentType + " is not documented by " + pointer + " (documented: "
          + fieldNames(content) + ")");
    }
    JsonNode schemaNode = content.path(mediaType).path("schema");
    if (schemaNode.isMissingNode()) {
      return List.of();
    }
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      return List.of(pointer + ": " + mediaType + " has a schema, but only JSON bodies can be checked here");
    }
    JsonNode instance;
    try {
      instance = JSON.readTree(hasBody ? body : "");
    } catch (JsonProcessingException e) {
      return List.of("body is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(body));
    }
    if (instance == null || instance.isMissingNode()) {
      return List.of("no body; " + pointer + " documents a " + mediaType + " body");
    }
    String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
    Schema schema = schemas.computeIfAbsent(schemaPointer,
        p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
    List<String> violations = new ArrayList<>();
    for (Error error : schema.validate(instance)) {
      violations.add(schemaPointer + " " + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return violations;
  }

  /**
   * The path template {@code path} falls under: literal segments before templated ones (OpenAPI's
   * rule), a template segment standing for one non-empty segment.
   */
  Optional<String> template(String path) {
    String[] segments = path.split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
      String candidate = it.next();
      String[] parts = candidate.split("/", -1);
      if (parts.length != segments.length) {
        continue;
      }
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < parts.length && matches; i++) {
        if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
          matches = !segments[i].isEmpty();
        } else {
          matches = parts[i].equals(segments[i]);
          literals++;
        }
      }
      if (matches && literals > bestLiterals) {
        best = candidate;
        bestLiterals = literals;
      }
    }
    return Optional.ofNullable(best);
  }

  /** JSON Pointer escaping (RFC 6901) of one reference token. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }
}
