package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.meridian.tools.local.jwt.DevIssuer;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payload format 2.0 event, field by field, against a golden event. */
class PayloadV2Test {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-26T04:34:37Z");
  static final String ISSUER = "http://127.0.0.1:9400";
  static final String REQUEST_ID = "Mc7UVioPPHcEKPA=";
  static final PayloadV2.Api API = new PayloadV2.Api("a1b2c3d4e5", "eu-west-1", PayloadV2.ACCOUNT_ID);

  /**
   * What API Gateway sends CatalogFunction for {@code GET /products/cup?limit=2} with a customer
   * token ({@code ${token}} is the token, whose signature varies with the key).
   */
  static final String GOLDEN = """
      {
        "version": "2.0",
        "routeKey": "GET /products/{id}",
        "rawPath": "/products/cup",
        "rawQueryString": "limit=2",
        "cookies": ["session=abc", "theme=dark"],
        "headers": {
          "accept": "application/json",
          "accept-encoding": "gzip, br",
          "authorization": "Bearer ${token}",
          "host": "127.0.0.1:8081",
          "user-agent": "curl/8.5.0",
          "x-amzn-trace-id": "Root=1-6b07b6dd-bb0753a6c0615e62817b16e0",
          "x-forwarded-for": "203.0.113.7",
          "x-forwarded-port": "8081",
          "x-forwarded-proto": "http",
          "x-meridian-tag": "a,b"
        },
        "queryStringParameters": { "limit": "2" },
        "requestContext": {
          "accountId": "123456789012",
          "apiId": "a1b2c3d4e5",
          "authorizer": {
            "jwt": {
              "claims": {
                "iss": "http://127.0.0.1:9400",
                "aud": "meridian-local-customer",
                "sub": "alice",
                "iat": "1795667077",
                "nbf": "1795667077",
                "exp": "1795670677",
                "jti": "9a3f0b8e-1111-4c2d-9e0f-3a4b5c6d7e8f",
                "token_use": "access",
                "scope": "openid",
                "cognito:groups": "[customers beta]"
              },
              "scopes": null
            }
          },
          "domainName": "127.0.0.1:8081",
          "domainPrefix": "127.0.0.1",
          "http": {
            "method": "GET",
            "path": "/products/cup",
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.7",
            "userAgent": "curl/8.5.0"
          },
          "requestId": "Mc7UVioPPHcEKPA=",
          "routeKey": "GET /products/{id}",
          "stage": "$default",
          "time": "26/Nov/2026:04:34:37 +0000",
          "timeEpoch": 1795667677000
        },
        "pathParameters": { "id": "cup" },
        "isBase64Encoded": false
      }
      """;

  @TempDir static Path dir;
  DevIssuer issuer;
  JwtAuthorizer authorizer;
  RouteTable routes;

  @BeforeEach
  void setUp() throws Exception {
    issuer = DevIssuer.offline(dir, ISSUER);
    authorizer = issuer.authorizer(List.of(MeridianApi.AUDIENCE)).withClock(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
    routes = RouteTable.of(MeridianApi.api(ISSUER, 100, 200), MeridianApi.functions());
  }

  @Test
  void getProductWithATokenMatchesTheGoldenEvent() throws Exception {
    Instant iat = NOW.minus(Duration.ofMinutes(10));
    String token = issuer.sign(new JWTClaimsSet.Builder()
        .issuer(ISSUER).audience(MeridianApi.AUDIENCE).subject("alice")
        .issueTime(Date.from(iat)).notBeforeTime(Date.from(iat)).expirationTime(Date.from(iat.plus(Duration.ofHours(1))))
        .jwtID("9a3f0b8e-1111-4c2d-9e0f-3a4b5c6d7e8f").claim("token_use", "access").claim("scope", "openid")
        .claim("cognito:groups", List.of("customers", "beta"))
        .build());
    GatewayRequest request = GatewayRequest.builder("GET", "/products/cup?limit=2")
        .header("Host", "127.0.0.1:8081")
        .header("User-Agent", "curl/8.5.0")
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip, br")
        .header("Authorization", "Bearer " + token)
        .header("Cookie", "session=abc; theme=dark")
        .header("X-Meridian-Tag", "a")
        .header("x-meridian-tag", "b")
        .sourceIp("203.0.113.7")
        .localPort(8081)
        .build();

    ObjectNode event = event(request, (JwtAuthorizer.Allowed) authorizer.authorize(request.headerValue("Authorization"),
        List.of()), null);

    assertThat(event).isEqualTo(JSON.readTree(GOLDEN.replace("${token}", token)));
    List<String> order = new ArrayList<>();
    event.fieldNames().forEachRemaining(order::add);
    assertThat(order).containsExactly("version", "routeKey", "rawPath", "rawQueryString", "cookies", "headers",
        "queryStringParameters", "requestContext", "pathParameters", "isBase64Encoded");
  }

  @Test
  void aPublicRouteHasNoAuthorizerAndNoEmptyCollections() {
    ObjectNode event = event(GatewayRequest.builder("GET", "/health").build(), null, null);
    assertThat(event.get("routeKey").textValue()).isEqualTo("GET /health");
    assertThat(event.get("rawQueryString").textValue()).isEmpty();
    assertThat(event.has("cookies")).isFalse();
    assertThat(event.has("queryStringParameters")).isFalse();
    assertThat(event.has("pathParameters")).isFalse();
    assertThat(event.has("body")).isFalse();
    assertThat(event.get("isBase64Encoded").booleanValue()).isFalse();
    assertThat(event.get("requestContext").has("authorizer")).isFalse();
    assertThat(event.at("/requestContext/http/userAgent").textValue()).isEmpty();
    // No Host: the execute-api name of the region's API.
    assertThat(event.at("/requestContext/domainName").textValue()).isEqualTo("a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
    assertThat(event.at("/requestContext/domainPrefix").textValue()).isEqualTo("a1b2c3d4e5");
  }

  @Test
  void queryParametersAreDecodedAndRepeatsJoinedWithCommas() {
    ObjectNode event = event(GatewayRequest.builder("GET", "/products?tag=a&tag=b%2Cc&q=blue+cup&flag&=x&&empty=").build(),
        null, null);
    assertThat(event.get("rawQueryString").textValue()).isEqualTo("tag=a&tag=b%2Cc&q=blue+cup&flag&=x&&empty=");
    JsonNode query = event.get("queryStringParameters");
    assertThat(query.get("tag").textValue()).isEqualTo("a,b,c");
    assertThat(query.get("q").textValue()).isEqualTo("blue cup");
    assertThat(query.get("flag").textValue()).isEmpty();
    assertThat(query.get("empty").textValue()).isEmpty();
    assertThat(query.get("").textValue()).isEqualTo("x");
  }

  @Test
  void textBodiesArePassedAsTextOthersAsBase64() {
    byte[] json = "{\"lines\":[{\"productId\":\"cup\",\"quantity\":2}]}".getBytes(StandardCharsets.UTF_8);
    assertBody("application/json", json, false);
    assertBody("application/json; charset=utf-8", json, false);
    assertBody("application/merge-patch+json", json, false);
    assertBody("text/plain", "héllo".getBytes(StandardCharsets.UTF_8), false);
    assertBody("application/xml", "<a/>".getBytes(StandardCharsets.UTF_8), false);
    assertBody("application/octet-stream", new byte[] {0, 1, 2, (byte) 0xff}, true);
    assertBody("application/x-www-form-urlencoded", "a=1&b=2".getBytes(StandardCharsets.UTF_8), true);
    assertBody("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, true);
    assertBody(null, json, true);
  }

  @Test
  void adminRoutesCarryTheTokensScopes() {
    Instant iat = NOW.minusSeconds(5);
    String token = issuer.token("root", List.of("openid", "meridian/admin"), Duration.ofHours(1), iat);
    var allowed = (JwtAuthorizer.Allowed) authorizer.authorize(token, List.of("meridian/admin"));
    GatewayRequest request = GatewayRequest.builder("PUT", "/products/cup").header("Authorization", token).build();
    ObjectNode event = event(request, allowed, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(event.at("/requestContext/authorizer/jwt/scopes").toString()).isEqualTo("[\"openid\",\"meridian/admin\"]");
    assertThat(event.at("/requestContext/authorizer/jwt/claims/sub").textValue()).isEqualTo("root");
    assertThat(event.at("/requestContext/authorizer/jwt/claims/exp").textValue())
        .isEqualTo(Long.toString(iat.getEpochSecond() + 3600));
  }

  @Test
  void forwardingHeadersAreAppendedAndAClientTraceIdKept() {
    GatewayRequest request = GatewayRequest.builder("GET", "/health")
        .header("X-Forwarded-For", "198.51.100.1")
        .header("X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000001")
        .sourceIp("10.0.0.2")
        .build();
    JsonNode headers = event(request, null, null).get("headers");
    assertThat(headers.get("x-forwarded-for").textValue()).isEqualTo("198.51.100.1, 10.0.0.2");
    assertThat(headers.get("x-amzn-trace-id").textValue()).isEqualTo("Root=1-00000000-000000000000000000000001");
  }

  @Test
  void timeIsInApiGatewaysFormat() {
    assertThat(PayloadV2.formatTime(Instant.parse("2026-01-05T23:04:05.678Z"))).isEqualTo("05/Jan/2026:23:04:05 +0000");
  }

  @Test
  void domainPrefixes() {
    assertThat(PayloadV2.domainPrefix("abc123.execute-api.us-east-1.amazonaws.com")).isEqualTo("abc123");
    assertThat(PayloadV2.domainPrefix("api.example.com")).isEqualTo("api");
    assertThat(PayloadV2.domainPrefix("localhost:8080")).isEqualTo("localhost");
    assertThat(PayloadV2.domainPrefix("[::1]:8080")).isEqualTo("[::1]");
  }

  private void assertBody(String contentType, byte[] body, boolean base64) {
    GatewayRequest.Builder builder = GatewayRequest.builder("POST", "/orders");
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    ObjectNode event = event(builder.build(), null, body);
    assertThat(event.get("isBase64Encoded").booleanValue()).as(contentType).isEqualTo(base64);
    String expected = base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8);
    assertThat(event.get("body").textValue()).as(contentType).isEqualTo(expected);
  }

  private ObjectNode event(GatewayRequest request, JwtAuthorizer.Allowed allowed, byte[] body) {
    RouteTable.Match match = routes.match(request.method(), request.rawPath()).orElseThrow();
    return PayloadV2.event(API, request, match, allowed, body, REQUEST_ID, NOW);
  }
}
