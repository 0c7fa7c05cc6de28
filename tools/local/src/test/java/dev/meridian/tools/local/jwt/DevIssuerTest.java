package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Key persistence and token shape (no sockets: the offline issuer). */
class DevIssuerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "http://127.0.0.1:9400";

  @TempDir Path dir;

  @Test
  void theKeyIsCreatedOnceAndReusedSoTokensSurviveARestart() throws Exception {
    DevIssuer first = DevIssuer.offline(dir, ISSUER);
    String token = first.token("alice", List.of(), Duration.ofHours(1));
    DevIssuer second = DevIssuer.offline(dir, ISSUER);
    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(second.authorizer(List.of(DevIssuer.Clients.LOCAL.customer())).authorize(token, List.of()))
        .isInstanceOf(JwtAuthorizer.Allowed.class);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly(DevIssuer.KEY_FILE);
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void theKeyFileIsOwnerOnly() throws Exception {
    DevIssuer.offline(dir, ISSUER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(DevIssuer.KEY_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void theKeyIsRsa2048WithAThumbprintKid() throws Exception {
    DevIssuer issuer = DevIssuer.offline(dir, ISSUER);
    var key = issuer.publicKeys().getKeys().get(0).toRSAKey();
    assertThat(key.size()).isEqualTo(2048);
    assertThat(key.isPrivate()).isFalse();
    assertThat(key.getKeyID()).isEqualTo(key.computeThumbprint().toString());
  }

  @Test
  void tokensCarryTheClaimsTheAuthorizerChecks() throws Exception {
    DevIssuer issuer = DevIssuer.offline(dir, ISSUER);
    Instant iat = Instant.parse("2026-11-26T04:34:37Z");
    SignedJWT jwt = SignedJWT.parse(issuer.token("alice", List.of("meridian/admin", "openid"), Duration.ofMinutes(15), iat));
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.keyId());
    JsonNode claims = JSON.readTree(jwt.getPayload().toString());
    assertThat(claims.get("iss").textValue()).isEqualTo(ISSUER);
    assertThat(claims.has("aud")).as("Cognito access tokens carry client_id, not aud").isFalse();
    assertThat(claims.get("client_id").textValue()).isEqualTo(DevIssuer.Clients.LOCAL.customer());
    assertThat(claims.get("token_use").textValue()).isEqualTo("access");
    assertThat(claims.get("username").textValue()).isEqualTo("alice");
    assertThat(claims.get("sub").textValue()).isEqualTo("alice");
    assertThat(claims.get("scope").textValue()).isEqualTo("meridian/admin openid");
    assertThat(claims.get("iat").longValue()).isEqualTo(iat.getEpochSecond());
    assertThat(claims.get("nbf").longValue()).isEqualTo(iat.getEpochSecond());
    assertThat(claims.get("exp").longValue()).isEqualTo(iat.getEpochSecond() + 900);
    assertThat(claims.get("jti").textValue()).hasSize(36);
    SignedJWT other = SignedJWT.parse(issuer.token("alice", List.of(), Duration.ofMinutes(15), iat));
    assertThat(other.getJWTClaimsSet().getJWTID()).isNotEqualTo(jwt.getJWTClaimsSet().getJWTID());
    assertThat(other.getJWTClaimsSet().getClaim("scope")).isNull();
  }

  @Test
  void mintsEachAppClientsTokenAsCognitoDoes() throws Exception {
    DevIssuer issuer = DevIssuer.offline(dir, ISSUER);
    JsonNode customer = payload(issuer.customerToken("alice", Duration.ofMinutes(5)));
    assertThat(customer.get("client_id").textValue()).isEqualTo(DevIssuer.Clients.LOCAL.customer());
    assertThat(customer.get("scope").textValue()).isEqualTo("openid meridian/customer");
    assertThat(customer.has(DevIssuer.GROUPS_CLAIM)).isFalse();

    JsonNode admin = payload(issuer.adminToken("root", Duration.ofMinutes(5)));
    assertThat(admin.get("client_id").textValue()).isEqualTo(DevIssuer.Clients.LOCAL.admin());
    assertThat(admin.get("scope").textValue()).isEqualTo("openid meridian/admin");
    assertThat(admin.get(DevIssuer.GROUPS_CLAIM).get(0).textValue()).isEqualTo(DevIssuer.ADMIN_GROUP);

    JsonNode operations = payload(issuer.operationsToken(Duration.ofMinutes(5)));
    assertThat(operations.get("sub").textValue()).isEqualTo(DevIssuer.Clients.LOCAL.operations());
    assertThat(operations.get("client_id").textValue()).isEqualTo(DevIssuer.Clients.LOCAL.operations());
    assertThat(operations.get("scope").textValue()).isEqualTo("meridian/admin");
    assertThat(operations.has("username")).isFalse();
    assertThat(operations.has(DevIssuer.GROUPS_CLAIM)).isFalse();
  }

  private static JsonNode payload(String token) throws Exception {
    return JSON.readTree(SignedJWT.parse(token).getPayload().toString());
  }

  @Test
  void aCorruptKeyFileIsReportedNotReplaced() throws Exception {
    Files.writeString(dir.resolve(DevIssuer.KEY_FILE), "{not json");
    assertThatThrownBy(() -> DevIssuer.offline(dir, ISSUER)).isInstanceOf(IOException.class)
        .hasMessageContaining(DevIssuer.KEY_FILE);
    assertThat(Files.readString(dir.resolve(DevIssuer.KEY_FILE))).isEqualTo("{not json");
  }

  @Test
  void noMetadataBeforeTheIssuerHasRun() throws Exception {
    assertThat(DevIssuer.readMetadata(dir)).isEmpty();
  }
}
