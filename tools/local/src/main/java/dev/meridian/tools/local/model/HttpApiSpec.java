package dev.meridian.tools.local.model;

import java.util.List;

/**
 * The HTTP API: its JWT authorizer (issuer and audience from the template's parameters), the
 * default authorizer, and stage throttling.
 *
 * @param jwtAuthorizerName the JWT authorizer's name, or null when the API declares none
 * @param identitySource    where the token is read from, e.g. {@code $request.header.Authorization}
 */
public record HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
    String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource) {

  /** API Gateway's identity source when the authorizer does not name one. */
  public static final String DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";

  public HttpApiSpec {
    audience = List.copyOf(audience);
  }

  /** The original shape: identity source {@link #DEFAULT_IDENTITY_SOURCE}. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit,
        throttlingBurstLimit, DEFAULT_IDENTITY_SOURCE);
  }
}
