package dev.meridian.tools.local.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API: its JWT authorizers (issuer and audience from the template's parameters), the
 * default authorizer, and stage throttling. {@code jwtAuthorizerName}, {@code issuer},
 * {@code audience} and {@code identitySource} describe the default authorizer (or the only one);
 * {@code jwtAuthorizers} lists every one, the default first.
 *
 * @param jwtAuthorizerName the default (or only) JWT authorizer's name, or null when the API declares none
 * @param identitySource    where the token is read from, e.g. {@code $request.header.Authorization}
 * @param jwtAuthorizers    every JWT authorizer of the API
 * @param routeThrottles    the {@code $default} stage's route-level throttles ({@code RouteSettings}), by
 *                          route key; a route not listed takes the default route throttle
 * @param stages            the API's other stages ({@code AWS::ApiGatewayV2::Stage} resources), by
 *                          name, with the throttle their {@code DefaultRouteSettings} give each route
 */
public record HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
    String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource,
    List<JwtAuthorizerSpec> jwtAuthorizers, Map<String, Throttle> routeThrottles, Map<String, Throttle> stages) {

  /** API Gateway's identity source when the authorizer does not name one. */
  public static final String DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";

  /** A token bucket's steady rate (requests per second) and size. */
  public record Throttle(double rateLimit, int burstLimit) {}

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
    routeThrottles = Map.copyOf(routeThrottles);
    stages = Map.copyOf(stages);
  }

  /** Every authorizer, with only the {@code $default} stage and its default route throttle. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource,
      List<JwtAuthorizerSpec> jwtAuthorizers) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit, throttlingBurstLimit,
        identitySource, jwtAuthorizers, Map.of(), Map.of());
  }

  /** One JWT authorizer (or none, when {@code jwtAuthorizerName} is null), with the given throttles. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource,
      Map<String, Throttle> routeThrottles, Map<String, Throttle> stages) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit, throttlingBurstLimit,
        identitySource, onlyAuthorizer(jwtAuthorizerName, issuer, audience, identitySource), routeThrottles, stages);
  }

  /** One JWT authorizer (or none), only the {@code $default} stage and its default route throttle. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit, String identitySource) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit, throttlingBurstLimit,
        identitySource, Map.of(), Map.of());
  }

  /** The original shape: identity source {@link #DEFAULT_IDENTITY_SOURCE}. */
  public HttpApiSpec(String logicalId, String jwtAuthorizerName, String issuer, List<String> audience,
      String defaultAuthorizer, double throttlingRateLimit, int throttlingBurstLimit) {
    this(logicalId, jwtAuthorizerName, issuer, audience, defaultAuthorizer, throttlingRateLimit,
        throttlingBurstLimit, DEFAULT_IDENTITY_SOURCE);
  }

  private static List<JwtAuthorizerSpec> onlyAuthorizer(String name, String issuer, List<String> audience,
      String identitySource) {
    return name == null ? List.of() : List.of(new JwtAuthorizerSpec(name, issuer, audience, identitySource));
  }

  /** The JWT authorizer called {@code name}, if the API declares it. */
  public Optional<JwtAuthorizerSpec> jwtAuthorizer(String name) {
    return jwtAuthorizers.stream().filter(a -> a.name().equals(name)).findFirst();
  }
}
