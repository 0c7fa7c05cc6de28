package dev.meridian.tools.local.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP API's JWT authorizer, as API Gateway runs it for a route whose authorizer is the JWT
 * one: take the token from the identity source ({@code Authorization}, with or without
 * {@code Bearer }), decode it, check the algorithm (RSA only) and the signature against the
 * issuer's JWKS by {@code kid}, then {@code iss} (exactly the configured issuer), {@code aud}
 * (one of the configured audiences; {@code client_id} when the token has no {@code aud}),
 * {@code exp}, {@code nbf} and {@code iat} (with a small clock skew), and finally the route's
 * authorization scopes: the token's {@code scope} (or {@code scp}) must hold at least one. A
 * failed check before the scopes is 401, a scope miss is 403.
 *
 * <p>Keys come either from the issuer's discovery document ({@code <issuer>/.well-known/openid-configuration}
 * → {@code jwks_uri}, fetched on first use and again when a token names an unknown {@code kid}, as
 * API Gateway does) or are given directly. Thread-safe.
 */
public final class JwtAuthorizer {

  /** Tolerance for {@code exp}, {@code nbf} and {@code iat}. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

  private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
  /** A token naming an unknown kid refetches the JWKS at most this often. */
  private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private final List<String> audiences;
  private final KeySource keys;
  private final Clock clock;
  private final Duration clockSkew;

  private JwtAuthorizer(String issuer, List<String> audiences, KeySource keys, Clock clock, Duration clockSkew) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    if (this.audiences.isEmpty()) {
      throw new IllegalArgumentException("a JWT authorizer needs at least one audience");
    }
    this.keys = keys;
    this.clock = clock;
    this.clockSkew = clockSkew;
  }

  /** An authorizer that finds the issuer's keys through its OIDC discovery document. */
  public static JwtAuthorizer fromDiscovery(String issuer, List<String> audiences) {
    return new JwtAuthorizer(issuer, audiences, new DiscoveredKeys(issuer), Clock.systemUTC(), DEFAULT_CLOCK_SKEW);
  }

  /** An authorizer with the issuer's public keys given directly (no HTTP). */
  public static JwtAuthorizer withKeys(String issuer, List<String> audiences, JWKSet publicKeys) {
    JWKSet publicOnly = publicKeys.toPublicJWKSet();
    return new JwtAuthorizer(issuer, audiences, refresh -> publicOnly, Clock.systemUTC(), DEFAULT_CLOCK_SKEW);
  }

  /** This authorizer judging time by {@code clock} with {@code skew} tolerance (tests, drills). */
  public JwtAuthorizer withClock(Clock clock, Duration skew) {
    return new JwtAuthorizer(issuer, audiences, keys, clock, skew);
  }

  public String issuer() {
    return issuer;
  }

  public List<String> audiences() {
    return audiences;
  }

  /** The outcome for one request. */
  public sealed interface Decision permits Allowed, Denied {}

  /**
   * The token passed.
   *
   * @param claims every claim rendered as a string ({@link ClaimStrings})
   * @param scopes the token's scopes ({@code scope} split on spaces, or {@code scp})
   * @param subject the {@code sub} claim, or null
   */
  public record Allowed(Map<String, String> claims, List<String> scopes, String subject) implements Decision {
    public Allowed {
      claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * The request is refused: 401 ({@code invalid_token}, or no token at all) or 403
   * ({@code insufficient_scope}).
   */
  public record Denied(int status, String error, String description, List<String> routeScopes) implements Decision {
    public Denied {
      routeScopes = List.copyOf(routeScopes);
    }

    /** The {@code www-authenticate} header API Gateway sends with the refusal. */
    public String wwwAuthenticate() {
      String scope = String.join(" ", routeScopes);
      if (error == null) {
        return "Bearer scope=\"" + scope + "\"";
      }
      return "Bearer scope=\"" + scope + "\" error=\"" + error + "\" error_description=\"" + description + "\"";
    }
  }

  /**
   * Authorizes one request.
   *
   * @param authorizationHeader the identity source's value ({@code Authorization}), or null
   * @param routeScopes         the route's authorization scopes; empty = any valid token
   */
  public Decision authorize(String authorizationHeader, List<String> routeScopes) {
    String token = tokenOf(authorizationHeader);
    if (token == null) {
      return new Denied(401, null, "no token in the Authorization header", routeScopes);
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return invalid("the token is not a signed JWT", routeScopes);
    }
    JWSHeader header = jwt.getHeader();
    if (!RSA_ALGORITHMS.contains(header.getAlgorithm())) {
      return invalid("the token's signing algorithm " + header.getAlgorithm() + " is not supported", routeScopes);
    }
    String kid = header.getKeyID();
    if (kid == null) {
      return invalid("the token has no kid", routeScopes);
    }
    RSAKey key;
    try {
      key = rsaKey(kid);
    } catch (IOException e) {
      return invalid("the issuer's signing keys could not be fetched: " + e.getMessage(), routeScopes);
    }
    if (key == null) {
      return invalid("no signing key matches the token's kid", routeScopes);
    }
    try {
      if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
        return invalid("signature validation failed", routeScopes);
      }
    } catch (JOSEException e) {
      return invalid("signature validation failed", routeScopes);
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(jwt.getPayload().toString());
    } catch (IOException e) {
      return invalid("the token's claims are not JSON", routeScopes);
    }
    if (claims == null || !claims.isObject()) {
      return invalid("the token's claims are not a JSON object", routeScopes);
    }

    JsonNode iss = claims.get("iss");
    if (iss == null || !iss.isTextual() || !iss.textValue().equals(issuer)) {
      return invalid("the token does not have a valid issuer", routeScopes);
    }
    if (!audienceMatches(claims)) {
      return invalid("the token does not have a valid audience", routeScopes);
    }
    Instant now = clock.instant();
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()) {
      return invalid("the token has no expiry", routeScopes);
    }
    if (!now.minus(clockSkew).isBefore(Instant.ofEpochSecond(exp.longValue()))) {
      return invalid("the token has expired", routeScopes);
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && (!nbf.isNumber() || Instant.ofEpochSecond(nbf.longValue()).isAfter(now.plus(clockSkew)))) {
      return invalid("the token is not valid yet", routeScopes);
    }
    JsonNode iat = claims.get("iat");
    if (iat != null && (!iat.isNumber() || Instant.ofEpochSecond(iat.longValue()).isAfter(now.plus(clockSkew)))) {
      return invalid("the token was issued in the future", routeScopes);
    }

    List<String> tokenScopes = scopesOf(claims);
    if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(tokenScopes::contains)) {
      return new Denied(403, "insufficient_scope", "expected scopes: [" + String.join(" ", routeScopes) + "]", routeScopes);
    }
    JsonNode sub = claims.get("sub");
    return new Allowed(ClaimStrings.render(claims), tokenScopes, sub != null && sub.isTextual() ? sub.textValue() : null);
  }

  /** The token of an identity source value: the whole value, or what follows {@code Bearer }. */
  static String tokenOf(String authorizationHeader) {
    if (authorizationHeader == null) {
      return null;
    }
    String value = authorizationHeader.strip();
    if (value.regionMatches(true, 0, "Bearer", 0, 6) && (value.length() == 6 || Character.isWhitespace(value.charAt(6)))) {
      value = value.substring(6).strip();
    }
    return value.isEmpty() ? null : value;
  }

  /** The token's scopes: {@code scope} split on spaces, else {@code scp} (string or array). */
  static List<String> scopesOf(JsonNode claims) {
    List<String> scopes = new ArrayList<>();
    JsonNode scope = claims.get("scope");
    if (scope == null || scope.isNull()) {
      scope = claims.get("scp");
    }
    if (scope == null || scope.isNull()) {
      return scopes;
    }
    if (scope.isArray()) {
      scope.forEach(s -> {
        if (s.isTextual() && !s.textValue().isBlank()) {
          scopes.add(s.textValue());
        }
      });
    } else if (scope.isTextual()) {
      for (String s : scope.textValue().split(" ")) {
        if (!s.isBlank()) {
          scopes.add(s.strip());
        }
      }
    }
    return scopes;
  }

  private boolean audienceMatches(JsonNode claims) {
    JsonNode aud = claims.get("aud");
    if (aud == null || aud.isNull()) {
      JsonNode clientId = claims.get("client_id");
      return clientId != null && clientId.isTextual() && audiences.contains(clientId.textValue());
    }
    if (aud.isTextual()) {
      return audiences.contains(aud.textValue());
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && audiences.contains(a.textValue())) {
          return true;
        }
      }
    }
    return false;
  }

  private Denied invalid(String description, List<String> routeScopes) {
    return new Denied(401, "invalid_token", description, routeScopes);
  }

  private RSAKey rsaKey(String kid) throws IOException {
    JWK jwk = keys.get(false).getKeyByKeyId(kid);
    if (jwk == null) {
      jwk = keys.get(true).getKeyByKeyId(kid);
    }
    return jwk instanceof RSAKey rsa ? rsa : null;
  }

  /** Where the issuer's public keys come from. */
  @FunctionalInterface
  private interface KeySource {
    /** The current key set; {@code refresh} = a token named a kid not in the cached set. */
    JWKSet get(boolean refresh) throws IOException;
  }

  /** Discovery document → jwks_uri → JWKS, cached; refetched (rate-limited) for an unknown kid. */
  private static final class DiscoveredKeys implements KeySource {
    private final URI discovery;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JWKSet cached;
    private Instant fetchedAt = Instant.EPOCH;

    DiscoveredKeys(String issuer) {
      String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      this.discovery = URI.create(base + "/.well-known/openid-configuration");
    }

    @Override
    public synchronized JWKSet get(boolean refresh) throws IOException {
      boolean stale = cached == null
          || (refresh && Duration.between(fetchedAt, Instant.now()).compareTo(MIN_REFRESH_INTERVAL) >= 0);
      if (stale) {
        JWKSet previous = cached;
        try {
          JsonNode doc = JSON.readTree(fetch(discovery));
          JsonNode jwksUri = doc == null ? null : doc.get("jwks_uri");
          if (jwksUri == null || !jwksUri.isTextual()) {
            throw new IOException("no jwks_uri in " + discovery);
          }
          cached = JWKSet.parse(fetch(URI.create(jwksUri.textValue())));
          fetchedAt = Instant.now();
        } catch (ParseException | IOException e) {
          if (previous != null) {
            fetchedAt = Instant.now();
            return previous; // a failed refresh keeps the keys we had
          }
          throw e instanceof IOException io ? io : new IOException("the JWKS is not valid: " + e.getMessage(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      return cached;
    }

    private String fetch(URI uri) throws IOException, InterruptedException {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(uri + " answered " + response.statusCode());
      }
      return response.body();
    }
  }
}
