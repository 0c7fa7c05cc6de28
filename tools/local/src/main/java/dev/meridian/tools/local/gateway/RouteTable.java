package dev.meridian.tools.local.gateway;

import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP API's routes, built from every function's {@code HttpApi} events, and route selection
 * as API Gateway HTTP APIs do it.
 *
 * <p>A route key is {@code METHOD /path} ({@code ANY} matches every method) or {@code $default}.
 * Path segments are literals, {@code {name}} (exactly one non-empty segment) or, last only,
 * a greedy {@code {name+}} (one or more segments). Among the routes that match a request the most
 * specific wins: a route without a greedy variable before one with; then, segment by segment from
 * the left, a literal before a variable before a greedy variable; then the exact method before
 * {@code ANY}. If nothing matches, the {@code $default} route takes the request when there is one;
 * otherwise the API answers 404. A path that matches only under another method is also 404 (HTTP
 * APIs have no 405).
 */
public final class RouteTable {

  /** Who may call a route. */
  public enum Authorization {
    /** Public ({@code Auth: Authorizer: NONE}). */
    NONE,
    /** The API's JWT authorizer. */
    JWT
  }

  /**
   * One route.
   *
   * @param routeKey   {@code GET /products/{id}} or {@code $default}
   * @param method     upper-case method, {@code ANY}, or null for {@code $default}
   * @param path       the path template, or null for {@code $default}
   * @param functionLogicalId the integration's function
   * @param eventName  the SAM event that declared it
   * @param scopes     authorization scopes (JWT routes; empty = any valid token)
   * @param authorizerName the JWT authorizer that guards it, or null for the API's default one
   */
  public record Route(String routeKey, String method, String path, String functionLogicalId, String eventName,
      Authorization authorization, List<String> scopes, String authorizerName) {

    public Route {
      scopes = List.copyOf(scopes);
    }

    /** A route of the API's one (default) JWT authorizer, or a public one. */
    public Route(String routeKey, String method, String path, String functionLogicalId, String eventName,
        Authorization authorization, List<String> scopes) {
      this(routeKey, method, path, functionLogicalId, eventName, authorization, scopes, null);
    }

    public boolean isDefault() {
      return path == null;
    }
  }

  /** A selected route and the request's path parameters (decoded). */
  public record Match(Route route, Map<String, String> pathParameters) {
    public Match {
      pathParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
    }
  }

  public static final String DEFAULT_ROUTE_KEY = "$default";

  private enum Kind { LITERAL, VARIABLE, GREEDY }

  private record Segment(Kind kind, String text) {}

  private record Compiled(Route route, List<Segment> segments, boolean greedy) {}

  private final List<Route> routes;
  private final List<Compiled> compiled;
  private final Route defaultRoute;

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    List<Compiled> list = new ArrayList<>();
    Route fallback = null;
    Map<String, Route> byKey = new LinkedHashMap<>();
    for (Route route : routes) {
      Route previous = byKey.putIfAbsent(route.routeKey(), route);
      if (previous != null) {
        throw new IllegalArgumentException("duplicate route " + route.routeKey() + " (" + previous.functionLogicalId()
            + "." + previous.eventName() + " and " + route.functionLogicalId() + "." + route.eventName() + ")");
      }
      if (route.isDefault()) {
        fallback = route;
      } else {
        List<Segment> segments = parse(route.path());
        list.add(new Compiled(route, segments, !segments.isEmpty() && segments.get(segments.size() - 1).kind() == Kind.GREEDY));
      }
    }
    this.compiled = List.copyOf(list);
    this.defaultRoute = fallback;
  }

  /** A table of exactly these routes. */
  public static RouteTable of(List<Route> routes) {
    return new RouteTable(routes);
  }

  /**
   * The routes the template declares: every {@link EventSourceSpec.HttpRoute} of every function.
   * A route's authorizer is the API's JWT authorizer when it names it, public when it is null or
   * {@code NONE} (the model resolves the API's {@code DefaultAuthorizer} into each route).
   */
  public static RouteTable of(HttpApiSpec api, List<FunctionSpec> functions) {
    List<Route> routes = new ArrayList<>();
    for (FunctionSpec function : functions) {
      for (EventSourceSpec event : function.events()) {
        if (event instanceof EventSourceSpec.HttpRoute http) {
          routes.add(route(api, function.logicalId(), http));
        }
      }
    }
    return new RouteTable(routes);
  }

  static Route route(HttpApiSpec api, String functionLogicalId, EventSourceSpec.HttpRoute http) {
    Authorization authorization;
    if (http.authorizer() == null || http.authorizer().equalsIgnoreCase("NONE")) {
      authorization = Authorization.NONE;
    } else if (api != null && api.jwtAuthorizer(http.authorizer()).isPresent()) {
      authorization = Authorization.JWT;
    } else {
      throw new IllegalArgumentException("route " + functionLogicalId + "." + http.name() + " names authorizer "
          + http.authorizer() + ", which the HTTP API does not define");
    }
    String path = http.path();
    String method = http.method() == null ? null : http.method().toUpperCase(Locale.ROOT);
    if (path == null || path.equals(DEFAULT_ROUTE_KEY)) {
      return new Route(DEFAULT_ROUTE_KEY, null, null, functionLogicalId, http.name(), authorization, http.scopes(),
          authorization == Authorization.JWT ? http.authorizer() : null);
    }
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("route " + functionLogicalId + "." + http.name() + " has no method");
    }
    if (method.equals("X-AMAZON-APIGATEWAY-ANY-METHOD")) {
      method = "ANY";
    }
    return new Route(method + " " + path, method, path, functionLogicalId, http.name(), authorization, http.scopes(),
        authorization == Authorization.JWT ? http.authorizer() : null);
  }

  public List<Route> routes() {
    return routes;
  }

  /** The route for {@code method} on {@code rawPath} (as sent, percent-encoded), or empty (404). */
  public Optional<Match> match(String method, String rawPath) {
    String upper = method.toUpperCase(Locale.ROOT);
    List<String> raw = split(rawPath);
    Compiled best = null;
    for (Compiled candidate : compiled) {
      if (!candidate.route().method().equals("ANY") && !candidate.route().method().equals(upper)) {
        continue;
      }
      if (!matches(candidate.segments(), raw)) {
        continue;
      }
      if (best == null || SPECIFICITY.compare(candidate, best) < 0) {
        best = candidate;
      }
    }
    if (best != null) {
      return Optional.of(new Match(best.route(), parameters(best.segments(), raw)));
    }
    return Optional.ofNullable(defaultRoute).map(route -> new Match(route, Map.of()));
  }

  private static final Comparator<Compiled> SPECIFICITY = (a, b) -> {
    if (a.greedy() != b.greedy()) {
      return a.greedy() ? 1 : -1;
    }
    int n = Math.min(a.segments().size(), b.segments().size());
    for (int i = 0; i < n; i++) {
      int c = a.segments().get(i).kind().compareTo(b.segments().get(i).kind());
      if (c != 0) {
        return c;
      }
    }
    // Same shape so far: the longer literal prefix before a greedy tail is more specific.
    if (a.segments().size() != b.segments().size()) {
      return a.segments().size() > b.segments().size() ? -1 : 1;
    }
    boolean aAny = a.route().method().equals("ANY");
    boolean bAny = b.route().method().equals("ANY");
    return aAny == bAny ? 0 : (aAny ? 1 : -1);
  };

  private static boolean matches(List<Segment> template, List<String> raw) {
    for (int i = 0; i < template.size(); i++) {
      Segment segment = template.get(i);
      if (segment.kind() == Kind.GREEDY) {
        // One or more remaining segments, not all empty.
        return raw.size() > i && !String.join("/", raw.subList(i, raw.size())).isEmpty();
      }
      if (i >= raw.size()) {
        return false;
      }
      String value = raw.get(i);
      if (segment.kind() == Kind.LITERAL) {
        if (!segment.text().equals(decodePath(value))) {
          return false;
        }
      } else if (value.isEmpty()) {
        return false;
      }
    }
    return template.size() == raw.size();
  }

  private static Map<String, String> parameters(List<Segment> template, List<String> raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      Segment segment = template.get(i);
      if (segment.kind() == Kind.VARIABLE) {
        parameters.put(segment.text(), decodePath(raw.get(i)));
      } else if (segment.kind() == Kind.GREEDY) {
        parameters.put(segment.text(), decodePath(String.join("/", raw.subList(i, raw.size()))));
      }
    }
    return parameters;
  }

  private static List<Segment> parse(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path must start with /: " + path);
    }
    List<Segment> segments = new ArrayList<>();
    List<String> parts = split(path);
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.startsWith("{") && part.endsWith("}") && part.length() > 2) {
        String name = part.substring(1, part.length() - 1);
        if (name.endsWith("+")) {
          if (i != parts.size() - 1) {
            throw new IllegalArgumentException("a greedy path variable must be last: " + path);
          }
          segments.add(new Segment(Kind.GREEDY, name.substring(0, name.length() - 1)));
        } else {
          segments.add(new Segment(Kind.VARIABLE, name));
        }
      } else {
        segments.add(new Segment(Kind.LITERAL, part));
      }
    }
    return segments;
  }

  /** {@code /a/b} → [a, b]; {@code /} → [""]; {@code /a/} → [a, ""]. */
  private static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return List.of(p.split("/", -1));
  }

  /** Percent-decoding of a path segment ({@code +} stays a plus). */
  static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw; // a malformed escape is matched and passed on as sent
    }
  }

  @Override
  public String toString() {
    return routes.stream().map(Route::routeKey).toList().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTable other && other.routes.equals(routes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(routes);
  }
}
