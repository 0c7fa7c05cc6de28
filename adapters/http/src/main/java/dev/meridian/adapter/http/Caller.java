package dev.meridian.adapter.http;

import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.model.HttpApiV2AuthorizerMap;
import com.amazonaws.serverless.proxy.model.HttpApiV2JwtAuthorizer;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequestContext;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, from the JWT claims API Gateway verified and put in the HTTP API v2 event
 * ({@code requestContext.authorizer.jwt.claims}, every value a string). In AWS the authorizer
 * rejects a bad token before the function runs; the function still trusts nothing it was not
 * given: no claims means anonymous, and anonymous is refused. What a caller may do is
 * {@link AccessPolicy}'s to decide.
 *
 * @param subject   the {@code sub} claim, or null when there is none
 * @param scopes    the {@code scope} and {@code scp} claims (Cognito sends {@code scope}, Okta and
 *                  Entra ID {@code scp}, and API Gateway accepts either) split on spaces; API
 *                  Gateway renders an array claim as {@code [a b]}, so surrounding brackets are dropped
 * @param audiences the {@code aud} values and the {@code client_id} (a Cognito access token has no
 *                  {@code aud}: API Gateway matches its {@code client_id} against the audience list)
 * @param clientId  the {@code client_id} claim, or null
 * @param claims    every claim as API Gateway rendered it (the groups claim's name is configurable)
 */
public record Caller(String subject, Set<String> scopes, Set<String> audiences, String clientId, Map<String, String> claims) {

  public Caller {
    scopes = Set.copyOf(scopes);
    audiences = Set.copyOf(audiences);
    claims = Map.copyOf(claims);
  }

  public static Caller anonymous() {
    return new Caller(null, Set.of(), Set.of(), null, Map.of());
  }

  /** The caller of this request as the container recorded it. */
  public static Caller of(HttpServletRequest request) {
    Object context = request.getAttribute(RequestReader.HTTP_API_CONTEXT_PROPERTY);
    if (!(context instanceof HttpApiV2ProxyRequestContext httpApi)) {
      return anonymous();
    }
    HttpApiV2AuthorizerMap authorizer = httpApi.getAuthorizer();
    if (authorizer == null || !authorizer.isJwt()) {
      return anonymous();
    }
    HttpApiV2JwtAuthorizer jwt = authorizer.getJwtAuthorizer();
    return fromClaims(jwt == null || jwt.getClaims() == null ? Map.of() : jwt.getClaims());
  }

  public static Caller fromClaims(Map<String, String> claims) {
    String sub = blankToNull(claims.get("sub"));
    Set<String> scopes = new LinkedHashSet<>(parseList(claims.get("scope")));
    scopes.addAll(parseList(claims.get("scp")));
    String clientId = blankToNull(claims.get("client_id"));
    Set<String> audiences = new LinkedHashSet<>(parseList(claims.get("aud")));
    if (clientId != null) {
      audiences.add(clientId);
    }
    return new Caller(sub, scopes, audiences, clientId, claims);
  }

  /** A space- (or comma-) separated claim, or an array claim as API Gateway renders it ({@code [a b]}). */
  static Set<String> parseList(String claim) {
    if (claim == null) {
      return Set.of();
    }
    String trimmed = claim.strip();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    return Arrays.stream(trimmed.split("[\\s,]+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }

  /** The groups in the claim named {@code groupsClaim} ({@code cognito:groups} on Cognito). */
  public Set<String> groups(String groupsClaim) {
    return parseList(claims.get(groupsClaim));
  }

  public boolean isAuthenticated() {
    return subject != null;
  }

  /** The customer a customer route acts for; 401 when the request carries no identity. */
  public CustomerId requireCustomer() {
    if (!isAuthenticated()) {
      throw unauthenticated();
    }
    try {
      return new CustomerId(subject);
    } catch (ValidationException e) {
      // A verified token with an unusable sub is still no identity we can key orders by.
      throw unauthenticated();
    }
  }

  static ProblemException unauthenticated() {
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.set(org.springframework.http.HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return new ProblemException(Problem.of(ProblemType.UNAUTHENTICATED,
        "the request carries no verified identity (JWT claims with sub)"), headers);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
