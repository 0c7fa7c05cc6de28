package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWT authorizer's checks, in API Gateway's order, with keys given directly. */
class JwtAuthorizerTest {

  static final String ISSUER = "http://127.0.0.1:9400";
  static final String AUDIENCE = DevIssuer.Clients.LOCAL.customer();
  static final Instant NOW = Instant.parse("2026-11-26T04:34:37Z");
  static final List<String> ADMIN = List.of(DevIssuer.ADMIN_SCOPE);

  @TempDir static Path dir;
  DevIssuer issuer;
  JwtAuthorizer authorizer;

  @BeforeEach
  void setUp() throws Exception {
    issuer = DevIssuer.offline(dir, ISSUER).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    authorizer = issuer.authorizer(List.of(AUDIENCE)).withClock(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5));
  }

  @Test
  void aValidTokenPassesWithItsClaimsAsStrings() {
    String token = issuer.token("alice", List.of("openid"), Duration.ofHours(1));
    JwtAuthorizer.Decision decision = authorizer.authorize("Bearer " + token, List.of());
    assertThat(decision).isInstanceOf(JwtAuthorizer.Allowed.class);
    JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) decision;
    assertThat(allowed.subject()).isEqualTo("alice");
    assertThat(allowed.scopes()).containsExactly("openid");
    assertThat(allowed.claims())
        .containsEntry("iss", ISSUER)
        .containsEntry("client_id", AUDIENCE)
        .containsEntry("sub", "alice")
        .containsEntry("scope", "openid")
        .containsEntry("iat", Long.toString(NOW.getEpochSecond()))
        .containsEntry("nbf", Long.toString(NOW.getEpochSecond()))
        .containsEntry("exp", Long.toString(NOW.getEpochSecond() + 3600))
        .containsKey("jti");
  }

  @Test
  void theBearerPrefixIsOptionalAndCaseInsensitive() {
    String token = issuer.token("alice", List.of(), Duration.ofHours(1));
    assertThat(authorizer.authorize(token, List.of())).isInstanceOf(JwtAuthorizer.Allowed.class);
    assertThat(authorizer.authorize("bearer " + token, List.of())).isInstanceOf(JwtAuthorizer.Allowed.class);
  }

  @Test
  void noTokenIs401WithoutAnErrorCode() {
    for (String header : new String[] {null, "", "Bearer ", "   "}) {
      JwtAuthorizer.Denied denied = denied(authorizer.authorize(header, List.of()));
      assertThat(denied.status()).isEqualTo(401);
      assertThat(denied.error()).isNull();
      assertThat(denied.wwwAuthenticate()).isEqualTo("Bearer scope=\"\"");
    }
  }

  @Test
  void garbageIs401() {
    assertInvalid(authorizer.authorize("Bearer not-a-jwt", List.of()), "not a signed JWT");
    assertInvalid(authorizer.authorize("Bearer a.b.c", List.of()), "not a signed JWT");
  }

  @Test
  void expiredTokensAre401AfterTheSkew() {
    String expired = issuer.token("alice", List.of(), Duration.ofMinutes(10), NOW.minus(Duration.ofMinutes(11)));
    assertInvalid(authorizer.authorize("Bearer " + expired, List.of()), "expired");
    String withinSkew = issuer.token("alice", List.of(), Duration.ofSeconds(598), NOW.minus(Duration.ofMinutes(10)));
    assertThat(authorizer.authorize("Bearer " + withinSkew, List.of())).isInstanceOf(JwtAuthorizer.Allowed.class);
  }

  @Test
  void notYetValidTokensAre401() {
    String future = issuer.token("alice", List.of(), Duration.ofHours(1), NOW.plus(Duration.ofMinutes(5)));
    assertInvalid(authorizer.authorize("Bearer " + future, List.of()), "not valid yet");
  }

  @Test
  void aTokenWithoutExpiryIs401() {
    String token = issuer.sign(new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice").build());
    assertInvalid(authorizer.authorize(token, List.of()), "no expiry");
  }

  @Test
  void theAudienceMustBeOneOfTheApis() {
    String wrong = issuer.sign(claims().audience("someone-else").build());
    assertInvalid(authorizer.authorize(wrong, List.of()), "valid audience");
    String several = issuer.sign(claims().audience(List.of("someone-else", AUDIENCE)).build());
    assertThat(authorizer.authorize(several, List.of())).isInstanceOf(JwtAuthorizer.Allowed.class);
    // Cognito access tokens carry client_id instead of aud.
    String clientId = issuer.sign(claims().audience((String) null).claim("client_id", AUDIENCE).build());
    assertThat(authorizer.authorize(clientId, List.of())).isInstanceOf(JwtAuthorizer.Allowed.class);
    String none = issuer.sign(claims().audience((String) null).build());
    assertInvalid(authorizer.authorize(none, List.of()), "valid audience");
  }

  @Test
  void theIssuerMustMatchExactly() {
    String other = issuer.sign(claims().issuer(ISSUER + "/").build());
    assertInvalid(authorizer.authorize(other, List.of()), "valid issuer");
  }

  @Test
  void aTamperedTokenFailsItsSignature() {
    String token = issuer.token("alice", List.of(), Duration.ofHours(1));
    String[] parts = token.split("\\.");
    String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1])).replace("alice", "mallory").getBytes());
    assertInvalid(authorizer.authorize(parts[0] + "." + forgedPayload + "." + parts[2], List.of()), "signature");
  }

  @Test
  void aTokenFromAnotherKeyIsRejected(@TempDir Path otherDir) throws Exception {
    DevIssuer stranger = DevIssuer.offline(otherDir, ISSUER).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    // Different kid: no key matches.
    assertInvalid(authorizer.authorize(stranger.token("alice", List.of(), Duration.ofHours(1)), List.of()), "kid");
    // Same kid claimed, wrong key: the signature fails.
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.keyId()).build(), claims().build());
    forged.sign(new com.nimbusds.jose.crypto.RSASSASigner(
        com.nimbusds.jose.jwk.RSAKey.parse(java.nio.file.Files.readString(otherDir.resolve(DevIssuer.KEY_FILE)))));
    assertInvalid(authorizer.authorize(forged.serialize(), List.of()), "signature");
  }

  @Test
  void onlyRsaAlgorithmsAreAccepted() throws Exception {
    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.keyId()).build(), claims().build());
    hmac.sign(new MACSigner(new byte[32]));
    assertInvalid(authorizer.authorize(hmac.serialize(), List.of()), "algorithm");
    String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(claims().build().toString().getBytes()) + ".";
    assertInvalid(authorizer.authorize(unsigned, List.of()), "");
  }

  @Test
  void routeScopesNeedAtLeastOneOfThem() {
    String customer = issuer.token("alice", List.of(), Duration.ofHours(1));
    JwtAuthorizer.Denied denied = denied(authorizer.authorize("Bearer " + customer, ADMIN));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.error()).isEqualTo("insufficient_scope");
    assertThat(denied.wwwAuthenticate())
        .isEqualTo("Bearer scope=\"meridian/admin\" error=\"insufficient_scope\" error_description=\"expected scopes: [meridian/admin]\"");

    String admin = issuer.token("root", List.of("openid", DevIssuer.ADMIN_SCOPE), Duration.ofHours(1));
    assertThat(authorizer.authorize("Bearer " + admin, ADMIN)).isInstanceOf(JwtAuthorizer.Allowed.class);
    assertThat(authorizer.authorize("Bearer " + admin, List.of("other/scope", DevIssuer.ADMIN_SCOPE)))
        .isInstanceOf(JwtAuthorizer.Allowed.class);
    assertThat(denied(authorizer.authorize("Bearer " + admin, List.of("other/scope"))).status()).isEqualTo(403);
  }

  @Test
  void scopesAreSplitOnSpacesOrReadFromScp() {
    String prefixOnly = issuer.token("alice", List.of("meridian/administrator"), Duration.ofHours(1));
    assertThat(denied(authorizer.authorize(prefixOnly, ADMIN)).status()).isEqualTo(403);
    String scp = issuer.sign(claims().claim("scp", List.of("x", DevIssuer.ADMIN_SCOPE)).build());
    JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) authorizer.authorize(scp, ADMIN);
    assertThat(allowed.scopes()).containsExactly("x", DevIssuer.ADMIN_SCOPE);
    assertThat(allowed.claims()).containsEntry("scp", "[x meridian/admin]");
  }

  @Test
  void anInvalidTokenIs401EvenWhenScopesWouldAlsoFail() {
    String expired = issuer.token("alice", List.of(), Duration.ofMinutes(1), NOW.minus(Duration.ofHours(1)));
    assertThat(denied(authorizer.authorize(expired, ADMIN)).status()).isEqualTo(401);
  }

  private JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("alice")
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  private static JwtAuthorizer.Denied denied(JwtAuthorizer.Decision decision) {
    assertThat(decision).isInstanceOf(JwtAuthorizer.Denied.class);
    return (JwtAuthorizer.Denied) decision;
  }

  private static void assertInvalid(JwtAuthorizer.Decision decision, String why) {
    JwtAuthorizer.Denied denied = denied(decision);
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.error()).isEqualTo("invalid_token");
    assertThat(denied.description()).contains(why);
    assertThat(denied.wwwAuthenticate()).startsWith("Bearer scope=\"").contains("error=\"invalid_token\"");
  }
}
