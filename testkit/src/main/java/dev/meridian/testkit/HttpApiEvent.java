package dev.meridian.testkit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds an API Gateway HTTP API event, payload format 2.0, as API Gateway would send it after
 * its JWT authorizer, and invokes a handler with it: the minimal form the functions' tests need
 * (shared's test-jar; the local stack's gateway builds complete events itself, {@code
 * dev.meridian.tools.local.gateway.PayloadV2}).
 * {@code path} may carry a raw query string ({@code /orders?limit=2}); header names are
 * lower-cased as API Gateway does; claims are strings.
 */
public final class HttpApiEvent {
  /** The scope the admin authorizer requires (the HTTP adapter's {@code AccessPolicy} checks it again). */
  public static final String ADMIN_SCOPE = "meridian/admin";
  /** The scope the customer authorizer requires. */
  public static final String CUSTOMER_SCOPE = "meridian/customer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Map<String, String> claims;
  private String body;
  private boolean base64;

  private HttpApiEvent(String method, String pathAndQuery) {
    this.method = method;
    int q = pathAndQuery.indexOf('?');
    this.rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    this.rawQuery = q < 0 ? "" : pathAndQuery.substring(q + 1);
  }

  public static HttpApiEvent request(String method, String pathAndQuery) {
    return new HttpApiEvent(method, pathAndQuery);
  }

  public String method() {
    return method;
  }

  public HttpApiEvent header(String name, String value) {
    headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
    return this;
  }

  /** A JSON body with {@code content-type: application/json}. */
  public HttpApiEvent json(String json) {
    header("content-type", "application/json");
    return body(json);
  }

  public HttpApiEvent body(String text) {
    this.body = text;
    this.base64 = false;
    return this;
  }

  public HttpApiEvent binaryBody(byte[] bytes) {
    this.body = Base64.getEncoder().encodeToString(bytes);
    this.base64 = true;
    return this;
  }

  /** JWT claims as the authorizer passes them; without this call the event has no authorizer. */
  public HttpApiEvent claims(Map<String, String> claims) {
    this.claims = Map.copyOf(claims);
    return this;
  }

  /** A Cognito access token of the customer app client ({@link FunctionEnvironment#CUSTOMER_CLIENT}). */
  public HttpApiEvent customer(String sub) {
    return claims(Map.of("sub", sub, "client_id", FunctionEnvironment.CUSTOMER_CLIENT, "token_use", "access",
        "scope", "openid " + CUSTOMER_SCOPE));
  }

  /** A Cognito access token of the admin app client for a member of the admin group. */
  public HttpApiEvent admin(String sub) {
    return claims(Map.of("sub", sub, "client_id", FunctionEnvironment.ADMIN_CLIENT, "token_use", "access",
        "scope", "openid " + ADMIN_SCOPE, "cognito:groups", "[" + FunctionEnvironment.ADMIN_GROUP + "]"));
  }

  /** The operations client's own client-credentials token (its sub is its client id; no groups). */
  public HttpApiEvent operations() {
    return claims(Map.of("sub", FunctionEnvironment.OPERATIONS_CLIENT, "client_id", FunctionEnvironment.OPERATIONS_CLIENT,
        "token_use", "access", "scope", ADMIN_SCOPE));
  }

  public String toJson() {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", rawPath);
    event.put("rawQueryString", rawQuery);
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);
    if (!rawQuery.isEmpty()) {
      ObjectNode query = event.putObject("queryStringParameters");
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        // API Gateway joins repeated parameters with commas.
        query.put(name, query.has(name) ? query.get(name).asText() + "," + value : value);
      }
    }
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "123456789012");
    context.put("apiId", "local");
    context.put("domainName", "local.execute-api.localhost");
    context.put("domainPrefix", "local");
    context.put("requestId", UUID.randomUUID().toString());
    context.put("routeKey", "$default");
    context.put("stage", "$default");
    Instant now = Instant.now();
    context.put("time", now.toString());
    context.put("timeEpoch", now.toEpochMilli());
    ObjectNode http = context.putObject("http");
    http.put("method", method);
    http.put("path", rawPath);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "127.0.0.1");
    http.put("userAgent", headers.getOrDefault("user-agent", "meridian-local"));
    if (claims != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      ObjectNode claimNode = jwt.putObject("claims");
      claims.forEach(claimNode::put);
      jwt.putNull("scopes");
    }
    if (body != null) {
      event.put("body", body);
    }
    event.put("isBase64Encoded", base64);
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serializes", e);
    }
  }

  /** Invokes {@code handler} with this event, as Lambda would, and reads its answer. */
  public HttpApiResponse invoke(RequestStreamHandler handler, String functionName) {
    return HttpApiResponse.invoke(handler, functionName, toJson());
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
