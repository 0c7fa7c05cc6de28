package dev.meridian.local.model;

import java.util.List;

/**
 * The HTTP API: its JWT authorizer (issuer and audience from the template's parameters), the
 * default authorizer, and stage throttling.
 */
public record HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
    String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit) {

  public HttpApiSpec {
    audience = List.copyOf(audience);
  }
}
