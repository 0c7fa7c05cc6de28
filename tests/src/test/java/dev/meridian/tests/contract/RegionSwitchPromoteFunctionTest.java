package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.tests.ExternalTool;
import dev.meridian.tools.local.template.CfnYaml;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/region-switch.yaml's inline promote function, run by python3 against a local stand-in of
 * the Cognito token endpoint and Meridian's control API (the two routes it calls, answering as
 * {@code ControlController} does). Skips, saying so, without python3.
 */
class RegionSwitchPromoteFunctionTest {
  static final Path REGION_SWITCH = Contract.ROOT.resolve("deploy/region-switch.yaml");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_ID = "ops-client";
  static final String CLIENT_SECRET = "ops-secret";
  static final String TOKEN = "token-of-the-operations-client";

  @TempDir
  Path work;
  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile String tokenRequestAuthorization;
  volatile String tokenRequestBody;
  volatile String primaryRegion = "us-east-1";
  volatile long epoch;
  volatile boolean activeActive;

  @BeforeEach
  void startStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/oauth2/token", exchange -> {
      tokenRequestAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      tokenRequestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      answer(exchange, 200, "application/json", "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\"}");
    });
    server.createContext("/admin/control", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestMethod() + " " + path);
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer(exchange, 401, "application/json", "{\"message\":\"Unauthorized\"}");
      } else if (path.equals("/admin/control") && exchange.getRequestMethod().equals("GET")) {
        answer(exchange, 200, "application/json", control());
      } else if (path.startsWith("/admin/control/promote/") && exchange.getRequestMethod().equals("POST")) {
        if (activeActive) {
          answer(exchange, 409, "application/problem+json",
              "{\"type\":\"https://meridian.dev/problems/promotion-not-applicable\",\"status\":409}");
          return;
        }
        primaryRegion = path.substring("/admin/control/promote/".length());
        epoch++;
        answer(exchange, 200, "application/json", control());
      } else {
        answer(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
      }
    });
    server.start();
  }

  @AfterEach
  void stopStandIn() {
    server.stop(0);
  }

  @Test
  void promotesTheActivatingRegionWithTheOperationsClientsToken() throws Exception {
    JsonNode result = promote("eu-west-1");

    assertThat(result.get("promoted").asBoolean()).isTrue();
    assertThat(result.get("epoch").asLong()).isEqualTo(1);
    assertThat(primaryRegion).isEqualTo("eu-west-1");
    assertThat(requests).containsExactly("POST /oauth2/token", "GET /admin/control",
        "POST /admin/control/promote/eu-west-1");
    assertThat(tokenRequestAuthorization).as("client-credentials: the client authenticates with its secret")
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
            .getBytes(StandardCharsets.UTF_8)));
    assertThat(tokenRequestBody).contains("grant_type=client_credentials", "scope=meridian%2Fadmin");
  }

  @Test
  void aRetriedStepDoesNotMoveTheEpochAgain() throws Exception {
    primaryRegion = "eu-west-1";
    epoch = 1;

    JsonNode result = promote("eu-west-1");

    assertThat(result.get("promoted").asBoolean()).isFalse();
    assertThat(epoch).isEqualTo(1);
    assertThat(requests).doesNotContain("POST /admin/control/promote/eu-west-1");
  }

  @Test
  void failingBackPromotesTheInitialPrimaryAgain() throws Exception {
    primaryRegion = "eu-west-1";
    epoch = 1;

    JsonNode result = promote("us-east-1");

    assertThat(result.get("promoted").asBoolean()).isTrue();
    assertThat(primaryRegion).isEqualTo("us-east-1");
    assertThat(epoch).isEqualTo(2);
  }

  @Test
  void aRefusedPromotionFailsTheStepWithTheApisAnswer() throws Exception {
    activeActive = true;

    ExternalTool.Result run = runPromote("eu-west-1");

    assertThat(run.exitCode()).as("ARC retries or fails a step whose function raised").isNotZero();
    assertThat(run.output()).contains("PromotionFailed", "answered 409", "promotion-not-applicable");
  }

  private JsonNode promote(String region) throws Exception {
    ExternalTool.Result run = runPromote(region);
    assertThat(run.exitCode()).as("python3 output:%n%s", run.output()).isZero();
    List<String> lines = run.output().lines().toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private ExternalTool.Result runPromote(String region) throws Exception {
    ExternalTool.assumeInstalled("python3", "install Python 3");
    Files.writeString(work.resolve("index.py"), promoteFunctionSource());
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    String client = JSON.writeValueAsString(Map.of("clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET,
        "tokenUrl", base + "/oauth2/token"));
    ProcessBuilder builder = new ProcessBuilder("python3", "-c",
        "import json, sys, index; print(json.dumps(index.promote_region(json.loads(sys.argv[1]), sys.argv[2], sys.argv[3])))",
        client, base + "/", region)
        .directory(work.toFile()).redirectErrorStream(true);
    // The stand-in is on loopback; a proxy from the environment must not carry the calls elsewhere.
    builder.environment().keySet().removeIf(name -> name.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
    return new ExternalTool.Result(process.exitValue(), output);
  }

  static String promoteFunctionSource() {
    Map<String, Object> function = FaultsContractTest.map(FaultsContractTest.resources(CfnYaml.load(REGION_SWITCH))
        .get("PromoteFunction"));
    return (String) FaultsContractTest.map(FaultsContractTest.map(function.get("Properties")).get("Code")).get("ZipFile");
  }

  private String control() {
    return "{\"mode\":\"active-passive\",\"primaryRegion\":\"" + primaryRegion + "\",\"epoch\":" + epoch + "}";
  }

  private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
