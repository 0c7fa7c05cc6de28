package dev.meridian.tests.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meridian.testkit.RepositoryRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The check the end-to-end suites run on every answer, against the real openapi.yaml: answers the
 * API gives pass, and each way an answer can leave the document (a missing required field, a wrong
 * type or format, another media type, an undocumented status or route) is reported.
 */
class OpenApiResponsesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROBLEM = "application/problem+json";
  static final String JSON_TYPE = "application/json";
  static OpenApiResponses openapi;
  static JsonNode document;

  @BeforeAll
  static void load() throws Exception {
    Path file = RepositoryRoot.path().resolve("openapi.yaml");
    openapi = OpenApiResponses.load(file);
    document = new YAMLMapper().readTree(Files.readString(file));
  }

  /**
   * An allocation with every field the document requires (integers 0): built from the schema, so a
   * field added to {@code Allocation} does not turn this valid body into an invalid one.
   */
  static ObjectNode allocation() {
    ObjectNode allocation = JSON.createObjectNode();
    JsonNode schema = document.at("/components/schemas/Allocation");
    for (JsonNode field : schema.path("required")) {
      String type = schema.path("properties").path(field.asText()).path("type").asText();
      if (type.equals("integer")) {
        allocation.put(field.asText(), 0);
      } else {
        allocation.put(field.asText(), "us-east-1");
      }
    }
    allocation.put("available", 5).put("shards", 1);
    return allocation;
  }

  static ObjectNode product() {
    ObjectNode product = JSON.createObjectNode().put("id", "latte-mug").put("name", "Latte mug").put("description", "e2e")
        .put("active", true).put("version", 3).put("totalAvailable", 5);
    product.putObject("price").put("amount", 1200).put("currency", "EUR");
    product.putArray("allocations").add(allocation());
    return product;
  }

  static String problem(int status, String slug) {
    return JSON.createObjectNode().put("type", "https://meridian.dev/problems/" + slug).put("title", "t").put("status", status)
        .put("detail", "d").toString();
  }

  @Test
  void answersTheApiGivesAreDescribed() {
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, "application/json", product().toString())).isEmpty();
    assertThat(openapi.violations("GET", "/products?limit=1", 200, "application/json;charset=UTF-8",
        JSON.createObjectNode().<ObjectNode>set("items", JSON.createArrayNode()).putNull("nextCursor").toString())).isEmpty();
    assertThat(openapi.violations("POST", "/orders", 400, PROBLEM, problem(400, "validation-failed"))).isEmpty();
    assertThat(openapi.violations("GET", "/admin/control", 401, JSON_TYPE, "{\"message\":\"Unauthorized\"}")).isEmpty();
    assertThat(openapi.violations("GET", "/orders", 429, JSON_TYPE, "{\"message\":\"Too Many Requests\"}")).isEmpty();
  }

  @Test
  void theGatewaysOwnAnswersAreDescribed() {
    assertThat(openapi.violations("GET", "/products/latte-mug", 503, JSON_TYPE, "{\"message\":\"Service Unavailable\"}")).isEmpty();
    assertThat(openapi.violations("POST", "/orders", 413, JSON_TYPE, "{\"message\":\"Request Entity Too Large\"}")).isEmpty();
    assertThat(openapi.violations("POST", "/orders", 413, PROBLEM, problem(413, "payload-too-large"))).isEmpty();
    assertThat(openapi.violations("GET", "/" + java.util.UUID.randomUUID(), 404, JSON_TYPE, "{\"message\":\"Not Found\"}"))
        .as("no such route").isEmpty();
    assertThat(openapi.violations("DELETE", "/orders", 404, JSON_TYPE, "{\"message\":\"Not Found\"}"))
        .as("a path that exists under other methods only").isEmpty();
    assertThat(openapi.violations("GET", "/health", 503, JSON_TYPE, "{\"message\":\"Service Unavailable\"}")).isEmpty();
    assertThat(openapi.violations("GET", "/products/latte-mug", 500, JSON_TYPE, "{\"message\":\"Internal Server Error\"}"))
        .as("a function that ran past its timeout").isEmpty();
  }

  @Test
  void theHealthReportIsDescribed() {
    String healthy = "{\"status\":\"healthy\",\"degraded\":false,\"region\":\"eu-west-1\",\"mode\":\"active-active\","
        + "\"role\":\"active\",\"control\":{\"epoch\":1,\"primaryRegion\":\"us-east-1\",\"killSwitch\":false},"
        + "\"checks\":{\"dynamodb\":{\"status\":\"ok\",\"ms\":3,\"reachable\":true},\"replication\":{\"status\":\"ok\","
        + "\"ms\":4,\"slackMs\":1000,\"self\":null,\"peers\":[]},\"backlog\":{\"status\":\"skipped\",\"ms\":0}},"
        + "\"reasons\":[],\"checkedAt\":\"2026-12-07T22:00:00Z\",\"elapsedMs\":9}";
    assertThat(openapi.violations("GET", "/health", 200, JSON_TYPE, healthy)).isEmpty();
    assertThat(openapi.violations("GET", "/health", 503, JSON_TYPE, healthy.replace("\"healthy\"", "\"unhealthy\""))).isEmpty();
    assertThat(openapi.violations("GET", "/health", 200, JSON_TYPE, healthy.replace("\"healthy\"", "\"fine\"")))
        .singleElement().asString().contains("/status");
  }

  @Test
  void aFuzzedPathIsMatchedWithoutDecodingIt() {
    // Malformed percent-encoding (which crashes some proxies) is just a segment: /orders/{id}, answered 400 by the function.
    assertThat(openapi.violations("GET", "/orders/%FF", 400, PROBLEM, problem(400, "validation-failed"))).isEmpty();
    assertThat(openapi.violations("POST", "/orders/%FF/cancel", 405, PROBLEM, problem(405, "method-not-allowed")))
        .singleElement().asString().contains("status 405 is not documented for POST /orders/{id}/cancel");
  }

  @Test
  void aMissingRequiredFieldIsReported() {
    ObjectNode product = product();
    product.remove("totalAvailable");
    List<String> violations = openapi.violations("GET", "/products/latte-mug", 200, JSON_TYPE, product.toString());
    assertThat(violations).singleElement().asString().contains("totalAvailable");
  }

  @Test
  void aMissingRequiredFieldInANestedReferencedSchemaIsReported() {
    ObjectNode product = product();
    ((ObjectNode) product.path("allocations").path(0)).remove("region");
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, JSON_TYPE, product.toString()))
        .singleElement().asString().contains("/allocations/0").contains("region");
  }

  @Test
  void aWrongTypeOrFormatIsReported() {
    ObjectNode product = product();
    product.put("version", "3");
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, JSON_TYPE, product.toString()))
        .singleElement().asString().contains("/version");
    String order = "{\"id\":\"o-3f2c0a9e8b7d6c5b4a39281706f5e4d3\",\"status\":\"PLACED\",\"lines\":[],"
        + "\"total\":{\"amount\":0,\"currency\":\"EUR\"},\"homeRegion\":\"us-east-1\",\"placedAt\":\"yesterday\","
        + "\"reservations\":[],\"conflicts\":[],\"version\":1}";
    assertThat(openapi.violations("GET", "/orders/o-3f2c0a9e8b7d6c5b4a39281706f5e4d3", 200, JSON_TYPE, order))
        .singleElement().asString().contains("/placedAt");
    assertThat(openapi.violations("GET", "/orders/o-3f2c0a9e8b7d6c5b4a39281706f5e4d3", 200, JSON_TYPE,
        order.replace("yesterday", "2026-12-07T22:00:00Z"))).isEmpty();
  }

  @Test
  void aWrongContentTypeIsReported() {
    assertThat(openapi.violations("GET", "/orders/o-1", 404, JSON_TYPE, problem(404, "not-found")))
        .as("a problem document sent as application/json").isNotEmpty();
    assertThat(openapi.violations("GET", "/orders/o-1", 404, "text/html", "<h1>Not Found</h1>"))
        .singleElement().asString().contains("Content-Type text/html is not documented");
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, null, product().toString()))
        .singleElement().asString().startsWith("no Content-Type");
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, PROBLEM, product().toString()))
        .singleElement().asString().contains("Content-Type " + PROBLEM + " is not documented");
    assertThat(openapi.violations("GET", "/products/latte-mug", 200, JSON_TYPE, "not json"))
        .singleElement().asString().startsWith("body is not JSON");
  }

  @Test
  void anUndocumentedStatusIsReported() {
    assertThat(openapi.violations("GET", "/orders", 418, JSON_TYPE, "{}"))
        .singleElement().asString().contains("status 418 is not documented for GET /orders");
    assertThat(openapi.violations("GET", "/orders", 502, JSON_TYPE, "{\"message\":\"Bad Gateway\"}"))
        .singleElement().asString().contains("status 502 is not documented");
  }

  @Test
  void anUndocumentedRouteIsReportedUnlessItIsTheGatewaysNotFound() {
    assertThat(openapi.violations("GET", "/status", 200, JSON_TYPE, "{}"))
        .singleElement().asString().contains("GET /status matches no operation").contains("answered 404, not 200");
    assertThat(openapi.violations("GET", "/status", 404, PROBLEM, problem(404, "not-found")))
        .singleElement().asString().contains("Content-Type " + PROBLEM + " is not documented");
    assertThat(openapi.violations("GET", "/status", 404, JSON_TYPE, "{\"message\":\"Gone fishing\"}"))
        .singleElement().asString().contains("/message");
  }

  @Test
  void theGatewaysBodiesAreExact() {
    assertThat(openapi.violations("POST", "/orders", 503, JSON_TYPE, "{\"message\":\"Busy\"}")).isNotEmpty();
    assertThat(openapi.violations("POST", "/orders", 413, JSON_TYPE, "{\"message\":\"Request Too Long\"}")).isNotEmpty();
    assertThat(openapi.violations("POST", "/orders", 413, JSON_TYPE, "{}")).isNotEmpty();
  }
}
