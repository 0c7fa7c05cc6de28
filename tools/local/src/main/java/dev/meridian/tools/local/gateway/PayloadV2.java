package dev.meridian.tools.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tools.local.jwt.JwtAuthorizer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP API Lambda proxy integration event, payload format version 2.0, built as API Gateway
 * builds it:
 *
 * <ul>
 *   <li>{@code version} "2.0", {@code routeKey} ({@code GET /products/{id}} or {@code $default}),
 *       {@code rawPath} and {@code rawQueryString} as sent ("" when there is none);
 *   <li>{@code cookies}: every {@code Cookie} header split on {@code ;} (the {@code cookie}
 *       header itself is not in {@code headers}); left out when there are none;
 *   <li>{@code headers}: names lower-cased, repeated headers joined with commas, plus what API
 *       Gateway adds ({@code x-forwarded-for}, {@code x-forwarded-port}, {@code x-forwarded-proto},
 *       {@code x-amzn-trace-id});
 *   <li>{@code queryStringParameters} decoded, repeated names joined with commas (left out when
 *       there are none); {@code pathParameters} decoded (left out when there are none);
 *   <li>{@code requestContext}: {@code accountId}, {@code apiId}, {@code authorizer.jwt}
 *       ({@code claims} all strings, {@code scopes}: the token's scopes on a route with
 *       authorization scopes, otherwise null; only on JWT routes), {@code domainName} (the
 *       {@code Host}), {@code domainPrefix}, {@code http} ({@code method}, {@code path},
 *       {@code protocol}, {@code sourceIp}, {@code userAgent}), {@code requestId},
 *       {@code routeKey}, {@code stage} "$default", {@code time}
 *       ({@code 26/Nov/2026:04:34:37 +0000}), {@code timeEpoch} (ms);
 *   <li>{@code body}: text as is for text media types ({@code text/*}, JSON, XML, JavaScript and
 *       {@code +json}/{@code +xml}), otherwise base64 with {@code isBase64Encoded} true; left out
 *       when the request has no body.
 * </ul>
 */
public final class PayloadV2 {

  public static final String STAGE = "$default";
  public static final String ACCOUNT_ID = "123456789012";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private PayloadV2() {}

  /**
   * Where the request is handled: the API's id and region (for the default domain name) and
   * the account.
   */
  public record Api(String apiId, String region, String accountId) {
    public String defaultDomainName() {
      return apiId + ".execute-api." + region + ".amazonaws.com";
    }
  }

  /**
   * The event for one request.
   *
   * @param match     the selected route and its path parameters
   * @param auth      the JWT authorizer's decision on a JWT route, or null on a public route
   * @param body      the request body (already bounded)
   * @param requestId the request id ({@code apigw-requestid})
   * @param time      when the request arrived
   */
  public static ObjectNode event(Api api, GatewayRequest request, RouteTable.Match match, JwtAuthorizer.Allowed auth,
      byte[] body, String requestId, Instant time) {
    return event(api, request, match, auth, body, requestId, time, STAGE);
  }

  /**
   * The event for one request to {@code stage}: a named stage's requests keep the stage in
   * {@code rawPath} and {@code requestContext.http.path}, as API Gateway sends them, and name it
   * in {@code requestContext.stage}.
   */
  public static ObjectNode event(Api api, GatewayRequest request, RouteTable.Match match, JwtAuthorizer.Allowed auth,
      byte[] body, String requestId, Instant time, String stage) {
    RouteTable.Route route = match.route();
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", route.routeKey());
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

    List<String> cookies = cookies(request);
    if (!cookies.isEmpty()) {
      ArrayNode array = event.putArray("cookies");
      cookies.forEach(array::add);
    }

    ObjectNode headers = event.putObject("headers");
    headers(request, requestId, time).forEach(headers::put);

    Map<String, String> query = queryStringParameters(request.rawQuery());
    if (!query.isEmpty()) {
      ObjectNode node = event.putObject("queryStringParameters");
      query.forEach(node::put);
    }

    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", api.accountId());
    context.put("apiId", api.apiId());
    if (auth != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      ObjectNode claims = jwt.putObject("claims");
      auth.claims().forEach(claims::put);
      if (route.scopes().isEmpty()) {
        jwt.putNull("scopes");
      } else {
        ArrayNode scopes = jwt.putArray("scopes");
        auth.scopes().forEach(scopes::add);
      }
    }
    String domainName = domainName(api, request);
    context.put("domainName", domainName);
    context.put("domainPrefix", domainPrefix(domainName));
    ObjectNode http = context.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    String userAgent = request.headerValue("User-Agent");
    http.put("userAgent", userAgent == null ? "" : userAgent);
    context.put("requestId", requestId);
    context.put("routeKey", route.routeKey());
    context.put("stage", stage);
    context.put("time", formatTime(time));
    context.put("timeEpoch", time.toEpochMilli());

    boolean base64 = false;
    if (body != null && body.length > 0) {
      boolean text = isText(request.headerValue("Content-Type"));
      event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
      base64 = !text;
    }
    if (!match.pathParameters().isEmpty()) {
      ObjectNode node = event.putObject("pathParameters");
      match.pathParameters().forEach(node::put);
    }
    event.put("isBase64Encoded", base64);
    return event;
  }

  /** {@code 26/Nov/2026:04:34:37 +0000}, as in {@code requestContext.time}. */
  public static String formatTime(Instant time) {
    return TIME.format(time);
  }

  /** Whether API Gateway passes a body of this media type as text (else base64). */
  public static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.equals("application/json")
        || type.equals("application/javascript")
        || type.equals("application/xml")
        || type.endsWith("+json")
        || type.endsWith("+xml");
  }

  /** The request's headers as the event carries them. */
  static Map<String, String> headers(GatewayRequest request, String requestId, Instant time) {
    Map<String, List<String>> merged = new TreeMap<>();
    request.headers().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals("cookie")) {
        merged.computeIfAbsent(lower, k -> new ArrayList<>()).addAll(values);
      }
    });
    Map<String, String> headers = new TreeMap<>();
    merged.forEach((name, values) -> headers.put(name, String.join(",", values)));
    String forwardedFor = headers.get("x-forwarded-for");
    headers.put("x-forwarded-for", forwardedFor == null ? request.sourceIp() : forwardedFor + ", " + request.sourceIp());
    headers.put("x-forwarded-port", Integer.toString(request.localPort()));
    headers.put("x-forwarded-proto", "http");
    headers.putIfAbsent("x-amzn-trace-id", traceId(requestId, time));
    return headers;
  }

  /** Every cookie of every {@code Cookie} header. */
  static List<String> cookies(GatewayRequest request) {
    List<String> cookies = new ArrayList<>();
    for (String header : request.header("Cookie")) {
      for (String cookie : header.split(";")) {
        if (!cookie.isBlank()) {
          cookies.add(cookie.strip());
        }
      }
    }
    return cookies;
  }

  /** Decoded query parameters; repeated names joined with commas, in first-seen order. */
  static Map<String, String> queryStringParameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      parameters.merge(name, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  private static String decodeQuery(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static String domainName(Api api, GatewayRequest request) {
    String host = request.headerValue("Host");
    return host == null || host.isBlank() ? api.defaultDomainName() : host.strip();
  }

  /**
   * The first label of the host name ({@code abc123} of {@code abc123.execute-api...}); a host
   * that is an IP address or a single label ({@code 127.0.0.1:8081}, {@code localhost}) is its
   * own prefix (port removed).
   */
  static String domainPrefix(String domainName) {
    String host = domainName;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    if (colon >= 0 && colon == host.lastIndexOf(':')) {
      host = host.substring(0, colon);
    }
    if (host.contains(":") || host.matches("[0-9.]+") || !host.contains(".")) {
      return host;
    }
    return host.substring(0, host.indexOf('.'));
  }

  /** An X-Ray style trace id, derived from the request id so an event is reproducible. */
  static String traceId(String requestId, Instant time) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
      return "Root=1-" + String.format("%08x", time.getEpochSecond()) + "-"
          + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
