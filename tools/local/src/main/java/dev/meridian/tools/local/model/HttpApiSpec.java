package dev.meridian.tools.local.model;

import java.util.List;
import java.util.Map;

/**
 * The HTTP API: its JWT authorizer (issuer and audience from the template's parameters), the
 * default authorizer, and stage throttling.
 *
 * @param jwtAuthorizerName the JWT authorizer's name, or null when the API declares none
 * @param identitySource    where the token is read from, e.g. {@code $request.header.Authorization}
 * @param routeThrottles    the {@code $default} stage's route-level throttles ({@code RouteSettings}), by
 *                          route key; a route not listed takes the default route throttle
 * @param stages            the API's other stages ({@code AWS::ApiGatewayV2::Stage} resources), by
 *                          name, with the throttle their {@code DefaultRouteSettings} give each route
 */
public record HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
    String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource,
    Map<String, Throttle> routeThrottles, Map<String, Throttle> stages) {

  /** A token bucket's steady rate (requests per second) and size. */
  public record Throttle(double rateLimit, int burstLimit) {}

  /** API Gateway's identity source when the authorizer does not name one. */
  public static final String DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";

  public HttpApiSpec {
    audience = List.copyOf(audience);
    routeThrottles = Map.copyOf(routeThrottles);
    stages = Map.copyOf(stages);
  }

  /** Only the {@code $default} stage and its default route throttle. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit,
        throttlingBurstLimit, identitySource, Map.of(), Map.of());
  }

  /** The original shape: identity source {@link #DEFAULT_IDENTITY_SOURCE}. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit,
        throttlingBurstLimit, DEFAULT_IDENTITY_SOURCE);
  }
}
