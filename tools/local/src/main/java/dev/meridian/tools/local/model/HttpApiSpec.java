package dev.meridian.tools.local.model;

import java.util.List;
import java.util.Objects;

/**
 * The HTTP API: its JWT authorizers (issuer and audience from the template's parameters), the
 * default authorizer, and stage throttling. {@code jwtAuthorizerName}, {@code issuer},
 * {@code audience} and {@code identitySource} describe the default authorizer (or the only one);
 * {@code jwtAuthorizers} lists every one, the default first.
 *
 * @param jwtAuthorizerName the default (or only) JWT authorizer's name, or null when the API declares none
 * @param identitySource    where the token is read from, e.g. {@code $request.header.Authorization}
 * @param jwtAuthorizers    every JWT authorizer of the API
 */
public record HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
    String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource,
    List<JwtAuthorizerSpec> jwtAuthorizers) {

  /** API Gateway's identity source when the authorizer does not name one. */
  public static final String DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";

  /** One JWT authorizer: API Gateway checks {@code iss} against the issuer, {@code aud} (or {@code client_id}) against the audience. */
  public record JwtAuthorizerSpec(String name, String issuer, List<String> audience, String identitySource) {
    public JwtAuthorizerSpec {
      Objects.requireNonNull(name, "name");
      audience = List.copyOf(audience);
      identitySource = identitySource == null ? DEFAULT_IDENTITY_SOURCE : identitySource;
    }
  }

  public HttpApiSpec {
    audience = List.copyOf(audience);
    jwtAuthorizers = List.copyOf(jwtAuthorizers);
  }

  /** One JWT authorizer (or none, when {@code jwtAuthorizerName} is null). */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit, throttlingBurstLimit,
        identitySource, jwtAuthorizerName == null ? List.of()
            : List.of(new JwtAuthorizerSpec(jwtAuthorizerName, issuer, audience, identitySource)));
  }

  /** The original shape: identity source {@link #DEFAULT_IDENTITY_SOURCE}. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit,
        throttlingBurstLimit, DEFAULT_IDENTITY_SOURCE);
  }

  /** The JWT authorizer called {@code name}, if the API declares it. */
  public java.util.Optional<JwtAuthorizerSpec> jwtAuthorizer(String name) {
    return jwtAuthorizers.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
