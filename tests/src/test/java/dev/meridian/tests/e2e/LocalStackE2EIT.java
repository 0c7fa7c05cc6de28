package dev.meridian.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.local.LocalStack;
import dev.meridian.local.moto.MotoServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local stack end to end, through HTTP only: two regions started once, from template.yaml,
 * with the packaged function zips running under the real Lambda runtime interface client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackE2EIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalStack stack;
  private static JsonNode endpoints;
  private static Path root;

  @BeforeAll
  static void up() throws Exception {
    Assumptions.assumeTrue(MotoServer.isAvailable(), () -> "moto unavailable: " + MotoServer.unavailableReason().orElse(""));
    root = Path.of("").toAbsolutePath();
    if (!Files.exists(root.resolve("template.yaml"))) {
      root = root.getParent();
    }
    Path console = root.resolve("tests/target/local-stack-console.log");
    Files.createDirectories(console.getParent());
    stack = LocalStack.up(new LocalStack.Options(root, 2, "active-active", 0.1, null, 0, 0, true,
        new PrintStream(Files.newOutputStream(console), true)));
    endpoints = JSON.readTree(root.resolve(".local-stack/endpoints.json").toFile());
    System.out.println("local stack ready after " + endpoints.path("readyAfterMillis").asLong() + " ms");
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.close();
      // Nothing the stack started may outlive it: moto, the function JVMs, their servers.
      assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
          .as("processes left after the stack stopped").isEmpty();
    }
  }

  @Test
  @Order(1)
  void everyRegionServesTheSeededCatalogAndTheCustomerRoutes() throws Exception {
    String alice = token("alice", false);
    String mallory = token("mallory", false);
    for (String region : REGIONS) {
      URI api = URI.create(endpoints.path("regions").path(region).path("url").asText());
      HttpResponse<String> products = call(api, "GET", "/products?limit=3", alice, null, Map.of());
      assertThat(products.statusCode()).as(region + " GET /products").isEqualTo(200);
      assertThat(JSON.readTree(products.body()).toString()).contains("espresso-cup");
      HttpResponse<String> product = call(api, "GET", "/products/latte-mug", alice, null, Map.of());
      assertThat(product.statusCode()).isEqualTo(200);
      assertThat(product.body()).contains(region);

      String key = "e2e-" + UUID.randomUUID();
      String body = "{\"lines\":[{\"productId\":\"latte-mug\",\"quantity\":1}]}";
      HttpResponse<String> placed = call(api, "POST", "/orders", alice, body, Map.of("Idempotency-Key", key));
      assertThat(placed.statusCode()).as(region + " POST /orders " + placed.body()).isEqualTo(201);
      String orderId = JSON.readTree(placed.body()).path("id").asText();
      HttpResponse<String> replay = call(api, "POST", "/orders", alice, body, Map.of("Idempotency-Key", key));
      assertThat(replay.statusCode()).isEqualTo(201);
      assertThat(JSON.readTree(replay.body()).path("id").asText()).isEqualTo(orderId);
      assertThat(call(api, "POST", "/orders", alice, body, Map.of()).statusCode()).as("missing key").isEqualTo(400);
      assertThat(call(api, "GET", "/orders/" + orderId, alice, null, Map.of()).statusCode()).isEqualTo(200);
      assertThat(call(api, "GET", "/orders/" + orderId, mallory, null, Map.of()).statusCode()).isEqualTo(404);
      assertThat(call(api, "GET", "/orders", alice, null, Map.of()).body()).contains(orderId);
      assertThat(call(api, "POST", "/orders/" + orderId + "/cancel", alice, "", Map.of()).statusCode()).isEqualTo(200);
      assertThat(call(api, "GET", "/orders", null, null, Map.of()).statusCode()).as("no token").isEqualTo(401);
      assertThat(call(api, "GET", "/admin/control", alice, null, Map.of()).statusCode()).as("customer on admin").isEqualTo(403);
      assertThat(call(api, "GET", "/admin/control", token("ops", true), null, Map.of()).statusCode()).isEqualTo(200);
      HttpResponse<String> health = call(api, "GET", "/health", null, null, Map.of());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).startsWith("{\"status\":\"healthy\"");
      HttpResponse<String> tooLarge = call(api, "POST", "/orders", alice, "x".repeat(70 * 1024), Map.of("Idempotency-Key", "big"));
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(tooLarge.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    }
  }

  @Test
  @Order(2)
  void anOrderPlacedInOneRegionIsReadableInTheOther() throws Exception {
    String alice = token("alice", false);
    URI us = URI.create(endpoints.path("regions").path("us-east-1").path("url").asText());
    URI eu = URI.create(endpoints.path("regions").path("eu-west-1").path("url").asText());
    HttpResponse<String> placed = call(us, "POST", "/orders", alice, "{\"lines\":[{\"productId\":\"espresso-cup\",\"quantity\":1}]}",
        Map.of("Idempotency-Key", "cross-" + UUID.randomUUID()));
    assertThat(placed.statusCode()).isEqualTo(201);
    String orderId = JSON.readTree(placed.body()).path("id").asText();
    long started = System.currentTimeMillis();
    int status = 0;
    while (System.currentTimeMillis() - started < 10_000 && status != 200) {
      status = call(eu, "GET", "/orders/" + orderId, alice, null, Map.of()).statusCode();
      Thread.sleep(50);
    }
    assertThat(status).isEqualTo(200);
    System.out.println("order replicated us-east-1 -> eu-west-1, readable after " + (System.currentTimeMillis() - started) + " ms");
  }

  @Test
  @Order(3)
  void eachFunctionColdStartsOncePerRegionThenStaysWarm() throws Exception {
    String log = Files.readString(root.resolve(".local-stack/logs/stack.log"));
    for (String region : REGIONS) {
      for (String function : List.of("CatalogFunction", "OrdersFunction", "HealthFunction")) {
        Pattern report = Pattern.compile("\\[" + Pattern.quote(region + "/" + function) + "\\] REPORT RequestId: .*");
        Matcher m = report.matcher(log);
        int reports = 0;
        int coldReports = 0;
        while (m.find()) {
          reports++;
          if (m.group().contains("Init Duration:")) {
            coldReports++;
          }
        }
        assertThat(coldReports).as(region + " " + function + " cold starts").isEqualTo(1);
        assertThat(reports).as(region + " " + function + " invocations").isGreaterThan(1);
      }
    }
    assertThat(log).contains("Max Memory Used:", "Billed Duration:");
  }

  private static String token(String sub, boolean admin) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      List<String> args = admin ? List.of("--sub", sub, "--admin") : List.of("--sub", sub);
      int rc = dev.meridian.local.jwt.TokenCommand.run(args.stream().collect(java.util.stream.Collectors.toList()),
          new PrintStream(out, true), System.err);
      assertThat(rc).isZero();
      String[] lines = out.toString().trim().split("\\R");
      return lines[lines.length - 1].trim();
    } catch (RuntimeException e) {
      throw e;
    }
  }

  private static HttpResponse<String> call(URI api, String method, String path, String token, String body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
