package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.jwt.DevIssuer;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.model.EventSourceSpec.HttpRoute;
import dev.meridian.tools.local.model.HttpApiSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway pipeline without sockets, with a fake invoker. */
class HttpApiHandlerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ISSUER = "http://127.0.0.1:9400";
  static final Instant NOW = Instant.parse("2026-11-26T04:34:37Z");
  static final int LIMIT = 64 * 1024;

  @TempDir static Path dir;
  DevIssuer issuer;
  JwtAuthorizer authorizer;
  final AtomicLong nanos = new AtomicLong();
  final List<String> accessLog = new CopyOnWriteArrayList<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  Invoker invoker = this::echo;
  ExecutorService integrations;

  record Call(String function, JsonNode event) {}

  @BeforeEach
  void setUp() throws Exception {
    issuer = DevIssuer.offline(dir, ISSUER);
    authorizer = issuer.authorizer(List.of(MeridianApi.AUDIENCE));
  }

  @AfterEach
  void tearDown() {
    if (integrations != null) {
      integrations.shutdownNow();
    }
  }

  @Test
  void aCustomerTokenReachesTheFunctionAndItsAnswerComesBack() {
    HttpApiHandler handler = handler(100, 200);
    GatewayResponse response = handler.handle(GatewayRequest.builder("GET", "/products/cup?limit=2")
        .header("Authorization", "Bearer " + customer()).build());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    assertThat(calls).hasSize(1);
    Call call = calls.get(0);
    assertThat(call.function()).isEqualTo("CatalogFunction");
    assertThat(call.event().at("/routeKey").textValue()).isEqualTo("GET /products/{id}");
    assertThat(call.event().at("/pathParameters/id").textValue()).isEqualTo("cup");
    assertThat(call.event().at("/requestContext/authorizer/jwt/claims/sub").textValue()).isEqualTo("alice");
    String requestId = call.event().at("/requestContext/requestId").textValue();
    assertThat(response.header("apigw-requestid")).isEqualTo(requestId).hasSize(16);
    assertThat(JSON.valueToTree(parse(response.bodyText())).at("/routeKey").textValue()).isEqualTo("GET /products/{id}");

    JsonNode line = parse(accessLog.get(0));
    assertThat(line.get("requestId").textValue()).isEqualTo(requestId);
    assertThat(line.get("httpMethod").textValue()).isEqualTo("GET");
    assertThat(line.get("path").textValue()).isEqualTo("/products/cup");
    assertThat(line.get("routeKey").textValue()).isEqualTo("GET /products/{id}");
    assertThat(line.get("status").textValue()).isEqualTo("200");
    assertThat(line.get("sub").textValue()).isEqualTo("alice");
    assertThat(line.get("region").textValue()).isEqualTo("eu-west-1");
    assertThat(line.get("integrationError").textValue()).isEqualTo("-");
    assertThat(line.get("integrationRequestId").textValue()).as("the Lambda RequestId, to find its REPORT line")
        .isEqualTo("r-1");
    assertThat(line.has("responseLatency")).isTrue();
    assertThat(line.has("integrationLatency")).isTrue();
  }

  @Test
  void theTwoAuthorizersEachTakeOnlyTheirOwnAppClients() {
    DevIssuer.Clients clients = DevIssuer.Clients.LOCAL;
    HttpApiSpec api = new HttpApiSpec("MeridianHttpApi", "CustomerJwt", ISSUER, List.of(clients.customer()), "CustomerJwt",
        100, 200, HttpApiSpec.DEFAULT_IDENTITY_SOURCE, List.of(
            new HttpApiSpec.JwtAuthorizerSpec("CustomerJwt", ISSUER, List.of(clients.customer()), null),
            new HttpApiSpec.JwtAuthorizerSpec("AdminJwt", ISSUER, List.of(clients.admin(), clients.operations()), null)));
    RouteTable routes = RouteTable.of(api, List.of(MeridianApi.function("OrdersFunction",
        new HttpRoute("ListOrders", "GET", "/orders", "CustomerJwt", List.of(DevIssuer.CUSTOMER_SCOPE)),
        new HttpRoute("ListConflicts", "GET", "/admin/conflicts", "AdminJwt", List.of(DevIssuer.ADMIN_SCOPE)))));
    HttpApiHandler.Config config = new HttpApiHandler.Config("eu-west-1",
        new PayloadV2.Api("a1b2c3d4e5", "eu-west-1", PayloadV2.ACCOUNT_ID), routes, null, 100, 200, LIMIT,
        Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC), nanos::get, accessLog::add, null,
        Map.of("CustomerJwt", issuer.authorizer(List.of(clients.customer())),
            "AdminJwt", issuer.authorizer(List.of(clients.admin(), clients.operations()))));
    HttpApiHandler handler = new HttpApiHandler(config, (fn, event) -> invoker.invoke(fn, event), null);
    Duration hour = Duration.ofHours(1);

    // A customer-client token that asked for the admin scope: the admin authorizer's audience refuses it.
    String greedy = issuer.token(clients.customer(), "eve", List.of("openid", DevIssuer.ADMIN_SCOPE), List.of(), hour,
        Instant.now());
    GatewayResponse wrongAudience = call(handler, "/admin/conflicts", greedy);
    assertGatewayAnswer(wrongAudience, 401, "Unauthorized");
    assertThat(wrongAudience.header("www-authenticate")).contains("invalid_token", "audience");
    // An administrator's token is no customer token either.
    assertGatewayAnswer(call(handler, "/orders", issuer.adminToken("root", hour)), 401, "Unauthorized");
    // A customer-client token without the customer scope (what an ID token amounts to) lacks the route's scope.
    assertGatewayAnswer(call(handler, "/orders", issuer.token("alice", List.of("openid"), hour)), 403, "Forbidden");
    assertThat(calls).isEmpty();

    assertThat(call(handler, "/orders", issuer.customerToken("alice", hour)).status()).isEqualTo(200);
    assertThat(call(handler, "/admin/conflicts", issuer.adminToken("root", hour)).status()).isEqualTo(200);
    assertThat(call(handler, "/admin/conflicts", issuer.operationsToken(hour)).status()).isEqualTo(200);
    // An admin-client token without the group passes the gateway: the group is the function's to check.
    String groupless = issuer.token(clients.admin(), "mallory", List.of(DevIssuer.ADMIN_SCOPE), List.of(), hour, Instant.now());
    assertThat(call(handler, "/admin/conflicts", groupless).status()).isEqualTo(200);
    assertThat(calls).extracting(c -> c.event().at("/requestContext/authorizer/jwt/claims/client_id").textValue())
        .containsExactly(clients.customer(), clients.admin(), clients.operations(), clients.admin());
    assertThat(calls.get(1).event().at("/requestContext/authorizer/jwt/claims/cognito:groups").textValue())
        .isEqualTo("[" + DevIssuer.ADMIN_GROUP + "]");
  }

  private static GatewayResponse call(HttpApiHandler handler, String path, String token) {
    return handler.handle(GatewayRequest.builder("GET", path).header("Authorization", "Bearer " + token).build());
  }

  @Test
  void gatewayAnswersCarryTheirMessageAndRequestId() {
    HttpApiHandler handler = handler(100, 200);
    GatewayResponse notFound = handler.handle(GatewayRequest.builder("GET", "/nope").build());
    assertGatewayAnswer(notFound, 404, "Not Found");
    assertGatewayAnswer(handler.handle(GatewayRequest.builder("DELETE", "/orders/o-1").build()), 404, "Not Found");
    assertThat(parse(accessLog.get(0)).get("routeKey").textValue()).isEqualTo("-");
    assertThat(calls).isEmpty();
  }

  @Test
  void jwtRoutesNeedAValidTokenAndAdminRoutesTheScope() {
    HttpApiHandler handler = handler(100, 200);
    GatewayResponse missing = handler.handle(GatewayRequest.builder("GET", "/orders").build());
    assertGatewayAnswer(missing, 401, "Unauthorized");
    assertThat(missing.header("www-authenticate")).isEqualTo("Bearer scope=\"\"");

    GatewayResponse garbage = handler.handle(GatewayRequest.builder("GET", "/orders").header("Authorization", "Bearer x.y.z").build());
    assertGatewayAnswer(garbage, 401, "Unauthorized");
    assertThat(garbage.header("www-authenticate")).contains("error=\"invalid_token\"");

    GatewayResponse forbidden = handler.handle(GatewayRequest.builder("GET", "/admin/conflicts")
        .header("Authorization", "Bearer " + customer()).build());
    assertGatewayAnswer(forbidden, 403, "Forbidden");
    assertThat(forbidden.header("www-authenticate")).contains("error=\"insufficient_scope\"", "meridian/admin");
    assertThat(calls).isEmpty();
    assertThat(parse(accessLog.get(2)).get("authorizerError").textValue()).contains("expected scopes");

    GatewayResponse admin = handler.handle(GatewayRequest.builder("GET", "/admin/conflicts")
        .header("Authorization", "Bearer " + issuer.token("root", List.of(DevIssuer.ADMIN_SCOPE), Duration.ofHours(1))).build());
    assertThat(admin.status()).isEqualTo(200);
    assertThat(calls).extracting(Call::function).containsExactly("OrdersFunction");
    assertThat(calls.get(0).event().at("/requestContext/authorizer/jwt/scopes/0").textValue()).isEqualTo("meridian/admin");
  }

  @Test
  void theTokenIsReadFromTheApisIdentitySource() {
    HttpApiHandler byHeader = new HttpApiHandler(config(100, 200, Duration.ofSeconds(30), "$request.header.X-Api-Token"),
        this::echo, null);
    assertThat(byHeader.handle(GatewayRequest.builder("GET", "/orders").header("Authorization", "Bearer " + customer())
        .build()).status()).isEqualTo(401);
    assertThat(byHeader.handle(GatewayRequest.builder("GET", "/orders").header("x-api-token", customer())
        .build()).status()).isEqualTo(200);
    HttpApiHandler byQuery = new HttpApiHandler(config(100, 200, Duration.ofSeconds(30), "$request.querystring.token"),
        this::echo, null);
    assertThat(byQuery.handle(GatewayRequest.builder("GET", "/orders?token=" + customer()).build()).status()).isEqualTo(200);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(1, 1, Duration.ofSeconds(1), "$context.identity.sourceIp"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void healthIsPublic() {
    GatewayResponse response = handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build());
    assertThat(response.status()).isEqualTo(200);
    assertThat(calls).extracting(Call::function).containsExactly("HealthFunction");
    assertThat(calls.get(0).event().at("/requestContext").has("authorizer")).isFalse();
  }

  @Test
  void anOversizedBodyIs413BeforeTheFunctionAndReadsAtMostTheLimitPlusOne() {
    HttpApiHandler handler = handler(100, 200);
    CountingStream stream = new CountingStream(70 * 1024);
    GatewayResponse response = handler.handle(GatewayRequest.builder("POST", "/orders")
        .header("Authorization", "Bearer " + customer()).header("Content-Type", "application/json").body(stream).build());
    assertGatewayAnswer(response, 413, "Request Entity Too Large");
    assertThat(stream.read).isEqualTo(LIMIT + 1);
    assertThat(calls).isEmpty();
  }

  @Test
  void aDeclaredOversizedBodyIsRefusedWithoutReadingIt() {
    HttpApiHandler handler = handler(100, 200);
    CountingStream stream = new CountingStream(70 * 1024);
    GatewayResponse response = handler.handle(GatewayRequest.builder("POST", "/orders")
        .header("Content-Length", Integer.toString(70 * 1024)).body(stream).build());
    assertGatewayAnswer(response, 413, "Request Entity Too Large");
    assertThat(stream.read).isZero();
    assertThat(calls).isEmpty();
  }

  @Test
  void exactlyTheLimitIsAccepted() {
    HttpApiHandler handler = handler(100, 200);
    GatewayResponse response = handler.handle(GatewayRequest.builder("POST", "/orders")
        .header("Authorization", "Bearer " + customer()).header("Content-Type", "text/plain")
        .body(new CountingStream(LIMIT)).build());
    assertThat(response.status()).isEqualTo(200);
    assertThat(calls.get(0).event().get("body").textValue()).hasSize(LIMIT);
  }

  @Test
  void eachRouteIsThrottledWithTheStageRateAndBurst() {
    HttpApiHandler handler = handler(1, 2);
    GatewayRequest health = GatewayRequest.builder("GET", "/health").build();
    assertThat(handler.handle(health).status()).isEqualTo(200);
    assertThat(handler.handle(health).status()).isEqualTo(200);
    GatewayResponse throttled = handler.handle(health);
    assertGatewayAnswer(throttled, 429, "Too Many Requests");
    assertThat(calls).hasSize(2);
    // Another route has its own bucket; a throttled request is refused before the authorizer.
    assertThat(handler.handle(GatewayRequest.builder("GET", "/orders").build()).status()).isEqualTo(401);
    nanos.addAndGet(1_000_000_000L);
    assertThat(handler.handle(health).status()).isEqualTo(200);
    assertThat(handler.handle(health).status()).isEqualTo(429);
  }

  @Test
  void aRouteThrottleAndANamedStageKeepBucketsOfTheirOwn() {
    RouteTable routes = RouteTable.of(MeridianApi.api(ISSUER, 100, 200), MeridianApi.functions());
    HttpApiHandler handler = new HttpApiHandler(new HttpApiHandler.Config("eu-west-1",
        new PayloadV2.Api("a1b2c3d4e5", "eu-west-1", PayloadV2.ACCOUNT_ID), routes, authorizer, 100, 200, LIMIT,
        Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC), nanos::get, accessLog::add, null,
        Map.of("GET /health", new HttpApiSpec.Throttle(1, 2)), Map.of("s3cr3t", new HttpApiSpec.Throttle(1, 3))),
        (fn, event) -> invoker.invoke(fn, event), null);
    GatewayRequest publicHealth = GatewayRequest.builder("GET", "/health").build();
    GatewayRequest checkerHealth = GatewayRequest.builder("GET", "/s3cr3t/health").build();
    // The public route's own throttle (burst 2), not the API's default (200).
    assertThat(handler.handle(publicHealth).status()).isEqualTo(200);
    assertThat(handler.handle(publicHealth).status()).isEqualTo(200);
    assertThat(handler.handle(publicHealth).status()).isEqualTo(429);
    // Random paths match no route and take no token from any bucket.
    for (int i = 0; i < 10; i++) {
      assertThat(handler.handle(GatewayRequest.builder("GET", "/s3cr3u/health-" + i).build()).status()).isEqualTo(404);
    }
    // The named stage's GET /health has its own bucket (burst 3), untouched by the public flood.
    for (int i = 0; i < 3; i++) {
      assertThat(handler.handle(checkerHealth).status()).as("checker request " + i).isEqualTo(200);
    }
    assertThat(handler.handle(checkerHealth).status()).isEqualTo(429);
    assertThat(handler.handle(publicHealth).status()).isEqualTo(429);
    JsonNode checkerEvent = calls.get(calls.size() - 1).event();
    assertThat(checkerEvent.at("/requestContext/stage").textValue()).isEqualTo("s3cr3t");
    assertThat(checkerEvent.get("routeKey").textValue()).isEqualTo("GET /health");
    assertThat(checkerEvent.get("rawPath").textValue()).isEqualTo("/s3cr3t/health");
    assertThat(calls.get(0).event().at("/requestContext/stage").textValue()).isEqualTo("$default");
  }

  @Test
  void functionFailuresMapToApiGatewaysAnswers() {
    invoker = (fn, event) -> new InvokeResult("r", InvokeResult.Status.FUNCTION_ERROR,
        "{\"errorMessage\":\"boom\",\"errorType\":\"RuntimeException\"}".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3), false);
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");
    assertThat(parse(accessLog.get(0)).get("integrationError").textValue()).isEqualTo("function error: RuntimeException: boom");

    // A function that runs past its own timeout is a function error to API Gateway (Lambda reports
    // "Task timed out" with X-Amz-Function-Error: Unhandled), and so is a crashed runtime.
    invoker = (fn, event) -> new InvokeResult("timed-out-request", InvokeResult.Status.TIMEOUT, new byte[0],
        Duration.ofSeconds(10), false);
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");
    JsonNode timedOut = parse(accessLog.get(1));
    assertThat(timedOut.get("integrationError").textValue()).isEqualTo("function timed out after 10000 ms");
    assertThat(timedOut.get("integrationRequestId").textValue()).isEqualTo("timed-out-request");

    invoker = (fn, event) -> new InvokeResult("r", InvokeResult.Status.RUNTIME_ERROR, new byte[0], Duration.ZERO, true);
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");

    // A throttled Lambda (429 TooManyRequestsException to a direct caller) is an integration
    // failure to an HTTP API, which answers 500 like the others, never the 429.
    invoker = (fn, event) -> new InvokeResult("throttled-request", InvokeResult.Status.THROTTLED,
        "{\"errorMessage\":\"Rate Exceeded.\",\"errorType\":\"TooManyRequestsException\"}"
            .getBytes(StandardCharsets.UTF_8), Duration.ZERO, false);
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");
    assertThat(parse(accessLog.get(accessLog.size() - 1)).get("integrationError").textValue())
        .isEqualTo("Lambda throttled: TooManyRequestsException: Rate Exceeded.");

    invoker = (fn, event) -> new InvokeResult("r", InvokeResult.Status.SUCCESS, "<html>".getBytes(StandardCharsets.UTF_8), Duration.ZERO, false);
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");

    invoker = (fn, event) -> {
      throw new IllegalStateException("invoker bug");
    };
    assertGatewayAnswer(handler(100, 200).handle(GatewayRequest.builder("GET", "/health").build()), 500, "Internal Server Error");
  }

  @Test
  void aFunctionSlowerThanTheIntegrationTimeoutIs503() {
    integrations = Executors.newCachedThreadPool();
    invoker = (fn, event) -> {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return echo(fn, event);
    };
    HttpApiHandler handler = new HttpApiHandler(config(100, 200, Duration.ofMillis(200)), invoker, function -> integrations);
    long start = System.nanoTime();
    assertGatewayAnswer(handler.handle(GatewayRequest.builder("GET", "/health").build()), 503, "Service Unavailable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(parse(accessLog.get(0)).get("integrationError").textValue()).contains("integration timed out");
  }

  @Test
  void callersQueuedOnOneFunctionDoNotTakeTheThreadsAnotherFunctionNeeds() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    invoker = (fn, event) -> {
      if (fn.equals("HealthFunction")) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return echo(fn, event);
    };
    Map<String, ExecutorService> pools = new java.util.concurrent.ConcurrentHashMap<>();
    HttpApiHandler handler = new HttpApiHandler(config(100, 200, Duration.ofMillis(200)), invoker,
        function -> pools.computeIfAbsent(function, f -> new java.util.concurrent.ThreadPoolExecutor(0, 1, 60,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>())));
    try {
      GatewayRequest health = GatewayRequest.builder("GET", "/health").build();
      assertGatewayAnswer(handler.handle(health), 503, "Service Unavailable"); // its thread stays blocked
      assertGatewayAnswer(handler.handle(health), 503, "Service Unavailable");
      assertThat(parse(accessLog.get(1)).get("integrationError").textValue()).isEqualTo("no capacity to invoke HealthFunction");
      GatewayResponse catalog = handler.handle(GatewayRequest.builder("GET", "/products/cup")
          .header("Authorization", "Bearer " + customer()).build());
      assertThat(catalog.status()).as("another function still has its threads").isEqualTo(200);
    } finally {
      release.countDown();
      pools.values().forEach(ExecutorService::shutdownNow);
    }
  }

  @Test
  void requestIdsLookLikeApiGateways() {
    assertThat(HttpApiHandler.newRequestId()).matches("[A-Za-z0-9+/]{15}=");
    assertThat(HttpApiHandler.newRequestId()).isNotEqualTo(HttpApiHandler.newRequestId());
  }

  // ---------------------------------------------------------------- helpers

  private HttpApiHandler handler(double rate, int burst) {
    return new HttpApiHandler(config(rate, burst, Duration.ofSeconds(30)), (fn, event) -> invoker.invoke(fn, event), null);
  }

  private HttpApiHandler.Config config(double rate, int burst, Duration timeout) {
    return config(rate, burst, timeout, null);
  }

  private HttpApiHandler.Config config(double rate, int burst, Duration timeout, String identitySource) {
    RouteTable routes = RouteTable.of(MeridianApi.api(ISSUER, rate, burst), MeridianApi.functions());
    return new HttpApiHandler.Config("eu-west-1", new PayloadV2.Api("a1b2c3d4e5", "eu-west-1", PayloadV2.ACCOUNT_ID),
        routes, authorizer, rate, burst, LIMIT, timeout, Clock.fixed(NOW, ZoneOffset.UTC), nanos::get, accessLog::add,
        identitySource);
  }

  private String customer() {
    return issuer.token("alice", List.of(), Duration.ofHours(1));
  }

  /** Records the call and answers with the event's route, as a structured response. */
  private InvokeResult echo(String function, byte[] event) {
    JsonNode node = parse(new String(event, StandardCharsets.UTF_8));
    calls.add(new Call(function, node));
    String body = JSON.createObjectNode().put("routeKey", node.get("routeKey").textValue()).toString();
    String payload = JSON.createObjectNode().put("statusCode", 200).put("body", body)
        .set("headers", JSON.createObjectNode().put("content-type", "application/json")).toString();
    return new InvokeResult("r-" + calls.size(), InvokeResult.Status.SUCCESS, payload.getBytes(StandardCharsets.UTF_8),
        Duration.ofMillis(5), false);
  }

  private static void assertGatewayAnswer(GatewayResponse response, int status, String message) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    assertThat(response.bodyText()).isEqualTo("{\"message\":\"" + message + "\"}");
    assertThat(response.header("apigw-requestid")).hasSize(16);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  /** {@code size} bytes of 'a', counting what was read. */
  static final class CountingStream extends InputStream {
    final int size;
    int read;

    CountingStream(int size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return 'a';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= size) {
        return -1;
      }
      int n = Math.min(len, size - read);
      java.util.Arrays.fill(b, off, off + n, (byte) 'a');
      read += n;
      return n;
    }
  }
}
