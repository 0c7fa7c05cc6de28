package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.meridian.tools.local.jwt.DevIssuer;
import dev.meridian.tools.local.lambda.Invoker;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link DevIssuer} and a real {@link HttpApiGateway} over sockets (the authorizer finds
 * the issuer's keys through its discovery document, as API Gateway does), with a fake invoker.
 */
class HttpApiGatewayIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static DevIssuer issuer;
  static HttpApiGateway gateway;
  static final List<String> invoked = new CopyOnWriteArrayList<>();
  static final List<JsonNode> events = new CopyOnWriteArrayList<>();
  static final List<String> accessLog = new CopyOnWriteArrayList<>();

  final HttpClient http = client();

  @BeforeAll
  static void start() throws Exception {
    issuer = DevIssuer.start(dir.resolve("jwt"), 0);
    Invoker invoker = (function, event) -> {
      JsonNode node;
      try {
        node = JSON.readTree(event);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      invoked.add(function);
      events.add(node);
      String body = JSON.createObjectNode()
          .put("function", function)
          .put("routeKey", node.get("routeKey").textValue())
          .put("sub", node.at("/requestContext/authorizer/jwt/claims/sub").asText(null))
          .toString();
      String payload = JSON.createObjectNode().put("statusCode", 200).put("body", body)
          .set("headers", JSON.createObjectNode().put("Content-Type", "application/json")).toString();
      return new InvokeResult("fn-req", InvokeResult.Status.SUCCESS, payload.getBytes(StandardCharsets.UTF_8),
          Duration.ofMillis(3), false);
    };
    gateway = HttpApiGateway.builder("eu-west-1", MeridianApi.api(issuer.issuer(), 1000, 1000), MeridianApi.functions(), invoker)
        .accessLog(accessLog::add)
        // The functions' limit rather than API Gateway's 10 MB: the refusal races a short upload, cheaply.
        .maxBodyBytes(64 * 1024)
        .start();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @BeforeEach
  void reset() {
    invoked.clear();
    events.clear();
  }

  @AfterEach
  void reopen() throws IOException {
    gateway.setMode(HttpApiGateway.Mode.OPEN);
  }

  @Test
  void aCustomerTokenWorksOnACustomerRoute() throws Exception {
    HttpResponse<String> response = send(get("/orders/o-42?expand=lines").header("Authorization", "Bearer " + customer()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("function").textValue()).isEqualTo("OrdersFunction");
    assertThat(body.get("routeKey").textValue()).isEqualTo("GET /orders/{id}");
    assertThat(body.get("sub").textValue()).isEqualTo("alice");
    JsonNode event = events.get(0);
    assertThat(event.at("/pathParameters/id").textValue()).isEqualTo("o-42");
    assertThat(event.at("/queryStringParameters/expand").textValue()).isEqualTo("lines");
    assertThat(event.at("/requestContext/http/sourceIp").textValue()).isEqualTo("127.0.0.1");
    assertThat(event.at("/headers/x-forwarded-port").textValue()).isEqualTo(Integer.toString(gateway.port()));
    assertThat(response.headers().firstValue("apigw-requestid"))
        .hasValue(event.at("/requestContext/requestId").textValue());
    assertThat(accessLog).anySatisfy(line -> assertThat(line).contains("\"routeKey\":\"GET /orders/{id}\"", "\"status\":\"200\""));
  }

  @Test
  void aMissingTokenIs401() throws Exception {
    assertUnauthorized(send(get("/orders")));
  }

  @Test
  void anExpiredTokenIs401() throws Exception {
    String expired = issuer.token("alice", List.of(), Duration.ofMinutes(5), Instant.now().minus(Duration.ofHours(1)));
    assertUnauthorized(send(get("/orders").header("Authorization", "Bearer " + expired)));
  }

  @Test
  void aTokenForAnotherAudienceIs401() throws Exception {
    String other = issuer.sign(claims().audience("another-api").build());
    assertUnauthorized(send(get("/orders").header("Authorization", "Bearer " + other)));
  }

  @Test
  void aTokenWithAWrongSignatureIs401() throws Exception {
    DevIssuer stranger = DevIssuer.offline(dir.resolve("stranger"), issuer.issuer());
    // Unknown kid (the gateway refetches the JWKS, still no such key).
    assertUnauthorized(send(get("/orders").header("Authorization",
        "Bearer " + stranger.token("alice", List.of(), Duration.ofHours(1)))));
    // The real kid, signed with another key.
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(), claims().build());
    forged.sign(new RSASSASigner(RSAKey.parse(Files.readString(dir.resolve("stranger").resolve(DevIssuer.KEY_FILE)))));
    assertUnauthorized(send(get("/orders").header("Authorization", "Bearer " + forged.serialize())));
    // A genuine token with its payload edited.
    String[] parts = customer().split("\\.");
    String edited = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"alice\"", "\"mallory\"").getBytes(StandardCharsets.UTF_8));
    assertUnauthorized(send(get("/orders").header("Authorization", "Bearer " + parts[0] + "." + edited + "." + parts[2])));
  }

  @Test
  void aCustomerTokenOnAnAdminRouteIs403() throws Exception {
    HttpResponse<String> response = send(get("/admin/conflicts").header("Authorization", "Bearer " + customer()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("{\"message\":\"Forbidden\"}");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("insufficient_scope"));
    assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    assertThat(invoked).isEmpty();
  }

  @Test
  void anAdminTokenPasses() throws Exception {
    String admin = issuer.token("root", List.of(DevIssuer.ADMIN_SCOPE), Duration.ofHours(1));
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/admin/control/kill-switch/eu-west-1"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(invoked).containsExactly("OrdersFunction");
    JsonNode event = events.get(0);
    assertThat(event.at("/routeKey").textValue()).isEqualTo("PUT /admin/control/kill-switch/{region}");
    assertThat(event.at("/pathParameters/region").textValue()).isEqualTo("eu-west-1");
    assertThat(event.at("/body").textValue()).isEqualTo("{\"enabled\":true}");
    assertThat(event.at("/requestContext/authorizer/jwt/scopes/0").textValue()).isEqualTo(DevIssuer.ADMIN_SCOPE);
  }

  @Test
  void healthIsPublic() throws Exception {
    HttpResponse<String> response = send(get("/health"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(invoked).containsExactly("HealthFunction");
    assertThat(events.get(0).at("/requestContext").has("authorizer")).isFalse();
  }

  @Test
  void anUnknownRouteIs404() throws Exception {
    HttpResponse<String> response = send(get("/no/such/route"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    assertThat(invoked).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIs413FromTheGatewayAndTheFunctionIsNeverCalled() throws Exception {
    byte[] body = new byte[70 * 1024];
    java.util.Arrays.fill(body, (byte) 'x');
    // With Content-Length, and chunked (no length declared: the gateway counts what it reads);
    // repeated, since an early answer racing the upload is what can go wrong.
    List<HttpRequest.BodyPublisher> publishers = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      publishers.add(HttpRequest.BodyPublishers.ofByteArray(body));
      publishers.add(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    }
    for (HttpRequest.BodyPublisher publisher : publishers) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
          .header("Authorization", "Bearer " + customer()).header("Content-Type", "application/json")
          .POST(publisher));
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
      assertThat(response.body()).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
    }
    assertThat(invoked).isEmpty();
    // The gateway still serves afterwards.
    assertThat(send(get("/health")).statusCode()).isEqualTo(200);
  }

  @Test
  void blackholeMakesRequestsTimeOutAndOpenRestoresService() throws Exception {
    assertThat(send(get("/health")).statusCode()).isEqualTo(200); // a pooled connection exists
    gateway.setMode(HttpApiGateway.Mode.BLACKHOLE);
    assertThat(gateway.mode()).isEqualTo(HttpApiGateway.Mode.BLACKHOLE);
    invoked.clear();
    long start = System.nanoTime();
    assertThatThrownBy(() -> send(get("/health").timeout(Duration.ofMillis(700)))).isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    // A fresh connection is accepted (no refusal) but never answered either.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 2000);
      socket.setSoTimeout(700);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
    }
    assertThat(invoked).isEmpty();

    gateway.setMode(HttpApiGateway.Mode.OPEN);
    assertThat(send(get("/health")).statusCode()).isEqualTo(200);
    assertThat(invoked).containsExactly("HealthFunction");
  }

  @Test
  void refuseMakesConnectionsFailAndOpenListensAgainOnTheSamePort() throws Exception {
    int port = gateway.port();
    assertThat(send(get("/health")).statusCode()).isEqualTo(200);
    gateway.setMode(HttpApiGateway.Mode.REFUSE);
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", port), 2000))
          .isInstanceOf(ConnectException.class);
    }
    assertThatThrownBy(() -> client().send(get("/health").build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    invoked.clear();

    gateway.setMode(HttpApiGateway.Mode.OPEN);
    assertThat(gateway.port()).isEqualTo(port);
    assertThat(send(get("/health")).statusCode()).isEqualTo(200);
    assertThat(invoked).containsExactly("HealthFunction");
  }

  // ---------------------------------------------------------------- helpers

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  private static URI uri(String pathAndQuery) {
    return URI.create(gateway.baseUri() + pathAndQuery);
  }

  private static HttpRequest.Builder get(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String customer() {
    return issuer.token("alice", List.of(), Duration.ofHours(1));
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(MeridianApi.AUDIENCE).subject("alice")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
  }

  private static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
    assertThat(invoked).isEmpty();
  }
}
