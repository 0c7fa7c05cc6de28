package dev.meridian.adapter.http;

import com.amazonaws.serverless.proxy.RequestReader;
import com.amazonaws.serverless.proxy.model.HttpApiV2AuthorizerMap;
import com.amazonaws.serverless.proxy.model.HttpApiV2JwtAuthorizer;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequestContext;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, from the JWT claims API Gateway verified and put in the HTTP API v2 event
 * ({@code requestContext.authorizer.jwt.claims}, every value a string). In AWS the authorizer
 * rejects a bad token before the function runs; the function still trusts nothing it was not
 * given: no claims means anonymous, and anonymous is refused.
 *
 * @param subject the {@code sub} claim, or null when there is none
 * @param scopes  the {@code scope} claim split on spaces; API Gateway renders an array claim as
 *                {@code [a b]}, so surrounding brackets are dropped
 */
public record Caller(String subject, Set<String> scopes) {
  public static final String ADMIN_SCOPE = "meridian/admin";

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public static Caller anonymous() {
    return new Caller(null, Set.of());
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
    String sub = claims.get("sub");
    return new Caller(sub == null || sub.isBlank() ? null : sub, parseScopes(claims.get("scope")));
  }

  static Set<String> parseScopes(String claim) {
    if (claim == null) {
      return Set.of();
    }
    String trimmed = claim.strip();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    return Arrays.stream(trimmed.split("[\\s,]+")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }

  public boolean isAuthenticated() {
    return subject != null;
  }

  public boolean isAdmin() {
    return isAuthenticated() && scopes.contains(ADMIN_SCOPE);
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

  /** Passes for an administrator; 401 without identity, 403 without the admin scope. */
  public void requireAdmin() {
    if (!isAuthenticated()) {
      throw unauthenticated();
    }
    if (!isAdmin()) {
      throw ProblemException.of(ProblemType.FORBIDDEN, "the token does not carry the " + ADMIN_SCOPE + " scope");
    }
  }

  /** Passes for any authenticated caller (the catalog's read routes). */
  public void requireAuthenticated() {
    if (!isAuthenticated()) {
      throw unauthenticated();
    }
  }

  private static ProblemException unauthenticated() {
    org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
    headers.set(org.springframework.http.HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return new ProblemException(Problem.of(ProblemType.UNAUTHENTICATED,
        "the request carries no verified identity (JWT claims with sub)"), headers);
  }
}
