package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuer over real HTTP: discovery, JWKS, and tokens that survive a restart. */
class DevIssuerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void servesDiscoveryAndJwksLikeAnOidcProvider() throws Exception {
    try (DevIssuer issuer = DevIssuer.start(dir, 0)) {
      assertThat(issuer.issuer()).isEqualTo("http://127.0.0.1:" + issuer.port());
      HttpResponse<String> discovery = get(issuer.discoveryUri());
      assertThat(discovery.statusCode()).isEqualTo(200);
      assertThat(discovery.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode doc = JSON.readTree(discovery.body());
      assertThat(doc.get("issuer").textValue()).isEqualTo(issuer.issuer());
      assertThat(doc.get("jwks_uri").textValue()).isEqualTo(issuer.issuer() + "/.well-known/jwks.json");

      JsonNode jwks = JSON.readTree(get(URI.create(doc.get("jwks_uri").textValue())).body());
      assertThat(jwks.get("keys")).hasSize(1);
      JsonNode key = jwks.get("keys").get(0);
      assertThat(key.get("kty").textValue()).isEqualTo("RSA");
      assertThat(key.get("kid").textValue()).isEqualTo(issuer.keyId());
      assertThat(key.get("use").textValue()).isEqualTo("sig");
      assertThat(key.get("alg").textValue()).isEqualTo("RS256");
      assertThat(key.has("d")).as("no private parameter is published").isFalse();
      assertThat(key.has("p")).isFalse();

      assertThat(get(URI.create(issuer.issuer() + "/token")).statusCode()).isEqualTo(404);
      assertThat(DevIssuer.readMetadata(dir)).hasValue(new DevIssuer.Metadata(issuer.issuer(), DevIssuer.Clients.LOCAL));
    }
  }

  @Test
  void aTokenStaysValidAcrossARestartOnTheSamePort() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String token;
    String kid;
    try (DevIssuer first = DevIssuer.start(dir, port)) {
      token = first.token("alice", List.of(DevIssuer.ADMIN_SCOPE), Duration.ofHours(1));
      kid = first.keyId();
    }
    try (DevIssuer second = DevIssuer.start(dir, port)) {
      assertThat(second.keyId()).isEqualTo(kid);
      JwtAuthorizer authorizer = JwtAuthorizer.fromDiscovery(second.issuer(), List.of(DevIssuer.Clients.LOCAL.customer()));
      assertThat(authorizer.authorize("Bearer " + token, List.of(DevIssuer.ADMIN_SCOPE)))
          .isInstanceOf(JwtAuthorizer.Allowed.class);
    }
  }

  @Test
  void portZeroReusesThePreviousPortSoTheIssuerUrlIsStable() throws Exception {
    String token;
    String issuerUrl;
    try (DevIssuer first = DevIssuer.start(dir, 0)) {
      issuerUrl = first.issuer();
      token = first.token("alice", List.of(), Duration.ofHours(1));
    }
    try (DevIssuer second = DevIssuer.start(dir, 0)) {
      assertThat(second.issuer()).isEqualTo(issuerUrl);
      assertThat(JwtAuthorizer.fromDiscovery(second.issuer(), List.of(DevIssuer.Clients.LOCAL.customer())).authorize(token, List.of()))
          .isInstanceOf(JwtAuthorizer.Allowed.class);
      // While that port is taken, another start in the same directory gets a free port.
      try (DevIssuer third = DevIssuer.start(dir, 0)) {
        assertThat(third.port()).isNotEqualTo(second.port());
      }
    }
  }

  @Test
  void anUnreachableIssuerMeansNoTokenPasses() throws Exception {
    String issuerUrl;
    String token;
    try (DevIssuer issuer = DevIssuer.start(dir, 0)) {
      issuerUrl = issuer.issuer();
      token = issuer.token("alice", List.of(), Duration.ofHours(1));
    }
    JwtAuthorizer.Decision decision = JwtAuthorizer.fromDiscovery(issuerUrl, List.of(DevIssuer.Clients.LOCAL.customer()))
        .authorize("Bearer " + token, List.of());
    assertThat(decision).isInstanceOfSatisfying(JwtAuthorizer.Denied.class, denied -> {
      assertThat(denied.status()).isEqualTo(401);
      assertThat(denied.description()).contains("could not be fetched");
    });
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
